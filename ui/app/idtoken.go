package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
)

// This file builds the options an id_token is checked with, for `token`,
// for the id_token in `call`'s answer and for the TUI's Tokens tab alike.

// IDTokenSettings are what the options are built from: the tenant (with
// its profile) and what a command line overrides. Zero fields are "not
// given".
type IDTokenSettings struct {
	Tenant Tenant
	// Issuer and JWKSURL, when set, are used as given.
	Issuer, JWKSURL       string
	IssuerSet, JWKSURLSet bool
	// Algorithms given explicitly; nil means the profile's, else
	// jwtview.DefaultAlgorithms.
	Algorithms []string
	// SecretBase64 and Organization given explicitly; nil means the
	// profile's.
	SecretBase64 *bool
	Organization *string
	Nonce        string
	MaxAge       time.Duration
	Leeway       time.Duration // as jwtview.Options.Leeway
	Now          func() time.Time
}

// IDTokenCheck is how an id_token is to be checked.
type IDTokenCheck struct {
	Options jwtview.Options
	// Discover is the base URL whose discovery document is to name the
	// issuer and the JWKS URL (see Resolve); empty when the tenant is a bare
	// host, whose issuer and JWKS are derived as node-auth0 does.
	Discover string
	// issuerSet and jwksURLSet: the settings named them, and discovery
	// does not replace them.
	issuerSet, jwksURLSet bool
}

// NewIDTokenCheck builds the options as node-auth0 v2 checks an id_token:
// issuer https://<domain>/, audience the client id, HS256 with the client
// secret (raw, or base64-decoded for legacy clients), RS256 keys from the
// tenant's JWKS, the profile's algorithms and organization. A domain given
// as a base URL (with a scheme) is a provider whose discovery document is
// read first (Resolve). Errors are the settings' mistakes, one sentence
// each; the check then holds what was built before the mistake.
func NewIDTokenCheck(s IDTokenSettings) (IDTokenCheck, error) {
	c := IDTokenCheck{issuerSet: s.IssuerSet, jwksURLSet: s.JWKSURLSet}
	o := &c.Options
	o.Algorithms, o.Nonce, o.MaxAge, o.Leeway, o.Now = s.Algorithms, s.Nonce, s.MaxAge, s.Leeway, s.Now
	base64Secret := false
	if p := s.Tenant.Profile; p != nil {
		base64Secret = p.SecretBase64
		if o.Algorithms == nil && len(p.Algorithms) > 0 {
			algs, err := jwtview.ParseAlgorithms(strings.Join(p.Algorithms, ","))
			if err != nil {
				return c, fmt.Errorf("profile %s: algorithms: %v", Printable(p.Name), err)
			}
			o.Algorithms = algs
		}
		o.Organization = p.Organization
	}
	if s.SecretBase64 != nil {
		base64Secret = *s.SecretBase64
	}
	if s.Organization != nil {
		o.Organization = *s.Organization
	}
	if d := s.Tenant.Domain; d != "" {
		base, err := api.BaseURL(d)
		if err != nil {
			return c, err
		}
		o.Issuer = base + "/"
		o.JWKSURL = base + "/.well-known/jwks.json"
		if strings.Contains(d, "://") && !(s.IssuerSet && s.JWKSURLSet) {
			c.Discover = base
		}
	}
	if s.JWKSURLSet {
		if err := jwtview.CheckJWKSURL(s.JWKSURL); err != nil {
			return c, err
		}
		o.JWKSURL = s.JWKSURL
	}
	if s.IssuerSet {
		o.Issuer = s.Issuer
	}
	o.Audience = s.Tenant.ClientID
	switch secret := s.Tenant.ClientSecret; {
	case secret != "" && base64Secret:
		b, err := jwtview.SecretFromBase64(secret)
		if err != nil {
			return c, errors.New("the client secret is marked as base64-encoded (--secret-base64, or the profile's flag) and is not valid base64")
		}
		o.Secret = b
	case secret != "":
		o.Secret = []byte(secret)
	case s.SecretBase64 != nil && *s.SecretBase64:
		return c, errors.New("--secret-base64 needs a client secret (--secret or AUTH0_CLIENT_SECRET)")
	}
	return c, nil
}

// Resolve reads the discovery document when Discover is set, taking the
// issuer and JWKS URL from it (one the settings named still wins). When it
// cannot be read the derived ones stay, and the error says why; the caller
// shows it only if the token then fails (see DiscoveryNote). It fetches
// over the network: run it where I/O may run (a tea.Cmd in the TUI).
func (c *IDTokenCheck) Resolve(ctx context.Context, hc *http.Client) error {
	if c.Discover == "" {
		return nil
	}
	d, err := jwtview.Discover(ctx, hc, c.Discover)
	if err != nil {
		return err
	}
	if !c.issuerSet {
		c.Options.Issuer = d.Issuer
	}
	if !c.jwksURLSet {
		c.Options.JWKSURL = d.JWKSURL
	}
	return nil
}

// DiscoveryNote explains what was used when discovery failed.
func DiscoveryNote(err error, o jwtview.Options, hint string) string {
	return fmt.Sprintf("%v; used the issuer %s and the keys at %s derived from the domain%s",
		err, o.Issuer, o.JWKSURL, hint)
}
