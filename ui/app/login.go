package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
)

// This file is the browser login (authorization code with PKCE) as a small
// state machine: Start builds the /authorize URL (pushing the parameters
// first with PAR when asked) and starts listening for the callback on
// 127.0.0.1; the caller opens the URL in a browser (or shows it); Wait takes
// the one callback, checks its state, exchanges the code with the verifier
// and checks the id_token with the nonce (and the organization, when one
// was asked for). Each step is told through LoginOptions.OnStep, so the
// command line prints it and the TUI shows it. The requests are the
// catalogue's operations.

// DefaultLoginScope is the scope a login asks for when neither the options
// nor the profile name one.
const DefaultLoginScope = "openid profile email offline_access"

// DefaultLoginTimeout is how long a login waits for the browser's callback.
const DefaultLoginTimeout = 2 * time.Minute

// LoginOptions are what a browser login asks for. Empty fields are not
// sent, except Scope and Audience, which default to the profile's (and
// Scope then to DefaultLoginScope), and Organization and RedirectURI, to
// the profile's.
type LoginOptions struct {
	Audience, Scope, Connection, Organization, Prompt, LoginHint string
	// PAR pushes the parameters to /oauth/par first (a confidential
	// client); the /authorize URL then carries only the request_uri.
	PAR bool
	// RedirectURI is where the browser is sent back: a loopback URL,
	// http://127.0.0.1[:PORT]/PATH (see CheckRedirectURI); without a port
	// one is picked. Empty means the profile's, else
	// http://127.0.0.1:<random>/callback.
	RedirectURI string
	// Timeout bounds the wait for the callback; DefaultLoginTimeout when
	// zero.
	Timeout time.Duration
	// After starts the timeout (time.After when nil; tests inject theirs).
	After func(time.Duration) <-chan time.Time
	// Now is the clock the id_token is checked with (time.Now when nil).
	Now func() time.Time
	// OnStep is told each step as it happens; it is called on the
	// goroutine that runs Start or Wait.
	OnStep func(Step)
	// AsGiven takes Audience, Scope, Organization and RedirectURI as they
	// are: empty means none, not the profile's (a form that showed the
	// profile's values and had them cleared). The scope still defaults to
	// DefaultLoginScope, the redirect URI to a random port.
	AsGiven bool
}

// StepKind names a step of the login.
type StepKind int

const (
	// StepPushed: the parameters were pushed (PAR); Exchange is the request.
	StepPushed StepKind = iota
	// StepAuthorizeURL: the /authorize URL is built (URL).
	StepAuthorizeURL
	// StepListening: the callback listener is up (URL is the redirect URI).
	StepListening
	// StepCallback: the browser came back with a code.
	StepCallback
	// StepExchanged: the code was exchanged for tokens (Exchange).
	StepExchanged
	// StepVerified: the id_token was checked (Report), or skipped.
	StepVerified
)

// Step is one thing that happened, for a person to read (Text) and for a
// view to show.
type Step struct {
	Kind     StepKind
	Text     string
	URL      string
	Exchange *api.Exchange
	Report   *jwtview.Report
}

// LoginResult is what a finished login gives.
type LoginResult struct {
	// Exchange is the code exchange; its body holds the tokens.
	Exchange *api.Exchange
	// Tokens is the token answer's body, as JSON.
	Tokens json.RawMessage
	// IDToken is the id_token's check; nil when there was no id_token or
	// the profile turns the checks off.
	IDToken *jwtview.Report
	// Notes say what the person should know (a discovery document that
	// could not be read, no id_token in the answer).
	Notes []Note
}

// Token is the named token of the answer ("access_token", "id_token",
// "refresh_token"), and whether it is there.
func (r *LoginResult) Token(name string) (string, bool) {
	var m map[string]any
	if r == nil || json.Unmarshal(r.Tokens, &m) != nil {
		return "", false
	}
	s, ok := m[name].(string)
	return s, ok && s != ""
}

// LoginFlow is one browser login. Use it once: Start, open the URL, Wait.
type LoginFlow struct {
	sess *Session
	o    LoginOptions

	verifier, state, nonce string
	redirect               string // the redirect URI sent
	path                   string // its path, which the listener answers
	authorizeURL           string

	ln      net.Listener
	srv     *http.Server
	results chan callback

	mu    sync.Mutex
	done  bool  // the one callback was taken
	ended error // why the one callback ended the login, when it did
}

