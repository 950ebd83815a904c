// Package tui is auth0-explorer's terminal UI: the root model owns focus,
// layout, the global keys and the status line; each pane is its own
// package (operations, form, response, bodyview) following the contract
// below, with its Styles and KeyMap filled by theme.go and keys.go.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"auth0-explorer/api"
	histstore "auth0-explorer/config/history"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/browser"
	"auth0-explorer/ui/tui/clipboard"
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/form"
	"auth0-explorer/ui/tui/history"
	"auth0-explorer/ui/tui/internal/fit"
	"auth0-explorer/ui/tui/operations"
	"auth0-explorer/ui/tui/outbox"
	"auth0-explorer/ui/tui/profiles"
	"auth0-explorer/ui/tui/response"
	"auth0-explorer/ui/tui/tokenpane"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Pane is the contract every pane follows. Update returns only a Cmd (the
// pane is a pointer); View is pure and cheap; the help line shows
// ShortHelp, which lists only keys that work right now.
type Pane interface {
	Update(tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Focus()
	Blur()
	Focused() bool
	// Capturing: the pane takes printable keys (a text field, a filter or
	// search being typed), so q, ?, y and / are not global keys now.
	Capturing() bool
	help.KeyMap
}

var (
	_ Pane = (*operations.Model)(nil)
	_ Pane = (*form.Model)(nil)
	_ Pane = (*response.Model)(nil)
	_ Pane = (*tokenpane.Model)(nil)
	_ Pane = (*outbox.Model)(nil)
	_ Pane = (*profiles.Model)(nil)
	_ Pane = (*history.Model)(nil)
	_ Pane = (*flows.Model)(nil)
)

// MinWidth and MinHeight are the smallest terminal the layout fits.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Options are what the program is given; nothing here is read from flags
// or files by the TUI itself.
type Options struct {
	// Session is the tenant the program starts on; the tenant picker
	// replaces it when the person switches.
	Session *app.Session
	// Tenants are the profiles the picker (p) lists, adds, edits, deletes,
	// checks and switches to; nil: the picker says there are none.
	Tenants   *app.Tenants
	Clipboard clipboard.Clipboard
	// Browser opens a built URL (b on a URL answer); the system's opener
	// when nil. Tests give one whose Run records the command.
	Browser *browser.Opener
	// ClearClipboardAfter, when positive, clears the clipboard that long
	// after a copy if it still holds what was copied.
	ClearClipboardAfter time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Debug, when set, receives one line per message (secrets redacted).
	Debug io.Writer
	// Escape makes server text safe to draw; identity when nil.
	Escape func(string) string
	// NoMouse starts with mouse capture off.
	NoMouse bool
	// OpenTokenPane starts with the token inspector open (`token` with no
	// argument on a terminal).
	OpenTokenPane bool
	// History keeps every exchange in the session profile's history file
	// and lists those of earlier runs; nil keeps nothing on disk
	// (--no-history), and HistoryNote says why in the history pane.
	History     *histstore.Store
	HistoryNote string
	// Sleep is how the guided flows wait between polls (the device flow);
	// a real timer when nil. Tests inject theirs.
	Sleep func(ctx context.Context, d time.Duration) error
}

type focus int

const (
	focusOps focus = iota
	focusForm
	focusResp
	focusTok    // the token inspector, while it is open
	focusOutbox // the sandbox outbox, while it is open
	focusPick   // the tenant picker, while it is open
	focusHist   // the history, while it is open
	focusFlow   // the guided flows (flowroot.go), while open
)

// Messages the root receives from its Cmds.
type (
	responseMsg struct {
		id     uint64
		op     *api.Operation
		ex     *api.Exchange
		values api.Values
	}
	copiedMsg struct {
		what, how string
		err       error
		text      string
	}
	toastExpireMsg struct{ id int }
	openedMsg      struct {
		how string
		err error
	}
	clearClipMsg struct{ text string }
	clearedMsg   struct{ err error }
	panicMsg     struct{ where string }
)

// Model is the root model.
type Model struct {
	o     Options
	keys  KeyMap
	st    Styles
	help  help.Model
	ctx   context.Context
	quit  context.CancelFunc
	ops   *operations.Model
	forms map[string]*form.Model
	form  *form.Model
	resp  *response.Model
	focus focus
	// tok is the token inspector; while tokOpen it takes the place of the
	// Request and Answer column, and tokBack is the focus it returns to.
	tok     *tokenpane.Model
	tokOpen bool
	tokBack focus
	// outbox is the sandbox's outbox; while open it takes the place of
	// the Answer, and outboxBack is the focus it returns to.
	outbox     *outbox.Model
	outboxBack focus
	// pick is the tenant picker (tenants.go); while pickOpen it takes the
	// place of the Request and Answer column.
	pick     *profiles.Model
	pickOpen bool
	pickBack focus
	// hs is the history and its pane (histroot.go).
	hs *histState
	// revoked are refresh tokens revoked or rotated this run (noteRevoked).
	revoked map[string]bool
	// fl is the guided flows' pane (flowroot.go).
	fl *flowState

	w, h     int
	showHelp bool
	// helpOffset is how far the help overlay is scrolled (j/k).
	helpOffset int
	zoom       bool
	mouse      bool

	seq      uint64
	inflight uint64
	// keysSinceSend counts keys since the last send: an answer takes the
	// focus only from someone who has not gone on typing.
	keysSinceSend int
	// sentRevealed: the form that sent the last request showed its secrets
	// (ctrl+r), so Y copies them in the curl command.
	sentRevealed bool
	// sdk is the node-auth0 generation whose wire format the names both
	// generations share go out in: "v2" (the default) or "v4" (g switches).
	sdk    string
	cancel context.CancelFunc

	toast    string
	toastErr bool
	toastID  int
	last     string // the last answer, for the status bar
}

// New builds the root model for o.
func New(o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Escape == nil {
		o.Escape = func(s string) string { return s }
	}
	if o.Clipboard == nil {
		o.Clipboard = &clipboard.Fake{}
	}
	if o.Browser == nil {
		o.Browser = &browser.Opener{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	keys := DefaultKeyMap()
	st := NewStyles(DefaultTheme())
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = st.HelpKey, st.HelpKey
	h.Styles.ShortDesc, h.Styles.FullDesc = st.HelpDesc, st.HelpDesc
	h.Styles.ShortSeparator, h.Styles.FullSeparator = st.HelpDesc, st.HelpDesc
	m := &Model{
		o: o, keys: keys, st: st, help: h, ctx: ctx, quit: cancel,
		forms: map[string]*form.Model{},
		mouse: !o.NoMouse,
	}
	m.ops = operations.New(api.Operations(), st.Operations, keys.Operations)
	m.resp = response.New(response.Options{Session: o.Session, Now: o.Now, Escape: o.Escape, Context: m.ctx}, st.Response, keys.Response)
	m.hs = newHistState(o, st, keys)
	m.tok = tokenpane.New(tokenpane.Options{Session: o.Session, Now: o.Now, Escape: o.Escape, Context: m.ctx}, st.Token, keys.Token)
	m.outbox = outbox.New(outbox.Options{Context: m.ctx}, st.Outbox, keys.OutboxPane)
	m.fl = newFlowState(m)
	m.pick = profiles.New(profiles.Options{Tenants: o.Tenants, Now: o.Now, Escape: o.Escape, Context: m.ctx}, st.Profiles, keys.Profiles)
	if op := m.ops.Selected(); op != nil {
		m.showForm(op)
	}
	m.setFocus(focusOps)
	if o.OpenTokenPane {
		m.openToken()
	}
	return m
}

// openToken shows the token inspector in place of the Request and Answer
// column, with the focus in its token field.
func (m *Model) openToken() {
	m.closeOutbox()
	if !m.tokOpen {
		m.tokOpen, m.tokBack = true, m.focus
		m.hs.open, m.pickOpen = false, false
		if m.tokBack == focusTok {
			m.tokBack = focusOps
		}
	}
	m.tok.FocusFirst()
	m.setFocus(focusTok)
}

// closeToken puts the Request and Answer column back, and the focus where
// it was. What was typed in the inspector stays for the next time.
func (m *Model) closeToken() {
	if !m.tokOpen {
		return
	}
	m.tokOpen = false
	f := m.tokBack
	if f == focusForm && m.form == nil || f == focusTok {
		f = focusOps
	}
	m.setFocus(f)
}

// Init reads the history (in a Cmd); then the program waits for the
// person.
func (m *Model) Init() tea.Cmd { return m.histLoad() }

// formFor returns the session's form for op, made on first use; values
// typed stay with it for the session.
func (m *Model) formFor(op *api.Operation) *form.Model {
	if f, ok := m.forms[op.Name]; ok {
		return f
	}
	f := form.New(op, m.defaults(op), m.validator(), m.st.Form, m.keys.Form)
	f.SetGeneration(m.sdkGen())
	m.forms[op.Name] = f
	m.fillRemembered(op, f)
	return f
}

// sdkGen is the generation requests are built as.
func (m *Model) sdkGen() string {
	if m.sdk == "" {
		return "v2"
	}
	return m.sdk
}

// toggleSDK switches the generation of node-auth0 whose requests the forms
// send, for the operations both have.
func (m *Model) toggleSDK() tea.Cmd {
	if m.sdkGen() == "v2" {
		m.sdk = "v4"
		m.setToast("Requests go out as node-auth0 v4 sends them (form-encoded grants); operations v4 lacks are unchanged. g switches back.", false)
	} else {
		m.sdk = "v2"
		m.setToast("Requests go out as node-auth0 v2 sends them.", false)
	}
	for _, f := range m.forms {
		f.SetGeneration(m.sdkGen())
		f.Revalidate()
	}
	m.layout()
	return m.expireToast()
}

func (m *Model) validator() form.Validator {
	return func(op *api.Operation, v api.Values) error {
		s := m.o.Session // the session now: the picker may have switched it
		if s == nil || s.Client == nil {
			return nil
		}
		v.SDK = m.sdkGen()
		_, err := s.Client.Build(op, v)
		return err
	}
}

// defaults are the values a form starts from: the client's id and secret
// (which the request builder fills by itself) and the profile's defaults.
func (m *Model) defaults(op *api.Operation) map[string]form.Default {
	s := m.o.Session
	d := map[string]form.Default{}
	if s == nil || s.Client == nil {
		return d
	}
	src := "profile"
	if s.IsSandbox() {
		src = "sandbox"
	}
	for _, f := range op.Fields {
		switch f.Profile {
		case "client_id":
			d[f.Name] = form.Default{Value: s.Client.ClientID, Source: src, Placeholder: true}
		case "client_secret":
			d[f.Name] = form.Default{Value: s.Client.ClientSecret, Source: src, Placeholder: true}
		}
	}
	if p := s.Profile; p != nil {
		for _, f := range api.ProfileFills(op, nil, api.ProfileDefaults{Audience: p.Audience, Scope: p.Scope, Realm: p.Realm}) {
			d[f.Field] = form.Default{Value: f.Value, Source: "profile " + p.Name}
		}
	}
	return d
}

func (m *Model) showForm(op *api.Operation) {
	if m.form != nil {
		m.form.Blur()
	}
	m.form = m.formFor(op)
	m.layout()
}

func (m *Model) setFocus(f focus) {
	m.focus = f
	m.flowFocus(f)
	m.ops.Blur()
	if m.form != nil {
		m.form.Blur()
	}
	m.resp.Blur()
	m.tok.Blur()
	m.outbox.Blur()
	m.pick.Blur()
	m.hs.pane.Blur()
	switch f {
	case focusOps:
		m.ops.Focus()
	case focusForm:
		if m.form != nil {
			m.form.Focus()
		}
	case focusResp:
		m.resp.Focus()
	case focusTok:
		m.tok.Focus()
	case focusOutbox:
		m.outbox.Focus()
	case focusPick:
		m.pick.Focus()
	case focusHist:
		m.hs.pane.Focus()
	}
	m.layout()
}

func (m *Model) focused() Pane {
	switch m.focus {
	case focusForm:
		if m.form != nil {
			return m.form
		}
	case focusResp:
		return m.resp
	case focusTok:
		return m.tok
	case focusOutbox:
		return m.outbox
	case focusPick:
		return m.pick
	case focusHist:
		return m.hs.pane
	case focusFlow:
		return m.fl.pane
	}
	return m.ops
}

// Update is the root's message loop. A panic in it is caught, reported in
// one sentence and the program goes on.
func (m *Model) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.debugf("panic in Update: %v", r)
			m.setToast(fmt.Sprintf("Internal error while handling %T; the program goes on.", msg), true)
			cmd = nil
		}
	}()
	m.debugMsg(msg)
	return m, m.update(msg)
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.KeyMsg:
		return m.key(msg)
	case tea.MouseMsg:
		return m.mouseMsg(msg)
	case responseMsg:
		if msg.id != m.inflight {
			m.debugf("dropped a late answer to request %d", msg.id)
			return nil
		}
		m.inflight = 0
		if m.cancel != nil {
			m.cancel()
			m.cancel = nil
		}
		m.last = m.lastText(msg.ex)
		m.noteRevoked(msg.op, msg.ex, msg.values)
		cmd := m.resp.Show(msg.id, msg.op.Name, msg.ex, msg.values)
		if m.keysSinceSend > 0 && m.focused().Capturing() {
			// The person has been typing since sending: the answer does
			// not take the keys from under them (a q meant for a field
			// would quit).
			m.setToast(fmt.Sprintf("The answer arrived (%s): tab or esc brings you to it.", m.last), false)
			cmd = tea.Batch(cmd, m.expireToast())
		} else {
			m.tokOpen, m.hs.open, m.pickOpen = false, false, false // the answer takes its column back
			m.setFocus(focusResp)
		}
		if m.outbox.IsOpen() {
			cmd = tea.Batch(cmd, m.outboxAnswered(msg.ex))
		}
		return tea.Batch(cmd, m.recordHistory(msg))
	case copiedMsg:
		if msg.err != nil {
			m.setToast("Could not copy: "+m.o.Escape(msg.err.Error()), true)
			return m.expireToast()
		}
		txt := fmt.Sprintf("Copied %s to the %s.", msg.what, msg.how)
		var cmds []tea.Cmd
		cl, canTell := m.o.Clipboard.(interface{ Clearable() bool })
		if d := m.o.ClearClipboardAfter; d > 0 && canTell && !cl.Clearable() {
			txt += " It cannot be cleared from here (the terminal's clipboard cannot be read back)."
		} else if d > 0 {
			txt += fmt.Sprintf(" It is cleared in %s.", d)
			t := msg.text
			cmds = append(cmds, tea.Tick(d, func(time.Time) tea.Msg { return clearClipMsg{text: t} }))
		}
		m.setToast(txt, false)
		return tea.Batch(append(cmds, m.expireToast())...)
	case clearClipMsg:
		clip, t := m.o.Clipboard, msg.text
		return safeCmd("clipboard", func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if !clip.Holds(ctx, t) {
				return nil // something else was copied since, or it cannot tell
			}
			return clearedMsg{err: clip.Clear(ctx)}
		})
	case clearedMsg:
		if msg.err == nil {
			m.setToast("Cleared the clipboard.", false)
			return m.expireToast()
		}
		return nil
	case openedMsg:
		switch {
		case errors.Is(msg.err, browser.ErrNoDisplay):
			m.setToast("Not opened: "+msg.err.Error()+"; y copies the URL.", true)
		case msg.err != nil:
			m.setToast("Could not open the browser: "+m.o.Escape(msg.err.Error())+"; y copies the URL.", true)
		default:
			m.setToast("Opened the URL in the browser ("+msg.how+").", false)
		}
		return m.expireToast()
	case toastExpireMsg:
		if msg.id == m.toastID {
			m.toast = ""
		}
		return nil
	case panicMsg:
		m.setToast("Internal error in "+msg.where+"; the program goes on.", true)
		return m.expireToast()
	case response.OpenFormMsg:
		return m.openForm(msg)
	case response.ContinueMFAMsg:
		return m.continueMFA(msg)
	case outbox.OpenFormMsg:
		return m.openOutboxForm(msg)
	case profiles.SwitchMsg:
		if m.pick.Accept(msg) {
			return m.switchSession(msg.Session)
		}
		return nil
	case histLoadedMsg, histSavedMsg, histClearedMsg, history.ActionMsg:
		return m.histUpdate(msg)
	case flows.AnswerMsg:
		return m.flowAnswer(msg)
	}
	// Anything else (ticks, prepared bodies, token reports) goes to the
	// panes that own it.
	cmds := []tea.Cmd{m.resp.Update(msg), m.tok.Update(msg), m.outbox.Update(msg), m.pick.Update(msg), m.fl.pane.Update(msg)}
	if m.form != nil {
		cmds = append(cmds, m.form.Update(msg))
	}
	return tea.Batch(cmds...)
}

