package tui

import (
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/tui/form"

	tea "github.com/charmbracelet/bubbletea"
)

// debugMsg writes one line for msg to the debug log (pug's habit), with
// every secret the program knows of redacted: the client secret, what was
// typed into secret fields, and the tokens of the answer shown. Keys typed
// into a secret field, the token inspector, a flow's options and questions,
// a profile's form or the outbox's password prompt are not written at all.
func (m *Model) debugMsg(msg tea.Msg) {
	if m.o.Debug == nil {
		return
	}
	var line string
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case msg.Paste:
			// A paste is a token or a password as often as not.
			line = fmt.Sprintf("KeyMsg (a paste of %d characters)", len(msg.Runes))
		case m.focus == focusForm && m.form != nil && m.form.Capturing() && m.form.FocusedSecret():
			line = "KeyMsg (typed into a secret field)"
		case m.focus == focusTok:
			line = "KeyMsg (typed into the token inspector)"
		case m.focus == focusFlow && m.fl.pane.Capturing(),
			m.focus == focusPick && m.pick.Capturing(),
			m.focus == focusOutbox && m.outbox.Capturing():
			// A flow's options and questions (a password, an OTP, a
			// recovery code), a profile's form (its client secret), the
			// outbox's new password: none of it is written.
			line = "KeyMsg (typed into a field that may hold a secret)"
		default:
			line = fmt.Sprintf("KeyMsg %q", msg.String())
		}
	case tea.WindowSizeMsg, tea.MouseMsg, tea.FocusMsg, tea.BlurMsg:
		line = fmt.Sprintf("%T %+v", msg, msg)
	case responseMsg:
		line = fmt.Sprintf("responseMsg id=%d op=%s %s", msg.id, msg.op.Name, exchangeSummary(msg.ex))
	case copiedMsg:
		line = fmt.Sprintf("copiedMsg what=%q how=%q err=%v", msg.what, msg.how, msg.err)
	case clearClipMsg:
		line = "clearClipMsg"
	case histLoadedMsg:
		line = fmt.Sprintf("histLoadedMsg profile=%q entries=%d corrupt=%d err=%v", msg.profile, len(msg.loaded.Entries), msg.loaded.Corrupt, msg.err)
	case histSavedMsg:
		line = fmt.Sprintf("histSavedMsg profile=%q err=%v", msg.profile, msg.err)
	default:
		// Only the type: other messages can carry secrets in forms the
		// redactor cannot match (verify options hold the HS256 secret as
		// bytes, an inspected token travels with its report).
		line = fmt.Sprintf("%T", msg)
	}
	m.debugf("%s", line)
}

func exchangeSummary(ex *api.Exchange) string {
	if ex == nil {
		return "nil"
	}
	s := fmt.Sprintf("duration=%s", ex.Duration)
	if ex.Response != nil {
		s += fmt.Sprintf(" status=%d body=%dB tokens=%d", ex.Response.Status, len(ex.Response.Body), len(ex.Tokens))
	}
	if ex.Err != nil {
		s += " err=" + ex.Redactor().String(ex.Err.Error())
	}
	return s
}

func (m *Model) debugf(format string, a ...any) {
	if m.o.Debug == nil {
		return
	}
	line := fmt.Sprintf(format, a...)
	line = m.redactor().String(line)
	line = strings.ReplaceAll(line, "\n", `\n`)
	fmt.Fprintln(m.o.Debug, m.o.Escape(line))
}

func (m *Model) redactor() *api.Redactor {
	var secrets []string
	if s := m.o.Session; s != nil && s.Client != nil && s.Client.ClientSecret != "" {
		secrets = append(secrets, s.Client.ClientSecret)
	}
	for _, f := range m.forms {
		secrets = append(secrets, f.Secrets()...)
	}
	if ex := m.resp.Exchange(); ex != nil {
		secrets = append(secrets, ex.Redactor().Secrets()...)
	}
	secrets = append(secrets, m.hs.secrets...) // the run's earlier answers
	return api.NewRedactor(secrets)
}

var _ = form.Default{}
