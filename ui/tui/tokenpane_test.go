package tui

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// sandboxIDToken signs the seeded user in on the session's client (the
// sandbox's fixed clock) and returns the id_token of the answer.
func sandboxIDToken(t testing.TB, s *app.Session) string {
	t.Helper()
	v := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid profile"),
	}}
	ex := s.Client.Do(context.Background(), api.ByName("passwordGrant"), v)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	for _, tk := range ex.Tokens {
		if tk.Field == "id_token" {
			return tk.Value
		}
	}
	t.Fatalf("no id_token in %s", ex.Response.Body)
	return ""
}

func pasteMsg(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

// A valid sandbox id_token pasted into the inspector: VALID, with its
// checks, against the session's tenant.
func TestTokenPaneValidIDToken(t *testing.T) {
	sess := sandboxSession(t)
	tok := sandboxIDToken(t, sess)
	tm := start(t, Options{Session: sess, OpenTokenPane: true}, 120, 40)
	waitFor(t, tm, "Token inspector", "never leaves this machine")
	tm.Send(pasteMsg(tok))
	waitFor(t, tm, "VALID: signature and every claim check passed", "✓ signature", "✓ iss", "✓ aud")
	m := final(t, tm)
	if r := m.tok.Report(); r == nil || r.State != jwtview.StateValid {
		t.Fatalf("report %+v, want valid", r)
	}
}

// Quotes, a Bearer prefix and a trailing newline come off with notes; the
// verdict is the same.
func TestTokenPaneForgivingPaste(t *testing.T) {
	sess := sandboxSession(t)
	tok := sandboxIDToken(t, sess)
	tm := start(t, Options{Session: sess, OpenTokenPane: true}, 120, 40)
	waitFor(t, tm, "Token inspector")
	tm.Send(pasteMsg(`"Bearer ` + tok + `"` + "\n"))
	waitFor(t, tm, "VALID: signature and every claim check passed", "note: removed the surrounding quotes", `note: removed the "Bearer " prefix`)
	m := final(t, tm)
	if m.tok.Token() != tok {
		t.Fatal("the cleaned token is not the id_token")
	}
}

// One corrupted segment: the verdict names the segment that broke.
// (Showing the segments that still decode is jwtview's, done elsewhere:
// today a malformed report has no token to show.)
func TestTokenPaneCorruptSegment(t *testing.T) {
	sess := sandboxSession(t)
	tok := sandboxIDToken(t, sess)
	parts := strings.Split(tok, ".")
	bad := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("not json")) + "." + parts[2]
	tm := start(t, Options{Session: sess, OpenTokenPane: true}, 120, 40)
	waitFor(t, tm, "Token inspector")
	tm.Send(pasteMsg(bad))
	// The verdict names the broken segment; the header, which decodes,
	// is still shown.
	waitFor(t, tm, "MALFORMED: the payload segment does not decode", "the payload is not a JSON object", `alg "RS256"`)
	final(t, tm)
}