// openForm opens the form the answer pane asked for (a token used next, an
// audience to set): the operation selected, its field filled when a value
// comes along, and focused.
func (m *Model) openForm(msg response.OpenFormMsg) tea.Cmd {
	op := api.ByName(msg.Op)
	if op == nil || op.Field(msg.Field) == nil {
		m.setToast("No operation "+msg.Op+" with a field "+msg.Field+".", true)
		return m.expireToast()
	}
	m.ops.Select(op.Name)
	m.showForm(op)
	if msg.Value != "" {
		m.form.SetValue(msg.Field, msg.Value)
	}
	m.form.FocusField(msg.Field)
	m.zoom = false
	m.setFocus(focusForm)
	txt := op.Name + ": " + msg.Field + " focused."
	if msg.Value != "" {
		txt = op.Name + ": " + msg.Field + " filled with " + msg.What + "; ctrl+s sends."
	}
	m.setToast(txt, false)
	return m.expireToast()
}

func (m *Model) lastText(ex *api.Exchange) string {
	if ex.Response == nil {
		return "no answer"
	}
	s := fmt.Sprintf("%d · %s", ex.Response.Status, duration(ex.Duration))
	if ex.RateLimit != nil {
		s += fmt.Sprintf(" · %d left", ex.RateLimit.Remaining)
	}
	return s
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	m.keysSinceSend++
	k := m.keys
	if key.Matches(msg, k.Quit) {
		return m.quitCmd()
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Help, k.QuitQ, k.Back):
			m.showHelp, m.helpOffset = false, 0
		case msg.String() == "down" || msg.String() == "j":
			m.helpOffset = min(m.helpOffset+1, m.helpMaxOffset())
		case msg.String() == "up" || msg.String() == "k":
			m.helpOffset = max(0, m.helpOffset-1)
		case msg.String() == "pgdown" || msg.String() == " " || msg.String() == "f":
			m.helpOffset = min(m.helpOffset+max(1, m.h-6), m.helpMaxOffset())
		case msg.String() == "pgup" || msg.String() == "b":
			m.helpOffset = max(0, m.helpOffset-max(1, m.h-6))
		}
		return nil
	}
	if m.focus == focusPick {
		return m.pickKey(msg)
	}
	if m.focus == focusFlow {
		if cmd, ok := m.flowKey(msg); ok {
			return cmd
		}
	}
	capturing := m.focused().Capturing()
	switch {
	case key.Matches(msg, k.Send):
		return m.send()
	case key.Matches(msg, k.Cancel) && m.inflight != 0:
		m.cancelRequest()
		return nil
	case m.focus == focusTok && key.Matches(msg, k.Back):
		m.closeToken() // from any of its fields: esc leaves the inspector
		return nil
	case m.focus == focusHist && key.Matches(msg, k.Back) && !m.hs.pane.Asking():
		m.closeHist()
		return nil
	case key.Matches(msg, k.NextPane):
		m.cycle(1)
		return nil
	case key.Matches(msg, k.PrevPane):
		m.cycle(-1)
		return nil
	case key.Matches(msg, k.Mouse):
		m.mouse = !m.mouse
		if m.mouse {
			m.setToast("Mouse on: the wheel scrolls the pane under the pointer.", false)
			return tea.Batch(tea.EnableMouseCellMotion, m.expireToast())
		}
		m.setToast("Mouse off: select text with the mouse; ctrl+t turns it back on.", false)
		return tea.Batch(tea.DisableMouse, m.expireToast())
	}
	if capturing {
		return m.paneUpdate(msg)
	}
	switch {
	case key.Matches(msg, k.QuitQ):
		return m.quitCmd()
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, k.Outbox) || m.focus == focusOutbox && key.Matches(msg, k.Back):
		return m.toggleOutbox()
	case key.Matches(msg, k.Tenants):
		return m.openPicker()
	case key.Matches(msg, k.Flows):
		return m.openFlow()
	case key.Matches(msg, k.SDK):
		return m.toggleSDK()
	case key.Matches(msg, k.HistoryPane):
		if m.hs.open {
			m.closeHist()
			return nil
		}
		return m.openHist()
	case key.Matches(msg, k.TokenPane):
		m.pickOpen = false
		if m.tokOpen {
			m.closeToken()
		} else {
			m.openToken()
		}
		return nil
	case key.Matches(msg, k.Back) && m.focus == focusResp && m.resp.Searching():
		return m.resp.Update(msg) // esc clears the search first
	case key.Matches(msg, k.Back):
		switch m.focus {
		case focusResp:
			if m.zoom {
				m.zoom = false
				m.layout()
				return nil
			}
			m.setFocus(focusForm)
			return nil
		case focusForm:
			m.setFocus(focusOps)
			return nil
		}
		return m.opsUpdate(msg) // clears a filter
	case key.Matches(msg, k.Filter) && m.focus != focusResp:
		m.setFocus(focusOps)
		cmd := m.ops.StartFilter()
		m.layout()
		return cmd
	case m.focus == focusResp && key.Matches(msg, k.Copy):
		return m.copy(false)
	case m.focus == focusResp && key.Matches(msg, k.CopyCurl):
		return m.copy(true)
	case m.focus == focusResp && key.Matches(msg, k.OpenURL) && m.resp.BrowserURL() != "":
		return m.openBrowser(m.resp.BrowserURL())
	case m.focus == focusResp && key.Matches(msg, k.Zoom) && m.resp.Exchange() != nil:
		m.zoom = !m.zoom
		m.layout()
		return nil
	}
	return m.paneUpdate(msg)
}

