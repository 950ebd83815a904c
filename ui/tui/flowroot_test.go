package tui

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/browser"
	"auth0-explorer/ui/tui/clipboard"

	tea "github.com/charmbracelet/bubbletea"
)

// testClock is a clock the tests move: the sandbox, the UI and the flow
// read it, and the flow's waits move it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// gatedSleep is a flow's wait between polls that returns only when the
// test lets it (one poll per send on the gate), moving the clock by the
// interval; it counts the waits begun.
type gatedSleep struct {
	clock *testClock
	gate  chan struct{}
	waits atomic.Int32
	// still: the wait does not move the clock (polls come too fast).
	still bool
}

func (g *gatedSleep) Sleep(ctx context.Context, d time.Duration) error {
	g.waits.Add(1)
	select {
	case <-g.gate:
		if !g.still {
			g.clock.Add(d)
		}
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// release lets one wait end, failing when no flow waits.
func (g *gatedSleep) release(t *testing.T) {
	t.Helper()
	select {
	case g.gate <- struct{}{}:
	case <-time.After(8 * time.Second):
		t.Fatal("the flow never waited to poll")
	}
}

// grantCounter counts the device-code grant's requests.
type grantCounter struct {
	base  http.RoundTripper
	polls atomic.Int32
}

func (c *grantCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/oauth/token" && r.GetBody != nil {
		if b, err := r.GetBody(); err == nil {
			body, _ := io.ReadAll(b)
			if strings.Contains(string(body), "device_code") {
				c.polls.Add(1)
			}
		}
	}
	return c.base.RoundTrip(r)
}

// flowSandbox is a sandbox on clock c whose device-grant polls are
// counted.
func flowSandbox(t *testing.T, c *testClock) (*app.Session, *grantCounter) {
	t.Helper()
	s, err := app.OpenSandbox(sandbox.Options{Seed: 7, Now: c.Now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	base := s.Client.HTTP.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	gc := &grantCounter{base: base}
	s.Client.HTTP.Transport = gc
	return s, gc
}

// startDevice opens the flows (f), chooses the device login and starts
// it with the prefilled options.
func startDevice(t *testing.T, tm *running) {
	t.Helper()
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "f")
	waitFor(t, tm, "Browser login (PKCE)", "Device login")
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "openid profile offline_access", "enter starts")
	tm.Send(keyMsg(tea.KeyEnter))
}

// The acceptance test: at 80x24 the device flow shows the user code, the
// countdown (moving on the clock, without a poll) and, zoomed (z), the QR
// code; approved through the sandbox outbox's link, its tokens land in the
// Answer with a valid id_token.
func TestDeviceFlowAt80x24(t *testing.T) {
	c := &testClock{t: clock}
	sess, gc := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startDevice(t, tm)
	waitFor(t, tm, "Wait for the approval", "User code", "Expires in 15:00", "Polling every 5s · 0 polls",
		"press z to zoom")
	mail, ok := sess.Sandbox.LastMessage(sandbox.SeedEmail)
	if !ok || mail.Kind != sandbox.KindDeviceApproval || mail.Code == "" {
		t.Fatalf("no approval in the outbox: %+v", mail)
	}
	spaced := strings.Join(strings.Split(mail.Code, ""), " ")
	waitFor(t, tm, spaced)

	// The countdown moves with the clock, on the pane's tick, no poll.
	c.Add(30 * time.Second)
	waitFor(t, tm, "Expires in 14:30")
	if n := gc.polls.Load(); n != 0 {
		t.Fatalf("%d polls before the first interval passed", n)
	}

	typeText(tm, "z")
	waitFor(t, tm, "▀▀▀", spaced, "Expires in 14:30")
	v := tm.p.view.Load().(string)
	// Every row of the QR code of the URL with the code is on the screen
	// (with the 2-module quiet zone there is room for).
	qr, err := app.QRTextBorder(sess.Sandbox.BaseURL+"/activate?user_code="+mail.Code, 2)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(qr, "\n"), "\n")
	for i, row := range rows {
		if !strings.Contains(v, row) {
			t.Fatalf("row %d of %d of the QR code is not on the screen:\n%s", i+1, len(rows), v)
		}
	}
	if strings.Contains(v, "to see the QR code") {
		t.Fatalf("the QR code is said not to fit while zoomed:\n%s", v)
	}
	if lines := strings.Split(v, "\n"); len(lines) != 24 {
		t.Fatalf("the zoomed screen has %d lines, want 24", len(lines))
	}

	g.release(t) // the first poll: pending
	waitFor(t, tm, "Polling every 5s · 1 poll", "Expires in 14:25")

	resp, err := http.Get(mail.Link) // the person approves with the outbox's link
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("approval link: %s", resp.Status)
	}
	g.release(t) // the second poll: the tokens
	waitFor(t, tm, "Done. The tokens are in the Answer", "200 ·")

	m := final(t, tm)
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || ex.Request == nil || !strings.HasSuffix(ex.Request.URL, "/oauth/token") {
		t.Fatalf("the Answer shows %+v, want the device grant's tokens", ex)
	}
	if rep := m.resp.TokenReport("id_token"); rep == nil || rep.State != jwtview.StateValid {
		t.Fatalf("id_token in the Answer: %+v, want valid", rep)
	}
	if n := gc.polls.Load(); n != 2 {
		t.Fatalf("%d polls, want 2", n)
	}
}

