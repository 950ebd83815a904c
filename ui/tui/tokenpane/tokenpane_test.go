package tokenpane

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"auth0-explorer/jwtview"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
}

var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// jwt is an unsigned-looking token with the payload p (decode only: the
// pane has no session in these tests).
func jwt(p string) string {
	return b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(p) + "." + b64("sig")
}

func newPane() *Model {
	m := New(Options{Now: func() time.Time { return clock }}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(100, 40)
	m.Focus()
	m.FocusFirst()
	return m
}

// run runs the check cmd returns and hands its message to the pane.
func run(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	msg := verify(t, cmd)
	m.Update(msg)
}

// verify runs the check in cmd (a batch may hold it) and returns its reply.
func verify(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no check was started")
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if c == nil {
				continue
			}
			if v, ok := c().(verifiedMsg); ok {
				return v
			}
		}
		t.Fatal("no check in the batch")
	}
	return msg
}

func paste(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

// A check of an input changed since is dropped: the result shown is the
// latest input's, whatever order the replies come in.
func TestStaleCheckDropped(t *testing.T) {
	m := newPane()
	old, cur := jwt(`{"sub":"old"}`), jwt(`{"sub":"new"}`)
	c1 := m.SetToken(old)
	c2 := m.SetToken(cur)
	m.Update(verify(t, c2))
	m.Update(verify(t, c1)) // late
	r := m.Report()
	if r == nil || r.Token == nil || r.Token.Raw != cur {
		t.Fatalf("shown: %+v, want the latest input's report", r)
	}
	if strings.Contains(m.View(), `"old"`) || !strings.Contains(m.View(), `"new"`) {
		t.Fatalf("the view shows the stale token:\n%s", m.View())
	}
	// And a late reply that arrives first shows nothing of the old input.
	c3 := m.SetToken(old)
	m.Update(verify(t, c2))
	if m.Report() != nil {
		t.Fatal("a reply for an older input was taken while the new one is checked")
	}
	m.Update(verify(t, c3))
	if r := m.Report(); r == nil || r.Token.Raw != old {
		t.Fatal("the latest reply was not shown")
	}
}

// A paste replaces the field, whatever was in it, and is cleaned with
// notes; a token in lines is joined.
func TestPasteReplacesAndCleans(t *testing.T) {
	m := newPane()
	run(t, m, m.Update(paste("junk")))
	tok := jwt(`{"sub":"a"}`)
	run(t, m, m.Update(paste("'Bearer "+tok[:20]+"\n"+tok[20:]+"'\r\n")))
	if m.Token() != tok {
		t.Fatalf("token %q, want %q", m.Token(), tok)
	}
	v := m.View()
	if r := m.Report(); r == nil || r.Token == nil || r.State == jwtview.StateMalformed {
		t.Fatalf("the cleaned token was not decoded: %+v", r)
	}
	for _, want := range []string{"note: removed the surrounding quotes", `note: removed the "Bearer " prefix`, "joined the 2 lines", `subject "a"`} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

// A paste over the size a token can be is refused with a sentence, not
// taken into the field.
func TestHugePasteRefused(t *testing.T) {
	m := newPane()
	if cmd := m.Update(paste(strings.Repeat("a", pasteLimit+1))); cmd != nil {
		t.Fatal("a check started for a refused paste")
	}
	if m.ta.Value() != "" || !strings.Contains(m.View(), "over the 64 KiB a token can be") {
		t.Fatalf("not refused:\n%s", m.View())
	}
}

// Empty input: the hint, and no check.
func TestEmptyShowsHint(t *testing.T) {
	m := newPane()
	if !strings.Contains(m.View(), "Paste a token: id_token, access token or refresh token") {
		t.Fatalf("no hint:\n%s", m.View())
	}
	run(t, m, m.SetToken(jwt(`{}`)))
	if cmd := m.SetToken("  \n"); cmd != nil {
		t.Fatal("blank input started a check")
	}
	if m.Report() != nil || !strings.Contains(m.View(), "never leaves this machine") {
		t.Fatal("blank input did not go back to the hint")
	}
}

// max_age is seconds; anything else says so and is not checked.
func TestMaxAgeField(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "0": time.Nanosecond, "300": 300 * time.Second, " 60 ": time.Minute} {
		if got, err := parseMaxAge(in); err != nil || got != want {
			t.Errorf("parseMaxAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"10m", "-1", "1e3", "99999999999999999999"} {
		if _, err := parseMaxAge(in); err == nil {
			t.Errorf("parseMaxAge(%q): no error", in)
		}
	}
	m := newPane()
	run(t, m, m.SetToken(jwt(`{"sub":"a"}`)))
	m.Next() // nonce
	m.Next() // max_age
	run(t, m, m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}))
	if !strings.Contains(m.View(), "max_age is a number of seconds") {
		t.Fatalf("no sentence for a bad max_age:\n%s", m.View())
	}
}

// The ring inside the pane: token, nonce, max_age, org, then the result
// once there is one; only the result leaves printable keys to the root.
func TestFieldRing(t *testing.T) {
	m := newPane()
	n := 0
	for m.Next() {
		n++
	}
	if n != 3 || !m.Capturing() {
		t.Fatalf("without a result: %d moves, capturing %v; want 3 and true", n, m.Capturing())
	}
	run(t, m, m.SetToken(jwt(`{"sub":"a"}`)))
	if !m.Next() || m.Capturing() {
		t.Fatal("the result is not the last stop, or captures keys")
	}
	if m.Report() == nil || m.Report().State == jwtview.StateMalformed {
		t.Fatalf("report %+v", m.Report())
	}
	for m.Prev() {
	}
	if m.focus != fToken {
		t.Fatal("Prev did not come back to the token field")
	}
}