// paneUpdate forwards msg to the focused pane.
func (m *Model) paneUpdate(msg tea.Msg) tea.Cmd {
	if m.focus == focusOps {
		return m.opsUpdate(msg)
	}
	return m.focused().Update(msg)
}

// opsUpdate forwards msg to the operation list and acts at once on what it
// did: a new selection shows its form, a choice focuses it.
func (m *Model) opsUpdate(msg tea.Msg) tea.Cmd {
	cmd := m.ops.Update(msg)
	if e := m.ops.TakeEvent(); e != nil {
		m.showForm(e.Op)
		if e.Open {
			m.tokOpen = false // the form takes its column back
			m.form.FocusFirstEmptyRequired()
			m.setFocus(focusForm)
		}
	}
	return cmd
}

// cycle moves focus through one ring: operations, each form field, the
// answer.
func (m *Model) cycle(dir int) {
	if m.fl.open { // the flows take the place of the form and the answer
		if m.focus == focusFlow {
			m.setFocus(focusOps)
		} else {
			m.setFocus(focusFlow)
		}
		return
	}
	if m.hs.open { // the history takes the place of the form and the answer
		if m.focus == focusHist {
			m.setFocus(focusOps)
		} else {
			m.setFocus(focusHist)
		}
		return
	}
	if m.outbox.IsOpen() && m.cycleOutbox(dir) {
		return
	}
	if m.tokOpen {
		// The inspector's fields take the place of the form and the answer.
		switch {
		case m.focus != focusTok && dir > 0:
			m.tok.FocusFirst()
			m.setFocus(focusTok)
		case m.focus != focusTok:
			m.tok.FocusLast()
			m.setFocus(focusTok)
		case dir > 0:
			if !m.tok.Next() {
				m.setFocus(focusOps)
			}
		default:
			if !m.tok.Prev() {
				m.setFocus(focusOps)
			}
		}
		return
	}
	switch m.focus {
	case focusOps:
		if dir > 0 && m.form != nil {
			m.form.FocusFirstEmptyRequired()
			m.setFocus(focusForm)
		} else if dir < 0 {
			m.setFocus(focusResp)
		}
	case focusForm:
		if dir > 0 && !m.form.Next() {
			m.setFocus(focusResp)
		} else if dir < 0 && !m.form.Prev() {
			m.setFocus(focusOps)
		}
	case focusResp:
		if dir > 0 {
			m.setFocus(focusOps)
		} else if m.form != nil {
			m.form.FocusLast()
			m.setFocus(focusForm)
		}
	}
}

