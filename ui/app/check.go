package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/jwtview"
)

// CheckState is how one line of a tenant check came out.
type CheckState int

const (
	// CheckOK is green: nothing to do.
	CheckOK CheckState = iota
	// CheckFail is red: something to fix, named in Fix.
	CheckFail
	// CheckNote is neither: something to know (no audience configured
	// anywhere, a client credentials grant not tried), with what to do when
	// it matters.
	CheckNote
)

// CheckLine is one line of the checklist: what was checked, what was found,
// and how to fix it when it is red.
type CheckLine struct {
	Name   string
	State  CheckState
	Detail string
	Fix    string
	// Network: the tenant could not be reached at all.
	Network bool
}

// MaxClockSkew is the clock difference a check still calls good: the
// leeway id_tokens are checked with.
const MaxClockSkew = 60 * time.Second

// CheckTenant checks the session's tenant without changing anything on it:
// the discovery document is reachable and names the issuer the domain
// implies; the JWKS has signing keys (their algorithms listed); the local
// clock agrees with the server's Date header; the client's credentials are
// accepted by a client credentials grant (with the profile's audience when
// it has one) or the exact reason they are not. The grant, when accepted,
// issues one access token, which is not kept.
func CheckTenant(ctx context.Context, s *Session, now func() time.Time) []CheckLine {
	if now == nil {
		now = time.Now
	}
	if s == nil || s.Client == nil {
		return []CheckLine{{Name: "tenant", State: CheckFail, Detail: "no tenant to check", Fix: "choose a profile"}}
	}
	c := s.Client
	var lines []CheckLine
	add := func(l CheckLine) { lines = append(lines, l) }

	// Discovery document and the server's clock.
	base := c.BaseURL
	wantIss := base + "/"
	u := base + jwtview.DiscoveryPath
	ex := get(ctx, c, u)
	jwksURL := base + "/.well-known/jwks.json"
	switch {
	case ex.Err != nil && ex.Response == nil:
		add(CheckLine{Name: "discovery", State: CheckFail, Network: true, Detail: ex.Err.Error(),
			Fix: "check the domain and your network; the other checks need the tenant"})
		return lines
	case ex.Err != nil:
		add(CheckLine{Name: "discovery", State: CheckFail, Detail: "no discovery document at " + u + ": " + ex.Err.Error(),
			Fix: "check the domain: it should be the tenant's (tenant.eu.auth0.com) or its custom domain"})
	default:
		var doc struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		switch {
		case json.Unmarshal(ex.Response.Body, &doc) != nil || doc.Issuer == "":
			add(CheckLine{Name: "discovery", State: CheckFail, Detail: u + " is not a discovery document (a JSON object with issuer)",
				Fix: "check the domain: it should be an Auth0 tenant's"})
		case strings.TrimSuffix(doc.Issuer, "/") != base:
			add(CheckLine{Name: "discovery", State: CheckFail, Detail: fmt.Sprintf("the issuer is %s, not %s", safetext.Quote(doc.Issuer), wantIss),
				Fix: "use the domain the tenant issues tokens as (" + safetext.Escape(strings.TrimPrefix(strings.TrimSuffix(doc.Issuer, "/"), "https://")) + "), or id_tokens will fail their iss check"})
		default:
			add(CheckLine{Name: "discovery", State: CheckOK, Detail: "reachable; issuer " + safetext.Escape(doc.Issuer)})
			if doc.JWKSURI != "" {
				if err := jwtview.CheckJWKSURL(doc.JWKSURI); err != nil {
					add(CheckLine{Name: "keys", State: CheckFail, Detail: "jwks_uri: " + safetext.Escape(err.Error()), Fix: "the tenant's discovery document names keys that cannot be fetched safely"})
					jwksURL = ""
				} else {
					jwksURL = doc.JWKSURI
				}
			}
		}
	}
	add(clockLine(ex, now()))
	if jwksURL != "" {
		add(keysLine(ctx, c, jwksURL))
	}
	lines = append(lines, credentialsLines(ctx, s)...)
	return lines
}

func get(ctx context.Context, c *api.Client, u string) *api.Exchange {
	cl := api.Client{HTTP: c.HTTP, MaxBody: 1 << 20, UserAgent: c.UserAgent}
	return cl.Send(ctx, &api.Request{Method: http.MethodGet, URL: u, Header: http.Header{"Accept": {"application/json"}}})
}

// clockLine compares the Date of an answer with the local clock.
func clockLine(ex *api.Exchange, now time.Time) CheckLine {
	l := CheckLine{Name: "clock"}
	if ex.Response == nil {
		l.State, l.Detail = CheckNote, "not checked: no answer from the tenant"
		return l
	}
	d, err := http.ParseTime(ex.Response.Header.Get("Date"))
	if err != nil {
		l.State, l.Detail = CheckNote, "not checked: the answer has no Date header"
		return l
	}
	// The Date is whole seconds, taken when the answer was written.
	skew := now.Sub(d).Truncate(time.Second)
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	if abs <= MaxClockSkew {
		l.State = CheckOK
		l.Detail = "within " + MaxClockSkew.String() + " of the server's"
		if abs >= 2*time.Second {
			l.Detail = fmt.Sprintf("%s %s the server's, within the %s leeway", abs, way, MaxClockSkew)
		}
		return l
	}
	l.State = CheckFail
	l.Detail = fmt.Sprintf("this machine's clock is %s %s the server's", abs, way)
	l.Fix = "set the clock right (timedatectl set-ntp true, or your system's time settings): token times (iat, exp, nbf) are checked against it"
	return l
}