// esc stops the polling: the pane says so once the flow has ended, and the
// grant is not asked again however long one waits.
func TestDeviceFlowEscStops(t *testing.T) {
	c := &testClock{t: clock}
	sess, gc := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startDevice(t, tm)
	waitFor(t, tm, "Wait for the approval")
	g.release(t)
	waitFor(t, tm, "1 poll")
	tm.Send(keyMsg(tea.KeyEsc))
	waitFor(t, tm, "Stopped.")
	waits := g.waits.Load()
	select {
	case g.gate <- struct{}{}:
		t.Fatal("the stopped flow still waits to poll")
	case <-time.After(50 * time.Millisecond):
	}
	if n := gc.polls.Load(); n != 1 {
		t.Fatalf("%d polls, want 1 (none after esc)", n)
	}
	if g.waits.Load() != waits {
		t.Fatal("the stopped flow began another wait")
	}
	tm.Send(keyMsg(tea.KeyEsc)) // the second esc closes the pane
	waitFor(t, tm, "Answer")
	m := final(t, tm)
	if m.fl.open {
		t.Fatal("the flow pane is still open after the second esc")
	}
	if m.fl.pane.Running() {
		t.Fatal("the flow still runs")
	}
}

// Polls that come faster than the interval get slow_down: the pane shows
// it and the longer interval the flow then keeps.
func TestDeviceFlowSlowDown(t *testing.T) {
	c := &testClock{t: clock}
	sess, gc := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{}), still: true}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startDevice(t, tm)
	waitFor(t, tm, "Wait for the approval")
	g.release(t)
	waitFor(t, tm, "Polling every 5s · 1 poll")
	g.release(t) // at the same instant: too fast
	waitFor(t, tm, "Polling every 10s (slow_down ×1) · 2 polls")
	if n := gc.polls.Load(); n != 2 {
		t.Fatalf("%d polls, want 2", n)
	}
	final(t, tm)
}

// fakeBrowser is an opener whose "browser" follows the URL's redirects to
// the login's loopback listener, as a signed-in browser would.
func fakeBrowser(t *testing.T, opened *atomic.Int32) *browser.Opener {
	return &browser.Opener{
		Getenv: func(k string) string {
			if k == "DISPLAY" {
				return ":0"
			}
			return ""
		},
		Run: func(ctx context.Context, name string, args ...string) error {
			opened.Add(1)
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[len(args)-1], nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		},
	}
}

// startLogin opens the flows, chooses the browser login, lets edit change
// the form, and starts it.
func startLogin(t *testing.T, tm *running, edit func()) {
	t.Helper()
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "f")
	waitFor(t, tm, "Browser login (PKCE)")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "openid profile email offline_access", "enter starts")
	if edit != nil {
		edit()
	}
	tm.Send(keyMsg(tea.KeyEnter))
}

// The browser login: the opener plays the browser; the code comes back to
// the listener, is exchanged, and the tokens land in the Answer with a
// valid id_token.
func TestBrowserLoginToAnswer(t *testing.T) {
	var opened atomic.Int32
	tm := start(t, Options{Session: sandboxSession(t), Browser: fakeBrowser(t, &opened)}, 80, 24)
	startLogin(t, tm, nil)
	waitFor(t, tm, "Done. The tokens are in the Answer", "200 ·")
	m := final(t, tm)
	if opened.Load() != 1 {
		t.Fatalf("the browser was opened %d times", opened.Load())
	}
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("the Answer shows %+v, want the code exchange", ex)
	}
	if rep := m.resp.TokenReport("id_token"); rep == nil || rep.State != jwtview.StateValid {
		t.Fatalf("id_token in the Answer: %+v, want valid", rep)
	}
	if v := m.View(); !strings.Contains(v, "✓ Check the id_token") {
		t.Fatalf("the steps are not all done:\n%s", v)
	}
}

// An error redirect (a connection the tenant does not have) is one
// sentence on the step that waited for it.
func TestBrowserLoginErrorRedirect(t *testing.T) {
	var opened atomic.Int32
	tm := start(t, Options{Session: sandboxSession(t), Browser: fakeBrowser(t, &opened)}, 120, 36)
	startLogin(t, tm, func() {
		for range 3 {
			tm.Send(keyMsg(tea.KeyDown))
		}
		typeText(tm, "no-such-connection")
	})
	waitFor(t, tm, "✗ Wait for the browser", "The sign-in was refused: the connection was not found (invalid_request).")
	m := final(t, tm)
	if m.resp.Exchange() != nil {
		t.Fatal("a refused sign-in put an answer in the Answer")
	}
}

// Without a display the pane says to open the URL by hand, y copies it,
// and the login goes on when the URL is opened.
func TestBrowserLoginWithoutBrowser(t *testing.T) {
	clip := &clipboard.Fake{}
	noDisplay := &browser.Opener{Getenv: func(string) string { return "" }}
	tm := start(t, Options{Session: sandboxSession(t), Browser: noDisplay, Clipboard: clip}, 120, 36)
	startLogin(t, tm, nil)
	waitFor(t, tm, "! No browser opened here", "The browser could not be opened", "open this URL in a browser on this machine", "Wait for the browser")
	typeText(tm, "y")
	waitFor(t, tm, "Copied the authorize URL")
	u, _ := clip.Text()
	if !strings.Contains(u, "/authorize?") {
		t.Fatalf("copied %q, want the authorize URL", u)
	}
	resp, err := http.Get(u) // the person opens it
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, tm, "Done. The tokens are in the Answer")
	final(t, tm)
}

// The help overlay and the help line name the flows' key.
func TestFlowsKeyInHelp(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 36)
	waitFor(t, tm, "passwordGrant", "f flows")
	m := final(t, tm)
	if body := strings.Join(m.helpBody(), "\n"); !strings.Contains(body, "guided flows: browser and device login, MFA, CIBA, refresh and revoke") {
		t.Fatalf("the help overlay does not list f:\n%s", body)
	}
}
