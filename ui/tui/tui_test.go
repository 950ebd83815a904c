package tui

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
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
	"auth0-explorer/ui/tui/response"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// clock is the fixed time of the tests: the sandbox signs with it and the
// token checks read it.
var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func now() time.Time { return clock }

func sandboxSession(t testing.TB) *app.Session {
	t.Helper()
	s, err := app.OpenSandbox(sandbox.Options{Seed: 7, Now: now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func serverSession(t *testing.T, h http.Handler) *app.Session {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s, err := app.Open(app.Tenant{Name: "test", Domain: srv.URL, ClientID: "cid", ClientSecret: "csecret-long-enough"}, api.TransportOptions{Timeout: 2 * time.Second}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// probe wraps the root model and keeps its latest view where the test
// can read it: the renderer writes only changed lines, so waiting on the
// output stream misses text that was already on screen.
type probe struct {
	m    *Model
	view atomic.Value
}

func (p *probe) Init() tea.Cmd { return p.m.Init() }
func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.m.Update(msg)
	p.view.Store(p.m.View())
	return p, cmd
}
func (p *probe) View() string { return p.m.View() }

type running struct {
	*teatest.TestModel
	p *probe
}

func start(t *testing.T, o Options, w, h int) *running {
	t.Helper()
	if o.Now == nil {
		o.Now = now
	}
	p := &probe{m: New(o)}
	p.view.Store("")
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() { _ = tm.Quit() })
	return &running{tm, p}
}

// waitFor waits until the screen shows every text.
func waitFor(t *testing.T, r *running, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for {
		v := r.p.view.Load().(string)
		ok := true
		for _, s := range texts {
			if !strings.Contains(v, s) {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q; last screen:\n%s", texts, v)
		}
		runtime.Gosched()
		<-time.After(10 * time.Millisecond)
	}
}

func typeText(tm *running, s string) {
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

func keyMsg(k tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: k} }

func final(t *testing.T, tm *running) *Model {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*probe).m
}

// The sign-in walk: filter to passwordGrant, fill the seeded user, send,
// read a valid id_token in the Tokens tab and copy it.
func TestSignInWalk(t *testing.T) {
	clip := &clipboard.Fake{}
	tm := start(t, Options{Session: sandboxSession(t), Clipboard: clip}, 120, 40)
	waitFor(t, tm, "passwordGrant", "SANDBOX")
	typeText(tm, "/")
	typeText(tm, "passwordGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "fill the required fields")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, sandbox.SeedPassword)
	tm.Send(keyMsg(tea.KeyTab)) // realm
	tm.Send(keyMsg(tea.KeyTab)) // scope
	typeText(tm, "openid profile")
	waitFor(t, tm, "ready: ctrl+s sends")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK", "Tokens (2)")
	typeText(tm, "4")
	waitFor(t, tm, "id_token ✓")
	typeText(tm, "y")
	waitFor(t, tm, "Copied the id_token")

	m := final(t, tm)
	rep := m.resp.TokenReport("id_token")
	if rep == nil || rep.State != jwtview.StateValid {
		t.Fatalf("id_token report = %+v, want valid", rep)
	}
	got, n := clip.Text()
	if n != 1 || got != rep.Token.Raw {
		t.Fatalf("clipboard has %q (%d copies), want the id_token", got, n)
	}
	if strings.Contains(m.View(), sandbox.SeedPassword+"\n") {
		t.Fatal("the password is shown in clear")
	}
}

// Esc cancels a request to a server that never answers; a second ctrl+s
// while it is in flight does not send it twice.
func TestCancelHangingRequest(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	arrived := make(chan struct{}, 4)
	sess := serverSession(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		arrived <- struct{}{}
		_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leave
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before the server closes
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "sending clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "already in flight")
	select { // the request reached the server before it is cancelled
	case <-arrived:
	case <-time.After(8 * time.Second):
		t.Fatal("the request never reached the server")
	}
	tm.Send(keyMsg(tea.KeyEsc))
	waitFor(t, tm, "Cancelled")
	m := final(t, tm)
	if got := hits.Load(); got != 1 {
		t.Fatalf("the server got %d requests, want 1", got)
	}
	if m.resp.Exchange() != nil || m.inflight != 0 {
		t.Fatal("a cancelled request left an answer or an in-flight id")
	}
}

// A late answer to a cancelled request is dropped.
func TestLateAnswerDropped(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.inflight = 5
	m.cancelRequest()
	ex := &api.Exchange{Response: &api.Response{Status: 200, StatusText: "200 OK"}}
	m.Update(responseMsg{id: 5, op: api.ByName("passwordGrant"), ex: ex})
	if m.resp.Exchange() != nil {
		t.Fatal("the late answer was shown")
	}
}

func TestForbiddenShowsAuth0Message(t *testing.T) {
	sess := serverSession(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(403)
		_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"Grant type 'client_credentials' not allowed for the client."}`))
	}))
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "403 Forbidden", "Grant type 'client_credentials' not allowed")
	final(t, tm)
}

func TestHelpOverlay(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 100, 30)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "?")
	waitFor(t, tm, "(? or esc closes)", "copy as curl")
	typeText(tm, "?")
	m := final(t, tm)
	if m.showHelp {
		t.Fatal("? did not close the help")
	}
}

func TestResizeAndTooSmall(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	tm.Send(tea.WindowSizeMsg{Width: 60, Height: 20})
	waitFor(t, tm, "needs a terminal of at least 80×24")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	m := final(t, tm)
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Fatalf("at 80x24 the view has %d lines, want 24:\n%s", len(lines), v)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Fatalf("line %d is %d wide at 80 columns: %q", i, w, l)
		}
	}
	if !strings.Contains(v, "Operations") || !strings.Contains(v, "passwordGrant") {
		t.Fatalf("80x24 view lacks the panes:\n%s", v)
	}
}

// Without colour (NO_COLOR gives the ASCII profile), focus and selection
// still show: a thick border on the focused pane and a marker on the
// selected operation.
func TestFocusVisibleWithoutColour(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := m.View()
	if strings.Contains(v, "\x1b[") {
		t.Fatal("colour codes with the ASCII profile")
	}
	if !strings.Contains(v, "┏━ Operations") || !strings.Contains(v, "▸ passwordGrant") {
		t.Fatalf("focus or selection not visible without colour:\n%s", v)
	}
	m.Update(keyMsg(tea.KeyTab))
	v = m.View()
	if !strings.Contains(v, "┏━ Request") || strings.Contains(v, "┏━ Operations") {
		t.Fatalf("tab did not move the thick border to the form:\n%s", v)
	}
}

// The form refuses what the SDK refuses, inline, before sending.
func TestFormRefusesInline(t *testing.T) {
	var hits atomic.Int32
	sess := serverSession(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	m := New(Options{Session: sess, Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.ops.Select("passwordGrant")
	m.Update(keyMsg(tea.KeyEnter)) // open its form
	m.Update(keyMsg(tea.KeyCtrlS))
	if hits.Load() != 0 {
		t.Fatal("sent a request the SDK refuses")
	}
	if v := m.View(); !strings.Contains(v, "username field is required") {
		t.Fatalf("no inline refusal:\n%s", v)
	}
	if m.focus != focusForm {
		t.Fatal("focus did not go to the form")
	}
}

func TestTabsShowRequestRedacted(t *testing.T) {
	sess := sandboxSession(t)
	clip := &clipboard.Fake{}
	tm := start(t, Options{Session: sess, Clipboard: clip}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	typeText(tm, sess.Sandbox.ManagementAPI()) // audience, the first field
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	typeText(tm, "3")
	waitFor(t, tm, "POST http://127.0.0.1", "[redacted]")
	typeText(tm, "Y")
	waitFor(t, tm, "Copied the request as curl")
	m := final(t, tm)
	curl, _ := clip.Text()
	if !strings.HasPrefix(curl, "curl ") || !strings.Contains(curl, "$AUTH0_CLIENT_SECRET") || strings.Contains(curl, sess.Client.ClientSecret) {
		t.Errorf("Y copied %q, want a curl command reading the secret from $AUTH0_CLIENT_SECRET", curl)
	}
	if m.resp.ActiveTab() != response.TabRequest {
		t.Fatal("3 did not select the Request tab")
	}
	if strings.Contains(m.View(), m.o.Session.Client.ClientSecret) {
		t.Fatal("the client secret is shown")
	}
}

// The help line lists only keys that work now.
func TestHelpLineShowsOnlyWorkingKeys(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	line := m.helpLine()
	for _, want := range []string{"enter open form", "/ filter", "ctrl+s send", "q quit", "? help"} {
		if !strings.Contains(line, want) {
			t.Errorf("operations focused: %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "y copy") || strings.Contains(line, "esc cancel") {
		t.Errorf("operations focused: %q shows keys that do nothing now", line)
	}
	m.Update(keyMsg(tea.KeyEnter)) // into the form: a text field has the keys
	line = m.helpLine()
	if strings.Contains(line, "q quit") || strings.Contains(line, "? help") || !strings.Contains(line, "ctrl+c quit") {
		t.Errorf("form focused: %q", line)
	}
	if !strings.Contains(line, "ctrl+r reveal") {
		t.Errorf("form with a secret field: %q lacks the reveal key", line)
	}
}

// --debug writes one line per message and never a secret: not the client
// secret, not what is typed into a secret field.
func TestDebugLogRedacts(t *testing.T) {
	var log strings.Builder
	sess := sandboxSession(t)
	m := New(Options{Session: sess, Now: now, Debug: &log})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.ops.Select("passwordGrant")
	m.Update(keyMsg(tea.KeyEnter))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jane@example.com")})
	m.Update(keyMsg(tea.KeyTab))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("hunter2-secret")})
	m.debugf("client %s", sess.Client.ClientSecret)
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("eyJpasted.token.value"), Paste: true})
	o, _, _ := sess.VerifyOptions(t.Context(), "", now)
	m.Update(struct{ Opts any }{o}) // a message carrying options, as verification replies do
	out := log.String()
	if strings.Contains(out, "eyJpasted") || strings.Contains(out, "Secret:[") {
		t.Fatalf("a paste or the HS256 secret reached the debug log:\n%s", out)
	}
	if strings.Count(out, "\n") < 5 {
		t.Fatalf("too few lines:\n%s", out)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, sess.Client.ClientSecret) {
		t.Fatalf("a secret reached the debug log:\n%s", out)
	}
	if !strings.Contains(out, "typed into a secret field") || !strings.Contains(out, "jane@example.com") {
		t.Fatalf("the log does not say what happened:\n%s", out)
	}
}

// The wheel scrolls the pane under the pointer, not the focused one.
func TestMouseWheelScrollsThePaneUnderThePointer(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
	before := m.ops.Selected()
	m.Update(tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.ops.Selected() == before {
		t.Fatal("the wheel over the operations did not move them")
	}
	sel := m.ops.Selected()
	m.Update(tea.MouseMsg{X: 80, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.ops.Selected() != sel {
		t.Fatal("the wheel over the form moved the operations")
	}
}

// The clipboard is cleared after the delay only if it still holds what was
// copied: something copied since stays.
func TestClipboardAutoClearOnlyWhatWasCopied(t *testing.T) {
	clip := &clipboard.Fake{}
	m := New(Options{Session: sandboxSession(t), Now: now, Clipboard: clip, ClearClipboardAfter: time.Minute})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	_, _ = clip.Copy(t.Context(), "tok-1")
	_, cmd := m.Update(copiedMsg{what: "the id_token", how: "test clipboard", text: "tok-1"})
	if cmd == nil || !strings.Contains(m.View(), "It is cleared in 1m0s") {
		t.Fatalf("no clear scheduled:\n%s", m.View())
	}
	_, cmd = m.Update(clearClipMsg{text: "tok-1"})
	m.Update(cmd())
	if got, _ := clip.Text(); got != "" {
		t.Fatalf("the clipboard still holds %q", got)
	}
	_, _ = clip.Copy(t.Context(), "something else")
	_, cmd = m.Update(clearClipMsg{text: "tok-1"})
	if msg := cmd(); msg != nil {
		m.Update(msg)
	}
	if got, _ := clip.Text(); got != "something else" {
		t.Fatalf("cleared what the person copied since: %q", got)
	}
}

// A panic while handling a message is caught: one sentence, no secret, and
// the program goes on.
func TestPanicInUpdateIsCaught(t *testing.T) {
	sess := sandboxSession(t)
	m := New(Options{Session: sess, Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.inflight = 3
	m.Update(responseMsg{id: 3, op: api.ByName("passwordGrant"), ex: nil}) // a nil exchange: Show panics
	v := m.View()
	if !strings.Contains(v, "Internal error") || strings.Contains(v, sess.Client.ClientSecret) {
		t.Fatalf("no sentence, or a secret, after a panic:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	if !m.showHelp {
		t.Fatal("the program did not go on after the panic")
	}
}

// A form whose summary and deprecation wrap still gets the room its fields
// need.
func TestFormWithWrappedHeaderShowsItsFields(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.ops.Select("database.signIn")
	m.Update(keyMsg(tea.KeyEnter))
	v := m.View()
	for _, f := range []string{"username", "password", "connection", "scope"} {
		if !strings.Contains(v, "│"+f) && !strings.Contains(v, "┃"+f) {
			t.Errorf("field %s not shown:\n%s", f, v)
		}
	}
}

// A JWT access token (an audience was asked) is checked as an access token
// for that API, and passes.
func TestAccessTokenCheckedForItsAPI(t *testing.T) {
	sess := sandboxSession(t)
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	typeText(tm, sess.Sandbox.ManagementAPI()) // audience
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	typeText(tm, "4")
	waitFor(t, tm, "access_token ✓")
	m := final(t, tm)
	if r := m.resp.TokenReport("access_token"); r == nil || !r.Valid() {
		t.Fatalf("access token report: %+v", r)
	}
}

// Opening an operation that the filter hides clears the filter, so the
// list shows what the form is for.
func TestSelectClearsAHidingFilter(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("passwordGrant")})
	m.Update(keyMsg(tea.KeyEnter))
	m.update(response.OpenFormMsg{Op: "refreshToken", Field: "refresh_token", Value: "rt-1", What: "the refresh_token"})
	if op := m.ops.Selected(); op == nil || op.Name != "refreshToken" || m.ops.FilterText() != "" {
		t.Fatalf("selected %v with filter %q", op, m.ops.FilterText())
	}
}

// An answer does not take the keys from someone who went on typing after
// sending: a q meant for a field must not quit.
func TestAnswerDoesNotStealTheKeysFromTyping(t *testing.T) {
	release := make(chan struct{})
	sess := serverSession(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"at","token_type":"Bearer"}`))
	}))
	m := New(Options{Session: sess, Now: now})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.ops.Select("clientCredentialsGrant")
	m.Update(keyMsg(tea.KeyEnter))
	_, cmd := m.Update(keyMsg(tea.KeyCtrlS))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("https://api")}) // typing on in the audience field
	close(release)
	msgs := []tea.Msg{}
	for _, c := range cmd().(tea.BatchMsg) {
		if c == nil {
			continue
		}
		if r, ok := c().(responseMsg); ok {
			msgs = append(msgs, r)
		}
	}
	if len(msgs) != 1 {
		t.Fatalf("no answer among the commands: %v", msgs)
	}
	m.Update(msgs[0])
	if m.focus != focusForm || !strings.Contains(m.View(), "The answer arrived") {
		t.Fatalf("focus %v after the answer; view:\n%s", m.focus, m.View())
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if v := m.form.Value("audience"); v != "https://apiq" {
		t.Fatalf("q went elsewhere: audience = %q", v)
	}
}

