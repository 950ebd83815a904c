// Package operations is the TUI's operation list: the catalogue grouped as
// the SDK groups it, filtered with "/".
package operations

import (
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the list; the root's theme fills them.
type Styles struct {
	Group, Item, Selected, SelectedBlur, Deprecated, Filter, Dim lipgloss.Style
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		Group:        lipgloss.NewStyle().Bold(true),
		Selected:     lipgloss.NewStyle().Reverse(true),
		SelectedBlur: lipgloss.NewStyle().Bold(true),
		Dim:          lipgloss.NewStyle().Faint(true),
		Deprecated:   lipgloss.NewStyle().Faint(true),
	}
}

// KeyMap of the list.
type KeyMap struct {
	Up, Down, Top, Bottom, Open, Filter, ClearFilter, AcceptFilter key.Binding
}

// DefaultKeyMap is the list's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Open:         key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "open form")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		AcceptFilter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
	}
}

// Event is what the last Update did that the root must act on at once
// (not through a message, so keys typed right after land where they
// should): the cursor moved to an operation, or the person chose one.
type Event struct {
	Op   *api.Operation
	Open bool
}

type row struct {
	group string // a group header when op is nil
	op    *api.Operation
}

// Model is the operation list.
type Model struct {
	st      Styles
	keys    KeyMap
	all     []*api.Operation
	rows    []row
	cursor  int // index into rows, always on an operation when there is one
	offset  int
	w, h    int
	focused bool

	filtering bool
	filter    textinput.Model
	event     *Event
}

// TakeEvent returns and forgets what the last Update did; nil when the
// selection did not change and nothing was opened.
func (m *Model) TakeEvent() *Event {
	e := m.event
	m.event = nil
	return e
}

func (m *Model) open() tea.Cmd {
	if op := m.Selected(); op != nil {
		m.event = &Event{Op: op, Open: true}
	}
	return nil
}

// New lists ops (the catalogue, in its order).
func New(ops []*api.Operation, st Styles, keys KeyMap) *Model {
	ti := textinput.New()
	ti.KeyMap.Paste.SetEnabled(false) // no system clipboard read (TUI-NOTES §2)
	ti.Prompt = "/"
	ti.Placeholder = "filter operations"
	ti.Cursor.SetMode(0) // blink
	m := &Model{st: st, keys: keys, all: ops, filter: ti}
	m.rebuild()
	return m
}

// Selected is the operation under the cursor; nil when the filter hides all.
func (m *Model) Selected() *api.Operation {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor].op
}

// Filtering reports whether the filter is being typed.
func (m *Model) Filtering() bool { return m.filtering }

// Capturing: the filter takes every key while it is typed.
func (m *Model) Capturing() bool { return m.filtering }

// FilterText is the current filter.
func (m *Model) FilterText() string { return m.filter.Value() }

// StartFilter opens the filter input (the root's "/").
func (m *Model) StartFilter() tea.Cmd {
	m.filtering = true
	return m.filter.Focus()
}

func matches(op *api.Operation, q string) bool {
	if q == "" {
		return true
	}
	q = strings.ToLower(q)
	name := strings.ToLower(op.Name)
	if strings.Contains(name, q) || strings.Contains(strings.ToLower(op.Group), q) {
		return true
	}
	// Letters in order (pwgr → passwordGrant).
	i := 0
	for _, r := range name {
		if i < len(q) && rune(q[i]) == r {
			i++
		}
	}
	return i == len(q)
}

func (m *Model) rebuild() {
	prev := m.Selected()
	q := strings.TrimSpace(m.filter.Value())
	m.rows = m.rows[:0]
	var groups []string
	byGroup := map[string][]*api.Operation{}
	for _, op := range m.all {
		if !matches(op, q) {
			continue
		}
		if _, ok := byGroup[op.Group]; !ok {
			groups = append(groups, op.Group)
		}
		byGroup[op.Group] = append(byGroup[op.Group], op)
	}
	for _, g := range groups {
		m.rows = append(m.rows, row{group: g})
		for _, op := range byGroup[g] {
			m.rows = append(m.rows, row{op: op})
		}
	}
	m.cursor = -1
	for i, r := range m.rows {
		if r.op != nil && (m.cursor < 0 || r.op == prev) {
			m.cursor = i
			if r.op == prev {
				break
			}
		}
	}
	// An exact name match wins the cursor.
	for i, r := range m.rows {
		if r.op != nil && q != "" && strings.EqualFold(r.op.Name, q) {
			m.cursor = i
		}
	}
	m.offset = 0
	m.keepVisible()
}

// Select puts the cursor on the operation named name, clearing a filter
// that hides it.
func (m *Model) Select(name string) {
	if !m.shows(name) && m.filter.Value() != "" {
		m.filter.SetValue("")
		m.filtering = false
		m.filter.Blur()
		m.rebuild()
	}
	for i, r := range m.rows {
		if r.op != nil && r.op.Name == name {
			m.cursor = i
			m.keepVisible()
			return
		}
	}
}

func (m *Model) shows(name string) bool {
	for _, r := range m.rows {
		if r.op != nil && r.op.Name == name {
			return true
		}
	}
	return false
}

func (m *Model) listHeight() int {
	h := m.h
	if m.filtering || m.filter.Value() != "" {
		h--
	}
	return max(1, h)
}

