package tui

import (
	"context"
	"encoding/json"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/response"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The guided flows (f): the pane takes the right column (the whole screen
// when zoomed), runs a flow on its own goroutine, and the token exchange
// it ends with lands in the Answer as a sent request's answer does. The
// flow goes on while the pane is hidden (another pane opened, f); esc
// stops it.

// flowState is the root's side of the flow pane.
type flowState struct {
	pane *flows.Model
	open bool
	back focus
}

func newFlowState(m *Model) *flowState {
	return &flowState{pane: flows.New(flows.Options{Context: m.ctx, Now: m.o.Now}, m.st.Flows, m.keys.FlowPane)}
}

// flowList is the flows the pane offers on the session now. A new flow
// (CIBA, refresh and revoke…) is one more entry here.
func (m *Model) flowList() []flows.Flow {
	s := m.o.Session
	if s == nil || s.Client == nil {
		return nil
	}
	env := m.flowEnv()
	return []flows.Flow{flows.Login(env), flows.Device(env), flows.MFA(env), flows.CIBA(env), flows.Refresh(env)}
}

// flowEnv is what the flows need from the program.
func (m *Model) flowEnv() flows.Env {
	o := m.o.Browser
	return flows.Env{Session: m.o.Session, Now: m.o.Now, Sleep: m.o.Sleep,
		Open: func(ctx context.Context, url string) error { return o.Open(ctx, url) }, Held: m.heldTokens()}
}

// heldTokens are the tokens of the session's newest answer with a refresh
// token not revoked since, which the refresh flow starts from.
func (m *Model) heldTokens() flows.HeldTokens {
	t, op, at := m.resp.NewestWith("refresh_token", func(tok string) bool { return m.revoked[tok] })
	if t == nil {
		return flows.HeldTokens{}
	}
	return flows.HeldTokens{Refresh: t["refresh_token"], Access: t["access_token"], ID: t["id_token"],
		From: op + " at " + at.Local().Format("15:04:05")}
}

// openFlow shows the flow pane in the right column, with the focus.
func (m *Model) openFlow() tea.Cmd {
	s := m.o.Session
	if s == nil || s.Client == nil {
		m.setToast("No tenant to run a flow on: p adds one.", true)
		return m.expireToast()
	}
	fl := m.fl
	if !fl.pane.Running() {
		fl.pane.Show(m.flowList(), s.IsSandbox())
	}
	if !fl.open {
		fl.back = m.focus
	}
	m.closeToken()
	m.closeOutbox()
	m.tokOpen, m.pickOpen, m.hs.open = false, false, false // one pane in the right column at a time
	m.zoom = false
	m.setFocus(focusFlow)
	return nil
}

// closeFlow hides the pane; a running flow goes on. The focus goes to the
// Answer when the flow gave one, else back where it was.
func (m *Model) closeFlow() tea.Cmd {
	fl := m.fl
	fl.open = false
	m.zoom = false
	f := fl.back
	if fl.pane.Answers() > 0 && m.resp.Exchange() != nil {
		f = focusResp
	}
	if f == focusForm && m.form == nil || f == focusFlow || f == focusTok || f == focusOutbox || f == focusPick || f == focusHist {
		f = focusOps
	}
	m.setFocus(f)
	if fl.pane.Running() {
		m.setToast("The flow goes on: f shows it, esc there stops it.", false)
		return m.expireToast()
	}
	return nil
}

// flowFocus keeps the pane's visibility with the focus: the pane shows
// while it has the focus, and gives its column up to any other pane of the
// right column that takes the focus.
func (m *Model) flowFocus(f focus) {
	switch f {
	case focusFlow:
		m.fl.open = true
		m.fl.pane.Focus()
		return
	case focusForm, focusResp, focusTok, focusOutbox, focusPick, focusHist:
		m.fl.open = false
	}
	m.fl.pane.Blur()
}

// flowZoomed: the pane has the whole screen.
func (m *Model) flowZoomed() bool { return m.fl.open && m.zoom }

// flowLayout sizes the pane to r, or to the whole screen when zoomed.
func (m *Model) flowLayout(r rect) {
	if m.flowZoomed() {
		r = rect{0, 0, m.w, m.h - 2}
	}
	m.fl.pane.SetZoomed(m.flowZoomed())
	m.fl.pane.SetSize(r.w-2, r.h-2)
}

// flowView is the pane's box when it is open.
func (m *Model) flowView(r rect) string {
	if m.flowZoomed() {
		r = rect{0, 0, m.w, m.h - 2}
	}
	return m.box("Flows", m.fl.pane.View(), r, m.focus == focusFlow)
}

// flowAnswer shows a flow's exchange in the Answer as a sent request's:
// the status bar, the tabs, the tokens, the history. The pane keeps the
// focus and says where the answer is.
func (m *Model) flowAnswer(msg flows.AnswerMsg) tea.Cmd {
	if msg.Op == nil || msg.Ex == nil {
		return nil
	}
	if !m.fl.pane.Live(msg.Run) {
		m.debugf("dropped an answer of a flow that was stopped or replaced")
		return nil
	}
	m.noteRevoked(msg.Op, msg.Ex, msg.Values)
	if msg.HistoryOnly {
		return m.recordHistory(responseMsg{op: msg.Op, ex: msg.Ex, values: msg.Values})
	}
	m.seq++
	id := m.seq
	m.last = m.lastText(msg.Ex)
	cmd := m.resp.Show(id, msg.Op.Name, msg.Ex, msg.Values)
	if m.resp.Diffing() { // a refresh: its tokens against the earlier ones
		m.resp.SetTab(response.TabTokens)
	}
	if !m.fl.open {
		m.setToast("A flow's answer is in the Answer ("+m.last+").", false)
		cmd = tea.Batch(cmd, m.expireToast())
	}
	return tea.Batch(cmd, m.recordHistory(responseMsg{id: id, op: msg.Op, ex: msg.Ex, values: msg.Values}))
}

// flowKey handles the keys of the focused flow pane that are not the
// pane's own; ok is false for those the root's usual handling takes
// (tab, q, ?, o, t, p, h…).
func (m *Model) flowKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, p := m.keys, m.fl.pane
	switch {
	case key.Matches(msg, k.Back):
		if p.Back() {
			return nil, true
		}
		return m.closeFlow(), true
	case key.Matches(msg, k.Send) || p.Capturing() && !key.Matches(msg, k.NextPane, k.PrevPane, k.Mouse):
		return p.Update(msg), true
	case key.Matches(msg, k.NextPane, k.PrevPane) && p.InForm():
		return p.Update(msg), true
	case key.Matches(msg, k.Flows):
		return m.closeFlow(), true
	case key.Matches(msg, k.FlowPane.Again) && p.AtRun() && !p.Running():
		// Again from the flows as they are now: the newest usable
		// refresh token, the tenant switched to, a fresh sign-in for an
		// MFA step-up whose mfa_token was spent.
		if s := m.o.Session; s != nil && s.Client != nil {
			p.Show(m.flowList(), s.IsSandbox())
			if p.Choose(p.Title()) {
				return nil, true
			}
		}
		return p.Update(msg), true
	case key.Matches(msg, k.Zoom):
		m.zoom = !m.zoom
		m.layout()
		return nil, true
	case key.Matches(msg, k.Copy):
		if text, what := p.CopyTarget(); text != "" {
			return m.copyCmd(text, "the "+what), true
		}
		return nil, true
	case key.Matches(msg, k.OpenURL):
		if u := p.BrowserURL(); u != "" {
			return m.openBrowser(u), true
		}
		return nil, true
	}
	return nil, false
}

