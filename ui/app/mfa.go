package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
)

// The MFA step-up as one small state machine with no Bubble Tea and no
// cobra: a sign-in answered mfa_required with an mfa_token (MFATokenOf);
// MFAFlow lists the user's authenticators (mfa.listAuthenticators),
// challenges one (mfa.challenge), then takes what the challenge asks for:
// the authenticator app's code (mfa.verifyOTP), the code an SMS or email
// brought (mfa.verifyOOB with binding_code), the approval of a push
// notification (mfa.verifyOOB polled until the user decides), or a recovery
// code (mfa.verifyRecoveryCode). Each method is one step a TUI can run in
// its own tea.Cmd; each step is told through OnStep, so the headless `mfa`
// command and the TUI show the same ones. The clock and the waiting are
// injected: tests never sleep.

// MFA challenge and authenticator types, as Auth0 names them.
const (
	MFATypeOTP      = "otp"
	MFATypeOOB      = "oob"
	MFATypeRecovery = "recovery-code"
	// MFAChannelPush is the oob_channel of a Guardian push authenticator.
	MFAChannelPush = "auth0"
)

// MFAOOBLifetime is how long an oob_code is good for (Auth0's 5 minutes):
// the push polling stops an interval past it.
const MFAOOBLifetime = 5 * time.Minute

// MFAStepKind names a step of the MFA flow.
type MFAStepKind int

const (
	// MFAListed: the user's active authenticators are there
	// (MFAStep.Authenticators).
	MFAListed MFAStepKind = iota
	// MFAChallenged: a challenge was sent (MFAStep.Challenge); its Need says
	// what to ask the user for next.
	MFAChallenged
	// MFAPending: the push is not approved yet (authorization_pending).
	MFAPending
	// MFASlowDown: the server asked to poll less often; Interval grew.
	MFASlowDown
	// MFAVerified: tokens came (MFAStep.Exchange); the id_token, if any, is
	// checked next.
	MFAVerified
	// MFAFailed: the step failed (MFAStep.Err). A refused code leaves the
	// flow where it was: the same verify may be tried again.
	MFAFailed
)

// MFANeed is what a challenge waits for.
type MFANeed int

const (
	// MFANeedOTP: the authenticator app's code, for VerifyOTP.
	MFANeedOTP MFANeed = iota
	// MFANeedBindingCode: the code an SMS or email brought, for VerifyOOB.
	MFANeedBindingCode
	// MFANeedApproval: the user's approval on the phone; PollOOB waits for it.
	MFANeedApproval
	// MFANeedRecoveryCode: a recovery code, for VerifyRecoveryCode.
	MFANeedRecoveryCode
)

// MFAAuthenticator is one of the user's authenticators, as
// mfa.listAuthenticators lists it.
type MFAAuthenticator struct {
	ID string
	// Type is "otp", "oob" or "recovery-code".
	Type string
	// Channel is an oob authenticator's: "sms", "email", "voice" or "auth0"
	// (push).
	Channel string
	// Name is what Auth0 names it: a masked phone number or address, a
	// device's name.
	Name   string
	Active bool
}

// IsPush reports whether a is a push (Guardian) authenticator.
func (a MFAAuthenticator) IsPush() bool { return a.Type == MFATypeOOB && a.Channel == MFAChannelPush }

// IsRecoveryCode reports whether a stands for the user's recovery code.
func (a MFAAuthenticator) IsRecoveryCode() bool { return a.Type == MFATypeRecovery }

// Label is a for a person: "authenticator app", "SMS to XXXXXXXX0123",
// "push notification to iPhone", "recovery code".
func (a MFAAuthenticator) Label() string {
	switch {
	case a.Type == MFATypeOTP:
		return "authenticator app (one-time code)"
	case a.IsRecoveryCode():
		return "recovery code"
	case a.IsPush():
		return withName("push notification", a.Name)
	case a.Type == MFATypeOOB && a.Channel == "sms":
		return withName("code by SMS", a.Name)
	case a.Type == MFATypeOOB && a.Channel == "voice":
		return withName("code by voice call", a.Name)
	case a.Type == MFATypeOOB && a.Channel == "email":
		return withName("code by email", a.Name)
	case a.Type == MFATypeOOB:
		return withName("code by "+cmp.Or(a.Channel, "out of band"), a.Name)
	}
	return cmp.Or(a.Type, "authenticator")
}

func withName(what, name string) string {
	if name == "" {
		return what
	}
	return what + " to " + Printable(name)
}

