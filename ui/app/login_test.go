package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
)

func loginNow() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }

// loginSandbox opens a session on a fresh sandbox's confidential client,
// with a fixed clock.
func loginSandbox(t *testing.T) *Session {
	t.Helper()
	s, err := OpenSandbox(sandbox.Options{Seed: 13, Now: loginNow}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// never is an After whose timeout does not come.
func never(time.Duration) <-chan time.Time { return nil }

// browse plays the browser: it follows the redirects from url to the
// callback listener and returns the last answer's status and page.
func browse(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("the browser: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func startLogin(t *testing.T, s *Session, o LoginOptions) (*LoginFlow, string, *[]Step) {
	t.Helper()
	var steps []Step
	o.OnStep = func(st Step) { steps = append(steps, st) }
	if o.After == nil {
		o.After = never
	}
	if o.Now == nil {
		o.Now = loginNow
	}
	f := s.NewLogin(o)
	t.Cleanup(f.Close)
	u, err := f.Start(context.Background())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return f, u, &steps
}

func errCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return -1
}

// TestLoginEndToEnd: the /authorize URL carries an S256 challenge, state
// and nonce; the browser lands on the loopback listener with the code; the
// code is exchanged with the verifier; the id_token is valid with the nonce;
// the page says the window can be closed; each step was told.
func TestLoginEndToEnd(t *testing.T) {
	s := loginSandbox(t)
	s.Sandbox.AddAPI(sandbox.API{Identifier: "https://api.example.com/", Name: "API"})
	f, u, steps := startLogin(t, s, LoginOptions{Audience: "https://api.example.com/"})
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := pu.Query()
	if q.Get("code_challenge") != Challenge(f.verifier) || q.Get("code_challenge_method") != "S256" ||
		q.Get("state") == "" || q.Get("nonce") == "" || q.Get("scope") != DefaultLoginScope ||
		q.Get("audience") != "https://api.example.com/" || q.Get("response_type") != "code" || q.Get("redirect_uri") != f.RedirectURI() {
		t.Fatalf("authorize URL: %s", u)
	}
	if !strings.HasPrefix(f.RedirectURI(), "http://127.0.0.1:") || !strings.HasSuffix(f.RedirectURI(), "/callback") {
		t.Errorf("redirect URI %s", f.RedirectURI())
	}
	status, body := browse(t, u)
	if status != http.StatusOK || !strings.Contains(body, "You can close this window") {
		t.Errorf("the browser got %d %q", status, body)
	}
	res, err := f.Wait(context.Background())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	for _, name := range []string{"access_token", "id_token", "refresh_token"} {
		if _, ok := res.Token(name); !ok {
			t.Errorf("no %s in %s", name, res.Tokens)
		}
	}
	if !res.IDToken.Valid() {
		t.Fatalf("id_token: %s %v", res.IDToken.Summary(), res.IDToken.Failures())
	}
	var nonceChecked bool
	for _, c := range res.IDToken.Checks {
		nonceChecked = nonceChecked || (c.Name == "nonce" && c.OK && !c.Skipped)
	}
	if !nonceChecked {
		t.Errorf("the nonce was not checked: %+v", res.IDToken.Checks)
	}
	var kinds []StepKind
	for _, st := range *steps {
		kinds = append(kinds, st.Kind)
	}
	want := []StepKind{StepAuthorizeURL, StepListening, StepCallback, StepExchanged, StepVerified}
	if len(kinds) != len(want) {
		t.Fatalf("steps %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("steps %v, want %v", kinds, want)
		}
	}
	// The listener is gone.
	if c, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(f.RedirectURI(), "/callback"), "http://")); err == nil {
		c.Close()
		t.Error("the listener still accepts connections after the callback")
	}
}

// TestLoginPublicClient: a public client (no secret) exchanges the code
// with the verifier alone.
func TestLoginPublicClient(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 14, Now: loginNow})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, err := Open(Tenant{Domain: srv.BaseURL, ClientID: srv.Public.ID}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, u, _ := startLogin(t, s, LoginOptions{Scope: "openid"})
	browse(t, u)
	res, err := f.Wait(context.Background())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if !res.IDToken.Valid() || strings.Contains(string(res.Exchange.Request.Body), "client_secret") {
		t.Errorf("public client: %s, body %s", res.IDToken.Summary(), res.Exchange.Request.Body)
	}
}