func (m *Model) quitCmd() tea.Cmd {
	m.cancelRequest()
	m.quit()
	return tea.Quit
}

func (m *Model) cancelRequest() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if m.inflight != 0 {
		m.inflight = 0
		m.resp.Cancelled()
		m.setToast("Request cancelled.", false)
	}
}

// send builds the form's request with the same builder `call` uses and
// sends it in a Cmd. A request in flight is not sent twice.
func (m *Model) send() tea.Cmd {
	if m.inflight != 0 {
		m.setToast("A request is already in flight: esc cancels it.", true)
		return m.expireToast()
	}
	f := m.form
	s := m.o.Session
	if f == nil || s == nil || s.Client == nil {
		return nil
	}
	if !f.AttemptSend() {
		m.setFocus(focusForm)
		m.setToast("Not sent: "+f.Refusal().Error(), true)
		return m.expireToast()
	}
	op := f.Op()
	values := f.Values()
	values.SDK = m.sdkGen()
	req, err := s.Client.Build(op, values)
	if err != nil {
		m.setToast("Not sent: "+err.Error(), true)
		return m.expireToast()
	}
	m.seq++
	id := m.seq
	m.inflight = id
	m.keysSinceSend = 0
	m.sentRevealed = f.Revealed()
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	client := s.Client
	m.zoom = false
	m.layout()
	return tea.Batch(
		safeCmd("the request", func() tea.Msg {
			return responseMsg{id: id, op: op, ex: client.Send(ctx, req), values: values}
		}),
		m.resp.Sending(id, op.Name),
	)
}