// The help overlay scrolls when its keys do not fit: the last section can
// be reached.
func TestHelpOverlayScrolls(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	if v := m.View(); !strings.Contains(v, "↑/↓ scroll") || strings.Contains(v, "close the history") {
		t.Fatalf("at 100x30 the help should scroll, its end hidden:\n%s", v)
	}
	for range 200 {
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	if v := m.View(); !strings.Contains(v, "close the history") {
		t.Fatalf("scrolled to the end, the last section is not shown:\n%s", v)
	}
	m.Update(keyMsg(tea.KeyUp))
	if m.helpOffset != m.helpMaxOffset()-1 {
		t.Fatalf("offset %d after one up from the end (max %d)", m.helpOffset, m.helpMaxOffset())
	}
}

// A browser URL operation shows its URL in the answer pane without sending
// anything, and y copies it.
func TestBrowserURLShownAndCopiedNotSent(t *testing.T) {
	var hits atomic.Int32
	sess := serverSession(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	clip := &clipboard.Fake{}
	tm := start(t, Options{Session: sess, Clipboard: clip}, 160, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "buildLogoutUrl")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "returnTo")
	typeText(tm, "https://app.example.com/")
	tm.Send(keyMsg(tea.KeyCtrlS))
	want := sess.Client.BaseURL + "/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp.example.com%2F"
	waitFor(t, tm, "URL built, nothing sent", want)
	typeText(tm, "y")
	waitFor(t, tm, "Copied the URL")
	final(t, tm)
	if got, n := clip.Text(); n != 1 || got != want {
		t.Errorf("clipboard %q (%d copies), want %q", got, n, want)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the tenant got %d requests, want none", n)
	}
}

// g switches the node-auth0 generation: the status bar says which, and a
// grant both generations have goes out as v4 sends it (form-encoded).
func TestSDKSwitchSendsTheV4WireFormat(t *testing.T) {
	var ct atomic.Value
	sess := serverSession(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" { // not the discovery fetch that checks tokens
			ct.Store(r.Header.Get("Content-Type"))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"at","token_type":"Bearer"}`))
	}))
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "SDK v2")
	typeText(tm, "g")
	waitFor(t, tm, "SDK v4")
	typeText(tm, "/")
	typeText(tm, "oauth.clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	typeText(tm, "https://api.example.com/") // audience, which v4 requires
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	final(t, tm)
	if got, _ := ct.Load().(string); !strings.HasPrefix(got, "application/x-www-form-urlencoded") {
		t.Fatalf("content type %q, want the v4 form encoding", got)
	}
}

// Long operation names are cut in the middle, so the ones that differ only
// at the end stay apart in a narrow list.
func TestLongOperationNamesStayApart(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	v := m.View()
	if !strings.Contains(v, "WithPKCE") {
		t.Fatalf("the PKCE grant is not told apart from the plain code grant:\n%s", v)
	}
}

// b on a URL answer opens the URL with the system's opener (injected here:
// it records the command); without a display nothing is run and a toast
// says that y copies the URL.
func TestBrowserURLOpenedWithB(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		toast   string
		wantRun bool
	}{
		{"display", map[string]string{"DISPLAY": ":0"}, "Opened the URL in the browser (xdg-open)", true},
		{"ssh", map[string]string{"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, "y copies the URL", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			sess := serverSession(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
			var mu sync.Mutex
			var ran []string
			opener := &browser.Opener{GOOS: "linux", Getenv: func(k string) string { return tc.env[k] },
				Run: func(_ context.Context, name string, args ...string) error {
					mu.Lock()
					defer mu.Unlock()
					ran = append([]string{name}, args...)
					return nil
				}}
			tm := start(t, Options{Session: sess, Browser: opener}, 200, 40)
			waitFor(t, tm, "passwordGrant")
			typeText(tm, "/")
			typeText(tm, "buildLogoutUrl")
			tm.Send(keyMsg(tea.KeyEnter))
			waitFor(t, tm, "returnTo")
			typeText(tm, "https://app.example.com/")
			tm.Send(keyMsg(tea.KeyCtrlS))
			want := sess.Client.BaseURL + "/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp.example.com%2F"
			waitFor(t, tm, "b opens it in a browser", want)
			typeText(tm, "b")
			waitFor(t, tm, tc.toast)
			final(t, tm)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tc.wantRun && !slices.Equal(ran, []string{"xdg-open", want}):
				t.Errorf("ran %q, want xdg-open %s", ran, want)
			case !tc.wantRun && ran != nil:
				t.Errorf("without a display %q was run", ran)
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("the tenant got %d requests, want none", n)
			}
		})
	}
}

// g tells the forms the generation: the form shown, and one made after the
// switch, say how they send under v4; back on v2 they say nothing of it.
func TestSDKSwitchShownInTheForm(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	m.showForm(api.ByName("oauth.clientCredentialsGrant"))
	if v := m.View(); strings.Contains(v, "as node-auth0 v4 sends it") {
		t.Fatalf("under v2 the form speaks of v4:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	if v := m.View(); !strings.Contains(v, "as node-auth0 v4 sends it") {
		t.Fatalf("under v4 the form does not say so:\n%s", v)
	}
	m.showForm(api.ByName("tokens.getInfo")) // made after the switch
	if v := m.View(); !strings.Contains(v, "node-auth0 v4 has no such method: sent as node-auth0 v2 sends it") {
		t.Fatalf("a v2 method v4 lacks does not say how it is sent:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	if v := m.View(); strings.Contains(v, "node-auth0 v4 has no such method") {
		t.Fatalf("back on v2 the form still speaks of v4:\n%s", v)
	}
}

// Keys typed into a flow's options (the MFA step-up's password) never
// reach the debug log.
func TestDebugLogRedactsFlowFields(t *testing.T) {
	var log strings.Builder
	m := New(Options{Session: sandboxSession(t), Now: now, Debug: &log})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
	for _, k := range []tea.KeyType{tea.KeyDown, tea.KeyDown, tea.KeyEnter, tea.KeyDown} { // MFA step-up, its password
		m.Update(keyMsg(k))
	}
	if !m.fl.pane.Capturing() {
		t.Fatal("the MFA step-up's form does not have the focus")
	}
	for _, r := range "hunter3-secret" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	out := log.String()
	if strings.Contains(out, `"h"`) || strings.Contains(out, `"3"`) {
		t.Fatalf("a key typed into the flow's password field reached the debug log:\n%s", out)
	}
	if !strings.Contains(out, "may hold a secret") {
		t.Fatalf("the log does not say a key was typed:\n%s", out)
	}
}
