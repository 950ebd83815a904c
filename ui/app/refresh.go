package app

import (
	"context"
	"errors"
	"strconv"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
)

// Refresh, rotate, revoke: from a session's refresh token, refresh it
// (oauth.refreshToken) and show whether the tenant rotated it and how the
// new tokens' claims differ from the old ones; revoke the newest refresh
// token (oauth.revokeRefreshToken); then try to refresh with it again and
// show that the tenant refuses it. Each step is a method of RefreshFlow, so
// the TUI runs one per command and the headless `refresh` command runs them
// in a row (Run); both get the same steps through OnStep.

// RefreshStepKind names a step of the refresh flow.
type RefreshStepKind int

const (
	// RefreshStepRefresh: the refresh token was exchanged
	// (RefreshStep.Result: the new tokens, the rotation, the claim diffs).
	RefreshStepRefresh RefreshStepKind = iota
	// RefreshStepRevoke: the newest refresh token was revoked.
	RefreshStepRevoke
	// RefreshStepRefused: the revoked refresh token was tried again; the
	// step passes when the tenant refuses it.
	RefreshStepRefused
)

func (k RefreshStepKind) String() string {
	switch k {
	case RefreshStepRefresh:
		return "refresh"
	case RefreshStepRevoke:
		return "revoke"
	case RefreshStepRefused:
		return "refused"
	}
	return "step"
}

// RefreshStep is one step, as OnStep gets it: done (Err nil) or failed.
type RefreshStep struct {
	Kind RefreshStepKind
	// Text says in one sentence what the step found, for both front-ends
	// ("rotated: yes …", "revoked the rotated refresh token", "the revoked
	// refresh token is refused: invalid_grant …"); on failure, Err's.
	Text string
	// Exchange is the step's request and answer (nil when none was sent).
	Exchange *api.Exchange
	// Result is the refresh's outcome, on RefreshStepRefresh.
	Result *RefreshResult
	Err    error
}

// Failed reports whether the step did not do what it shows.
func (s RefreshStep) Failed() bool { return s.Err != nil }

// RefreshResult is what the refresh answered.
type RefreshResult struct {
	Exchange *api.Exchange
	// Rotated: the answer carries a refresh token that differs from the
	// one sent (refresh token rotation).
	Rotated bool
	// RefreshToken is the newest refresh token: the rotated one, else the
	// one sent. A secret: never shown unless asked.
	RefreshToken string
	// Diffs compare the tokens that came with the refresh token
	// (RefreshFlow.AccessToken, IDToken) with the answer's, field by field,
	// for the fields both have.
	Diffs []TokenDiff
}

// Token is the value of the named token field of the answer ("" if none).
func (r *RefreshResult) Token(field string) string {
	return (&GrantResult{Exchange: r.exchange()}).Token(field)
}

func (r *RefreshResult) exchange() *api.Exchange {
	if r == nil {
		return nil
	}
	return r.Exchange
}

// TokenDiff is one token field (access_token, id_token) before and after.
type TokenDiff struct {
	Field string
	// Note says why no claims are compared (a token that is not a JWT);
	// empty when Claims holds the comparison.
	Note     string
	Lifetime jwtview.LifetimeDiff
	Claims   []jwtview.ClaimDiff
}

// Changed is the claims that differ (added, removed or changed).
func (d TokenDiff) Changed() []jwtview.ClaimDiff {
	var out []jwtview.ClaimDiff
	for _, c := range d.Claims {
		if c.Change != jwtview.Same {
			out = append(out, c)
		}
	}
	return out
}

// RefreshFlow is one refresh, rotate and revoke run on a session. Use it
// once: Refresh, then Revoke, then CheckRefused (or Run).
type RefreshFlow struct {
	Session *Session
	// RefreshToken is the token to start from.
	RefreshToken string
	// AccessToken and IDToken, when known, are the tokens that came with
	// RefreshToken; the refreshed ones are compared with them.
	AccessToken, IDToken string
	// Scope, when set, narrows the refreshed tokens' scope.
	Scope string
	// StopAfterRefresh makes Run stop after the refresh: nothing revoked.
	StopAfterRefresh bool
	// OnStep, when set, is told each step.
	OnStep func(RefreshStep)

	result  *RefreshResult
	revoked string
}

func (f *RefreshFlow) step(s RefreshStep) {
	if f.OnStep != nil {
		f.OnStep(s)
	}
}

func (f *RefreshFlow) fail(kind RefreshStepKind, ex *api.Exchange, err error) error {
	f.step(RefreshStep{Kind: kind, Text: err.Error(), Exchange: ex, Err: err})
	return err
}

// Result is the refresh's outcome, once Refresh succeeded (else nil).
func (f *RefreshFlow) Result() *RefreshResult { return f.result }

// Run is Refresh, then (unless StopAfterRefresh) Revoke and CheckRefused.
// The result is the refresh's, also when a later step fails.
func (f *RefreshFlow) Run(ctx context.Context) (*RefreshResult, error) {
	r, err := f.Refresh(ctx)
	if err != nil || f.StopAfterRefresh {
		return r, err
	}
	if err := f.Revoke(ctx); err != nil {
		return r, err
	}
	return r, f.CheckRefused(ctx)
}