// flowHelp is the help line's keys while the pane has the focus.
func (m *Model) flowHelp() (global, pane, extra []key.Binding) {
	k, p := m.keys, m.fl.pane
	back := k.Back
	switch {
	case p.Running():
		back.SetHelp("esc", "stop the flow")
	case p.AtMenu():
		back.SetHelp("esc/f", "close flows")
	default:
		back.SetHelp("esc", "back")
	}
	pane = p.ShortHelp()
	if p.Capturing() {
		return []key.Binding{back, k.Quit}, pane, nil
	}
	zoom := k.Zoom
	zoom.SetHelp("z", "zoom")
	global = []key.Binding{back, zoom, k.Help, k.QuitQ}
	if m.o.Session.IsSandbox() {
		extra = append(extra, k.Outbox)
	}
	return global, pane, extra
}

// flowHelpSection is the flows' column in the help overlay.
func (m *Model) flowHelpSection() helpSection {
	k, fk := m.keys, m.keys.FlowPane
	open := k.Flows
	open.SetHelp("f", "guided flows: browser and device login, MFA, CIBA, refresh and revoke")
	stop := k.Back
	stop.SetHelp("esc", "stop the flow, back, close")
	zoom := k.Zoom
	zoom.SetHelp("z", "zoom the flow (QR code)")
	cp := fk.Copy
	cp.SetHelp("y", "copy the user code or URL")
	return helpSection{"Flows", []key.Binding{open, fk.Choose, fk.Toggle, stop, zoom, cp, fk.Open, fk.Again}}
}

// noteRevoked remembers the refresh tokens that no longer work: one the
// tenant accepted to revoke (by a flow or a sent revokeRefreshToken) and
// one a refresh rotated (sending it again would revoke the whole family),
// so that the refresh flow does not start from them.
func (m *Model) noteRevoked(op *api.Operation, ex *api.Exchange, v api.Values) {
	if op == nil || ex == nil || ex.Err != nil || ex.Response == nil || ex.Response.Status/100 != 2 {
		return
	}
	field := ""
	switch {
	case strings.HasSuffix(op.Name, "revokeRefreshToken"):
		field = "token"
	case strings.HasSuffix(op.Name, "refreshToken"):
		field = "refresh_token"
		rotated := false
		for _, t := range ex.Tokens {
			rotated = rotated || t.Field == "refresh_token" && t.Value != ""
		}
		if !rotated {
			return
		}
	default:
		return
	}
	for _, f := range v.Fields {
		var tok string
		if f.Name == field && json.Unmarshal(f.Raw, &tok) == nil && tok != "" {
			if m.revoked == nil {
				m.revoked = map[string]bool{}
			}
			m.revoked[tok] = true
		}
	}
}
