package bodyview

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	// Views and goldens are plain text whatever the terminal running the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// withProfile runs f with lipgloss's colour profile set to p.
func withProfile(p termenv.Profile, f func()) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(p)
	defer lipgloss.SetColorProfile(old)
	f()
}

// ready returns a focused pane of w x h showing body.
func ready(t testing.TB, body, contentType string, truncated bool, w, h int) *Model {
	t.Helper()
	m := New(DefaultStyles(), DefaultKeyMap())
	m.SetSize(w, h)
	m.Focus()
	cmd := m.Prepare(1, []byte(body), contentType, truncated, 8<<20)
	if cmd == nil {
		t.Fatal("Prepare returned no Cmd")
	}
	if c := m.Update(cmd()); c != nil {
		t.Fatal("applying PreparedMsg returned a Cmd")
	}
	return m
}

var keyTypes = map[string]tea.KeyType{
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"ctrl+u": tea.KeyCtrlU, "ctrl+d": tea.KeyCtrlD, "esc": tea.KeyEsc, "enter": tea.KeyEnter,
	"backspace": tea.KeyBackspace,
}

func keyMsg(k string) tea.KeyMsg {
	if t, ok := keyTypes[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends each key in turn.
func press(t testing.TB, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

// typeText sends s as one runes message, as a terminal delivers typing.
func typeText(m *Model, s string) { m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}) }

// rows returns the pane's view split into rows, with styling stripped.
func rows(t testing.TB, m *Model) []string {
	t.Helper()
	return strings.Split(ansi.Strip(m.View()), "\n")
}

// checkFrame asserts the view is exactly w x h at most: h rows, none wider
// than w, and no byte that a terminal would act on except the newlines.
func checkFrame(t testing.TB, m *Model, w, h int) {
	t.Helper()
	v := m.View()
	r := strings.Split(v, "\n")
	if len(r) != h {
		t.Fatalf("view has %d rows, want %d:\n%s", len(r), h, v)
	}
	for i, row := range r {
		if lw := ansi.StringWidth(row); lw > w {
			t.Fatalf("row %d is %d wide, more than %d: %q", i, lw, w, row)
		}
	}
	if lipgloss.ColorProfile() == termenv.Ascii {
		for _, c := range v {
			if (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) {
				t.Fatalf("view holds raw %U: %q", c, v)
			}
		}
	}
}

// usersJSON is a deterministic, realistic, minified JSON array of user
// objects with nested metadata, about size bytes long.
func usersJSON(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteByte('[')
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"user_id":"auth0|%024x","email":"user%d@example.com","email_verified":%t,`+
			`"name":"User Number %d","nickname":"user%d","picture":"https://s.gravatar.com/avatar/%032x?s=480&r=pg&d=https%%3A%%2F%%2Fcdn.auth0.com%%2Favatars%%2Fus.png",`+
			`"created_at":"2024-%02d-%02dT10:%02d:%02d.%03dZ","updated_at":"2025-01-02T03:04:05.678Z","logins_count":%d,"last_ip":"10.%d.%d.%d",`+
			`"identities":[{"connection":"Username-Password-Authentication","provider":"auth0","user_id":"%024x","isSocial":false}],`+
			`"app_metadata":{"roles":["reader","writer"],"plan":"pro","quota":%d,"score":%d.%03d,"flags":{"beta":%t,"mfa":null}},`+
			`"user_metadata":{"theme":"dark","lang":"en-GB","notes":"Line \"quoted\" and \\ backslash \u00e9\u4e2d"}}`,
			r.Uint64()&0xffffffffffff, i, r.IntN(2) == 0, i, i, r.Uint64(),
			1+r.IntN(12), 1+r.IntN(28), r.IntN(60), r.IntN(60), r.IntN(1000), r.IntN(5000), r.IntN(256), r.IntN(256), r.IntN(256),
			r.Uint64()&0xffffffffffff, r.IntN(100000), r.IntN(100), r.IntN(1000), r.IntN(2) == 0)
	}
	b.WriteByte(']')
	return []byte(b.String())
}
