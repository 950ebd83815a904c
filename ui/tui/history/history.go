// Package history is the TUI's history pane: the exchanges of this session
// and of earlier runs on the same profile, newest first, one row each
// (time, operation, status, latency, tenant). enter reopens one in the
// answer pane, r sends it again, x clears the history after a question.
// The pane does no I/O and knows no file: the root gives it its rows
// (SetItems) and acts on what it asks for (ActionMsg).
package history

import (
	"fmt"
	"strings"
	"time"

	"auth0-explorer/ui/tui/internal/fit"
	"auth0-explorer/ui/tui/internal/human"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the pane; the root's theme fills them.
type Styles struct {
	Header, Item, Selected, SelectedBlur, Dim, Good, Bad, Warn, Session lipgloss.Style
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		Header:       lipgloss.NewStyle().Bold(true),
		Selected:     lipgloss.NewStyle().Reverse(true),
		SelectedBlur: lipgloss.NewStyle().Bold(true),
		Dim:          lipgloss.NewStyle().Faint(true),
		Warn:         lipgloss.NewStyle().Bold(true),
	}
}

// KeyMap of the pane. Yes and No answer a question (clear the history,
// send to another tenant).
type KeyMap struct {
	Up, Down, Top, Bottom, Open, Resend, Clear, Yes, No key.Binding
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "newest")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "oldest")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "reopen")),
		Resend: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "send again")),
		Clear:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "clear history")),
		Yes:    key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes")),
		No:     key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// Item is one exchange in the list.
type Item struct {
	ID      string
	Time    time.Time
	Op      string
	Status  int // 0: no answer arrived
	Latency time.Duration
	Tenant  string
	// Live: an exchange of this run, kept in memory with its tokens; the
	// others were read from disk, their tokens redacted.
	Live bool
}

// Action is what the person asked of an item.
type Action int

const (
	// Reopen shows the exchange in the answer pane.
	Reopen Action = iota
	// Resend sends its request again.
	Resend
	// Clear removes the profile's history (asked first).
	Clear
)

// ActionMsg asks the root to act. Confirmed: the person answered yes to
// the question the root asked (Confirm).
type ActionMsg struct {
	Action    Action
	ID        string
	Confirmed bool
}

// Options are what the pane needs from the program.
type Options struct {
	Now    func() time.Time
	Escape func(string) string
}

// Model is the history pane.
type Model struct {
	st   Styles
	keys KeyMap
	o    Options

	items   []Item
	profile string
	note    string // loading, a problem, history off
	sel     int
	offset  int
	focused bool
	w, h    int

	ask   string     // the question being asked, "" when none
	onYes *ActionMsg // what yes does
}

// New returns an empty pane.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Escape == nil {
		o.Escape = func(s string) string { return s }
	}
	return &Model{st: st, keys: keys, o: o}
}

// SetItems replaces the rows (newest first) of profile's history; the
// selection stays on the same exchange when it is still there.
func (m *Model) SetItems(profile string, items []Item) {
	id := ""
	if it := m.Selected(); it != nil {
		id = it.ID
	}
	m.profile, m.items, m.sel = profile, items, 0
	for i, it := range items {
		if it.ID == id {
			m.sel = i
		}
	}
	m.keep()
}

// Items are the rows shown.
func (m *Model) Items() []Item { return m.items }

// SetNote shows a line under the title (loading, a problem, history off).
func (m *Model) SetNote(s string) { m.note = s }

// Selected is the row under the cursor; nil when the list is empty.
func (m *Model) Selected() *Item {
	if m.sel < 0 || m.sel >= len(m.items) {
		return nil
	}
	return &m.items[m.sel]
}

// Confirm asks question; yes sends yes back with Confirmed set.
func (m *Model) Confirm(question string, yes ActionMsg) {
	yes.Confirmed = true
	m.ask, m.onYes = question, &yes
}

// Asking reports whether a question waits for its answer.
func (m *Model) Asking() bool { return m.ask != "" }

// Update handles the keys of the focused pane.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !m.focused {
		return nil
	}
	k := m.keys
	if m.ask != "" {
		switch {
		case key.Matches(km, k.Yes):
			yes := *m.onYes
			m.ask, m.onYes = "", nil
			return func() tea.Msg { return yes }
		case key.Matches(km, k.No):
			m.ask, m.onYes = "", nil
		}
		return nil
	}
	switch {
	case key.Matches(km, k.Up):
		m.move(-1)
	case key.Matches(km, k.Down):
		m.move(1)
	case key.Matches(km, k.Top):
		m.sel = 0
		m.keep()
	case key.Matches(km, k.Bottom):
		m.sel = max(0, len(m.items)-1)
		m.keep()
	case key.Matches(km, k.Open), key.Matches(km, k.Resend):
		it := m.Selected()
		if it == nil {
			return nil
		}
		a := ActionMsg{Action: Reopen, ID: it.ID}
		if key.Matches(km, k.Resend) {
			a.Action = Resend
		}
		return func() tea.Msg { return a }
	case key.Matches(km, k.Clear):
		m.Confirm(fmt.Sprintf("Clear the history of %s, on disk too? y/n", m.o.Escape(m.profileName())), ActionMsg{Action: Clear})
	}
	return nil
}