// MFAChallenge is a challenge under way.
type MFAChallenge struct {
	Authenticator MFAAuthenticator
	// Type is what mfa.challenge answered ("otp", "oob"), or
	// "recovery-code" for a recovery code (which needs no request).
	Type string
	// OOBCode is the secret the oob verify sends: never show it.
	OOBCode string
	// BindingMethod is the challenge's ("prompt" for an SMS or email code;
	// none for a push).
	BindingMethod string
	Need          MFANeed
	// Expires is when the oob_code stops being good, on the flow's clock.
	Expires time.Time
	// Interval is the push polling interval now in force.
	Interval time.Duration
}

// MFAStep is one step, as OnStep gets it.
type MFAStep struct {
	Kind           MFAStepKind
	Authenticators []MFAAuthenticator
	Challenge      *MFAChallenge
	// Interval is the polling interval now in force (push).
	Interval time.Duration
	// Remaining is the time left until the oob_code expires (push; never
	// negative).
	Remaining time.Duration
	// Polls is how many times the push was polled so far.
	Polls    int
	Exchange *api.Exchange
	Err      error
}

// MFAResult is a finished flow: the exchange that carried the tokens, the
// verdict on its id_token (see GrantResult), and the recovery code the
// answer of a recovery-code verify carries.
type MFAResult struct {
	GrantResult
	// RecoveryCode is the user's new recovery code, which Auth0 answers
	// when one was used: a secret, to be shown once and kept.
	RecoveryCode string
}

// Token is the value of the named token field of the answer ("" if none,
// or if r is nil).
func (r *MFAResult) Token(field string) string {
	if r == nil {
		return ""
	}
	return r.GrantResult.Token(field)
}

// MFAError is why a step stopped without tokens: one sentence, and the
// kind of stop (invalid_grant for a refused code, mfa_token for a token
// that is malformed, spent or expired, access_denied, expired_token,
// timeout, answer, no_challenge, id_token, or the server's error code).
type MFAError = FlowError

// MFASlowDownStep is what each slow_down adds to the push polling interval.
const MFASlowDownStep = SlowDownStep

const mfaPushInterval = 5 * time.Second

// MFATokenOf is the mfa_token of an exchange whose sign-in answered
// mfa_required, and whether it is one: the TUI offers to go on with MFA in
// place, the `mfa` command goes on.
func MFATokenOf(ex *api.Exchange) (string, bool) {
	var ae *api.Error
	if ex == nil || !errors.As(ex.Err, &ae) || ae.Code != "mfa_required" || ae.MFAToken == "" {
		return "", false
	}
	return ae.MFAToken, true
}

// PasswordSignIn is a password grant (oauth.passwordGrant) that may answer
// mfa_required. Empty fields are not sent; Realm, Audience and Scope
// default to the session profile's.
type PasswordSignIn struct {
	Username, Password, Realm, Audience, Scope string
}

// PasswordGrant signs in with the password grant. The exchange's error is
// an *api.Error; MFATokenOf says whether it asks for MFA.
func (s *Session) PasswordGrant(ctx context.Context, p PasswordSignIn) *api.Exchange {
	op := api.ByName("oauth.passwordGrant")
	var v api.Values
	for _, f := range [][2]string{{"username", p.Username}, {"password", p.Password}, {"realm", p.Realm}, {"audience", p.Audience}, {"scope", p.Scope}} {
		if f[1] != "" {
			v.Fields = append(v.Fields, api.String(f[0], f[1]))
		}
	}
	if pr := s.Profile; pr != nil {
		for _, f := range api.ProfileFills(op, v.Fields, api.ProfileDefaults{Audience: pr.Audience, Scope: pr.Scope, Realm: pr.Realm}) {
			v.Fields = append(v.Fields, f.Input())
		}
	}
	return s.Client.Do(ctx, op, v)
}

// MFAFlow is one MFA step-up on a session, from an mfa_token. Its methods
// are the steps, each one request (PollOOB excepted), to be called one at a
// time: ListAuthenticators (optional), Challenge, then the verify the
// challenge's Need names. Use it for one sign-in.
type MFAFlow struct {
	Session *Session
	// MFAToken is the mfa_token of the mfa_required answer: a secret.
	MFAToken         string
	SkipIDTokenCheck bool
	// Timeout, when positive, stops the push polling this long after it
	// began (on Now's clock), even before the oob_code expires.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends (then its error); nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnStep, when set, is told each step, on the goroutine that runs it.
	OnStep func(MFAStep)

	challenge *MFAChallenge
	polls     int
}