func (m *Model) copy(curl bool) tea.Cmd {
	ex := m.resp.Exchange()
	if ex == nil {
		return nil
	}
	var text, what string
	if curl {
		if ex.Request == nil {
			return nil
		}
		// Secrets come from environment variables the command names,
		// unless the person revealed them in the form (ctrl+r).
		reveal := m.sentRevealed // as the form that sent it was when it sent
		cmd, note := ex.Request.CurlCommand(reveal)
		text, what = cmd, "the request as curl"
		if reveal {
			what += " with its secrets in clear (they were shown when it was sent)"
		}
		if note != "" {
			what += " (" + strings.TrimSuffix(note, ".") + ")"
		}
	} else {
		text, what = m.resp.CopyTarget()
		if text == "" {
			m.setToast("Nothing to copy here.", true)
			return m.expireToast()
		}
		what = "the " + what
	}
	return m.copyCmd(text, what)
}

// copyCmd copies text, named what in the toast, in a Cmd.
func (m *Model) copyCmd(text, what string) tea.Cmd {
	clip := m.o.Clipboard
	return safeCmd("the clipboard", func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		how, err := clip.Copy(ctx, text)
		return copiedMsg{what: what, how: how, err: err, text: text}
	})
}

// openBrowser opens url with the system's opener, in a Cmd bounded by the
// opener's timeout; without a display nothing is run and a toast says so.
func (m *Model) openBrowser(url string) tea.Cmd {
	o := m.o.Browser
	name, _, err := o.Command(url)
	if err != nil { // no display: say so at once, run nothing
		return func() tea.Msg { return openedMsg{err: err} }
	}
	ctx := m.ctx
	return safeCmd("the browser", func() tea.Msg {
		return openedMsg{how: name, err: o.Open(ctx, url)}
	})
}

