package history

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.Local)

func keys(m *Model, s ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range s {
		msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		}
		cmd = m.Update(msg)
	}
	return cmd
}

// The selection stays in view as it moves; enter and r ask the root for
// the selected exchange; x asks first, and only y clears.
func TestPaneKeys(t *testing.T) {
	m := New(Options{Now: func() time.Time { return now }}, DefaultStyles(), DefaultKeyMap())
	var items []Item
	for i := range 30 {
		items = append(items, Item{ID: fmt.Sprint("e", i), Time: now.Add(-time.Duration(i) * time.Minute), Op: "passwordGrant", Status: 200, Latency: 12 * time.Millisecond, Tenant: "dev.eu.auth0.com", Live: i < 2})
	}
	items = append(items, Item{ID: "old", Time: now.AddDate(0, 0, -3), Op: "getProfile"})
	m.SetItems("dev", items)
	m.SetSize(80, 10)
	m.Focus()
	if v := m.View(); !strings.Contains(v, "dev · 31 exchanges · ● 2 of this run") || !strings.Contains(v, "● 12:00:00") {
		t.Fatalf("view:\n%s", v)
	}
	keys(m, "G")
	if v := m.View(); !strings.Contains(v, "getProfile") || !strings.Contains(v, now.AddDate(0, 0, -3).Format("Jan 02")) || !strings.Contains(v, "—") {
		t.Fatalf("the oldest row is not shown:\n%s", v)
	}
	keys(m, "g", "j", "j")
	if msg := keys(m, "r")(); msg != (ActionMsg{Action: Resend, ID: "e2"}) {
		t.Errorf("r: %+v", msg)
	}
	if msg := keys(m, "enter")(); msg != (ActionMsg{Action: Reopen, ID: "e2"}) {
		t.Errorf("enter: %+v", msg)
	}
	if cmd := keys(m, "x"); cmd != nil || !m.Capturing() || len(m.ShortHelp()) != 2 {
		t.Fatal("x did not ask")
	}
	if cmd := keys(m, "q", "esc"); cmd != nil || m.Asking() {
		t.Fatal("esc did not drop the question")
	}
	keys(m, "x")
	if msg := keys(m, "y")(); msg != (ActionMsg{Action: Clear, Confirmed: true}) {
		t.Errorf("y: %+v", msg)
	}
	// The selection follows its exchange when the rows change.
	m.SetItems("dev", append([]Item{{ID: "new", Time: now}}, items...))
	if it := m.Selected(); it == nil || it.ID != "e2" {
		t.Errorf("selected %+v, want e2", it)
	}
}

// A loopback exchange under a millisecond reads "<1ms", not "0ms".
func TestLatencyUnderAMillisecond(t *testing.T) {
	m := New(Options{Now: func() time.Time { return now }}, DefaultStyles(), DefaultKeyMap())
	m.SetItems("dev", []Item{{ID: "e", Time: now, Op: "getProfile", Status: 200, Latency: 300 * time.Microsecond, Tenant: "127.0.0.1"}})
	m.SetSize(80, 10)
	if v := m.View(); !strings.Contains(v, "<1ms") || strings.Contains(v, "0ms") {
		t.Errorf("latency:\n%s", v)
	}
}
