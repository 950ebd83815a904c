package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"auth0-explorer/api"
)

// Client-initiated backchannel authentication (CIBA) as one small state
// machine, no Bubble Tea and no cobra: CIBAFlow.Start asks the tenant to
// ask the user (backchannel.authorize), CIBAFlow.Poll polls
// backchannel.backchannelGrant at the tenant's interval, with the device
// flow's loop, until the user approves on their own device, denies, the
// request expires, or the context ends. Each step is told through OnStep,
// so the headless `ciba` command and the TUI show the same ones.

// CIBAStepKind names a step of the CIBA flow.
type CIBAStepKind int

const (
	// CIBARequested: the tenant took the request (CIBAStep.Request); show
	// the binding message, which the user sees on their device too.
	CIBARequested CIBAStepKind = iota
	// CIBAPending: the user has not decided yet (authorization_pending).
	CIBAPending
	// CIBASlowDown: the tenant asked to poll less often; Interval grew.
	CIBASlowDown
	// CIBAApproved: tokens came (CIBAStep.Exchange); the id_token, if any,
	// is checked next.
	CIBAApproved
	// CIBAFailed: the flow stopped (CIBAStep.Err): denied, expired, or
	// another refusal.
	CIBAFailed
)

// DefaultCIBAScope is the scope a CIBA request asks for when none is given.
const DefaultCIBAScope = "openid"

const cibaDefaultInterval = 5 * time.Second

// CIBARequest is what backchannel.authorize answered.
type CIBARequest struct {
	// AuthReqID is the request's id, polled with: a secret, never shown.
	AuthReqID string
	// BindingMessage is what the user is shown on both devices.
	BindingMessage string
	// Expires is when the request stops being good, on the flow's clock.
	Expires time.Time
	// Interval is the tenant's polling interval (5 s when it names none).
	Interval time.Duration
}

// CIBAStep is one step, as OnStep gets it.
type CIBAStep struct {
	Kind    CIBAStepKind
	Request *CIBARequest
	// Interval is the polling interval now in force.
	Interval time.Duration
	// Remaining is the time left until the request expires (never
	// negative).
	Remaining time.Duration
	// Polls is how many times the grant was polled so far.
	Polls    int
	Exchange *api.Exchange
	Err      error
}

// CIBAResult is a finished CIBA flow: the tokens and the id_token's
// verdict (see GrantResult).
type CIBAResult = GrantResult

// CIBAError is why a CIBA flow stopped without tokens (see FlowError):
// Code access_denied, expired_token, timeout, answer or id_token.
type CIBAError = FlowError

// CIBAFlow is one CIBA request on a session. UserID (the Auth0 user id,
// auth0|…) or LoginHint (the login_hint JSON as sent) names the user;
// BindingMessage is required.
type CIBAFlow struct {
	Session           *Session
	UserID, LoginHint string
	BindingMessage    string
	Scope, Audience   string
	SkipIDTokenCheck  bool
	// RequestedExpiry, when positive, is sent as requested_expiry (whole
	// seconds; Auth0 takes 1 to 300).
	RequestedExpiry time.Duration
	// Timeout, when positive, stops the polling this long after the
	// request was made (on Now's clock), even before it expires.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends (then its error); nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnStep, when set, is told each step.
	OnStep func(CIBAStep)
}

func (f *CIBAFlow) clock() flowClock { return flowClock{now: f.Now, sleep: f.Sleep} }

func (f *CIBAFlow) step(s CIBAStep) {
	if f.OnStep != nil {
		f.OnStep(s)
	}
}

// Run is Start then Poll.
func (f *CIBAFlow) Run(ctx context.Context) (*CIBAResult, error) {
	r, err := f.Start(ctx)
	if err != nil {
		return nil, err
	}
	return f.Poll(ctx, r)
}