func (m *Model) setToast(s string, isErr bool) {
	m.toastID++
	m.toast, m.toastErr = s, isErr
}

func (m *Model) expireToast() tea.Cmd {
	id := m.toastID
	return tea.Tick(5*time.Second, func(time.Time) tea.Msg { return toastExpireMsg{id: id} })
}

// safeCmd runs f, turning a panic into a sentence instead of a crash.
func safeCmd(where string, f func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{where: where}
			}
		}()
		return f()
	}
}

// rect is a pane's place on the screen, border included.
type rect struct{ x, y, w, h int }

func (r rect) has(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

func (m *Model) rects() (ops, frm, resp rect) {
	area := m.h - 2 // status and help lines
	lw := min(max(m.w/4, 26), 34)
	rw := m.w - lw
	ops = rect{0, 0, lw, area}
	fh := area / 2
	if m.form != nil {
		// The form takes what it needs, up to about half; less while the
		// answer has the focus, so more of it shows.
		share := 55
		if m.focus == focusResp && m.resp.Exchange() != nil {
			share = 38
		}
		fh = min(m.form.Needed(rw-2)+2, area*share/100)
	}
	if m.zoom || m.tokOpen || m.pickOpen || m.hs.open || m.fl.open {
		fh = 0 // the answer, or the token inspector, has the whole column
	}
	frm = rect{lw, 0, rw, fh}
	resp = rect{lw, fh, rw, area - fh}
	return
}

func (m *Model) layout() {
	if m.w < MinWidth || m.h < MinHeight {
		return
	}
	o, f, r := m.rects()
	m.ops.SetSize(o.w-2, o.h-2)
	if m.form != nil {
		m.form.SetSize(f.w-2, max(0, f.h-2))
	}
	m.resp.SetSize(r.w-2, r.h-2)
	m.tok.SetSize(r.w-2, r.h-2)
	m.outbox.SetSize(r.w-2, r.h-2)
	m.pick.SetSize(r.w-2, r.h-2)
	m.hs.pane.SetSize(r.w-2, r.h-2)
	m.flowLayout(r)
}

func (m *Model) mouseMsg(msg tea.MouseMsg) tea.Cmd {
	o, f, r := m.rects()
	wheel := msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown
	click := msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft
	switch {
	case o.has(msg.X, msg.Y):
		if click {
			m.setFocus(focusOps)
		}
		if wheel {
			return m.opsUpdate(msg)
		}
	case r.has(msg.X, msg.Y) && m.fl.open:
		if click {
			m.setFocus(focusFlow)
		}
	case f.has(msg.X, msg.Y) && m.form != nil:
		if click {
			m.setFocus(focusForm)
		}
	case r.has(msg.X, msg.Y) && m.outbox.IsOpen() && !m.tokOpen:
		if click {
			m.setFocus(focusOutbox)
		}
		if wheel {
			return m.outbox.Update(msg)
		}
	case r.has(msg.X, msg.Y) && m.pickOpen:
		if click {
			m.setFocus(focusPick)
		}
	case r.has(msg.X, msg.Y) && m.hs.open:
		if click {
			m.setFocus(focusHist)
		}
	case r.has(msg.X, msg.Y) && m.tokOpen:
		if click {
			m.setFocus(focusTok)
		}
		if wheel {
			return m.tok.Update(msg)
		}
	case r.has(msg.X, msg.Y):
		if click && m.resp.Exchange() != nil {
			m.setFocus(focusResp)
		}
		if wheel {
			return m.resp.Update(msg)
		}
	}
	return nil
}

// View draws the frame. A panic here shows one sentence instead.
func (m *Model) View() (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = "Internal error while drawing; press ctrl+c to quit."
		}
	}()
	if m.w == 0 {
		return ""
	}
	if m.w < MinWidth || m.h < MinHeight {
		return lipgloss.Place(m.w, m.h, lipgloss.Center, lipgloss.Center, lipgloss.NewStyle().Width(max(10, m.w-2)).Render(
			fmt.Sprintf("auth0-explorer needs a terminal of at least %d×%d; this one is %d×%d. Enlarge it, or press ctrl+c to quit.", MinWidth, MinHeight, m.w, m.h)))
	}
	var main string
	if m.showHelp {
		main = m.helpView(m.h - 2)
	} else if m.flowZoomed() {
		main = m.flowView(rect{})
	} else {
		o, f, r := m.rects()
		left := m.box("Operations", m.ops.View(), o, m.focus == focusOps)
		var right []string
		switch {
		case m.fl.open:
			right = append(right, m.flowView(r))
		case m.pickOpen:
			right = append(right, m.box("Tenants", m.pick.View(), r, m.focus == focusPick))
		case m.hs.open:
			right = append(right, m.box("History", m.hs.pane.View(), r, m.focus == focusHist))
		case m.tokOpen:
			right = append(right, m.box("Token inspector", m.tok.View(), r, m.focus == focusTok))
		default:
			if f.h > 0 && m.form != nil {
				right = append(right, m.box("Request", m.form.View(), f, m.focus == focusForm))
			}
			if m.outbox.IsOpen() {
				right = append(right, m.box("Sandbox outbox", m.outbox.View(), r, m.focus == focusOutbox))
			} else {
				right = append(right, m.box("Answer", m.resp.View(), r, m.focus == focusResp))
			}
		}
		main = lipgloss.JoinHorizontal(lipgloss.Top, left, strings.Join(right, "\n"))
	}
	return main + "\n" + m.statusBar() + "\n" + m.helpLine()
}

