package flows

import (
	"context"
	"strings"

	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/x/ansi"
)

// Login is the browser login (authorization code with PKCE) as
// app.LoginFlow runs it: build the /authorize URL (after PAR when asked),
// listen on 127.0.0.1, open the browser (or show the URL to open), wait
// for the callback, exchange the code; the tokens land in the Answer.
func Login(env Env) Flow {
	fields := profileFields(env.Session, app.DefaultLoginScope)
	fields = append(fields,
		Field{Name: "connection", Label: "connection", Help: "The connection to go straight to (skips the login page's choice); empty for none."},
		Field{Name: "prompt", Label: "prompt", Choices: []string{"", "login", "consent", "none"}, Help: "login forces a sign-in, consent asks again, none is silent (fails without a session)."},
		Field{Name: "par", Label: "PAR", Value: "off", Choices: []string{"off", "on"}, Help: "Push the parameters to /oauth/par first (a confidential client); the URL then carries only a request_uri."},
		redirectField(env.Session),
	)
	return Flow{
		Title:   "Browser login (PKCE)",
		Summary: "Sign in in the system's browser with the authorization code flow and PKCE, as a native app does.",
		Fields:  fields,
		Run: func(ctx context.Context, r *Run, v Values) error {
			return runLogin(ctx, r, env, v)
		},
	}
}

// redirectField is the loopback callback to listen on, the profile's
// redirect URI to start with.
func redirectField(s *app.Session) Field {
	f := Field{Name: "redirect_uri", Label: "redirect_uri",
		Help: "The loopback callback to listen on (http://127.0.0.1:PORT/PATH), listed in the application's Allowed Callback URLs; empty for a random port."}
	if s != nil && s.Profile != nil && s.Profile.RedirectURI != "" {
		f.Value, f.Source = s.Profile.RedirectURI, "profile "+s.Profile.Name
	}
	return f
}

func runLogin(ctx context.Context, r *Run, env Env, v Values) error {
	d := &loginDetail{}
	show := func(change func(*loginDetail)) {
		c := *d
		change(&c)
		d = &c
		r.Detail(d)
	}
	values := audienceValues(v["audience"])
	par := v.On("par")
	o := app.LoginOptions{
		Audience: v["audience"], Scope: v["scope"], Organization: v["organization"],
		Connection: v["connection"], Prompt: v["prompt"], PAR: par, RedirectURI: v["redirect_uri"], Now: env.Now,
		AsGiven: true, // the form showed the profile's values: a cleared one means none (a random port for redirect_uri)
		OnStep: func(s app.Step) {
			switch s.Kind {
			case app.StepPushed:
				r.Begin("Build the /authorize URL (PKCE S256, state, nonce)")
			case app.StepAuthorizeURL:
				show(func(c *loginDetail) { c.url = s.URL })
				r.Begin("Listen on 127.0.0.1 for the callback")
			case app.StepListening:
				show(func(c *loginDetail) { c.redirect = s.URL })
			case app.StepCallback:
				r.Begin("Exchange the code for tokens (PKCE verifier)")
			case app.StepExchanged:
				r.Answer("oauth.authorizationCodeGrantWithPKCE", s.Exchange, values)
				r.Begin("Check the id_token (signature, claims, nonce)")
			case app.StepVerified:
				show(func(c *loginDetail) { c.verdict = s.Text })
			}
		},
	}
	if o.Scope == "" {
		o.Scope = app.DefaultLoginScope
	}
	if par {
		r.Begin("Push the parameters to /oauth/par (PAR)")
	} else {
		r.Begin("Build the /authorize URL (PKCE S256, state, nonce)")
	}
	f := env.Session.NewLogin(o)
	defer f.Close()
	u, err := f.Start(ctx)
	if err != nil {
		return err
	}
	r.Begin("Open the browser")
	if env.Open != nil {
		err = env.Open(ctx, u)
	} else {
		err = errNoOpener
	}
	if err != nil {
		r.Warn("No browser opened here: open the URL below yourself")
		show(func(c *loginDetail) { c.noBrowser = app.Printable(err.Error()) })
	}
	r.Begin("Wait for the browser to come back (sign in there)")
	res, err := f.Wait(ctx)
	if res != nil && len(res.Notes) > 0 {
		var notes []string
		for _, n := range res.Notes {
			notes = append(notes, n.String())
		}
		show(func(c *loginDetail) { c.notes = notes })
	}
	show(func(c *loginDetail) { c.over = true })
	return err
}

type noOpener struct{}

func (noOpener) Error() string { return "no browser opener" }

var errNoOpener error = noOpener{}

// loginDetail is the browser login's block: the URL, where the callback is
// awaited, whether the browser opened, the id_token's verdict.
type loginDetail struct {
	url, redirect string
	noBrowser     string
	verdict       string
	notes         []string
	over          bool
}

// Copy is the /authorize URL.
func (d *loginDetail) Copy() (string, string) { return d.url, "authorize URL" }

// BrowserURL is the /authorize URL, to open again.
func (d *loginDetail) BrowserURL() string {
	if d.over {
		return ""
	}
	return d.url
}

// View shows the URL (in full: it is what to open when the browser could
// not be), the listener, and what came of the id_token.
func (d *loginDetail) View(a ViewArgs) string {
	st := a.St
	b := &lines{width: a.Width}
	live := !d.over && a.Live
	if d.noBrowser != "" && live {
		b.add("The browser could not be opened ("+strings.TrimSuffix(d.noBrowser, ".")+"): open this URL in a browser on this machine (y copies it; over SSH, forward the callback's port):", st.Warn.Render)
	}
	switch {
	case d.url != "" && !live:
		b.line(st.Dim.Render(fit.Cut(app.Printable(d.url), a.Width)))
	case d.url != "":
		// In full, cut anywhere: it is what to open by hand.
		for _, l := range strings.Split(ansi.Hardwrap(app.Printable(d.url), a.Width, false), "\n") {
			b.line(st.Dim.Render(l))
		}
	}
	if d.redirect != "" && live {
		b.add("The callback is awaited at "+app.Printable(d.redirect)+".", st.Item.Render)
	}
	if d.verdict != "" {
		b.add(app.Printable(d.verdict), st.Item.Render)
	}
	for _, n := range d.notes {
		b.add(app.Printable(n), st.Hint.Render)
	}
	if d.url != "" && live {
		b.add("y copies the URL · b opens it again", st.Hint.Render)
	}
	return b.String()
}