// TestLoginPAR: with PAR the /authorize URL carries only the client id and
// the request_uri; the login still ends with a valid id_token.
func TestLoginPAR(t *testing.T) {
	s := loginSandbox(t)
	f, u, steps := startLogin(t, s, LoginOptions{PAR: true})
	pu, _ := url.Parse(u)
	if q := pu.Query(); q.Get("request_uri") == "" || q.Get("state") != "" || q.Get("code_challenge") != "" {
		t.Fatalf("PAR authorize URL: %s", u)
	}
	if (*steps)[0].Kind != StepPushed {
		t.Errorf("first step %v, want StepPushed", (*steps)[0].Kind)
	}
	browse(t, u)
	res, err := f.Wait(context.Background())
	if err != nil || !res.IDToken.Valid() {
		t.Fatalf("PAR login: %v", err)
	}
}

// TestLoginWrongState: a callback whose state is not the one sent is
// refused, nothing is exchanged, and the browser is told.
func TestLoginWrongState(t *testing.T) {
	s := loginSandbox(t)
	f, _, steps := startLogin(t, s, LoginOptions{})
	status, body := browse(t, f.RedirectURI()+"?code=abc&state=forged")
	if status != http.StatusBadRequest || !strings.Contains(body, "state") {
		t.Errorf("the browser got %d %q", status, body)
	}
	_, err := f.Wait(context.Background())
	if err == nil || errCode(err) != 1 || !strings.Contains(err.Error(), "state does not match") {
		t.Fatalf("Wait: %v (code %d)", err, errCode(err))
	}
	for _, st := range *steps {
		if st.Kind == StepExchanged {
			t.Error("the code was exchanged despite the wrong state")
		}
	}
}

// TestLoginWrongStateStops: a callback with a wrong state ends the login,
// as the Auth0 CLI's does: the real callback that comes after it is
// refused (409) and its code never exchanged, and Wait says the state did
// not match. Whoever can reach the listener can so make a login fail, not
// succeed: the person sees why and signs in again (new port, new state).
func TestLoginWrongStateStops(t *testing.T) {
	s := loginSandbox(t)
	f, u, steps := startLogin(t, s, LoginOptions{})
	if status, _ := browse(t, f.RedirectURI()+"?code=forged&state=forged"); status != http.StatusBadRequest {
		t.Fatalf("forged callback: %d", status)
	}
	// Its page says the sign-in ended and why, not that it succeeded.
	if status, body := browse(t, u); status != http.StatusConflict || !strings.Contains(body, "This sign-in has ended") ||
		!strings.Contains(body, "state does not match") || strings.Contains(body, "Already signed in") {
		t.Errorf("the real callback after a forged one: %d %q", status, body)
	}
	_, err := f.Wait(context.Background())
	if errCode(err) != 1 || !strings.Contains(err.Error(), "state does not match") {
		t.Fatalf("Wait: %v", err)
	}
	for _, st := range *steps {
		if st.Kind == StepCallback || st.Kind == StepExchanged {
			t.Errorf("step %v after a wrong state", st.Kind)
		}
	}
}

// TestLoginErrorRedirect: an error redirect (an unknown connection) is one
// sentence with the description and the code.
func TestLoginErrorRedirect(t *testing.T) {
	s := loginSandbox(t)
	f, u, _ := startLogin(t, s, LoginOptions{Connection: "no-such-connection"})
	if status, _ := browse(t, u); status != http.StatusBadRequest {
		t.Errorf("the browser got %d", status)
	}
	_, err := f.Wait(context.Background())
	if err == nil || errCode(err) != 1 || err.Error() != "the sign-in was refused: the connection was not found (invalid_request)" {
		t.Fatalf("Wait: %v", err)
	}
}

