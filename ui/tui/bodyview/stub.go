// Package bodyview: STUB until the real pane lands (same contract).
package bodyview

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

type Styles struct{ Text lipgloss.Style }
type KeyMap struct{ Down, Up key.Binding }

func DefaultStyles() Styles { return Styles{} }
func DefaultKeyMap() KeyMap {
	return KeyMap{Down: key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("j/k", "scroll")), Up: key.NewBinding(key.WithKeys("k", "up"))}
}

type PreparedMsg struct {
	ID    uint64
	lines []string
}

type Model struct {
	st      Styles
	keys    KeyMap
	lines   []string
	content string
	off     int
	w, h    int
	focused bool
	expect  uint64
}

func New(st Styles, k KeyMap) *Model { return &Model{st: st, keys: k} }

func Prepare(id uint64, body []byte, contentType string, truncated bool, capBytes int) tea.Cmd {
	return func() tea.Msg { return PreparedMsg{ID: id, lines: strings.Split(string(body), "\n")} }
}
func (m *Model) Expect(id uint64) { m.expect = id; m.lines = nil }
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PreparedMsg:
		if msg.ID == m.expect {
			m.lines = msg.lines
			m.content = strings.Join(msg.lines, "\n")
			m.off = 0
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Down):
			m.off = min(m.off+1, max(0, len(m.lines)-m.h))
		case key.Matches(msg, m.keys.Up):
			m.off = max(0, m.off-1)
		}
	}
	return nil
}
func (m *Model) View() string {
	end := min(len(m.lines), m.off+m.h)
	if m.off >= end {
		return ""
	}
	return strings.Join(m.lines[m.off:end], "\n")
}
func (m *Model) SetSize(w, h int)               { m.w, m.h = w, h }
func (m *Model) ShortHelp() []key.Binding       { return []key.Binding{m.keys.Down} }
func (m *Model) FullHelp() [][]key.Binding      { return [][]key.Binding{m.ShortHelp()} }
func (m *Model) Focus()                         { m.focused = true }
func (m *Model) Blur()                          { m.focused = false }
func (m *Model) Focused() bool                  { return m.focused }
func (m *Model) Capturing() bool                { return false }
func (m *Model) Content() string                { return m.content }
func (m *Model) Empty() bool                    { return len(m.lines) == 0 }
