package response

import (
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/internal/fit"

	tea "github.com/charmbracelet/bubbletea"
)

// ContinueMFAMsg asks the root to go on with the MFA step-up in place (the
// flow pane's MFA flow) from the mfa_token of the answer shown, which
// answered mfa_required; Audience is what its request asked for.
type ContinueMFAMsg struct {
	MFAToken, Audience string
}

// String leaves the mfa_token out: the message reaches the debug log.
func (m ContinueMFAMsg) String() string {
	return "response.ContinueMFAMsg audience=" + m.Audience
}

// mfaOffer: the answer shown is an mfa_required one whose mfa_token is
// there to go on with (a saved copy reopened from the history is not).
func (m *Model) mfaOffer() (ContinueMFAMsg, bool) {
	if m.sending {
		return ContinueMFAMsg{}, false
	}
	tok, ok := app.MFATokenOf(m.ex)
	return ContinueMFAMsg{MFAToken: tok, Audience: m.audience}, ok
}

// MFAOffered reports whether m (MFA) applies to the answer shown.
func (m *Model) MFAOffered() bool {
	_, ok := m.mfaOffer()
	return ok
}

// continueMFA is the Cmd of the MFA key, nil when it does not apply.
func (m *Model) continueMFA() tea.Cmd {
	msg, ok := m.mfaOffer()
	if !ok {
		return nil
	}
	return func() tea.Msg { return msg }
}

// mfaLine says that the sign-in wants a second factor and which key goes
// on with it; empty when the answer is not an mfa_required one.
func (m *Model) mfaLine() string {
	if _, ok := m.mfaOffer(); !ok {
		return ""
	}
	k := m.keys.MFA.Help().Key
	return m.st.Status4xx.Render("MFA required:") + " " + fit.Cut(k+" continues with MFA here (the mfa_token goes on)", max(1, m.w-14))
}
