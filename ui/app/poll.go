package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
)

// The polling both decoupled flows share: the device flow (RFC 8628) and
// CIBA poll /oauth/token the same way (wait the interval, poll,
// authorization_pending until the user decides, slow_down adds 5 s,
// access_denied and expired_token stop it), so one loop does both and each
// flow names its own steps and sentences.

// FlowError is why a flow stopped without tokens: one sentence, and the
// kind of stop (access_denied, expired_token, timeout, id_token, answer,
// or the server's error code).
type FlowError struct {
	Code string
	Msg  string
	// Err is the exchange's error, when the stop came from an answer.
	Err error
}

func (e *FlowError) Error() string { return e.Msg }
func (e *FlowError) Unwrap() error { return e.Err }

// GrantResult is a finished flow: the exchange that carried the tokens,
// and the verdict on its id_token (nil when none was checked).
type GrantResult struct {
	Exchange *api.Exchange
	IDToken  *jwtview.Report
	// Notes say why discovery failed, worth telling when the id_token
	// then fails.
	Notes []Note
}

// Token is the value of the named token field of the answer ("" if none).
func (r *GrantResult) Token(field string) string {
	if r == nil {
		return ""
	}
	return tokenOf(r.Exchange, field)
}

// tokenOf is the value of the named token field of ex's answer ("" if
// none).
func tokenOf(ex *api.Exchange, field string) string {
	if ex == nil {
		return ""
	}
	for _, t := range ex.Tokens {
		if t.Field == field {
			return t.Value
		}
	}
	return ""
}

// SlowDownStep is what each slow_down adds to the interval (RFC 8628
// §3.5, and CIBA's the same).
const SlowDownStep = 5 * time.Second

// flowClock is a flow's injected time: Now and Sleep, real when nil.
type flowClock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func (c flowClock) Now() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func (c flowClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.sleep != nil {
		return c.sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// pollAnswer is what a poll that did not end the loop answered.
type pollAnswer int

const (
	pollPending pollAnswer = iota
	pollSlowDown
)

// grantPoll is one polling of a grant on /oauth/token.
type grantPoll struct {
	client   *api.Client
	op       string
	values   api.Values
	clock    flowClock
	interval time.Duration
	// expires is when the grant's code or request stops being good;
	// deadline, when not zero, stops the polling before that.
	expires, deadline time.Time
	// The flow's sentences: for the deadline, the expiry (err is the
	// answer's, nil when the clock said so) and a denial.
	timedOut func() error
	expired  func(err error) error
	denied   func(ae *api.Error, err error) error
	// onPoll is told each authorization_pending and slow_down answer, with
	// the interval in force after it and the polls so far.
	onPoll func(a pollAnswer, interval time.Duration, polls int, ex *api.Exchange)
}

// run waits the interval, polls, and again, until the answer carries
// tokens (ex, nil) or the polling stops (the last exchange, if any, and
// why). interval and polls are those in force at the end.
func (g *grantPoll) run(ctx context.Context) (ex *api.Exchange, interval time.Duration, polls int, err error) {
	interval = g.interval
	op := api.ByName(g.op)
	for {
		if err := g.clock.Sleep(ctx, interval); err != nil {
			if ctx.Err() != nil {
				err = context.Cause(ctx)
			}
			return nil, interval, polls, err
		}
		if ctx.Err() != nil {
			return nil, interval, polls, context.Cause(ctx)
		}
		now := g.clock.Now()
		if !g.deadline.IsZero() && !now.Before(g.deadline) {
			return nil, interval, polls, g.timedOut()
		}
		if now.After(g.expires.Add(interval)) {
			return nil, interval, polls, g.expired(nil)
		}
		ex := g.client.Do(ctx, op, g.values)
		polls++
		if ex.Err == nil {
			return ex, interval, polls, nil
		}
		var ae *api.Error
		if !errors.As(ex.Err, &ae) || ae.Kind != api.ErrHTTP {
			if ctx.Err() != nil {
				return ex, interval, polls, context.Cause(ctx)
			}
			return ex, interval, polls, ex.Err
		}
		switch ae.Code {
		case "authorization_pending":
			g.onPoll(pollPending, interval, polls, ex)
		case "slow_down":
			interval += SlowDownStep
			g.onPoll(pollSlowDown, interval, polls, ex)
		case "access_denied":
			return ex, interval, polls, g.denied(ae, ex.Err)
		case "expired_token":
			return ex, interval, polls, g.expired(ex.Err)
		default:
			return ex, interval, polls, ex.Err
		}
	}
}

// remaining is the time left until expires on c (never negative).
func (c flowClock) remaining(expires time.Time) time.Duration {
	if d := expires.Sub(c.Now()); d > 0 {
		return d
	}
	return 0
}

// checkGrantIDToken checks the answer's id_token as `call` does, unless
// skip or the session turns the checks off; what names the tokens in the
// sentence ("the device's tokens"). organization, when set, is the org the
// tokens were asked for.
func checkGrantIDToken(ctx context.Context, s *Session, ex *api.Exchange, skip bool, organization string, now func() time.Time, what string) (*GrantResult, error) {
	r := &GrantResult{Exchange: ex}
	raw := r.Token("id_token")
	if raw == "" || skip || s.SkipIDTokenChecks() {
		return r, nil
	}
	var msg string
	r.IDToken, r.Notes, msg = checkIDToken(ctx, s, raw, organization, now, what)
	if msg != "" {
		return r, &FlowError{Code: "id_token", Msg: msg}
	}
	return r, nil
}

// checkIDToken checks raw, the id_token of a flow's token answer, with
// Session.VerifyOptions (and organization, when the flow asked for one).
// failure is the sentence when it cannot be checked or is not valid, which
// names the tokens as whose ("the device's tokens").
func checkIDToken(ctx context.Context, s *Session, raw, organization string, now func() time.Time, whose string) (rep *jwtview.Report, notes []Note, failure string) {
	o, notes, err := s.VerifyOptions(ctx, "", now)
	if err != nil {
		return nil, nil, "the id_token could not be checked: " + err.Error()
	}
	if organization != "" {
		o.Organization = organization // the org the sign-in was asked for
	}
	rep = jwtview.Verify(ctx, raw, o)
	if !rep.Valid() {
		var names []string
		for _, ch := range rep.Checks {
			switch {
			case ch.Failed() && ch.Detail != "":
				// Why it failed: the organization expected, the
				// expiry...
				names = append(names, ch.Name+": "+ch.Detail)
			case ch.Failed() || ch.Skipped:
				names = append(names, ch.Name)
			}
		}
		what := "is not valid"
		if rep.State == jwtview.StateUnverified {
			what = "could not be verified"
		}
		return rep, notes, fmt.Sprintf("the id_token of %s %s (%s)", whose, what, strings.Join(names, "; "))
	}
	return rep, notes, ""
}
