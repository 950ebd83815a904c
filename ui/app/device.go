package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
)

// The device authorization flow (RFC 8628) as one small state machine with
// no Bubble Tea and no cobra: DeviceFlow.Start requests the code
// (oauth.deviceAuthorization), DeviceFlow.Poll polls oauth.deviceCodeGrant
// at the server's interval until tokens, a refusal, the expiry or the
// context ends it. Each step is reported through OnStep, so the headless
// `device` command and the TUI show the same ones. The clock and the
// waiting are injected: tests never sleep.

// DeviceStepKind names a step of the device flow.
type DeviceStepKind int

const (
	// DeviceCodeIssued: the code is there (DeviceStep.Code); show it.
	DeviceCodeIssued DeviceStepKind = iota
	// DevicePending: the user has not decided yet (authorization_pending).
	DevicePending
	// DeviceSlowDown: the server asked to poll less often; Interval grew.
	DeviceSlowDown
	// DeviceApproved: tokens came (DeviceStep.Exchange); the id_token, if
	// any, is checked next.
	DeviceApproved
	// DeviceFailed: the flow stopped (DeviceStep.Err).
	DeviceFailed
)

// DeviceCode is what oauth.deviceAuthorization answered.
type DeviceCode struct {
	// DeviceCode is the secret the device polls with: never show it.
	DeviceCode              string
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string
	// Expires is when the code stops being good, on the flow's clock.
	Expires time.Time
	// Interval is the server's polling interval (5 s when it names none).
	Interval time.Duration
}

// DeviceStep is one step, as OnStep gets it.
type DeviceStep struct {
	Kind DeviceStepKind
	Code *DeviceCode
	// Interval is the polling interval now in force.
	Interval time.Duration
	// Remaining is the time left until the code expires (never negative).
	Remaining time.Duration
	// Polls is how many times the grant was polled so far.
	Polls    int
	Exchange *api.Exchange
	Err      error
}

// DeviceResult is a finished device flow (see GrantResult).
type DeviceResult = GrantResult

// DeviceError is why a device flow stopped without tokens (see FlowError).
type DeviceError = FlowError

// DeviceSlowDownStep is what each slow_down adds to the interval (RFC 8628
// §3.5).
const DeviceSlowDownStep = SlowDownStep

const deviceDefaultInterval = 5 * time.Second

// DeviceFlow is one run of the device authorization flow on a session.
type DeviceFlow struct {
	Session                       *Session
	Audience, Scope, Organization string
	SkipIDTokenCheck              bool
	// Timeout, when positive, stops the polling this long after the code
	// was issued (on Now's clock), even before the code expires.
	Timeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends (then its error); nil waits for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnStep, when set, is told each step.
	OnStep func(DeviceStep)
}

func (f *DeviceFlow) clock() flowClock { return flowClock{now: f.Now, sleep: f.Sleep} }

func (f *DeviceFlow) now() time.Time { return f.clock().Now() }

func (f *DeviceFlow) step(s DeviceStep) {
	if f.OnStep != nil {
		f.OnStep(s)
	}
}

// Run is Start then Poll.
func (f *DeviceFlow) Run(ctx context.Context) (*DeviceResult, error) {
	code, err := f.Start(ctx)
	if err != nil {
		return nil, err
	}
	return f.Poll(ctx, code)
}