// A JWE (five segments): its header is shown and it is said to be
// encrypted.
func TestTokenPaneJWE(t *testing.T) {
	e := base64.RawURLEncoding.EncodeToString
	jwe := e([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM","kid":"k1"}`)) + "." + e([]byte("key")) + "." + e([]byte("iv-iv-iv-iv")) + "." + e([]byte("ciphertext")) + "." + e([]byte("tag"))
	tm := start(t, Options{Session: sandboxSession(t), OpenTokenPane: true}, 120, 40)
	waitFor(t, tm, "Token inspector")
	tm.Send(pasteMsg(jwe))
	waitFor(t, tm, "ENCRYPTED: not checked", "encrypted token (JWE", "Header", `alg "RSA-OAEP"`, `enc "A256GCM"`)
	final(t, tm)
}

// The nonce, max_age and organization fields join the checks.
func TestTokenPaneExpectations(t *testing.T) {
	sess := sandboxSession(t)
	tok := sandboxIDToken(t, sess)
	tm := start(t, Options{Session: sess, OpenTokenPane: true}, 120, 40)
	waitFor(t, tm, "Token inspector")
	tm.Send(pasteMsg(tok))
	waitFor(t, tm, "VALID")
	tm.Send(keyMsg(tea.KeyTab)) // nonce
	typeText(tm, "n-42")
	waitFor(t, tm, "INVALID: nonce")
	tm.Send(keyMsg(tea.KeyTab)) // max_age
	typeText(tm, "soon")
	waitFor(t, tm, "max_age is a number of seconds")
	tm.Send(keyMsg(tea.KeyTab)) // org
	typeText(tm, "org_abc")
	waitFor(t, tm, "org_id")
	m := final(t, tm)
	r := m.tok.Report()
	if r == nil || r.Valid() {
		t.Fatalf("report %+v, want invalid", r)
	}
	failed := map[string]bool{}
	for _, c := range r.Failures() {
		failed[c.Name] = true
	}
	if !failed["nonce"] || len(failed) < 2 {
		t.Fatalf("failures %v, want nonce and the organization", failed)
	}
}

// t opens the inspector in place of the Request and Answer column and
// puts the focus in its field; esc closes it from the field, t from the
// result; the focus returns where it was.
func TestTokenPaneOpensAndCloses(t *testing.T) {
	sess := sandboxSession(t)
	tok := sandboxIDToken(t, sess)
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant", "Request")
	typeText(tm, "t")
	waitFor(t, tm, "┏━ Token inspector", "esc close inspector")
	typeText(tm, "t") // typed into the token field, not a key
	waitFor(t, tm, "│ t")
	tm.Send(keyMsg(tea.KeyEsc))
	waitFor(t, tm, "┏━ Operations", "Request")
	typeText(tm, "t")
	waitFor(t, tm, "Token inspector")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU}) // clear the "t" typed before
	tm.Send(pasteMsg(tok))
	waitFor(t, tm, "VALID")
	for range 4 { // nonce, max_age, org, the result
		tm.Send(keyMsg(tea.KeyTab))
	}
	waitFor(t, tm, "r reload keys", "? help")
	typeText(tm, "t")
	waitFor(t, tm, "┏━ Operations", "Request")
	m := final(t, tm)
	if m.tokOpen || m.focus != focusOps {
		t.Fatalf("open %v, focus %v", m.tokOpen, m.focus)
	}
	if m.tok.Token() != tok {
		t.Fatal("the token typed was lost on closing")
	}
}

// The wheel over the inspector scrolls its result.
func TestTokenPaneWheel(t *testing.T) {
	sess := sandboxSession(t)
	m := New(Options{Session: sess, Now: now, OpenTokenPane: true})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(m.tok.SetToken(sandboxIDToken(t, sess))())
	before := m.tok.View()
	m.Update(tea.MouseMsg{X: 60, Y: 20, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.tok.View() == before {
		t.Fatal("the wheel over the inspector did not scroll it")
	}
}

// The help overlay lists the inspector's keys.
func TestTokenPaneInHelp(t *testing.T) {
	m := New(Options{Session: sandboxSession(t), Now: now})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	if !strings.Contains(m.helpLine(), "t inspect a token") {
		t.Errorf("help line lacks the t key: %q", m.helpLine())
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	v := m.View()
	for _, want := range []string{"Token inspector", "t/esc", "close the inspector", "enter", "next field"} {
		if !strings.Contains(v, want) {
			t.Errorf("help overlay lacks %q", want)
		}
	}
}

// BenchmarkTokenPaneFrame: one whole frame at 160x50 with the inspector
// open on a valid sandbox id_token, scrolling its result one line per
// frame. True colour, as a real terminal.
func BenchmarkTokenPaneFrame(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	sess := sandboxSession(b)
	m := New(Options{Session: sess, Now: now, OpenTokenPane: true})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	m.Update(m.tok.SetToken(sandboxIDToken(b, sess))())
	if !strings.Contains(m.View(), "VALID") {
		b.Fatalf("no verdict:\n%s", m.View())
	}
	for m.tok.Next() {
	}
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%20 < 10 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		_ = m.View()
	}
}
