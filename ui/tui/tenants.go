package tui

import (
	"auth0-explorer/ui/app"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The tenant picker (`p`): it takes the place of the Request and Answer
// column while open, as the token inspector does.

func (m *Model) openPicker() tea.Cmd {
	if !m.pickOpen {
		m.pickOpen, m.pickBack = true, m.focus
		if m.pickBack == focusPick {
			m.pickBack = focusOps
		}
	}
	m.tokOpen, m.hs.open = false, false // one pane in the right column at a time
	m.closeOutbox()
	m.setFocus(focusPick)
	name := ""
	if m.o.Session != nil {
		name = m.o.Session.Name
	}
	return m.pick.Open(name)
}

func (m *Model) closePicker() {
	if !m.pickOpen {
		return
	}
	m.pickOpen = false
	f := m.pickBack
	if f == focusForm && m.form == nil || f == focusPick || f == focusTok {
		f = focusOps
	}
	m.setFocus(f)
}

// pickKey handles a key while the picker has the focus: ctrl+c quits; at
// the list with nothing under way esc and p close it and q and ? work;
// everything else is the picker's.
func (m *Model) pickKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.pick.AtTop() && !m.pick.Capturing() {
		switch {
		case key.Matches(msg, k.Back, k.Tenants):
			m.closePicker()
			return nil
		case key.Matches(msg, k.QuitQ):
			return m.quitCmd()
		case key.Matches(msg, k.Help):
			m.showHelp = true
			return nil
		}
	}
	return m.pick.Update(msg)
}

// switchSession makes s the session at once: the status bar, the checks
// of tokens from now on, and the forms' profile defaults follow (values
// the person typed stay). A request in flight to the old tenant is
// cancelled, so its answer is not read as the new one's.
func (m *Model) switchSession(s *app.Session) tea.Cmd {
	m.cancelRequest()
	// A flow under way belongs to the tenant it started on: its answers
	// must not land in the new tenant's Answer and history.
	flowStopped := m.fl.pane.Stop()
	m.o.Session = s
	m.resp.SetSession(s)
	cmd := m.tok.SetSession(s)
	for _, f := range m.forms {
		f.SetDefaults(m.defaults(f.Op()))
	}
	m.closePicker()
	txt := "Now on " + m.o.Escape(s.Name) + " (" + m.o.Escape(s.Domain()) + ")."
	if s.Production() {
		txt = "Now on " + m.o.Escape(s.Name) + " (" + m.o.Escape(s.Domain()) + "), a PRODUCTION tenant."
	}
	if flowStopped {
		txt += " The flow under way on the other tenant was stopped."
	}
	m.setToast(txt, false)
	return tea.Batch(cmd, m.expireToast())
}

// prodBadge marks a production tenant in the status bar: a word, so it
// shows without colour, in the alarm colour.
func (m *Model) prodBadge() string {
	if m.o.Session == nil || !m.o.Session.Production() {
		return ""
	}
	return m.st.BadgeProd.Render("PROD") + " "
}