// TestLoginOneCallback: a second callback is refused with 409; only the
// first counts.
func TestLoginOneCallback(t *testing.T) {
	s := loginSandbox(t)
	f, u, _ := startLogin(t, s, LoginOptions{})
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	// Two callbacks before the flow reads either: the listener answers
	// both, the second refused.
	if status, _ := browse(t, callback); status != http.StatusOK {
		t.Fatalf("first callback: %d", status)
	}
	if status, body := browse(t, callback); status != http.StatusConflict || !strings.Contains(body, "Already signed in") {
		t.Errorf("second callback: %d %q", status, body)
	}
	if _, err := f.Wait(context.Background()); err != nil {
		t.Fatalf("Wait: %v", err)
	}
}

// TestLoginOnlyLoopback: the listener is bound to 127.0.0.1, and its
// handler refuses a connection from anywhere else without taking it as
// the callback.
func TestLoginOnlyLoopback(t *testing.T) {
	s := loginSandbox(t)
	f, u, _ := startLogin(t, s, LoginOptions{})
	if host, _, _ := net.SplitHostPort(f.ln.Addr().String()); host != "127.0.0.1" {
		t.Fatalf("listening on %s", f.ln.Addr())
	}
	r := httptest.NewRequest("GET", f.RedirectURI()+"?code=x&state="+f.state, nil)
	r.RemoteAddr = "192.0.2.7:40000"
	w := httptest.NewRecorder()
	f.serveCallback(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("a callback from 192.0.2.7: %d, want 403", w.Code)
	}
	// Another host name for the address (DNS rebinding) is refused too.
	r = httptest.NewRequest("GET", f.RedirectURI()+"?code=x&state="+f.state, nil)
	r.RemoteAddr, r.Host = "127.0.0.1:40000", "evil.example:80"
	w = httptest.NewRecorder()
	f.serveCallback(w, r)
	if w.Code != http.StatusMisdirectedRequest {
		t.Errorf("a callback for another host: %d, want 421", w.Code)
	}
	// Nothing but 127.0.0.1 is listened on: not ::1, not this machine's
	// other addresses (when it has any).
	_, port, _ := net.SplitHostPort(f.ln.Addr().String())
	others := []string{"::1"}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				others = append(others, n.IP.String())
			}
		}
	}
	t.Logf("addresses tried besides 127.0.0.1: %v", others)
	for _, ip := range others {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(ip, port), 2*time.Second); err == nil {
			c.Close()
			t.Errorf("the listener accepts a connection on %s", ip)
		}
	}
	// The real browser still gets through.
	browse(t, u)
	if res, err := f.Wait(context.Background()); err != nil || !res.IDToken.Valid() {
		t.Fatalf("Wait: %v", err)
	}
}

// TestLoginTimeout: with no callback the wait ends at the timeout (code 3)
// and the listener stops.
func TestLoginTimeout(t *testing.T) {
	s := loginSandbox(t)
	fire := make(chan time.Time, 1)
	var asked time.Duration
	f, _, _ := startLogin(t, s, LoginOptions{Timeout: 90 * time.Second, After: func(d time.Duration) <-chan time.Time {
		asked = d
		fire <- loginNow()
		return fire
	}})
	_, err := f.Wait(context.Background())
	if err == nil || errCode(err) != 3 || !strings.Contains(err.Error(), "within 1m30s") || asked != 90*time.Second {
		t.Fatalf("Wait: %v (code %d, timeout %v)", err, errCode(err), asked)
	}
	if c, err := net.Dial("tcp", f.ln.Addr().String()); err == nil {
		c.Close()
		t.Error("the listener still accepts connections after the timeout")
	}
}

// TestLoginRedirectURI: a loopback redirect URI is listened on (its path);
// one that is not loopback is refused before anything starts.
func TestLoginRedirectURI(t *testing.T) {
	s := loginSandbox(t)
	f, u, _ := startLogin(t, s, LoginOptions{RedirectURI: "http://127.0.0.1/callback"})
	if !strings.HasSuffix(f.RedirectURI(), "/callback") || strings.HasSuffix(f.RedirectURI(), ":0/callback") {
		t.Errorf("redirect URI %s", f.RedirectURI())
	}
	browse(t, u)
	if _, err := f.Wait(context.Background()); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	for _, bad := range []string{"https://app.example.com/cb", "http://localhost:3000/callback", "http://0.0.0.0:3000/cb", "::"} {
		g := s.NewLogin(LoginOptions{RedirectURI: bad})
		if _, err := g.Start(context.Background()); errCode(err) != 2 {
			t.Errorf("%s: %v, want a usage error", bad, err)
		}
	}
}

