package app

import (
	"context"
	"time"

	"auth0-explorer/jwtview"
)

// VerifyOptions are the checks an id_token of this session must pass, built
// as `call` builds them for the id_token of its answer (NewIDTokenCheck with
// the session's tenant): the tenant's issuer and JWKS (from its discovery
// document when the domain is a base URL), the client id as audience, the
// client secret for HS256 (base64-decoded for a legacy profile), the
// profile's algorithms and organization, and the session's key cache. nonce
// is the one the request carried, if any; now is the clock (nil: time.Now).
//
// It may fetch the discovery document with ctx: run it where I/O may run
// (in the TUI, inside the verification tea.Cmd). The notes say why
// discovery failed, worth telling when the token then fails. An error is
// the tenant's mistake (a secret marked base64 that is not); the options
// then hold what could be built before it.
func (s *Session) VerifyOptions(ctx context.Context, nonce string, now func() time.Time) (jwtview.Options, []Note, error) {
	if s == nil {
		return jwtview.Options{Nonce: nonce, Now: now}, nil, nil
	}
	c, err := NewIDTokenCheck(IDTokenSettings{Tenant: s.Tenant, Nonce: nonce, Now: now})
	c.Options.Keys = s.Keys
	if err != nil {
		return c.Options, nil, err
	}
	var notes []Note
	if s.Client != nil && s.Client.HTTP != nil {
		if err := c.Resolve(ctx, s.Client.HTTP); err != nil {
			notes = append(notes, note("%s", DiscoveryNote(err, c.Options, "")))
		}
	}
	return c.Options, notes, nil
}

// SkipIDTokenChecks reports whether the profile turned id_token validation
// off (node-auth0's __bypassIdTokenValidation).
func (s *Session) SkipIDTokenChecks() bool {
	return s != nil && s.Profile != nil && s.Profile.SkipIDTokenValidation
}