// Start sends backchannel.authorize. Its error is the exchange's (an
// *api.Error, or an *api.InputError for a missing user or binding message)
// or a *CIBAError about an answer without an auth_req_id.
func (f *CIBAFlow) Start(ctx context.Context) (*CIBARequest, error) {
	scope := f.Scope
	if scope == "" {
		scope = DefaultCIBAScope
	}
	var v api.Values
	for _, p := range [][2]string{{"userId", f.UserID}, {"login_hint", f.LoginHint}, {"binding_message", f.BindingMessage},
		{"scope", scope}, {"audience", f.Audience}} {
		if p[1] != "" {
			v.Fields = append(v.Fields, api.String(p[0], p[1]))
		}
	}
	if f.RequestedExpiry > 0 {
		v.Fields = append(v.Fields, api.String("requested_expiry", strconv.FormatInt(int64(f.RequestedExpiry/time.Second), 10)))
	}
	ex := f.Session.Client.Do(ctx, api.ByName("backchannel.authorize"), v)
	if ex.Err != nil {
		f.step(CIBAStep{Kind: CIBAFailed, Exchange: ex, Err: ex.Err})
		return nil, ex.Err
	}
	var a struct {
		AuthReqID string      `json:"auth_req_id"`
		ExpiresIn json.Number `json:"expires_in"`
		Interval  json.Number `json:"interval"`
	}
	var body []byte
	if ex.Response != nil {
		body = ex.Response.Body
	}
	if err := json.Unmarshal(body, &a); err != nil || a.AuthReqID == "" {
		err := &CIBAError{Code: "answer", Msg: "the backchannel authorize answer lacks an auth_req_id"}
		f.step(CIBAStep{Kind: CIBAFailed, Exchange: ex, Err: err})
		return nil, err
	}
	r := &CIBARequest{AuthReqID: a.AuthReqID, BindingMessage: f.BindingMessage, Interval: cibaDefaultInterval}
	if n, err := a.Interval.Int64(); err == nil && n > 0 && n < 3600 {
		r.Interval = time.Duration(n) * time.Second
	}
	expiresIn := 300 * time.Second // Auth0's default requested_expiry
	if n, err := a.ExpiresIn.Int64(); err == nil && n > 0 && n < 365*24*3600 {
		expiresIn = time.Duration(n) * time.Second
	}
	r.Expires = f.clock().Now().Add(expiresIn)
	f.step(CIBAStep{Kind: CIBARequested, Request: r, Interval: r.Interval, Remaining: expiresIn, Exchange: ex})
	return r, nil
}

// Poll waits the interval, polls backchannel.backchannelGrant, and again,
// until the answer carries tokens (whose id_token is then checked with
// Session.VerifyOptions, unless SkipIDTokenCheck), the user denies
// (access_denied), the request expires (expired_token, or the clock passes
// the expiry by an interval), Timeout passes, or ctx ends. A slow_down adds
// SlowDownStep to the interval. The error is a *CIBAError, an exchange's
// *api.Error (another refusal, the network), or ctx's cause.
func (f *CIBAFlow) Poll(ctx context.Context, r *CIBARequest) (*CIBAResult, error) {
	c := f.clock()
	g := &grantPoll{
		client: f.Session.Client, op: "backchannel.backchannelGrant", clock: c, interval: r.Interval, expires: r.Expires,
		values: api.Values{Fields: []api.Value{api.String("auth_req_id", r.AuthReqID)}},
		timedOut: func() error {
			return &CIBAError{Code: "timeout", Msg: fmt.Sprintf("the user did not decide within %s", f.Timeout)}
		},
		expired: func(err error) error {
			return &CIBAError{Code: "expired_token", Err: err, Msg: "the request expired before the user approved it; start it again"}
		},
		denied: func(ae *api.Error, err error) error {
			return &CIBAError{Code: ae.Code, Err: err, Msg: "the user denied the request (access_denied" + describe(ae) + ")"}
		},
		onPoll: func(a pollAnswer, interval time.Duration, polls int, ex *api.Exchange) {
			kind := CIBAPending
			if a == pollSlowDown {
				kind = CIBASlowDown
			}
			f.step(CIBAStep{Kind: kind, Request: r, Interval: interval, Remaining: c.remaining(r.Expires), Polls: polls, Exchange: ex})
		},
	}
	if f.Timeout > 0 {
		g.deadline = c.Now().Add(f.Timeout)
	}
	ex, interval, polls, err := g.run(ctx)
	if err != nil {
		f.step(CIBAStep{Kind: CIBAFailed, Request: r, Interval: interval, Remaining: c.remaining(r.Expires), Polls: polls, Exchange: ex, Err: err})
		return nil, err
	}
	f.step(CIBAStep{Kind: CIBAApproved, Request: r, Interval: interval, Remaining: c.remaining(r.Expires), Polls: polls, Exchange: ex})
	return checkGrantIDToken(ctx, f.Session, ex, f.SkipIDTokenCheck, "", f.Now, "the CIBA tokens")
}
