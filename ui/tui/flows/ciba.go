package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"auth0-explorer/ui/app"
)

// CIBABindingMessage is the binding message the CIBA flow starts with.
const CIBABindingMessage = "Sign in to auth0-explorer"

// CIBA is client-initiated backchannel authentication as app.CIBAFlow
// runs it: ask the tenant to ask a user on their own device, show the
// binding message they see there, poll at the tenant's interval (slower
// after each slow_down) until they approve, deny, or the request expires;
// the tokens land in the Answer.
func CIBA(env Env) Flow {
	user := Field{Name: "user", Label: "user id", Help: "The Auth0 user id of the user to ask (auth0|…); sent as the login_hint iss_sub JSON."}
	if s := env.Session; s.IsSandbox() {
		if user.Value = s.Sandbox.SeedUserID(); user.Value != "" {
			user.Source = "sandbox: jane"
			user.Help = "The Auth0 user id of the user to ask: the sandbox's jane@example.com; sent as the login_hint iss_sub JSON."
		}
	}
	fields := []Field{user,
		{Name: "login_hint", Label: "login_hint", Help: "In place of the user id: the login_hint JSON as sent (another issuer, a custom domain)."},
		{Name: "binding", Label: "binding message", Value: CIBABindingMessage, Help: "The short message the user sees on both devices, to match them."},
	}
	for _, f := range profileFields(env.Session, app.DefaultCIBAScope) {
		if f.Name != "organization" { // CIBA takes none
			if f.Name == "scope" {
				f.Help = "The scopes to ask for; must include openid (offline_access brings a refresh token)."
			}
			fields = append(fields, f)
		}
	}
	fields = append(fields, Field{Name: "expiry", Label: "requested expiry",
		Help: "How long the request may wait for the user, in seconds (1 to 300) or as 2m; empty for the tenant's (300 s)."})
	return Flow{
		Title:   "Backchannel (CIBA)",
		Summary: "Ask a user to approve a sign-in on their own device, showing a binding message; poll until approved, denied or expired.",
		Fields:  fields,
		Run: func(ctx context.Context, r *Run, v Values) error {
			return runCIBA(ctx, r, env, v)
		},
	}
}

// parseExpiry reads the requested expiry: whole seconds, or a duration.
func parseExpiry(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if n, aerr := strconv.Atoi(s); aerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d < time.Second || d > 300*time.Second || d%time.Second != 0 {
		return 0, fmt.Errorf("the requested expiry must be whole seconds from 1 to 300 (or a duration such as 2m), not %q", s)
	}
	return d, nil
}

func runCIBA(ctx context.Context, r *Run, env Env, v Values) error {
	r.Begin("Ask the tenant to ask the user (backchannel authorize)")
	switch {
	case v["user"] == "" && v["login_hint"] == "":
		return errors.New("name the user to ask: a user id (auth0|…) or a login_hint")
	case v["user"] != "" && v["login_hint"] != "":
		return errors.New("give a user id or a login_hint, not both")
	case v["binding"] == "":
		return errors.New("the binding message is required: the short message the user sees on both devices")
	}
	expiry, err := parseExpiry(v["expiry"])
	if err != nil {
		return err
	}
	f := &app.CIBAFlow{Session: env.Session, UserID: v["user"], LoginHint: v["login_hint"], BindingMessage: v["binding"],
		Scope: v["scope"], Audience: v["audience"], RequestedExpiry: expiry, Now: env.Now, Sleep: env.Sleep}
	values := audienceValues(v["audience"])
	var d *cibaDetail
	f.OnStep = func(s app.CIBAStep) {
		switch s.Kind {
		case app.CIBARequested:
			r.Record("backchannel.authorize", s.Exchange, values)
			d = newCIBADetail(s.Request, s.Interval)
			r.Begin("Wait for the user to approve on their device")
		case app.CIBAPending, app.CIBASlowDown:
			if d == nil {
				return
			}
			d = d.with(s)
		case app.CIBAApproved:
			d = d.with(s)
			r.Answer("backchannel.backchannelGrant", s.Exchange, values)
			r.Begin("Check the id_token")
		case app.CIBAFailed:
			if d != nil {
				d = d.with(s)
			}
			if s.Exchange != nil && s.Exchange.Response != nil {
				op := "backchannel.backchannelGrant"
				if d == nil {
					op = "backchannel.authorize"
				}
				r.Record(op, s.Exchange, values)
			}
		}
		if d != nil {
			r.Detail(d)
		}
	}
	if _, err := f.Run(ctx); err != nil {
		return err
	}
	if d != nil {
		c := *d
		c.over = true
		r.Detail(&c)
	}
	return nil
}

// cibaDetail is the CIBA flow's block: the binding message, the
// countdown, the polling.
type cibaDetail struct {
	req app.CIBARequest
	polling
}

func newCIBADetail(req *app.CIBARequest, interval time.Duration) *cibaDetail {
	d := &cibaDetail{req: *req, polling: polling{expires: req.Expires, interval: interval}}
	d.req.AuthReqID = "" // the secret stays in the flow
	return d
}

// with is a copy updated with a poll's step.
func (d *cibaDetail) with(s app.CIBAStep) *cibaDetail {
	c := *d
	c.polling = d.polled(s.Interval, s.Polls, s.Kind == app.CIBASlowDown, s.Kind == app.CIBAApproved || s.Kind == app.CIBAFailed)
	return &c
}

// Copy is the binding message.
func (d *cibaDetail) Copy() (string, string) { return d.req.BindingMessage, "binding message" }

// View is the binding message, big, then the countdown and the polling.
func (d *cibaDetail) View(a ViewArgs) string {
	st := a.St
	b := &lines{width: a.Width}
	b.line(st.Label.Render("Binding message"))
	// Big and bold: on a block of its own, padded, as the user sees it.
	msg := app.Printable(d.req.BindingMessage)
	for _, l := range wrap(msg, max(1, a.Width-4)) {
		b.line("  " + st.Code.Bold(true).Render(" "+l+" "))
	}
	live := !d.over && a.Live
	if live {
		b.add("The user sees this on their device; it must match there before they approve.", st.Item.Render)
		d.countdown(b, st, a.Now, "The request has expired")
	}
	d.status(b, st)
	if live && a.Sandbox {
		b.add("Sandbox: the outbox (o) holds the approval: enter on it approves, x denies.", st.Hint.Render)
	}
	return b.String()
}