func (f *MFAFlow) clock() flowClock { return flowClock{now: f.Now, sleep: f.Sleep} }

func (f *MFAFlow) now() time.Time { return f.clock().Now() }

func (f *MFAFlow) step(s MFAStep) {
	if f.OnStep != nil {
		f.OnStep(s)
	}
}

// fail tells the failed step and returns err.
func (f *MFAFlow) fail(ex *api.Exchange, err error) error {
	f.step(MFAStep{Kind: MFAFailed, Challenge: f.challenge, Exchange: ex, Err: err})
	return err
}

// Challenged is the challenge under way, nil before Challenge.
func (f *MFAFlow) Challenged() *MFAChallenge { return f.challenge }

func (f *MFAFlow) token() api.Value { return api.String("mfa_token", f.MFAToken) }

// ListAuthenticators lists the user's active authenticators
// (mfa.listAuthenticators, the mfa_token as the Bearer header), the
// recovery code among them as an authenticator of type recovery-code.
func (f *MFAFlow) ListAuthenticators(ctx context.Context) ([]MFAAuthenticator, error) {
	ex := f.Session.Client.Do(ctx, api.ByName("mfa.listAuthenticators"), api.Values{Fields: []api.Value{f.token()}})
	if ex.Err != nil {
		return nil, f.fail(ex, mfaRefusal(ex.Err, "the list of authenticators"))
	}
	var list []struct {
		ID                string `json:"id"`
		AuthenticatorType string `json:"authenticator_type"`
		OOBChannel        string `json:"oob_channel"`
		Name              string `json:"name"`
		Active            bool   `json:"active"`
	}
	if json.Unmarshal(ex.Response.Body, &list) != nil {
		return nil, f.fail(ex, &MFAError{Code: "answer", Msg: "the list of authenticators is not a JSON array of authenticators"})
	}
	var out []MFAAuthenticator
	for _, a := range list {
		if a.Active && a.ID != "" {
			out = append(out, MFAAuthenticator{ID: a.ID, Type: a.AuthenticatorType, Channel: a.OOBChannel, Name: a.Name, Active: a.Active})
		}
	}
	f.step(MFAStep{Kind: MFAListed, Authenticators: out, Exchange: ex})
	return out, nil
}

// Challenge challenges a (mfa.challenge with its id and type): an otp
// challenge needs the app's code, an oob one with binding_method prompt
// the code sent, one without a binding method (push) an approval. A
// recovery code needs no request: its challenge just asks for the code.
func (f *MFAFlow) Challenge(ctx context.Context, a MFAAuthenticator) (*MFAChallenge, error) {
	if a.IsRecoveryCode() {
		f.challenge = &MFAChallenge{Authenticator: a, Type: MFATypeRecovery, Need: MFANeedRecoveryCode}
		f.step(MFAStep{Kind: MFAChallenged, Challenge: f.challenge})
		return f.challenge, nil
	}
	typ := a.Type
	if typ != MFATypeOTP && typ != MFATypeOOB {
		return nil, f.fail(nil, &MFAError{Code: "authenticator", Msg: fmt.Sprintf("the authenticator %s is of type %q, which cannot be challenged (otp or oob)", Printable(a.ID), Printable(a.Type))})
	}
	v := api.Values{Fields: []api.Value{f.token(), api.String("challenge_type", typ)}}
	if a.ID != "" {
		v.Fields = append(v.Fields, api.String("authenticator_id", a.ID))
	}
	ex := f.Session.Client.Do(ctx, api.ByName("mfa.challenge"), v)
	if ex.Err != nil {
		return nil, f.fail(ex, mfaRefusal(ex.Err, "the challenge"))
	}
	var ans struct {
		ChallengeType string `json:"challenge_type"`
		OOBCode       string `json:"oob_code"`
		BindingMethod string `json:"binding_method"`
	}
	if json.Unmarshal(ex.Response.Body, &ans) != nil || (ans.ChallengeType != MFATypeOTP && ans.ChallengeType != MFATypeOOB) ||
		(ans.ChallengeType == MFATypeOOB && ans.OOBCode == "") {
		return nil, f.fail(ex, &MFAError{Code: "answer", Msg: "the challenge's answer lacks a challenge_type of otp or oob (with its oob_code)"})
	}
	c := &MFAChallenge{Authenticator: a, Type: ans.ChallengeType, OOBCode: ans.OOBCode, BindingMethod: ans.BindingMethod,
		Interval: mfaPushInterval, Expires: f.now().Add(MFAOOBLifetime)}
	switch {
	case c.Type == MFATypeOTP:
		c.Need = MFANeedOTP
	case c.BindingMethod == "":
		c.Need = MFANeedApproval
	default:
		c.Need = MFANeedBindingCode
	}
	f.challenge, f.polls = c, 0
	f.step(MFAStep{Kind: MFAChallenged, Challenge: c, Interval: c.Interval, Remaining: f.remaining(), Exchange: ex})
	return c, nil
}