// callback is what the browser brought back.
type callback struct {
	q   url.Values
	err error
}

// NewLogin makes a login on the session's tenant and client.
func (s *Session) NewLogin(o LoginOptions) *LoginFlow {
	if s.Profile != nil && !o.AsGiven {
		if o.Audience == "" {
			o.Audience = s.Profile.Audience
		}
		if o.Scope == "" {
			o.Scope = s.Profile.Scope
		}
		if o.Organization == "" {
			o.Organization = s.Profile.Organization
		}
		if o.RedirectURI == "" {
			o.RedirectURI = s.Profile.RedirectURI
		}
	}
	if o.Scope == "" {
		o.Scope = DefaultLoginScope
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultLoginTimeout
	}
	if o.After == nil {
		o.After = time.After
	}
	return &LoginFlow{sess: s, o: o, results: make(chan callback, 1)}
}

func (f *LoginFlow) step(s Step) {
	if f.o.OnStep != nil {
		f.o.OnStep(s)
	}
}

// loginErr is an *Error: code 1 refused, 2 the input, 3 network or time.
func loginErr(code int, format string, a ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, a...)}
}

// exchangeErr is the sentence and exit code of a failed exchange.
func exchangeErr(what string, ex *api.Exchange) error {
	return &Error{Code: api.ExitCode(ex.Err), Msg: what + ": " + ex.Err.Error()}
}

// random is n random bytes, base64url without padding.
func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// Challenge is the PKCE S256 challenge of a verifier:
// BASE64URL(SHA256(verifier)).
func Challenge(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// Start picks the verifier, state and nonce, starts the callback listener
// on 127.0.0.1, pushes the parameters when PAR is asked, and returns the
// /authorize URL to open. An error is an *Error; nothing is left running.
func (f *LoginFlow) Start(ctx context.Context) (string, error) {
	if f.ln != nil {
		return "", errors.New("this login was already started")
	}
	if err := f.listen(); err != nil {
		return "", err
	}
	u, err := f.authorize(ctx)
	if err != nil {
		f.Close()
		return "", err
	}
	f.authorizeURL = u
	go func() { _ = f.srv.Serve(f.ln) }()
	f.step(Step{Kind: StepListening, URL: f.redirect, Text: "waiting for the browser to come back to " + f.redirect})
	return u, nil
}

// CheckRedirectURI says why ru cannot be a browser login's redirect URI,
// or nil: it must be a loopback URL, http://127.0.0.1[:PORT]/PATH, as the
// login listens only there. The error is an *Error with code 2. A profile's
// redirect URI is checked with it when saved, as --redirect-uri is when
// the login starts.
func CheckRedirectURI(ru string) error {
	_, _, err := loopbackRedirect(ru)
	return err
}

// loopbackRedirect is the address to listen on and the path to answer for
// the redirect URI ru (a port of 0, or none, picks one).
func loopbackRedirect(ru string) (addr, path string, err error) {
	u, perr := url.Parse(ru)
	if perr != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.User != nil || u.Fragment != "" || !validPort(u.Port()) {
		return "", "", loginErr(2, "the redirect URI %s is not a loopback URL (http://127.0.0.1:PORT/PATH): the login listens only on 127.0.0.1 for the callback", Printable(ru))
	}
	port := u.Port()
	if port == "" {
		port = "0"
	}
	path = u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return net.JoinHostPort("127.0.0.1", port), path, nil
}

// validPort reports whether p is empty or a port number, 0 to 65535.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

// listen opens the listener the redirect URI names.
func (f *LoginFlow) listen() error {
	f.path = "/callback"
	addr := "127.0.0.1:0"
	if ru := f.o.RedirectURI; ru != "" {
		var err error
		if addr, f.path, err = loopbackRedirect(ru); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return loginErr(3, "could not listen on %s for the callback: %v", addr, err)
	}
	f.ln = ln
	f.redirect = "http://" + ln.Addr().String() + f.path
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serveCallback), ReadHeaderTimeout: 10 * time.Second}
	f.srv.SetKeepAlivesEnabled(false)
	return nil
}