// TestLoginInvalidIDToken: an id_token that fails a check (here: the
// clock is a day later, so it expired) fails the login with code 1, the
// tokens still given.
func TestLoginInvalidIDToken(t *testing.T) {
	s := loginSandbox(t)
	f, u, _ := startLogin(t, s, LoginOptions{Now: func() time.Time { return loginNow().Add(24 * time.Hour) }})
	browse(t, u)
	res, err := f.Wait(context.Background())
	if errCode(err) != 1 || !strings.Contains(err.Error(), "id_token is not valid") || res == nil || res.IDToken.Valid() {
		t.Fatalf("Wait: %v", err)
	}
	var m map[string]any
	if json.Unmarshal(res.Tokens, &m) != nil || m["access_token"] == nil {
		t.Errorf("tokens %s", res.Tokens)
	}
}

// TestLoginPromptNone: prompt=none with no session at the tenant comes
// back as the error redirect login_required: one sentence, code 1, nothing
// exchanged.
func TestLoginPromptNone(t *testing.T) {
	s := loginSandbox(t)
	f, u, steps := startLogin(t, s, LoginOptions{Prompt: "none"})
	if pu, _ := url.Parse(u); pu.Query().Get("prompt") != "none" {
		t.Fatalf("authorize URL: %s", u)
	}
	if status, _ := browse(t, u); status != http.StatusBadRequest {
		t.Errorf("the browser got %d", status)
	}
	_, err := f.Wait(context.Background())
	if errCode(err) != 1 || err.Error() != "the sign-in was refused: Login required (login_required)" {
		t.Fatalf("Wait: %v (code %d)", err, errCode(err))
	}
	for _, st := range *steps {
		if st.Kind == StepExchanged {
			t.Error("something was exchanged")
		}
	}
}

// tampered is the /authorize URL u with its organization replaced (removed
// when org is empty), as a browser that was handed another sign-in would
// bring back a code for it.
func tampered(t *testing.T, u, org string) string {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := pu.Query()
	if org == "" {
		q.Del("organization")
	} else {
		q.Set("organization", org)
	}
	pu.RawQuery = q.Encode()
	return pu.String()
}