// VerifyOTP finishes with the authenticator app's code (mfa.verifyOTP). A
// refused code is an *MFAError (invalid_grant); the flow stays where it
// was, so another code can be tried.
func (f *MFAFlow) VerifyOTP(ctx context.Context, code string) (*MFAResult, error) {
	return f.verify(ctx, "mfa.verifyOTP", "the one-time code", api.String("otp", strings.TrimSpace(code)))
}

// VerifyOOB finishes an SMS, email or voice challenge with the code it
// brought (mfa.verifyOOB with the challenge's oob_code and binding_code).
func (f *MFAFlow) VerifyOOB(ctx context.Context, bindingCode string) (*MFAResult, error) {
	if f.challenge == nil || f.challenge.OOBCode == "" {
		return nil, f.fail(nil, &MFAError{Code: "no_challenge", Msg: "there is no oob challenge to verify: challenge an SMS, email or push authenticator first"})
	}
	return f.verify(ctx, "mfa.verifyOOB", "the code", api.String("oob_code", f.challenge.OOBCode), api.String("binding_code", strings.TrimSpace(bindingCode)))
}

// VerifyRecoveryCode finishes with a recovery code
// (mfa.verifyRecoveryCode); the result's RecoveryCode is the new one Auth0
// answers.
func (f *MFAFlow) VerifyRecoveryCode(ctx context.Context, code string) (*MFAResult, error) {
	return f.verify(ctx, "mfa.verifyRecoveryCode", "the recovery code", api.String("recovery_code", strings.TrimSpace(code)))
}

func (f *MFAFlow) verify(ctx context.Context, op, what string, vals ...api.Value) (*MFAResult, error) {
	ex := f.Session.Client.Do(ctx, api.ByName(op), api.Values{Fields: append([]api.Value{f.token()}, vals...)})
	if ex.Err != nil {
		return nil, f.fail(ex, mfaRefusal(ex.Err, what))
	}
	f.step(MFAStep{Kind: MFAVerified, Challenge: f.challenge, Exchange: ex})
	return f.Finish(ctx, ex)
}

// PollOOB waits for the approval of a push challenge: it waits the
// interval, polls (PollOOBOnce), and again, until tokens, a rejection, the
// oob_code's expiry, Timeout or the end of ctx. The error is an *MFAError
// (access_denied, expired_token, timeout), an exchange's *api.Error (the
// network), or ctx's cause.
func (f *MFAFlow) PollOOB(ctx context.Context) (*MFAResult, error) {
	if f.challenge == nil || f.challenge.OOBCode == "" {
		return nil, f.fail(nil, &MFAError{Code: "no_challenge", Msg: "there is no push challenge to wait for: challenge a push authenticator first"})
	}
	var deadline time.Time
	if f.Timeout > 0 {
		deadline = f.now().Add(f.Timeout)
	}
	for wait := f.challenge.Interval; ; {
		if err := f.clock().Sleep(ctx, wait); err != nil {
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			return nil, f.fail(nil, err)
		}
		if err := ctx.Err(); err != nil {
			return nil, f.fail(nil, context.Cause(ctx))
		}
		if !deadline.IsZero() && !f.now().Before(deadline) {
			return nil, f.fail(nil, &MFAError{Code: "timeout", Msg: fmt.Sprintf("the push notification was not approved within %s", f.Timeout)})
		}
		r, next, err := f.PollOOBOnce(ctx)
		if err != nil || next == 0 {
			return r, err
		}
		wait = next
	}
}

