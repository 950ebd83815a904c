package jwtview

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	// Goldens are plain text whatever the terminal running the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

var viewSecret = []byte("view-golden-secret-0123456789abcdef")

// viewReport is a deterministic report: HS256 (no random key in the
// output), checked at the clock's time.
func viewReport(t *testing.T, c *clock, payload string, o Options) *Report {
	tok := sign(t, "HS256", viewSecret, obj("alg", "HS256", "typ", "JWT"), payload)
	o.Secret = viewSecret
	o.Now = c.Now
	if o.Issuer == "" {
		o.Issuer = testIssuer
	}
	if o.Audience == "" {
		o.Audience = testAudience
	}
	return Verify(context.Background(), tok, o)
}

func goldenPayload() string {
	return stdClaims(
		"exp", t0.Add(23*time.Minute+10*time.Second).Unix(),
		"auth_time", t0.Add(-2*time.Minute).Unix(),
		"nonce", "n-0S6_WzA2Mj",
		"azp", testAudience,
		"org_id", "org_9ybsU1dN2dKfDkBi",
		"permissions", []string{"read:reports", "write:reports"},
		"https://myapp.example.com/roles", []string{"admin"},
		"nickname", "jane\x1b[31m\u202e",
	)
}

func sized(m Model, w, h int) Model {
	m.SetSize(w, h)
	return m
}

func TestViewGolden(t *testing.T) {
	for _, w := range []int{80, 140} {
		t.Run("valid/"+itoa(w), func(t *testing.T) {
			c := newClock()
			m := sized(NewModel(viewReport(t, c, goldenPayload(), Options{Nonce: "n-0S6_WzA2Mj", MaxAge: time.Hour, Organization: "org_9ybsU1dN2dKfDkBi"}), ViewOptions{Now: c.Now, Location: time.UTC}), w, 0)
			golden.RequireEqual(t, m.View())
		})
		t.Run("invalid/"+itoa(w), func(t *testing.T) {
			c := newClock()
			r := viewReport(t, c, stdClaims("exp", t0.Add(-3*time.Minute).Unix(), "aud", "someone-else"), Options{})
			m := sized(NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC}), w, 0)
			golden.RequireEqual(t, m.View())
		})
	}
}

func itoa(n int) string { return fmt.Sprintf("%03d", n) }

func TestViewNeverShowsControlCharacters(t *testing.T) {
	c := newClock()
	m := sized(NewModel(viewReport(t, c, goldenPayload(), Options{}), ViewOptions{Now: c.Now, Location: time.UTC}), 100, 0)
	v := m.View()
	for _, bad := range []string{"\x1b", "\u202e"} {
		if strings.Contains(v, bad) {
			t.Errorf("view carries %q raw", bad)
		}
	}
	if !strings.Contains(v, `jane\u001b[31m\u202e`) {
		t.Errorf("escaped nickname missing:\n%s", v)
	}
}

func TestViewTicksWithTheInjectedClock(t *testing.T) {
	c := newClock()
	payload := stdClaims("exp", t0.Add(23*time.Minute+10*time.Second).Unix())
	m := sized(NewModel(viewReport(t, c, payload, Options{}), ViewOptions{Now: c.Now, Location: time.UTC}), 140, 0)
	if !strings.Contains(m.View(), "expires in 23m 10s") {
		t.Fatalf("before:\n%s", m.View())
	}
	cmd := m.Init()
	if cmd == nil {
		t.Fatal("Init returned no tick")
	}
	c.Advance(time.Second)
	m, next := m.Update(TickMsg{id: m.id})
	if !strings.Contains(m.View(), "expires in 23m 9s") || next == nil {
		t.Errorf("after one tick:\n%s", m.View())
	}
	// A tick for another model changes nothing and starts no second loop.
	c.Advance(time.Second)
	same, none := m.Update(TickMsg{id: m.id + 1000})
	if none != nil || same.View() != m.View() {
		t.Error("foreign tick handled")
	}
	// Time passes beyond exp + leeway: the verdict flips.
	c.Advance(25 * time.Minute)
	m, _ = m.Update(TickMsg{id: m.id})
	if m.Report().Valid() || !strings.Contains(m.View(), "✗ INVALID: exp: expired") {
		t.Errorf("after expiry:\n%s", m.View())
	}
}

