package outbox

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// pane opens a pane on a fake outbox holding *msgs, reads it once and
// returns the pane.
func pane(t *testing.T, msgs *[]sandbox.Message) *Model {
	t.Helper()
	m := New(Options{Location: time.UTC}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(100, 30)
	m.Focus()
	m.Open(Tenant{Base: "http://127.0.0.1:1", Outbox: func() []sandbox.Message { return *msgs }})
	m.Update(m.load()())
	return m
}

// Newest first: by time, then by id for the same time; the times are
// shown in the pane's zone.
func TestListNewestFirst(t *testing.T) {
	msgs := []sandbox.Message{
		{ID: 1, Time: t0, Kind: sandbox.KindCode, To: "one@example.com", Subject: "s1", Code: "111111"},
		{ID: 2, Time: t0.Add(time.Minute), Kind: sandbox.KindSMS, To: "+14155550100", Subject: "s2", Code: "222222"},
		{ID: 3, Time: t0.Add(time.Minute), Kind: sandbox.KindChangePassword, To: "three@example.com", Subject: "s3", Link: "http://127.0.0.1:1/lo/reset?ticket=x"},
	}
	m := pane(t, &msgs)
	var ids []int
	for _, x := range m.Messages() {
		ids = append(ids, x.ID)
	}
	if len(ids) != 3 || ids[0] != 3 || ids[1] != 2 || ids[2] != 1 {
		t.Fatalf("order %v, want [3 2 1]", ids)
	}
	v := m.View()
	i3, i2, i1 := strings.Index(v, "three@example.com"), strings.Index(v, "+14155550100"), strings.Index(v, "one@example.com")
	if i3 < 0 || i2 < i3 || i1 < i2 {
		t.Fatalf("the view is not newest first:\n%s", v)
	}
	if !strings.Contains(v, "12:01:00  reset mail") || !strings.Contains(v, "12:00:00  email code") {
		t.Fatalf("times or kinds missing:\n%s", v)
	}

	// A new message arrives while the newest is selected: the selection
	// follows the newest. Down moves to an older one, which then stays
	// selected when another arrives.
	msgs = append(msgs, sandbox.Message{ID: 4, Time: t0.Add(2 * time.Minute), Kind: sandbox.KindCode, To: "four@example.com", Code: "444444"})
	m.Update(m.load()())
	if s, _ := m.Selected(); s.ID != 4 {
		t.Fatalf("selected %d, want the newest (4)", s.ID)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	msgs = append(msgs, sandbox.Message{ID: 5, Time: t0.Add(3 * time.Minute), Kind: sandbox.KindCode, To: "five@example.com", Code: "555555"})
	m.Update(m.load()())
	if s, _ := m.Selected(); s.ID != 3 {
		t.Fatalf("selected %d, want 3 kept", s.ID)
	}
}

// A hostile message (escape sequences in the body, the address and the
// subject) is shown escaped: nothing reaches the terminal raw.
func TestHostileBodyEscaped(t *testing.T) {
	msgs := []sandbox.Message{{ID: 1, Time: t0, Kind: "x\x1b[2J", To: "a\x1b[31m@example.com",
		Subject: "hi\x07\u202e", Body: "code \x1b]52;c;aGVsbG8=\x07 and \x9b2J \u009b3J\r done", Code: "1\x1b[0m2",
		Link: "http://127.0.0.1:1/\x1b]0;title\x07"}}
	m := pane(t, &msgs)
	v := m.View()
	for _, bad := range []string{"\x1b", "\x07", "\x9b", "\r", "\u202e"} {
		if strings.Contains(v, bad) {
			t.Fatalf("the view holds %q raw:\n%q", bad, v)
		}
	}
	for _, want := range []string{`\x1b]52;c;aGVsbG8=\a`, `a\x1b[31m@example.com`, `\x9b2J`, `\u009b3J`, `hi\a\u202e`} {
		if !strings.Contains(v, want) {
			t.Errorf("the view does not show %s escaped:\n%s", want, v)
		}
	}
}

// Only the live pane's ticks reschedule: a tick from before a close and
// reopen, or of a closed pane, is dropped; a stale read does not replace a
// newer one.
func TestStaleTickAndReadDropped(t *testing.T) {
	msgs := []sandbox.Message{{ID: 1, Time: t0, Kind: sandbox.KindCode, To: "a@example.com", Code: "123456"}}
	m := pane(t, &msgs)
	old := m.gen
	if m.Update(tickMsg{gen: old}) == nil {
		t.Fatal("the live tick did not reschedule")
	}
	m.Close()
	if m.Update(tickMsg{gen: old}) != nil {
		t.Fatal("a tick of the closed pane rescheduled")
	}
	m.Open(Tenant{Base: "http://127.0.0.1:1", Outbox: func() []sandbox.Message { return msgs }})
	if m.Update(tickMsg{gen: old}) != nil {
		t.Fatal("a tick from before the reopen rescheduled")
	}
	if m.Update(tickMsg{gen: m.gen}) == nil {
		t.Fatal("the reopened pane's tick did not reschedule")
	}

	stale := m.load() // asked first, arrives last
	msgs = append(msgs, sandbox.Message{ID: 2, Time: t0, Kind: sandbox.KindCode, To: "b@example.com", Code: "654321"})
	fresh := m.load()
	m.Update(fresh())
	m.Update(stale())
	if n := len(m.Messages()); n != 2 {
		t.Fatalf("%d messages shown, want the newer read's 2", n)
	}

	// Another tenant: what the old one sent is gone, and its late reads
	// are dropped.
	late := m.load()
	m.Open(Tenant{Base: "http://127.0.0.1:2", Outbox: func() []sandbox.Message { return nil }})
	m.Update(late())
	if n := len(m.Messages()); n != 0 {
		t.Fatalf("%d messages of the previous tenant shown", n)
	}
}

// enter on a code asks for the verify form with the address and the code.
func TestUseCodeOpensVerifyForm(t *testing.T) {
	msgs := []sandbox.Message{
		{ID: 1, Time: t0, Kind: sandbox.KindSMS, To: "+14155550100", Code: "222222"},
		{ID: 2, Time: t0, Kind: sandbox.KindCode, To: "jane@example.com", Code: "111111"},
	}
	m := pane(t, &msgs)
	for _, want := range []struct{ op, field, to, code string }{
		{"verifyEmailCode", "email", "jane@example.com", "111111"},
		{"verifySMSCode", "phone_number", "+14155550100", "222222"},
	} {
		cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		if cmd == nil {
			t.Fatalf("enter did nothing for %s", want.op)
		}
		got, ok := cmd().(OpenFormMsg)
		if !ok || got.Op != want.op || got.Focus != "otp" || len(got.Fills) != 2 ||
			got.Fills[0] != (Fill{want.field, want.to}) || got.Fills[1] != (Fill{"otp", want.code}) {
			t.Fatalf("enter asked for %+v, want %s with %s and otp", got, want.op, want.field)
		}
		if strings.Contains(got.String(), want.code) {
			t.Fatal("the message's String shows the code")
		}
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
}

// Following a link does not follow its redirect: the Location is the
// answer, and a code in it is taken with the redirect_uri it went to.
func TestFollowShowsRedirect(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path == "/callback" {
			t.Error("the redirect was followed")
		}
		http.Redirect(w, r, "/callback?code=abc&state=s", http.StatusFound)
	}))
	defer srv.Close()
	msgs := []sandbox.Message{{ID: 1, Time: t0, Kind: sandbox.KindMagicLink, To: "jane@example.com", Code: "123456",
		Link: srv.URL + "/passwordless/verify_redirect?x=1", Body: "Open this link to sign in: " + srv.URL + "/passwordless/verify_redirect?x=1"}}
	m := pane(t, &msgs)
	cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter did not follow the link")
	}
	m.Update(cmd())
	v := m.View()
	if !strings.Contains(v, "302 Found, redirects to /callback?code=abc&state=s") || hits != 1 {
		t.Fatalf("the redirect is not shown (hits %d):\n%s", hits, v)
	}
	got, ok := m.Update(tea.KeyMsg{Type: tea.KeyEnter})().(OpenFormMsg)
	if !ok || got.Op != "oauth.authorizationCodeGrant" || got.Fills[0] != (Fill{"code", "abc"}) || got.Fills[1] != (Fill{"redirect_uri", srv.URL + "/callback"}) {
		t.Fatalf("enter after following asked for %+v", got)
	}
}