// Refresh exchanges RefreshToken with oauth.refreshToken. Its error is the
// exchange's (an *api.Error, an *api.InputError for no token).
func (f *RefreshFlow) Refresh(ctx context.Context) (*RefreshResult, error) {
	ex := f.refresh(ctx, f.RefreshToken)
	if ex.Err != nil {
		return nil, f.fail(RefreshStepRefresh, ex, ex.Err)
	}
	r := &RefreshResult{Exchange: ex, RefreshToken: f.RefreshToken}
	text := "refreshed; rotated: no (the answer carries no new refresh token; the one sent stays in use)"
	switch nt := r.Token("refresh_token"); {
	case nt != "" && nt != f.RefreshToken:
		r.Rotated, r.RefreshToken = true, nt
		text = "refreshed; rotated: yes (the answer carries a new refresh token, which replaces the one sent)"
	case nt != "":
		text = "refreshed; rotated: no (the answer carries the same refresh token)"
	}
	for _, p := range [][2]string{{"access_token", f.AccessToken}, {"id_token", f.IDToken}} {
		if d, ok := diffToken(p[0], p[1], r.Token(p[0])); ok {
			r.Diffs = append(r.Diffs, d)
		}
	}
	f.result = r
	f.step(RefreshStep{Kind: RefreshStepRefresh, Text: text, Exchange: ex, Result: r})
	return r, nil
}

func (f *RefreshFlow) refresh(ctx context.Context, token string) *api.Exchange {
	v := api.Values{Fields: []api.Value{api.String("refresh_token", token)}}
	if f.Scope != "" {
		v.Fields = append(v.Fields, api.String("scope", f.Scope))
	}
	return f.Session.Client.Do(ctx, api.ByName("oauth.refreshToken"), v)
}

// diffToken compares an old and a new token of field; ok is false when
// either is missing.
func diffToken(field, before, after string) (TokenDiff, bool) {
	if before == "" || after == "" {
		return TokenDiff{}, false
	}
	d := TokenDiff{Field: field}
	a, _ := jwtview.Decode(before)
	b, _ := jwtview.Decode(after)
	switch {
	case a == nil || a.Kind != jwtview.KindJWS:
		d.Note = "the earlier " + field + " is not a JWT: no claims to compare"
	case b == nil || b.Kind != jwtview.KindJWS:
		d.Note = "the new " + field + " is not a JWT: no claims to compare"
	default:
		d.Lifetime = jwtview.DiffLifetime(a.Payload, b.Payload)
		d.Claims = jwtview.DiffClaims(a.Payload, b.Payload)
	}
	return d, true
}

// Revoke revokes the newest refresh token (the rotated one after a
// rotating Refresh, else RefreshToken) with oauth.revokeRefreshToken. Its
// error is the exchange's.
func (f *RefreshFlow) Revoke(ctx context.Context) error {
	token, which := f.RefreshToken, "the refresh token"
	if f.result != nil && f.result.Rotated {
		token, which = f.result.RefreshToken, "the rotated refresh token"
	}
	ex := f.Session.Client.Do(ctx, api.ByName("oauth.revokeRefreshToken"), api.Values{Fields: []api.Value{api.String("token", token)}})
	if ex.Err != nil {
		return f.fail(RefreshStepRevoke, ex, ex.Err)
	}
	f.revoked = token
	f.step(RefreshStep{Kind: RefreshStepRevoke, Text: "revoked " + which, Exchange: ex})
	return nil
}

// CheckRefused refreshes with the token Revoke revoked and expects the
// tenant to refuse it. A tenant that still accepts it fails the step with
// a *FlowError (Code "still_accepted"); so does calling it before Revoke
// (Code "not_revoked"); a request that gets no answer fails it with the
// exchange's error.
func (f *RefreshFlow) CheckRefused(ctx context.Context) error {
	if f.revoked == "" {
		return f.fail(RefreshStepRefused, nil, &FlowError{Code: "not_revoked", Msg: "no refresh token was revoked yet: revoke one first"})
	}
	ex := f.refresh(ctx, f.revoked)
	if ex.Err == nil {
		return f.fail(RefreshStepRefused, ex, &FlowError{Code: "still_accepted",
			Msg: "the tenant still accepts the revoked refresh token: it answered new tokens"})
	}
	var ae *api.Error
	if !errors.As(ex.Err, &ae) || ae.Kind != api.ErrHTTP {
		return f.fail(RefreshStepRefused, ex, ex.Err)
	}
	code := ae.Code
	if code == "" {
		code = "HTTP " + strconv.Itoa(ae.Status)
	}
	f.step(RefreshStep{Kind: RefreshStepRefused, Text: "the revoked refresh token is refused: " + code + describeParen(ae), Exchange: ex})
	return nil
}

// describeParen is the answer's description in parentheses, or nothing.
func describeParen(ae *api.Error) string {
	if d := describe(ae); d != "" {
		return " (" + d[2:] + ")"
	}
	return ""
}