// PollOOBOnce polls a push challenge once, now (mfa.verifyOOB with the
// oob_code and no binding_code), for a TUI that waits between polls itself:
// wait > 0 means still pending, poll again after wait (the interval, grown
// by a slow_down); otherwise the result or the error is final, as for
// PollOOB.
func (f *MFAFlow) PollOOBOnce(ctx context.Context) (r *MFAResult, wait time.Duration, err error) {
	c := f.challenge
	if c == nil || c.OOBCode == "" {
		return nil, 0, f.fail(nil, &MFAError{Code: "no_challenge", Msg: "there is no push challenge to wait for: challenge a push authenticator first"})
	}
	if f.now().After(c.Expires.Add(c.Interval)) {
		return nil, 0, f.fail(nil, mfaExpired(nil))
	}
	ex := f.Session.Client.Do(ctx, api.ByName("mfa.verifyOOB"), api.Values{Fields: []api.Value{f.token(), api.String("oob_code", c.OOBCode)}})
	f.polls++
	if ex.Err == nil {
		f.step(MFAStep{Kind: MFAVerified, Challenge: c, Interval: c.Interval, Remaining: f.remaining(), Polls: f.polls, Exchange: ex})
		r, err := f.Finish(ctx, ex)
		return r, 0, err
	}
	var ae *api.Error
	if !errors.As(ex.Err, &ae) || ae.Kind != api.ErrHTTP {
		if ctx.Err() != nil {
			return nil, 0, f.fail(ex, context.Cause(ctx))
		}
		return nil, 0, f.fail(ex, ex.Err)
	}
	switch {
	case ae.Code == "authorization_pending":
		f.step(MFAStep{Kind: MFAPending, Challenge: c, Interval: c.Interval, Remaining: f.remaining(), Polls: f.polls, Exchange: ex})
		return nil, c.Interval, nil
	case ae.Code == "slow_down":
		c.Interval += MFASlowDownStep
		f.step(MFAStep{Kind: MFASlowDown, Challenge: c, Interval: c.Interval, Remaining: f.remaining(), Polls: f.polls, Exchange: ex})
		return nil, c.Interval, nil
	case ae.Code == "access_denied", ae.Code == "invalid_grant" && strings.Contains(strings.ToLower(ae.Description), "rejected"):
		// Auth0 answers a rejected push with invalid_grant "MFA
		// Authorization rejected.".
		return nil, 0, f.fail(ex, &MFAError{Code: "access_denied", Err: ex.Err,
			Msg: "the push notification was rejected on the phone (" + ae.Code + describe(ae) + ")"})
	case ae.Code == "expired_token", ae.Code == "invalid_grant" && strings.Contains(strings.ToLower(ae.Description), "expired"):
		return nil, 0, f.fail(ex, mfaExpired(ex.Err))
	}
	return nil, 0, f.fail(ex, mfaRefusal(ex.Err, "the push approval"))
}

func mfaExpired(err error) *MFAError {
	return &MFAError{Code: "expired_token", Err: err,
		Msg: "the push notification expired before it was approved; challenge the authenticator again for a new one"}
}

func (f *MFAFlow) remaining() time.Duration {
	if f.challenge == nil || f.challenge.Expires.IsZero() {
		return 0
	}
	return f.clock().remaining(f.challenge.Expires)
}

// mfaRefusal turns the tenant's refusal of an MFA request into one
// sentence naming what was refused; other errors (input, network) stay as
// they are.
func mfaRefusal(err error, what string) error {
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Kind != api.ErrHTTP || ae.Code == "" {
		return err
	}
	d := strings.ToLower(ae.Description)
	switch {
	case ae.Code == "invalid_token" || strings.Contains(d, "mfa_token"):
		return &MFAError{Code: "mfa_token", Err: err,
			Msg: "the mfa_token was not accepted (" + ae.Code + describe(ae) + "): it is malformed, already used, past its 10 minutes or not this client's; sign in again for a new one"}
	case ae.Code == "invalid_grant":
		return &MFAError{Code: ae.Code, Err: err, Msg: what + " was not accepted (" + ae.Code + describe(ae) + ")"}
	}
	return &MFAError{Code: ae.Code, Err: err, Msg: what + " was refused (" + ae.Code + describe(ae) + ")"}
}

// Finish makes the result of a token answer: the verifies end with it, and
// a caller whose sign-in answered tokens without asking for MFA may use it
// for those. It reads the new recovery code and checks the id_token as
// `call` does (Session.VerifyOptions), unless SkipIDTokenCheck or the
// profile turns the checks off; an id_token that fails is an *MFAError
// (id_token) with the result.
func (f *MFAFlow) Finish(ctx context.Context, ex *api.Exchange) (*MFAResult, error) {
	g, err := checkGrantIDToken(ctx, f.Session, ex, f.SkipIDTokenCheck, "", f.Now, "the MFA sign-in's tokens")
	r := &MFAResult{GrantResult: *g}
	var body struct {
		RecoveryCode string `json:"recovery_code"`
	}
	if ex.Response != nil && json.Unmarshal(ex.Response.Body, &body) == nil {
		r.RecoveryCode = body.RecoveryCode
	}
	return r, err
}