// keysLine reads the JWKS and lists its keys' algorithms.
func keysLine(ctx context.Context, c *api.Client, u string) CheckLine {
	l := CheckLine{Name: "keys"}
	ex := get(ctx, c, u)
	if ex.Err != nil {
		l.State, l.Detail = CheckFail, "could not read the keys at "+u+": "+ex.Err.Error()
		l.Fix = "id_tokens signed with RS256 cannot be verified until the keys can be read"
		l.Network = ex.Response == nil
		return l
	}
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			Kty string `json:"kty"`
			Alg string `json:"alg"`
			Use string `json:"use"`
		} `json:"keys"`
	}
	if json.Unmarshal(ex.Response.Body, &set) != nil {
		l.State, l.Detail, l.Fix = CheckFail, u+" is not a JSON Web Key Set", "check the domain"
		return l
	}
	algs := map[string]int{}
	n := 0
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		n++
		a := k.Alg
		if a == "" {
			a = k.Kty + " (no alg)"
		}
		algs[safetext.Escape(a)]++
	}
	if n == 0 {
		l.State, l.Detail = CheckFail, "the key set at "+u+" has no signing key"
		l.Fix = "RS256 id_tokens cannot be verified; rotate the signing key in the tenant's settings (Signing Keys)"
		return l
	}
	var names []string
	for a, k := range algs {
		if k > 1 {
			a = fmt.Sprintf("%s ×%d", a, k)
		}
		names = append(names, a)
	}
	sort.Strings(names)
	word := "keys"
	if n == 1 {
		word = "key"
	}
	l.State, l.Detail = CheckOK, fmt.Sprintf("%d signing %s: %s", n, word, strings.Join(names, ", "))
	return l
}

// credentialsLines try a client credentials grant: accepted, or why not,
// and what a refusal says about the tenant's configuration (no default
// audience).
func credentialsLines(ctx context.Context, s *Session) []CheckLine {
	c := s.Client
	const name = "client credentials"
	if c.ClientID == "" {
		return []CheckLine{{Name: name, State: CheckFail, Detail: "the profile has no client id", Fix: "add the application's client id to the profile"}}
	}
	op := api.ByName("clientCredentialsGrant")
	var v api.Values
	aud := ""
	if s.Profile != nil {
		aud = s.Profile.Audience
	} else if s.IsSandbox() {
		aud = s.Sandbox.ManagementAPI() // the sandbox's one API
	}
	if aud != "" {
		v.Fields = append(v.Fields, api.String("audience", aud))
	}
	ex := c.Do(ctx, op, v)
	var ae *api.Error
	var ie *api.InputError
	switch {
	case ex.Err == nil:
		what := "the client id and secret are accepted"
		if aud != "" {
			what += ", with the audience " + safetext.Escape(aud)
		} else {
			what += ", with the tenant's default audience"
		}
		return []CheckLine{{Name: name, State: CheckOK, Detail: what + " (one access token was issued and dropped)"}}
	case errors.As(ex.Err, &ie):
		return []CheckLine{{Name: name, State: CheckNote, Detail: "not tried: " + ie.Error()}}
	case !errors.As(ex.Err, &ae):
		return []CheckLine{{Name: name, State: CheckFail, Detail: ex.Err.Error()}}
	case ae.Kind != api.ErrHTTP:
		return []CheckLine{{Name: name, State: CheckFail, Detail: ex.Err.Error(), Network: ex.Response == nil}}
	}
	code, desc := ae.Code, strings.ToLower(ae.Description)
	reason := safetext.Escape(code)
	if ae.Description != "" {
		reason += ": " + safetext.Escape(ae.Description)
	}
	switch {
	case code == "unauthorized_client":
		fix := "enable the Client Credentials grant for the application (Applications → the application → Advanced Settings → Grant Types)"
		if c.ClientSecret == "" {
			fix = "a client without a secret (a single-page or native app) cannot use it; use a Machine to Machine application's id and secret"
		}
		return []CheckLine{{Name: name, State: CheckFail, Detail: "grant not enabled: " + reason, Fix: fix}}
	case strings.Contains(desc, "no default audience"):
		return []CheckLine{
			{Name: name, State: CheckOK, Detail: "the client id and secret are accepted"},
			{Name: "audience", State: CheckNote, Detail: "neither the profile nor the tenant names an audience (" + reason + ")",
				Fix: "for client credentials, give the profile an audience (an API identifier) or set a Default Audience (Settings → API Authorization Settings)"},
		}
	case strings.Contains(desc, "service not found"):
		return []CheckLine{
			{Name: name, State: CheckOK, Detail: "the client id and secret are accepted"},
			{Name: "audience", State: CheckFail, Detail: "the profile's audience " + safetext.Escape(aud) + " is not an API of this tenant (" + reason + ")",
				Fix: "use the identifier of one of the tenant's APIs (Applications → APIs)"},
		}
	case strings.Contains(desc, "not authorized to access") || strings.Contains(desc, "not been granted"):
		return []CheckLine{
			{Name: name, State: CheckOK, Detail: "the client id and secret are accepted"},
			{Name: "audience", State: CheckFail, Detail: reason,
				Fix: "authorize the application for the API (Applications → APIs → the API → Machine to Machine Applications)"},
		}
	case ae.Status == http.StatusUnauthorized || code == "access_denied" || code == "invalid_client":
		return []CheckLine{{Name: name, State: CheckFail, Detail: "refused: " + reason,
			Fix: "check the client id and secret (Applications → the application → Settings) and enter them again in the profile"}}
	}
	return []CheckLine{{Name: name, State: CheckFail, Detail: ex.Err.Error()}}
}

// CheckFailed reports whether any line is red, and whether the tenant could
// not be reached at all.
func CheckFailed(lines []CheckLine) (failed, network bool) {
	for _, l := range lines {
		failed = failed || l.State == CheckFail
		network = network || l.Network
	}
	return failed, network
}