func TestViewIsCachedAndScrolls(t *testing.T) {
	c := newClock()
	m := sized(NewModel(viewReport(t, c, goldenPayload(), Options{}), ViewOptions{Now: c.Now, Location: time.UTC}), 80, 10)
	v1 := m.View()
	if n := strings.Count(v1, "\n") + 1; n != 10 {
		t.Errorf("window has %d lines, want 10", n)
	}
	c.Advance(time.Hour) // no tick: View must not change by itself
	if m.View() != v1 {
		t.Error("View re-rendered without a message")
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyDown})
	if m.View() == v1 || !strings.HasPrefix(v1, m.lines[0]) || strings.HasPrefix(m.View(), m.lines[0]) {
		t.Error("down did not scroll")
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyHome})
	if m.View() != v1 {
		t.Error("home did not return to the top")
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyEnd})
	last := m.lines[len(m.lines)-1]
	if !strings.HasSuffix(m.View(), last) {
		t.Error("end did not reach the bottom")
	}
}

func TestViewReportMsgAndReload(t *testing.T) {
	f := newFixture(t)
	o := f.opts()
	tok := f.rs256(t, stdClaims())
	m := NewModel(nil, ViewOptions{Now: f.clock.Now, Location: time.UTC}).WithSource(tok, o)
	if !strings.Contains(m.View(), "verifying") {
		t.Errorf("placeholder: %q", m.View())
	}
	msg := m.VerifyCmd()()
	m, _ = m.Update(msg)
	if !m.Report().Valid() || !strings.Contains(m.View(), "✓ VALID") {
		t.Fatalf("after verify:\n%s", m.View())
	}
	hits := f.srv.hits.Load()
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	if cmd == nil {
		t.Fatal("r gave no command")
	}
	if rm, ok := cmd().(ReportMsg); !ok || !rm.Report.Valid() {
		t.Errorf("reload result %+v", rm)
	}
	if f.srv.hits.Load() != hits+1 {
		t.Errorf("reload did not refetch the keys")
	}
}

func TestViewNarrowStacksWideSideBySide(t *testing.T) {
	c := newClock()
	r := viewReport(t, c, stdClaims(), Options{})
	narrow := sized(NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC}), 80, 0).View()
	wide := sized(NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC}), 140, 0).View()
	lineWith := func(v, s string) string {
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, s) {
				return l
			}
		}
		return ""
	}
	if l := lineWith(wide, "Header"); !strings.Contains(l, "Payload") || !strings.Contains(l, "Checks") {
		t.Errorf("wide: titles not on one line: %q", l)
	}
	if l := lineWith(narrow, "Header"); strings.Contains(l, "Payload") {
		t.Errorf("narrow: side by side: %q", l)
	}
	for _, l := range strings.Split(narrow, "\n") {
		if lipgloss.Width(l) > 80 {
			t.Errorf("narrow line wider than 80: %q", l)
		}
	}
}

// A tick re-renders only when a time shown reads differently.
func TestViewTickRendersOnlyWhenTheTextChanges(t *testing.T) {
	c := newClock()
	payload := stdClaims("iat", t0.Add(-3*time.Hour).Unix(), "exp", t0.Add(5*time.Hour+30*time.Second).Unix())
	m := sized(NewModel(viewReport(t, c, payload, Options{}), ViewOptions{Now: c.Now, Location: time.UTC}), 140, 0)
	before, v := m.renders, m.View()
	if !strings.Contains(v, "expires in 5h") {
		t.Fatalf("before:\n%s", v)
	}
	for range 5 {
		c.Advance(time.Second)
		m, _ = m.Update(TickMsg{id: m.id})
	}
	if m.renders != before || m.View() != v {
		t.Errorf("%d renders for ticks that change no text", m.renders-before)
	}
	// A minute on, "5h" becomes "4h 59m": one render.
	c.Advance(time.Minute)
	m, _ = m.Update(TickMsg{id: m.id})
	if m.renders != before+1 || !strings.Contains(m.View(), "expires in 4h 59m") {
		t.Errorf("%d renders after a minute:\n%s", m.renders-before, m.View())
	}
}
