package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/jwtview"
)

// This file builds the options an id_token is checked with, for `token`
// and for the id_token in `call`'s answer alike. It prints nothing and
// knows no cobra: the TUI is to share it.

// idTokenSettings are what the options are built from: the tenant (with
// its profile) and what a command line overrides. Zero fields are "not
// given".
type idTokenSettings struct {
	Tenant tenant
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

// idTokenCheck is how an id_token is to be checked.
type idTokenCheck struct {
	Options jwtview.Options
	// Discover is the base URL whose discovery document is to name the
	// issuer and the JWKS URL (see resolve); empty when the tenant is a bare
	// host, whose issuer and JWKS are derived as node-auth0 does.
	Discover string
}

// newIDTokenCheck builds the options as node-auth0 v2 checks an id_token:
// issuer https://<domain>/, audience the client id, HS256 with the client
// secret (raw, or base64-decoded for legacy clients), RS256 keys from the
// tenant's JWKS, the profile's algorithms and organization. A --domain
// given as a base URL (with a scheme) is a provider whose discovery
// document is read first (resolve). Errors are the settings' mistakes, one
// sentence each.
func newIDTokenCheck(s idTokenSettings) (idTokenCheck, error) {
	var c idTokenCheck
	o := &c.Options
	o.Algorithms, o.Nonce, o.MaxAge, o.Leeway, o.Now = s.Algorithms, s.Nonce, s.MaxAge, s.Leeway, s.Now
	base64Secret := false
	if p := s.Tenant.Profile; p != nil {
		base64Secret = p.SecretBase64
		if o.Algorithms == nil && len(p.Algorithms) > 0 {
			algs, err := jwtview.ParseAlgorithms(strings.Join(p.Algorithms, ","))
			if err != nil {
				return c, fmt.Errorf("profile %s: algorithms: %v", printable(p.Name), err)
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

// resolve reads the discovery document when Discover is set, taking the
// issuer and JWKS URL from it (an explicit one still wins). When it cannot
// be read the derived ones stay, and the error says why; the caller shows
// it only if the token then fails (see discoveryNote).
func (c *idTokenCheck) resolve(ctx context.Context, hc *http.Client, s idTokenSettings) error {
	if c.Discover == "" {
		return nil
	}
	d, err := jwtview.Discover(ctx, hc, c.Discover)
	if err != nil {
		return err
	}
	if !s.IssuerSet {
		c.Options.Issuer = d.Issuer
	}
	if !s.JWKSURLSet {
		c.Options.JWKSURL = d.JWKSURL
	}
	return nil
}

// discoveryNote explains what was used when discovery failed.
func discoveryNote(err error, o jwtview.Options, hint string) string {
	return fmt.Sprintf("%v; used the issuer %s and the keys at %s derived from the domain%s",
		err, o.Issuer, o.JWKSURL, hint)
}

// answerCheck is the outcome of checking the id_token in call's answer.
type answerCheck struct {
	report *jwtview.Report
	note   string // why discovery failed, when it did
	err    error  // the options could not be built: nothing checked
}

// checkAnswerIDToken checks the id_token of a successful answer when the
// operation is one node-auth0 checks (Operation.IDToken), unless the
// profile or skip says not to; the verdict goes into ex.Verdicts. It
// returns nil when nothing was checked.
func checkAnswerIDToken(ctx context.Context, env *Env, op *api.Operation, v api.Values, tn tenant, tr api.TransportOptions, skip bool, ex *api.Exchange) *answerCheck {
	if !op.IDToken || ex == nil || ex.Err != nil {
		return nil
	}
	raw := ""
	for _, t := range ex.Tokens {
		if t.Field == "id_token" {
			raw = t.Value
		}
	}
	if raw == "" {
		return nil
	}
	switch {
	case skip:
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: the id_token in the answer was not checked (--no-id-token-check)")
		return nil
	case tn.Profile != nil && tn.Profile.SkipIDTokenValidation:
		fmt.Fprintf(env.Stderr, "auth0-explorer: note: the id_token in the answer was not checked: profile %s skips id token checks\n", printable(tn.Profile.Name))
		return nil
	}
	// node-auth0 compares the nonce of the data it was given.
	s := idTokenSettings{Tenant: tn, Now: env.now()}
	for _, f := range v.Fields {
		var nonce string
		if f.Name == "nonce" && json.Unmarshal(f.Raw, &nonce) == nil {
			s.Nonce = nonce
		}
	}
	c, err := newIDTokenCheck(s)
	if err != nil {
		return &answerCheck{err: err}
	}
	hc := api.NewHTTPClient(tr)
	var ac answerCheck
	if err := c.resolve(ctx, hc, s); err != nil {
		ac.note = discoveryNote(err, c.Options, "")
	}
	keys := jwtview.NewKeyCache(jwtview.KeyCacheOptions{HTTP: hc, Now: s.Now})
	defer keys.Close()
	c.Options.Keys = keys
	ac.report = jwtview.Verify(ctx, raw, c.Options)
	return record(ex, &ac)
}

// record puts the verdict into the exchange, for --output json.
func record(ex *api.Exchange, ac *answerCheck) *answerCheck {
	r := ac.report
	vd := &api.TokenVerdict{Valid: r.Valid(), State: string(r.State)}
	for _, c := range r.Checks {
		vd.Checks = append(vd.Checks, api.TokenCheck{Name: c.Name, OK: c.OK, Detail: c.Detail, Skipped: c.Skipped})
	}
	if ex.Verdicts == nil {
		ex.Verdicts = map[string]*api.TokenVerdict{}
	}
	ex.Verdicts["id_token"] = vd
	return ac
}

// exit says on stderr why the id_token is not valid, one sentence per
// failed (or unchecked) rule, and returns the exit: 1 when it is invalid or
// could not be verified, 3 when only the keys could not be fetched. Nil
// when there was nothing to check or the token is valid.
func (ac *answerCheck) exit(env *Env, red *api.Redactor) error {
	if ac == nil {
		return nil
	}
	if ac.err != nil {
		return &exitError{code: 1, msg: "the id_token in the answer could not be checked: " + safetext.Escape(ac.err.Error())}
	}
	if ac.report.Valid() {
		return nil
	}
	r := ac.report
	say := func(s string) { fmt.Fprintln(env.Stderr, "auth0-explorer: "+safetext.Escape(red.String(s))) }
	var names []string
	for _, c := range r.Checks {
		if c.Failed() || c.Skipped {
			say("id_token: " + c.Name + ": " + c.Detail)
			names = append(names, c.Name)
		}
	}
	if ac.note != "" {
		say("note: " + ac.note)
	}
	if r.KeysUnavailable() {
		return &exitError{code: 3, msg: "the id_token in the answer could not be verified: its keys could not be fetched"}
	}
	what := "is not valid"
	if r.State == jwtview.StateUnverified {
		what = "could not be verified"
	}
	return &exitError{code: 1, msg: fmt.Sprintf("the id_token in the answer %s (%s); node-auth0 v2 rejects such an answer (--no-id-token-check skips the check)",
		what, strings.Join(names, ", "))}
}

// now is the clock tokens are checked with.
func (e *Env) now() func() time.Time {
	if e.Now != nil {
		return e.Now
	}
	return time.Now
}