func (m *Model) keepVisible() {
	h := m.listHeight()
	if m.cursor < 0 {
		return
	}
	top := m.cursor
	if top > 0 && m.rows[top-1].op == nil {
		top-- // show the group header with its first item
	}
	if top < m.offset {
		m.offset = top
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.rows)-h))
}

func (m *Model) move(delta int) tea.Cmd {
	if m.cursor < 0 {
		return nil
	}
	i := m.cursor
	for {
		i += delta
		if i < 0 || i >= len(m.rows) {
			return nil
		}
		if m.rows[i].op != nil {
			break
		}
	}
	m.cursor = i
	m.keepVisible()
	return m.highlight()
}

func (m *Model) jump(first bool) tea.Cmd {
	for k := range m.rows {
		i := k
		if !first {
			i = len(m.rows) - 1 - k
		}
		if m.rows[i].op != nil {
			m.cursor = i
			break
		}
	}
	m.keepVisible()
	return m.highlight()
}

func (m *Model) highlight() tea.Cmd {
	if op := m.Selected(); op != nil {
		m.event = &Event{Op: op}
	}
	return nil
}

// Update handles keys and the mouse wheel.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			return m.move(-1)
		case tea.MouseButtonWheelDown:
			return m.move(1)
		}
	case tea.KeyMsg:
		if m.filtering {
			switch {
			case key.Matches(msg, m.keys.ClearFilter):
				m.filtering = false
				m.filter.Blur()
				m.filter.SetValue("")
				m.rebuild()
				return m.highlight()
			case key.Matches(msg, m.keys.AcceptFilter):
				m.filtering = false
				m.filter.Blur()
				return m.open()
			case msg.Type == tea.KeyUp || msg.Type == tea.KeyDown:
				d := 1
				if msg.Type == tea.KeyUp {
					d = -1
				}
				return m.move(d)
			}
			before := m.filter.Value()
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			if m.filter.Value() != before {
				m.rebuild()
				m.highlight()
				return cmd
			}
			return cmd
		}
		switch {
		case key.Matches(msg, m.keys.Up):
			return m.move(-1)
		case key.Matches(msg, m.keys.Down):
			return m.move(1)
		case key.Matches(msg, m.keys.Top):
			return m.jump(true)
		case key.Matches(msg, m.keys.Bottom):
			return m.jump(false)
		case key.Matches(msg, m.keys.ClearFilter) && m.filter.Value() != "":
			m.filter.SetValue("")
			m.rebuild()
			return m.highlight()
		case key.Matches(msg, m.keys.Open):
			return m.open()
		}
	}
	return nil
}

// View draws the visible rows.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	var b strings.Builder
	h := m.listHeight()
	if m.filtering || m.filter.Value() != "" {
		m.filter.Width = max(1, m.w-2)
		b.WriteString(m.st.Filter.Render(fit.Cut(m.filter.View(), m.w)))
		b.WriteByte('\n')
	}
	if len(m.rows) == 0 {
		b.WriteString(m.st.Dim.Render(fit.Cut("no operation matches", m.w)))
		return b.String()
	}
	end := min(len(m.rows), m.offset+h)
	for i := m.offset; i < end; i++ {
		r := m.rows[i]
		if i > m.offset {
			b.WriteByte('\n')
		}
		if r.op == nil {
			b.WriteString(m.st.Group.Render(fit.Cut(r.group, m.w)))
			continue
		}
		name := r.op.Name
		if r.op.Deprecated != "" {
			name += " †"
		}
		name = middleCut(name, m.w-2)
		line := fit.Pad(fit.Cut("  "+name, m.w), m.w)
		switch {
		case i == m.cursor && m.focused:
			b.WriteString(m.st.Selected.Render(fit.Pad(fit.Cut("▸ "+name, m.w), m.w)))
		case i == m.cursor:
			b.WriteString(m.st.SelectedBlur.Render(fit.Pad(fit.Cut("▸ "+name, m.w), m.w)))
		case r.op.Deprecated != "":
			b.WriteString(m.st.Deprecated.Render(line))
		default:
			b.WriteString(m.st.Item.Render(line))
		}
	}
	return b.String()
}

// middleCut shortens a name that does not fit by its middle, so names that
// differ only at the end (authorizationCodeGrant, …WithPKCE) stay apart.
func middleCut(s string, w int) string {
	r := []rune(s)
	if w < 5 || len(r) <= w {
		return s
	}
	tail := (w - 1) / 2
	head := w - 1 - tail
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// SetSize sets the list's inner size.
func (m *Model) SetSize(w, h int) { m.w, m.h = w, h; m.keepVisible() }

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus()        { m.focused = true }
func (m *Model) Blur()         { m.focused = false; m.filtering = false; m.filter.Blur() }
func (m *Model) Focused() bool { return m.focused }

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	if m.filtering {
		return []key.Binding{m.keys.AcceptFilter, m.keys.ClearFilter}
	}
	b := []key.Binding{m.keys.Up, m.keys.Down, m.keys.Open, m.keys.Filter}
	if m.filter.Value() != "" {
		b = append(b, m.keys.ClearFilter)
	}
	return b
}

// FullHelp lists every key of the list.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Up, m.keys.Down, m.keys.Top, m.keys.Bottom}, {m.keys.Open, m.keys.Filter, m.keys.ClearFilter}}
}