func (m *Model) profileName() string {
	if m.profile == "" {
		return "this tenant"
	}
	return m.profile
}

func (m *Model) move(d int) {
	m.sel = min(max(0, m.sel+d), max(0, len(m.items)-1))
	m.keep()
}

// listHeight is the rows the list has: the pane less the title, the note
// and the question.
func (m *Model) listHeight() int {
	return max(1, m.h-1-len(m.wrapped(m.note))-len(m.wrapped(m.ask)))
}

// wrapped is s in lines of the pane's width, at most three.
func (m *Model) wrapped(s string) []string {
	if s == "" || m.w <= 0 {
		return nil
	}
	ls := strings.Split(lipgloss.NewStyle().Width(m.w).Render(s), "\n")
	if len(ls) > 3 {
		ls = append(ls[:2], fit.Cut(ls[2], m.w-1)+"…")
	}
	return ls
}

// keep scrolls so the selection shows.
func (m *Model) keep() {
	h := m.listHeight()
	if m.sel < m.offset {
		m.offset = m.sel
	}
	if m.sel >= m.offset+h {
		m.offset = m.sel - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.items)-h))
}

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.keep()
}

// View draws the title line, the note, the question and the rows.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	live := 0
	for _, it := range m.items {
		if it.Live {
			live++
		}
	}
	title := fmt.Sprintf("%s · %d exchange%s", m.o.Escape(m.profileName()), len(m.items), plural(len(m.items)))
	if live > 0 {
		title += fmt.Sprintf(" · ● %d of this run (tokens usable)", live)
	}
	lines := []string{fit.Cut(m.st.Header.Render(title), m.w)}
	for _, l := range m.wrapped(m.note) {
		lines = append(lines, m.st.Dim.Render(l))
	}
	for _, l := range m.wrapped(m.ask) {
		lines = append(lines, m.st.Warn.Render(l))
	}
	if len(m.items) == 0 {
		lines = append(lines, m.st.Dim.Render(fit.Cut("No exchange yet: what you send is listed here.", m.w)))
		return strings.Join(lines, "\n")
	}
	opw := 0
	for _, it := range m.items {
		opw = max(opw, len(it.Op))
	}
	opw = min(opw, 32)
	now := m.o.Now()
	end := min(len(m.items), m.offset+m.listHeight())
	for i := m.offset; i < end; i++ {
		it := m.items[i]
		mark := " "
		if it.Live {
			mark = "●"
		}
		status, st := "  —", m.st.Dim
		if it.Status > 0 {
			status = fmt.Sprintf("%3d", it.Status)
			switch {
			case it.Status >= 400:
				st = m.st.Bad
			default:
				st = m.st.Good
			}
		}
		cells := func(status string) string {
			return fit.Cut(fmt.Sprintf("%s %s  %s  %s  %7s  %s", mark, fit.Pad(when(it.Time, now), 14), fit.Pad(fit.Cut(it.Op, opw), opw),
				status, latency(it.Latency, it.Status), m.o.Escape(it.Tenant)), m.w)
		}
		var row string
		switch {
		case i == m.sel && m.focused:
			row = m.st.Selected.Render(fit.Pad(cells(status), m.w))
		case i == m.sel:
			row = m.st.SelectedBlur.Render(cells(status))
		default:
			// Colour only the status, so the row reads without colour too.
			row = cells(st.Render(status))
		}
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// when is a row's time: the clock time today, the date before.
func when(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if y, m, d := t.Date(); now.Year() == y && now.Month() == m && now.Day() == d {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 02 15:04")
}

func latency(d time.Duration, status int) string {
	if status == 0 && d == 0 {
		return "—"
	}
	return human.Duration(d)
}

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus()        { m.focused = true }
func (m *Model) Blur()         { m.focused = false }
func (m *Model) Focused() bool { return m.focused }

// Capturing: a question waits for y or n, so no other key acts.
func (m *Model) Capturing() bool { return m.ask != "" }

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	if m.ask != "" {
		return []key.Binding{m.keys.Yes, m.keys.No}
	}
	if len(m.items) == 0 {
		return nil
	}
	return []key.Binding{m.keys.Open, m.keys.Resend, m.keys.Up, m.keys.Down, m.keys.Clear}
}

// FullHelp lists the pane's keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Open, k.Resend, k.Clear}, {k.Up, k.Down, k.Top, k.Bottom}}
}
