package tui

import (
	"fmt"
	"net/http"

	"auth0-explorer/api"
	"auth0-explorer/ui/tui/outbox"
	"auth0-explorer/ui/tui/response"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// NoOutbox is what the outbox key says on a tenant that is not the
// in-process sandbox.
const NoOutbox = "The outbox exists only on the sandbox tenant (auth0-explorer --sandbox)."

// toggleOutbox opens the sandbox's outbox in the Answer's place, or closes
// it. Without a sandbox it says why there is none.
func (m *Model) toggleOutbox() tea.Cmd {
	if m.outbox.IsOpen() {
		m.closeOutbox()
		return nil
	}
	s := m.o.Session
	if !s.IsSandbox() {
		m.setToast(NoOutbox, true)
		return m.expireToast()
	}
	m.closeToken()
	m.pickOpen, m.hs.open = false, false // one pane in the right column at a time
	back := m.focus
	if back == focusOutbox || back == focusTok {
		back = focusOps
	}
	var hc *http.Client
	if s.Client != nil {
		hc = s.Client.HTTP
	}
	cmd := m.outbox.Open(outbox.Tenant{Base: s.Sandbox.BaseURL, Outbox: s.Sandbox.Outbox, HTTP: hc})
	m.outboxBack = back
	m.zoom = false
	m.setFocus(focusOutbox)
	return cmd
}

// closeOutbox puts the Answer back, and the focus where it was.
func (m *Model) closeOutbox() {
	if !m.outbox.IsOpen() {
		return
	}
	m.outbox.Close()
	if m.focus == focusOutbox {
		f := m.outboxBack
		if f == focusForm && m.form == nil || f == focusOutbox || f == focusTok {
			f = focusOps
		}
		m.setFocus(f)
	}
	m.layout()
}

// outboxAnswered: an answer arrived while the outbox is open. The outbox
// stays (what the request sent shows at once) and keeps the focus; the
// status bar has the answer's status, and o or esc shows the answer.
func (m *Model) outboxAnswered(ex *api.Exchange) tea.Cmd {
	m.setFocus(focusOutbox)
	txt := "The answer is under the outbox: o or esc shows it."
	if ex != nil && ex.Response != nil {
		txt = fmt.Sprintf("Answer %d under the outbox: o or esc shows it.", ex.Response.Status)
	}
	m.setToast(txt, ex == nil || ex.Response == nil || ex.Response.Status >= 400)
	return tea.Batch(m.outbox.Refresh(), m.expireToast())
}

// openOutboxForm opens the form the outbox asked for (a verify form with
// the code and the address, the code grant with a magic link's code): the
// outbox closes, the fields are filled, and openForm focuses the field.
func (m *Model) openOutboxForm(msg outbox.OpenFormMsg) tea.Cmd {
	op := api.ByName(msg.Op)
	if op == nil {
		m.setToast("No operation "+msg.Op+".", true)
		return m.expireToast()
	}
	m.closeOutbox()
	m.tokOpen = false
	f := m.formFor(op)
	focusValue := ""
	for _, fl := range msg.Fills {
		if fl.Field == msg.Focus {
			focusValue = fl.Value
			continue
		}
		f.SetValue(fl.Field, fl.Value)
	}
	return m.openForm(response.OpenFormMsg{Op: msg.Op, Field: msg.Focus, Value: focusValue, What: msg.What})
}

// cycleOutbox moves the focus ring while the outbox is open: it takes the
// Answer's place in the ring. It reports whether it moved the focus.
func (m *Model) cycleOutbox(dir int) bool {
	switch {
	case m.focus == focusOutbox && dir > 0:
		m.setFocus(focusOps)
	case m.focus == focusOutbox && m.form != nil:
		m.form.FocusLast()
		m.setFocus(focusForm)
	case m.focus == focusOutbox:
		m.setFocus(focusOps)
	case m.focus == focusForm && dir > 0:
		if !m.form.Next() {
			m.setFocus(focusOutbox)
		}
	case m.focus == focusOps && dir < 0:
		m.setFocus(focusOutbox)
	default:
		return false
	}
	return true
}

// outboxHelp is the outbox key for the help line: to open it on the
// sandbox (not while the token inspector, whose keys need the room, is
// open), to close it while it has the focus.
func (m *Model) outboxHelp() []key.Binding {
	if m.focused().Capturing() || !m.o.Session.IsSandbox() || m.tokOpen {
		return nil
	}
	b := m.keys.Outbox
	if m.outbox.IsOpen() {
		if m.focus != focusOutbox {
			return nil
		}
		b.SetHelp("o/esc", "close outbox")
	}
	return []key.Binding{b}
}

// outboxHelpSection is the outbox's column in the help overlay.
func (m *Model) outboxHelpSection() helpSection {
	b := m.keys.Outbox
	b.SetHelp("o/esc", "open or close (sandbox)")
	ob := m.keys.OutboxPane
	use := ob.Use
	use.SetHelp("enter", "verify with the code, follow the link, reset, approve")
	deny := ob.Deny
	deny.SetHelp("x", "deny an approval (device, CIBA, MFA push)")
	return helpSection{"Sandbox outbox", []key.Binding{b, ob.Up, ob.Down, use, deny}}
}