// box draws content in a border of r's size with the title in the top
// edge; a thick border marks focus, so it shows without colour too.
func (m *Model) box(title, content string, r rect, focused bool) string {
	b := lipgloss.RoundedBorder()
	bs, ts := m.st.Border, m.st.Title
	if focused {
		b = lipgloss.ThickBorder()
		bs, ts = m.st.BorderFocus, m.st.TitleFocus
	}
	iw, ih := r.w-2, r.h-2
	var sb strings.Builder
	t := ansi.Truncate(" "+title+" ", max(0, iw-1), "…")
	sb.WriteString(bs.Render(b.TopLeft+b.Top) + ts.Render(t) + bs.Render(strings.Repeat(b.Top, max(0, iw-1-ansi.StringWidth(t)))+b.TopRight))
	lines := strings.Split(content, "\n")
	for i := 0; i < ih; i++ {
		l := ""
		if i < len(lines) {
			l = ansi.Truncate(lines[i], iw, "…")
		}
		if n := iw - ansi.StringWidth(l); n > 0 {
			l += strings.Repeat(" ", n)
		}
		sb.WriteString("\n" + bs.Render(b.Left) + l + bs.Render(b.Right))
	}
	sb.WriteString("\n" + bs.Render(b.BottomLeft+strings.Repeat(b.Bottom, max(0, iw))+b.BottomRight))
	return sb.String()
}

func (m *Model) statusBar() string {
	s := m.o.Session
	var left string
	if s != nil {
		if s.IsSandbox() {
			email, pw := s.SandboxUser()
			left = m.st.Badge.Render("SANDBOX") + " " + m.st.Status.Render(s.Domain()) + m.st.StatusDim.Render("  user "+email+" / "+pw)
		} else {
			left = m.prodBadge() + m.st.Badge.Render(m.o.Escape(s.Name)) + " " + m.st.Status.Render(m.o.Escape(s.Domain()))
		}
	}
	left += m.st.StatusDim.Render("  SDK " + m.sdkGen())
	right := m.st.StatusDim.Render(m.last)
	if m.toast != "" {
		if m.toastErr {
			right = m.st.ToastErr.Render(m.toast)
		} else {
			right = m.st.Toast.Render(m.toast)
		}
	}
	gap := m.w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if gap < 1 {
		// The toast wins: it is what just happened.
		left = ansi.Truncate(left, max(0, m.w-ansi.StringWidth(right)-2), "…")
		gap = max(1, m.w-ansi.StringWidth(left)-ansi.StringWidth(right)-1)
	}
	return ansi.Truncate(left+strings.Repeat(" ", gap)+right, m.w, "…")
}

// helpBindings are the keys that work right now: the global ones that
// apply (always shown), and the focused pane's (shown as room allows).
func (m *Model) helpBindings() (global, pane, extra []key.Binding) {
	k := m.keys
	if m.inflight != 0 {
		global = append(global, k.Cancel)
	}
	global = append(global, k.Send, k.NextPane)
	if m.focus == focusResp && m.resp.Exchange() != nil && !m.resp.Capturing() {
		if m.resp.MFAOffered() { // an mfa_required answer: m goes on (mfaroot.go)
			mfa := k.Response.MFA
			mfa.SetHelp("m", "MFA")
			global = append(global, mfa)
		}
		global = append(global, k.Copy, k.CopyCurl)
		if m.resp.BrowserURL() != "" {
			global = append(global, k.OpenURL)
		}
	}
	if m.focus == focusTok && m.inflight == 0 {
		closeTok := k.Back
		closeTok.SetHelp("esc", "close inspector")
		global = append(global, closeTok)
	}
	if m.focus == focusFlow {
		return m.flowHelp()
	}
	if m.focus == focusPick {
		// The picker's own keys; ctrl+s saves its form, tab moves in it.
		if !m.pick.AtTop() || m.pick.Capturing() {
			return []key.Binding{k.Quit}, m.pick.ShortHelp(), nil
		}
		closePick := k.Back
		closePick.SetHelp("esc/p", "close tenants")
		return []key.Binding{closePick, k.Help, k.QuitQ}, m.pick.ShortHelp(), nil
	}
	if m.outbox.IsOpen() {
		global = append(global, m.outboxHelp()...) // its closing key
	} else {
		extra = append(extra, m.outboxHelp()...)
	}
	if m.focus == focusHist && m.inflight == 0 && !m.hs.pane.Asking() {
		closeHist := k.Back
		closeHist.SetHelp("esc", "close history")
		global = append(global, closeHist)
	}
	if !m.focused().Capturing() {
		// The panes' openers show where room is left; ? lists them all.
		if !m.tokOpen {
			extra = append(extra, k.Flows, k.TokenPane, k.Tenants)
		}
		if !m.hs.open && !m.tokOpen {
			extra = append(extra, k.HistoryPane)
		}
		global = append(global, k.Help, k.QuitQ)
	} else {
		global = append(global, k.Quit)
	}
	return global, m.focused().ShortHelp(), extra
}

