package flows

import (
	"cmp"
	"context"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/app"
)

// DeviceScope is the scope the device login asks for when the profile
// names none (as the `device` command does).
const DeviceScope = "openid profile offline_access"

// profileFields are the audience, scope and organization options, filled
// from the session's profile; scope falls back to defScope.
func profileFields(s *app.Session, defScope string) []Field {
	var aud, scope, org, src string
	if s != nil && s.Profile != nil {
		p := s.Profile
		aud, scope, org, src = p.Audience, p.Scope, p.Organization, "profile "+p.Name
	}
	scopeSrc := src
	if scope == "" {
		scope, scopeSrc = defScope, "default"
	}
	srcIf := func(v string) string {
		if v == "" {
			return ""
		}
		return src
	}
	return []Field{
		{Name: "audience", Label: "audience", Value: aud, Source: srcIf(aud), Help: "The API the access token is for; empty for none (an opaque token for /userinfo)."},
		{Name: "scope", Label: "scope", Value: scope, Source: scopeSrc, Help: "The scopes to ask for; openid brings an id_token, offline_access a refresh token."},
		{Name: "organization", Label: "organization", Value: org, Source: srcIf(org), Help: "The organization (org_… or its name) to sign in to; empty for none."},
	}
}

// Device is the device authorization flow (RFC 8628) as app.DeviceFlow
// runs it: request a code, show it with its URL and QR code, poll at the
// tenant's interval (slower after each slow_down) until approved, denied
// or expired; the tokens land in the Answer.
func Device(env Env) Flow {
	return Flow{
		Title:   "Device login",
		Summary: "Sign in as a TV or a CLI does: a user code, a QR code to scan, polling until approved (RFC 8628).",
		Fields:  profileFields(env.Session, DeviceScope),
		Run: func(ctx context.Context, r *Run, v Values) error {
			return runDevice(ctx, r, env, v)
		},
	}
}

func runDevice(ctx context.Context, r *Run, env Env, v Values) error {
	f := &app.DeviceFlow{Session: env.Session, Audience: v["audience"], Scope: cmp.Or(v["scope"], DeviceScope),
		Organization: v["organization"], Now: env.Now, Sleep: env.Sleep}
	values := audienceValues(v["audience"])
	var d *deviceDetail
	f.OnStep = func(s app.DeviceStep) {
		switch s.Kind {
		case app.DeviceCodeIssued:
			d = newDeviceDetail(s.Code)
			r.Begin("Wait for the approval in a browser")
		case app.DevicePending, app.DeviceSlowDown:
			if d == nil {
				return
			}
			d = d.with(s)
		case app.DeviceApproved:
			d = d.with(s)
			r.Answer("oauth.deviceCodeGrant", s.Exchange, values)
			r.Begin("Check the id_token")
		case app.DeviceFailed:
			if d != nil {
				d = d.with(s)
			}
			if s.Exchange != nil && s.Exchange.Response != nil {
				op := "oauth.deviceCodeGrant"
				if s.Code == nil {
					op = "oauth.deviceAuthorization"
				}
				r.Answer(op, s.Exchange, values)
			}
		}
		if d != nil {
			r.Detail(d)
		}
	}
	r.Begin("Request a device code")
	_, err := f.Run(ctx)
	if err == nil {
		d = d.finished()
		r.Detail(d)
	}
	return err
}

// audienceValues are the values the Answer pane reads: the audience the
// access token is for.
func audienceValues(aud string) api.Values {
	if aud == "" {
		return api.Values{}
	}
	return api.Values{Fields: []api.Value{api.String("audience", aud)}}
}

// deviceDetail is the device flow's block: the user code, the URL, the
// countdown, the polling, and the QR code beside.
type deviceDetail struct {
	code app.DeviceCode
	polling
	qr [2]string
}

func newDeviceDetail(c *app.DeviceCode) *deviceDetail {
	d := &deviceDetail{code: *c, polling: polling{expires: c.Expires, interval: c.Interval}}
	d.code.DeviceCode = "" // the secret stays in the flow
	if u := c.VerificationURIComplete; u != "" {
		// Drawn here, on the flow's goroutine: with the standard quiet
		// zone, and with the 2 modules a small pane has room for.
		d.qr[0], _ = app.QRText(u)
		d.qr[1], _ = app.QRTextBorder(u, 2)
	}
	return d
}

// with is a copy updated with a poll's step.
func (d *deviceDetail) with(s app.DeviceStep) *deviceDetail {
	c := *d
	c.polling = d.polled(s.Interval, s.Polls, s.Kind == app.DeviceSlowDown, s.Kind == app.DeviceApproved || s.Kind == app.DeviceFailed)
	return &c
}

func (d *deviceDetail) finished() *deviceDetail {
	if d == nil {
		return nil
	}
	c := *d
	c.over = true
	return &c
}

// Copy is the user code.
func (d *deviceDetail) Copy() (string, string) { return d.code.UserCode, "user code" }

// BrowserURL is the verification URL with the code filled in.
func (d *deviceDetail) BrowserURL() string {
	if d.over {
		return ""
	}
	return cmp.Or(d.code.VerificationURIComplete, d.code.VerificationURI)
}

// Side is the QR code of the verification URL with the code, when it fits.
func (d *deviceDetail) Side(w, h int, zoomed bool) (string, string) {
	if d.qr[0] == "" || d.over {
		return "", ""
	}
	for _, q := range d.qr {
		q = strings.TrimSuffix(q, "\n")
		lines := strings.Split(q, "\n")
		if len(lines) <= h && len([]rune(lines[0])) <= w {
			return q, ""
		}
	}
	if zoomed {
		return "", "Enlarge the window to see the QR code."
	}
	return "", "Enlarge the window or press z to zoom to see the QR code."
}

// View is the code, the URL, the countdown and the polling.
func (d *deviceDetail) View(a ViewArgs) string {
	st := a.St
	b := &lines{width: a.Width}
	spaced := strings.Join(strings.Split(app.Printable(d.code.UserCode), ""), " ")
	b.line(st.Label.Render("User code  ") + st.Code.Render(" "+spaced+" "))
	b.add("Open "+app.Printable(d.code.VerificationURI)+" and enter the code, or scan the QR code.", st.Item.Render)
	live := !d.over && a.Live
	if live {
		d.countdown(b, st, a.Now, "The code has expired")
	}
	d.status(b, st)
	if live {
		b.add("b opens the URL with the code · y copies the code", st.Hint.Render)
		if a.Sandbox {
			b.add("Sandbox: the outbox (o) holds the approval link; enter on it approves.", st.Hint.Render)
		}
	}
	return b.String()
}
