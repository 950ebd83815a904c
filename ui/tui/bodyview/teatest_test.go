package bodyview

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// harness runs the pane as a program, as the root will: sizes from
// WindowSizeMsg, the body prepared by a Cmd, ctrl+c quits.
type harness struct {
	pane *Model
	body []byte
}

func (h harness) Init() tea.Cmd {
	return h.pane.Prepare(7, h.body, "application/json", true, 8<<20)
}

func (h harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.pane.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return h, tea.Quit
		}
	}
	return h, h.pane.Update(msg)
}

func (h harness) View() string { return h.pane.View() }

func TestProgramSearchAndScroll(t *testing.T) {
	m := New(DefaultStyles(), DefaultKeyMap())
	m.Focus()
	body := usersJSON(3000)[:2500] // cut: the notice shows
	tm := teatest.NewTestModel(t, harness{pane: m, body: body}, teatest.WithInitialTermSize(64, 14))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor(`"user_id"`)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Number")})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(`1/4 "Number"`)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'n'}})
	waitFor(`2/4 "Number"`)
	tm.Send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(final.View()))
}