// TestLoginOrganization: with an organization (the option, or the
// profile's), the id_token must carry it: org_id for an org_ id, org_name
// (any case) for a name. A token for no organization, or for another,
// fails the login with a sentence naming the one expected.
func TestLoginOrganization(t *testing.T) {
	for _, c := range []struct{ org, claim string }{
		{sandbox.SeedOrganizationID, "org_id"},
		{"ACME", "org_name"},
	} {
		s := loginSandbox(t)
		f, u, _ := startLogin(t, s, LoginOptions{Organization: c.org})
		if pu, _ := url.Parse(u); pu.Query().Get("organization") != c.org {
			t.Fatalf("authorize URL: %s", u)
		}
		browse(t, u)
		res, err := f.Wait(context.Background())
		if err != nil || !res.IDToken.Valid() {
			t.Fatalf("organization %s: %v", c.org, err)
		}
		var checked bool
		for _, ch := range res.IDToken.Checks {
			checked = checked || (ch.Name == c.claim && ch.OK && !ch.Skipped)
		}
		if !checked {
			t.Errorf("organization %s: %s was not checked: %+v", c.org, c.claim, res.IDToken.Checks)
		}
	}

	for _, c := range []struct {
		org, sent, want string
	}{
		{sandbox.SeedOrganizationID, "", `the id_token is not valid: org_id: organization "org_sbxAcme0000001" was expected and the token has no org_id`},
		{sandbox.SeedOrganizationID, "org_beta0000000001", `the id_token is not valid: org_id: organization "org_beta0000000001", expected "org_sbxAcme0000001"`},
		{"acme", "beta", `the id_token is not valid: org_name: organization "beta", expected "acme"`},
	} {
		s := loginSandbox(t)
		s.Sandbox.AddOrganization(sandbox.Organization{ID: "org_beta0000000001", Name: "beta"})
		f, u, _ := startLogin(t, s, LoginOptions{Organization: c.org})
		browse(t, tampered(t, u, c.sent))
		res, err := f.Wait(context.Background())
		if errCode(err) != 1 || err.Error() != c.want || res == nil || res.IDToken.Valid() {
			t.Errorf("expected %s, token for %q: %v", c.org, c.sent, err)
		}
	}

	// The profile's organization is the default.
	s := loginSandbox(t)
	s.Profile = &config.Profile{Name: "p", Organization: sandbox.SeedOrganizationID}
	f, u, _ := startLogin(t, s, LoginOptions{})
	if pu, _ := url.Parse(u); pu.Query().Get("organization") != sandbox.SeedOrganizationID {
		t.Fatalf("authorize URL: %s", u)
	}
	browse(t, tampered(t, u, ""))
	if _, err := f.Wait(context.Background()); errCode(err) != 1 || !strings.Contains(err.Error(), `organization "org_sbxAcme0000001" was expected`) {
		t.Errorf("the profile's organization: %v", err)
	}
	// AsGiven (a form that showed the profile's values, then cleared):
	// empty is none, neither sent nor required.
	s = loginSandbox(t)
	s.Profile = &config.Profile{Name: "p", Organization: sandbox.SeedOrganizationID, Audience: "https://api.example.com/"}
	f, u, _ = startLogin(t, s, LoginOptions{AsGiven: true})
	if q := mustQuery(t, u); q.Get("organization") != "" || q.Get("audience") != "" {
		t.Fatalf("a cleared organization or audience was still sent: %s", u)
	}
	browse(t, u)
	if _, err := f.Wait(context.Background()); err != nil {
		t.Errorf("no organization asked for, as given: %v", err)
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return pu.Query()
}

// TestLoginProfileRedirectURI: without LoginOptions.RedirectURI the login
// listens on the profile's redirect URI and sends it; a tenant allowing
// exactly that callback brings the browser back to it. The option wins
// over the profile's; AsGiven with none listens on a random port.
func TestLoginProfileRedirectURI(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 15, Now: loginNow})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	ru := "http://" + free() + "/cb"
	srv.AddClient(sandbox.Client{ID: "exact-callback-client", Secret: "exact-callback-secret-0123456789", Callbacks: []string{ru}})
	s, err := Open(Tenant{Domain: srv.BaseURL, ClientID: "exact-callback-client", ClientSecret: "exact-callback-secret-0123456789",
		Profile: &config.Profile{Name: "fixed", RedirectURI: ru}}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, u, _ := startLogin(t, s, LoginOptions{})
	if f.RedirectURI() != ru {
		t.Fatalf("listening at %s, want the profile's %s", f.RedirectURI(), ru)
	}
	if pu, _ := url.Parse(u); pu.Query().Get("redirect_uri") != ru {
		t.Fatalf("authorize URL: %s", u)
	}
	if status, body := browse(t, u); status != http.StatusOK {
		t.Fatalf("the browser got %d %q", status, body)
	}
	if res, err := f.Wait(context.Background()); err != nil || !res.IDToken.Valid() {
		t.Fatalf("Wait: %v", err)
	}

	other := "http://" + free() + "/elsewhere"
	g, _, _ := startLogin(t, s, LoginOptions{RedirectURI: other})
	if g.RedirectURI() != other {
		t.Errorf("with the option: listening at %s, want %s", g.RedirectURI(), other)
	}
	g.Close()
	h, _, _ := startLogin(t, s, LoginOptions{AsGiven: true})
	if h.RedirectURI() == ru || !strings.HasSuffix(h.RedirectURI(), "/callback") {
		t.Errorf("as given with none: listening at %s", h.RedirectURI())
	}
}
