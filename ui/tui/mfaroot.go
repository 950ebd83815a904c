package tui

import (
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/response"

	tea "github.com/charmbracelet/bubbletea"
)

// continueMFA goes on with an mfa_required answer in place (m in the
// Answer): the flow pane opens on the MFA step-up, started from the
// answer's mfa_token, nothing to type again. A flow under way is not
// replaced: the person stops it first.
func (m *Model) continueMFA(msg response.ContinueMFAMsg) tea.Cmd {
	s := m.o.Session
	if s == nil || s.Client == nil || msg.MFAToken == "" {
		return nil
	}
	p := m.fl.pane
	if p.Running() {
		m.setToast("A flow is running: f shows it, esc there stops it; then m again.", true)
		return m.expireToast()
	}
	p.Show([]flows.Flow{flows.MFAFromToken(m.flowEnv(), msg.MFAToken, msg.Audience)}, s.IsSandbox())
	p.Choose(flows.MFATitle)
	cmd := p.Start()
	return tea.Batch(m.openFlow(), cmd)
}