// helpLine shows the focused pane's keys first, as many as fit beside the
// global ones, which always show; the panes' openers (t, p, h, o) fill what
// room is left.
func (m *Model) helpLine() string {
	if m.showHelp {
		closeHelp := m.keys.Help
		closeHelp.SetHelp("?/esc", "close help")
		m.help.Width = m.w
		return m.help.ShortHelpView([]key.Binding{closeHelp, m.keys.Quit})
	}
	global, pane, extra := m.helpBindings()
	m.help.Width = 0
	tail := m.help.ShortHelpView(global)
	sep := m.st.HelpDesc.Render(" • ")
	var b []key.Binding
	for _, kb := range pane {
		try := m.help.ShortHelpView(append(append([]key.Binding{}, b...), kb))
		if ansi.StringWidth(try)+ansi.StringWidth(sep)+ansi.StringWidth(tail) > m.w {
			break
		}
		b = append(b, kb)
	}
	if len(b) == len(pane) { // every pane key shown: room for the openers?
		for _, kb := range extra {
			g := append(append([]key.Binding{}, global[:len(global)-2]...), kb)
			g = append(g, global[len(global)-2:]...) // ? and q stay last
			try := m.help.ShortHelpView(g)
			if len(b) > 0 {
				try = m.help.ShortHelpView(b) + sep + try
			}
			if ansi.StringWidth(try) > m.w || len(global) < 2 {
				break
			}
			global = g
		}
		tail = m.help.ShortHelpView(global)
	}
	line := tail
	if len(b) > 0 {
		line = m.help.ShortHelpView(b) + sep + tail
	}
	return ansi.Truncate(line, m.w, "…")
}

// helpSection is one titled column of the help overlay.
type helpSection struct {
	title string
	keys  []key.Binding
}

// helpSections list every key by where it works, whatever has focus now.
func (m *Model) helpSections() []helpSection {
	k := m.keys
	o, f, r := k.Operations, k.Form, k.Response
	b, t := r.Body, r.Token
	tk := k.Token
	pk := k.Profiles
	hk := k.History
	closeHist := k.Back
	closeHist.SetHelp("h/esc", "close the history")
	closeTok := k.Back
	closeTok.SetHelp("t/esc", "close the inspector")
	back := k.Back
	back.SetHelp("esc", "cancel the request, else back")
	return []helpSection{
		{"Everywhere", []key.Binding{k.Send, back, k.NextPane, k.PrevPane, k.SDK, k.Mouse, k.Help, k.QuitQ, k.Quit}},
		{"Operations", []key.Binding{o.Up, o.Down, o.Top, o.Bottom, o.Open, o.Filter, o.ClearFilter}},
		{"Form", []key.Binding{f.Next, f.Prev, f.Reveal, f.FormEncoding}},
		{"Answer", []key.Binding{r.NextTab, r.Tab1, k.Copy, k.CopyCurl, k.OpenURL, k.Zoom, r.MFA}},
		{"Body, Headers, Request", []key.Binding{b.Down, b.Up, b.PageDown, b.PageUp, b.Top, b.Bottom, b.Right, b.Left, b.Search, b.Next, b.Prev, b.ClearSearch}},
		{"Tokens", []key.Binding{r.NextToken, t.Down, t.Up, t.PageDown, t.Top, t.Bottom, t.Reload, r.Use, r.Compare, r.CompareBase, r.Audience, r.Refresh}},
		{"Token inspector", []key.Binding{k.TokenPane, closeTok, tk.Next, tk.Token.Down, tk.Token.Up, tk.Token.PageDown, tk.Token.Reload}},
		m.outboxHelpSection(),
		m.flowHelpSection(),
		{"Tenants", []key.Binding{k.Tenants, pk.Switch, pk.Add, pk.Edit, pk.Delete, pk.Check, pk.Save}},
		{"History", []key.Binding{k.HistoryPane, closeHist, hk.Open, hk.Resend, hk.Clear, hk.Up, hk.Down}},
	}
}

// helpMaxOffset is how far the help overlay can scroll at this size.
func (m *Model) helpMaxOffset() int {
	return max(0, len(m.helpBody())-m.helpRoom())
}

// helpRoom is how many lines of keys the overlay shows at once.
func (m *Model) helpRoom() int { return max(1, m.h-6) }

// helpBody is the overlay's lines: every section as a column, columns
// flowing into as many rows as the width needs.
func (m *Model) helpBody() []string {
	var cols []string
	for _, sec := range m.helpSections() {
		kw := 0
		for _, b := range sec.keys {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
		}
		lines := []string{m.st.TitleFocus.Render(sec.title)}
		for _, b := range sec.keys {
			hk := b.Help()
			lines = append(lines, m.st.HelpKey.Render(fit.Pad(hk.Key, kw))+"  "+m.st.HelpDesc.Render(hk.Desc))
		}
		cols = append(cols, lipgloss.NewStyle().PaddingRight(4).Render(strings.Join(lines, "\n")))
	}
	var rows []string
	var row []string
	width := 0
	inner := m.w - 2
	for _, c := range cols {
		cw := lipgloss.Width(c)
		if len(row) > 0 && width+cw > inner {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, width = nil, 0
		}
		row = append(row, c)
		width += cw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	body := strings.Split("Pick an operation on the left, fill its form, send it with ctrl+s, read the answer in its tabs.\n"+
		"tab and shift+tab move through the operations, each field and the answer.\n\n"+strings.Join(rows, "\n\n"), "\n")
	return body
}

// helpView is the overlay; the keys scroll under a fixed title line when
// they do not fit.
func (m *Model) helpView(h int) string {
	body := m.helpBody()
	room := m.helpRoom()
	off := min(m.helpOffset, max(0, len(body)-room))
	title := m.st.TitleFocus.Render("Keys") + m.st.StatusDim.Render("  (? or esc closes)")
	if len(body) > room {
		title += m.st.StatusDim.Render(fmt.Sprintf("  ↑/↓ scroll · lines %d-%d of %d", off+1, min(off+room, len(body)), len(body)))
	}
	end := min(len(body), off+room)
	return m.box("Help", title+"\n\n"+strings.Join(body[off:end], "\n"), rect{0, 0, m.w, h}, true)
}