// authorize builds the /authorize URL, through PAR when asked.
func (f *LoginFlow) authorize(ctx context.Context) (string, error) {
	f.verifier, f.state, f.nonce = random(32), random(16), random(16)
	params := []api.Value{
		api.String("redirect_uri", f.redirect),
		api.String("scope", f.o.Scope),
		api.String("state", f.state),
		api.String("nonce", f.nonce),
		api.String("code_challenge", Challenge(f.verifier)),
		api.String("code_challenge_method", "S256"),
	}
	for _, p := range [][2]string{{"audience", f.o.Audience}, {"connection", f.o.Connection},
		{"organization", f.o.Organization}, {"prompt", f.o.Prompt}, {"login_hint", f.o.LoginHint}} {
		if p[1] != "" {
			params = append(params, api.String(p[0], p[1]))
		}
	}
	c := f.sess.Client
	if f.o.PAR {
		ex := c.Do(ctx, api.ByName("oauth.pushedAuthorization"), api.Values{Fields: params})
		if ex.Err != nil {
			return "", exchangeErr("pushing the authorization parameters (PAR) failed", ex)
		}
		var m struct {
			RequestURI string `json:"request_uri"`
		}
		if json.Unmarshal(ex.Response.Body, &m) != nil || m.RequestURI == "" {
			return "", loginErr(1, "the PAR answer has no request_uri")
		}
		f.step(Step{Kind: StepPushed, Exchange: ex, Text: "pushed the authorization parameters (PAR): " + m.RequestURI})
		params = []api.Value{api.String("request_uri", m.RequestURI)}
	}
	req, err := c.Build(api.ByName("oauth.buildAuthorizeUrl"), api.Values{Fields: params})
	if err != nil {
		return "", &Error{Code: api.ExitCode(err), Msg: err.Error()}
	}
	f.step(Step{Kind: StepAuthorizeURL, URL: req.URL, Text: "built the /authorize URL (PKCE S256, state, nonce)"})
	return req.URL, nil
}

// The page the browser is left on.
const loginPage = `<!doctype html><html><head><meta charset="utf-8"><title>auth0-explorer</title></head>` +
	`<body style="font-family:sans-serif;margin:3em"><h1>%s</h1><p>%s</p><p>You can close this window.</p></body></html>`

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Connection", "close")
	w.WriteHeader(status)
	fmt.Fprintf(w, loginPage, html.EscapeString(title), html.EscapeString(text))
}