// Start requests a device code with oauth.deviceAuthorization. Its error
// is the exchange's (an *api.Error or *api.InputError) or a sentence about
// an answer without the fields the flow needs.
func (f *DeviceFlow) Start(ctx context.Context) (*DeviceCode, error) {
	var v api.Values
	for _, p := range [][2]string{{"scope", f.Scope}, {"audience", f.Audience}, {"organization", f.Organization}} {
		if p[1] != "" {
			v.Fields = append(v.Fields, api.String(p[0], p[1]))
		}
	}
	ex := f.Session.Client.Do(ctx, api.ByName("oauth.deviceAuthorization"), v)
	if ex.Err != nil {
		f.step(DeviceStep{Kind: DeviceFailed, Exchange: ex, Err: ex.Err})
		return nil, ex.Err
	}
	var a struct {
		DeviceCode              string      `json:"device_code"`
		UserCode                string      `json:"user_code"`
		VerificationURI         string      `json:"verification_uri"`
		VerificationURIComplete string      `json:"verification_uri_complete"`
		ExpiresIn               json.Number `json:"expires_in"`
		Interval                json.Number `json:"interval"`
	}
	var body []byte
	if ex.Response != nil {
		body = ex.Response.Body
	}
	if err := json.Unmarshal(body, &a); err != nil || a.DeviceCode == "" || a.UserCode == "" || a.VerificationURI == "" {
		err := &DeviceError{Code: "answer", Msg: "the device authorization answer lacks a device_code, user_code or verification_uri"}
		f.step(DeviceStep{Kind: DeviceFailed, Exchange: ex, Err: err})
		return nil, err
	}
	c := &DeviceCode{DeviceCode: a.DeviceCode, UserCode: a.UserCode, VerificationURI: a.VerificationURI,
		VerificationURIComplete: a.VerificationURIComplete, Interval: deviceDefaultInterval}
	if n, err := a.Interval.Int64(); err == nil && n > 0 && n < 3600 {
		c.Interval = time.Duration(n) * time.Second
	}
	expiresIn := 15 * time.Minute
	if n, err := a.ExpiresIn.Int64(); err == nil && n > 0 && n < 365*24*3600 {
		expiresIn = time.Duration(n) * time.Second
	}
	c.Expires = f.now().Add(expiresIn)
	f.step(DeviceStep{Kind: DeviceCodeIssued, Code: c, Interval: c.Interval, Remaining: expiresIn, Exchange: ex})
	return c, nil
}

// Poll waits the interval, polls oauth.deviceCodeGrant, and again, until
// the answer carries tokens (whose id_token is then checked with
// Session.VerifyOptions, unless SkipIDTokenCheck), the user denies
// (access_denied), the code expires (expired_token, or the clock passes
// the expiry by an interval), Timeout passes, or ctx ends. A slow_down adds
// DeviceSlowDownStep to the interval. The error is a *DeviceError, an
// exchange's *api.Error (another refusal, the network), or ctx's cause.
func (f *DeviceFlow) Poll(ctx context.Context, c *DeviceCode) (*DeviceResult, error) {
	g := &grantPoll{
		client: f.Session.Client, op: "oauth.deviceCodeGrant", clock: f.clock(), interval: c.Interval, expires: c.Expires,
		values: api.Values{Fields: []api.Value{api.String("device_code", c.DeviceCode)}},
		timedOut: func() error {
			return &DeviceError{Code: "timeout", Msg: fmt.Sprintf("the device was not approved within %s; the user code %s was not used", f.Timeout, c.UserCode)}
		},
		expired: func(err error) error { return expiredError(c, err) },
		denied: func(ae *api.Error, err error) error {
			return &DeviceError{Code: ae.Code, Err: err, Msg: "the sign-in of the device was denied (access_denied" + describe(ae) + ")"}
		},
		onPoll: func(a pollAnswer, interval time.Duration, polls int, ex *api.Exchange) {
			kind := DevicePending
			if a == pollSlowDown {
				kind = DeviceSlowDown
			}
			f.step(DeviceStep{Kind: kind, Code: c, Interval: interval, Remaining: f.remaining(c), Polls: polls, Exchange: ex})
		},
	}
	if f.Timeout > 0 {
		g.deadline = f.now().Add(f.Timeout)
	}
	ex, interval, polls, err := g.run(ctx)
	if err != nil {
		f.step(DeviceStep{Kind: DeviceFailed, Code: c, Interval: interval, Remaining: f.remaining(c), Polls: polls, Exchange: ex, Err: err})
		return nil, err
	}
	f.step(DeviceStep{Kind: DeviceApproved, Code: c, Interval: interval, Remaining: f.remaining(c), Polls: polls, Exchange: ex})
	return checkGrantIDToken(ctx, f.Session, ex, f.SkipIDTokenCheck, f.Organization, f.Now, "the device's tokens")
}

func describe(ae *api.Error) string {
	if ae.Description == "" {
		return ""
	}
	return ": " + strings.TrimSuffix(ae.Description, ".")
}

func expiredError(c *DeviceCode, err error) *DeviceError {
	return &DeviceError{Code: "expired_token", Err: err,
		Msg: fmt.Sprintf("the user code %s expired before the device was approved; run the flow again for a new one", c.UserCode)}
}

func (f *DeviceFlow) remaining(c *DeviceCode) time.Duration {
	return f.clock().remaining(c.Expires)
}
