package app

import (
	"time"

	"auth0-explorer/jwtview"
)

// VerifyOptions are the checks an id_token of this session must pass, as
// node-auth0 v2 makes them: the tenant's issuer and JWKS, the client id as
// audience, the client secret for HS256 (base64-decoded for a legacy
// profile), the profile's algorithms and organization. nonce is the one the
// request carried, if any. now is the clock (nil: time.Now).
func (s *Session) VerifyOptions(nonce string, now func() time.Time) jwtview.Options {
	o := jwtview.Options{Nonce: nonce, Now: now, Keys: s.Keys}
	if s == nil || s.Client == nil {
		return o
	}
	o.Issuer = s.Client.BaseURL + "/"
	o.JWKSURL = s.Client.BaseURL + "/.well-known/jwks.json"
	o.Audience = s.Client.ClientID
	if sec := s.Client.ClientSecret; sec != "" {
		o.Secret = []byte(sec)
	}
	if p := s.Profile; p != nil {
		if p.SecretBase64 && s.Client.ClientSecret != "" {
			if b, err := jwtview.SecretFromBase64(s.Client.ClientSecret); err == nil {
				o.Secret = b
			}
		}
		if len(p.Algorithms) > 0 {
			o.Algorithms = append([]string(nil), p.Algorithms...)
		}
		o.Organization = p.Organization
	}
	return o
}

// SkipIDTokenChecks reports whether the profile turned id_token validation
// off (node-auth0's __bypassIdTokenValidation).
func (s *Session) SkipIDTokenChecks() bool {
	return s != nil && s.Profile != nil && s.Profile.SkipIDTokenValidation
}