// serveCallback takes the one callback: from 127.0.0.1 only, to the
// redirect URI's host and path, once. A callback with a wrong state is that
// one callback: the login ends refused (as the Auth0 CLI's does) and the
// real one, coming later, is answered 409 and never exchanged. Whoever can
// reach the listener can so make a login fail, never succeed with their
// code; the person sees why and signs in again with a new port and state.
func (f *LoginFlow) serveCallback(w http.ResponseWriter, r *http.Request) {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); ip == nil || !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		http.Error(w, "only connections from 127.0.0.1 are answered", http.StatusForbidden)
		return
	}
	if f.ln != nil && r.Host != f.ln.Addr().String() {
		// Another name for this address (DNS rebinding): not the browser
		// Auth0 sent back.
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet || r.URL.EscapedPath() != f.path {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	cb := callback{q: q, err: f.checkCallback(q)}
	f.mu.Lock()
	first, ended := !f.done, f.ended
	if first {
		f.done, f.ended = true, cb.err
	}
	f.mu.Unlock()
	switch {
	case !first && ended != nil:
		page(w, http.StatusConflict, "This sign-in has ended", "An earlier callback ended it: "+ended.Error()+". This one was ignored; sign in again from auth0-explorer.")
		return
	case !first:
		page(w, http.StatusConflict, "Already signed in", "This login has already received its callback; this one was ignored.")
		return
	}
	if cb.err != nil {
		page(w, http.StatusBadRequest, "Sign-in failed", cb.err.Error())
	} else {
		page(w, http.StatusOK, "Signed in", "auth0-explorer received the authorization code and is exchanging it for tokens.")
	}
	f.results <- cb
}

// checkCallback checks the callback's state, then its error or code.
func (f *LoginFlow) checkCallback(q url.Values) error {
	if q.Get("state") != f.state {
		return loginErr(1, "the callback's state does not match the one sent to /authorize: refused (a forged or stale redirect)")
	}
	if e := q.Get("error"); e != "" {
		if d := q.Get("error_description"); d != "" {
			return loginErr(1, "the sign-in was refused: %s (%s)", Printable(d), Printable(e))
		}
		return loginErr(1, "the sign-in was refused: %s", Printable(e))
	}
	if q.Get("code") == "" {
		return loginErr(1, "the callback carries neither a code nor an error")
	}
	return nil
}

// Wait waits for the callback (until the timeout or ctx ends), then
// exchanges the code and checks the id_token. The listener is stopped when
// it returns. An error is an *Error (a timeout is code 3), or ctx's.
func (f *LoginFlow) Wait(ctx context.Context) (*LoginResult, error) {
	if f.ln == nil {
		return nil, errors.New("this login was not started")
	}
	var cb callback
	select {
	case cb = <-f.results:
	case <-f.o.After(f.o.Timeout):
		f.Close()
		return nil, loginErr(3, "no callback came to %s within %v: the sign-in in the browser was not finished", f.redirect, f.o.Timeout)
	case <-ctx.Done():
		f.Close()
		return nil, ctx.Err()
	}
	f.Close()
	if cb.err != nil {
		return nil, cb.err
	}
	f.step(Step{Kind: StepCallback, Text: "the browser came back with an authorization code"})
	ex := f.sess.Client.Do(ctx, api.ByName("oauth.authorizationCodeGrantWithPKCE"), api.Values{Fields: []api.Value{
		api.String("code", cb.q.Get("code")),
		api.String("code_verifier", f.verifier),
		api.String("redirect_uri", f.redirect),
	}})
	if ex.Err != nil {
		return nil, exchangeErr("exchanging the code failed", ex)
	}
	res := &LoginResult{Exchange: ex, Tokens: json.RawMessage(ex.Response.Body)}
	f.step(Step{Kind: StepExchanged, Exchange: ex, Text: "exchanged the code (with the PKCE verifier) for tokens"})
	idToken, ok := res.Token("id_token")
	switch {
	case !ok:
		res.Notes = append(res.Notes, note("the answer has no id_token (the scope %s has no openid)", Printable(f.o.Scope)))
	case f.sess.SkipIDTokenChecks():
		res.Notes = append(res.Notes, note("the profile turns id_token checks off: the id_token was not verified"))
		f.step(Step{Kind: StepVerified, Text: "id_token not verified (the profile turns the checks off)"})
	default:
		opts, notes, err := f.sess.VerifyOptions(ctx, f.nonce, f.o.Now)
		res.Notes = append(res.Notes, notes...)
		if err != nil {
			return res, &Error{Code: 2, Msg: err.Error()}
		}
		if f.o.Organization != "" || f.o.AsGiven {
			// The organization the sign-in asked for (the option, else the
			// profile's) must be the token's: org_id, or org_name; asked
			// for none as given, none is required.
			opts.Organization = f.o.Organization
		}
		res.IDToken = jwtview.Verify(ctx, idToken, opts)
		f.step(Step{Kind: StepVerified, Report: res.IDToken, Text: "id_token: " + res.IDToken.Summary()})
		if !res.IDToken.Valid() {
			var why []string
			for _, c := range res.IDToken.Failures() {
				why = append(why, c.Name+": "+c.Detail)
			}
			return res, loginErr(1, "the id_token is not valid: %s", strings.Join(why, "; "))
		}
	}
	return res, nil
}

// RedirectURI is the redirect URI the login sends (known after Start).
func (f *LoginFlow) RedirectURI() string { return f.redirect }

// Close stops the listener; Wait calls it. It may be called again.
func (f *LoginFlow) Close() {
	if f.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if f.srv.Shutdown(ctx) != nil {
			_ = f.srv.Close()
		}
	}
	if f.ln != nil {
		_ = f.ln.Close() // Shutdown closes it only once Serve has run
	}
}