// x on an approval follows its link with action=deny (the link's ticket
// kept, the redirect not followed) and says what the flow will see; the
// key is offered only on an approval not yet decided, and does nothing
// elsewhere.
func TestDenyApproval(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		_, _ = w.Write([]byte("<p>The sign-in was denied.</p>"))
	}))
	defer srv.Close()
	msgs := []sandbox.Message{
		{ID: 1, Time: t0, Kind: sandbox.KindCode, To: "jane@example.com", Code: "111111"},
		{ID: 2, Time: t0.Add(time.Second), Kind: sandbox.KindMFAPush, To: "mfa@example.com", Link: srv.URL + "/sandbox/mfa-push?ticket=p"},
		{ID: 3, Time: t0.Add(2 * time.Second), Kind: sandbox.KindDeviceApproval, To: "jane@example.com", Link: srv.URL + "/activate?ticket=d&user_code=ABCD-EFGH"},
		{ID: 4, Time: t0.Add(3 * time.Second), Kind: sandbox.KindCIBAApproval, To: "jane@example.com", Link: srv.URL + "/sandbox/ciba?ticket=c"},
	}
	m := pane(t, &msgs)
	m.tenant.HTTP = srv.Client()
	offered := func() bool {
		for _, b := range m.ShortHelp() {
			if b.Help().Key == "x" && b.Help().Desc == "deny" {
				return true
			}
		}
		return false
	}
	for _, want := range []struct {
		query, line string
	}{
		{"GET /sandbox/ciba?action=deny&ticket=c", "Denied: the flow will see access_denied."},
		{"GET /activate?action=deny&ticket=d&user_code=ABCD-EFGH", "Denied: the device will see access_denied."},
		{"GET /sandbox/mfa-push?action=deny&ticket=p", "Rejected: the flow will see invalid_grant (MFA Authorization rejected.)."},
	} {
		if v := m.View(); !offered() || !strings.Contains(v, "enter: approve (follow the link) · x: deny") {
			t.Fatalf("x is not offered before %s:\n%s", want.query, v)
		}
		got = nil
		cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
		if cmd == nil {
			t.Fatalf("x did nothing for %s", want.query)
		}
		m.Update(cmd())
		if len(got) != 1 || got[0] != want.query {
			t.Fatalf("x sent %q, want %q", got, want.query)
		}
		v := m.View()
		if !strings.Contains(v, "→ 200 OK") || !strings.Contains(v, want.line) {
			t.Fatalf("the denial is not shown for %s:\n%s", want.query, v)
		}
		// The link decided: neither x nor enter is offered, nor sends.
		if offered() || strings.Contains(v, "x: deny") || m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}) != nil ||
			m.Update(tea.KeyMsg{Type: tea.KeyEnter}) != nil {
			t.Fatalf("the decided approval still offers a key:\n%s", v)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	// The code: x is neither offered nor does anything.
	if s, _ := m.Selected(); s.ID != 1 || offered() || m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}) != nil || len(got) != 1 {
		t.Fatalf("x is offered or acts on a code (selected %d)", s.ID)
	}
}
