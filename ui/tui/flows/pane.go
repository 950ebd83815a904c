package flows

import (
	"context"
	"strings"
	"time"

	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Styles of the pane; the root's theme fills them. Marks are the step
// marks, ASCIIMarks where the terminal lacks ✓ and ✗.
type Styles struct {
	Title, Item, Selected, Dim, Hint, Label, Good, Bad, Warn, Code lipgloss.Style
	Marks                                                          Marks
}

// Marks are the checklist's marks: a done, a failed, a stopped step.
type Marks struct{ Done, Failed, Stopped, Warn string }

// UnicodeMarks and ASCIIMarks are the two sets of marks.
var (
	UnicodeMarks = Marks{Done: "✓", Failed: "✗", Stopped: "■", Warn: "!"}
	ASCIIMarks   = Marks{Done: "+", Failed: "x", Stopped: "-", Warn: "!"}
)

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	s := lipgloss.NewStyle
	return Styles{Selected: s().Reverse(true), Dim: s().Faint(true), Hint: s().Faint(true),
		Code: s().Bold(true).Reverse(true), Title: s().Bold(true), Marks: UnicodeMarks}
}

// KeyMap of the pane.
type KeyMap struct {
	Up, Down, Choose, Start, Back, Toggle, Copy, Open, Again key.Binding
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:   key.NewBinding(key.WithKeys("down", "j")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Start:  key.NewBinding(key.WithKeys("enter", "ctrl+s"), key.WithHelp("enter", "start")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Toggle: key.NewBinding(key.WithKeys(" ", "left", "right"), key.WithHelp("space/←/→", "change")),
		Copy:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Open:   key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "open in browser")),
		Again:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "run again")),
	}
}

// Options are what the pane needs from the program.
type Options struct {
	// Context is the parent of every run's context; the program cancels
	// it when it quits.
	Context context.Context
	// Now is the clock the countdowns read; time.Now when nil.
	Now func() time.Time
	// TickEvery is how often a running flow's countdown moves; one second
	// when zero.
	TickEvery time.Duration
}

// stage is what the pane shows.
type stage int

const (
	stageMenu stage = iota
	stageForm
	stageRun
)

// state is how a run stands.
type state int

const (
	running state = iota
	stopping
	stopped
	done
	failed
)

type step struct {
	text string
	done bool
	warn bool
}

// Model is the flow pane.
type Model struct {
	st   Styles
	keys KeyMap
	o    Options

	flows   []Flow
	sandbox bool
	sel     int
	stage   stage

	// The options form of the chosen flow.
	flow   Flow
	inputs []textinput.Model
	values []string // the choice fields' values
	field  int

	// The run.
	seq     uint64
	run     *Run
	cancel  context.CancelFunc
	state   state
	steps   []step
	detail  Detail
	err     string
	result  string
	answers int
	ask     *event // the question waiting for an answer
	askIn   textinput.Model
	askSel  int
	now     time.Time
	spin    spinner.Model

	zoomed  bool
	focused bool
	w, h    int
}

// New returns a pane with no flows.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TickEvery <= 0 {
		o.TickEvery = time.Second
	}
	in := textinput.New()
	in.Prompt = ""
	return &Model{st: st, keys: keys, o: o, askIn: in, spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
}

// Show lists fs in the menu (a run under way stays); sandbox says the
// session is the in-process sandbox.
func (m *Model) Show(fs []Flow, sandbox bool) {
	m.flows, m.sandbox = fs, sandbox
	m.sel = min(m.sel, max(0, len(fs)-1))
}

// Running reports whether a flow is running (or stopping).
func (m *Model) Running() bool { return m.run != nil && (m.state == running || m.state == stopping) }

// AtMenu reports whether the pane shows its menu.
func (m *Model) AtMenu() bool { return m.stage == stageMenu }

// InForm reports whether the pane shows a flow's options form.
func (m *Model) InForm() bool { return m.stage == stageForm }

// SetZoomed tells the pane it has the whole screen.
func (m *Model) SetZoomed(z bool) { m.zoomed = z }

// Live reports whether an answer of run still counts: it is the pane's
// run and was not stopped (a stopped flow's last answers, or those of a
// flow stopped by a tenant switch, are dropped).
func (m *Model) Live(run uint64) bool {
	return m.run != nil && m.run.id == run && m.state != stopping && m.state != stopped
}

// AtRun reports whether the pane shows a run (running or ended), where r
// runs the flow again.
func (m *Model) AtRun() bool { return m.stage == stageRun }

// Title is the title of the flow chosen last ("" when none).
func (m *Model) Title() string { return m.flow.Title }

// Choose shows the options form of the flow titled title, as enter on it
// in the menu does. It reports whether there is such a flow.
func (m *Model) Choose(title string) bool {
	for i, f := range m.flows {
		if f.Title == title {
			m.sel = i
			m.openForm(f)
			return true
		}
	}
	return false
}

func (m *Model) openForm(f Flow) {
	m.flow, m.stage, m.field = f, stageForm, 0
	m.inputs = make([]textinput.Model, len(f.Fields))
	m.values = make([]string, len(f.Fields))
	for i, fd := range f.Fields {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 2048
		in.SetValue(fd.Value)
		in.Width = fieldWidth(fd, m.w)
		if fd.Secret {
			in.EchoMode, in.EchoCharacter = textinput.EchoPassword, '•'
		}
		m.inputs[i] = in
		m.values[i] = fd.Value
		if len(fd.Choices) > 0 && fd.Value == "" {
			m.values[i] = fd.Choices[0]
		}
	}
	m.focusField(0)
}

// fieldWidth is the width of a text field's input in a pane w wide: a
// secret's dots take little, leaving room for where it came from.
func fieldWidth(f Field, w int) int {
	if f.Secret {
		return max(4, min(12, w-18))
	}
	return max(4, w-18)
}

func (m *Model) focusField(i int) {
	m.field = max(0, i)
	for j := range m.inputs {
		if j == i && m.focused && len(m.flow.Fields[j].Choices) == 0 {
			m.inputs[j].Focus()
		} else {
			m.inputs[j].Blur()
		}
	}
}

// Start runs the chosen flow with the form's values.
func (m *Model) Start() tea.Cmd {
	if m.stage != stageForm {
		return nil
	}
	v := Values{}
	for i, fd := range m.flow.Fields {
		if len(fd.Choices) > 0 {
			v[fd.Name] = m.values[i]
		} else {
			v[fd.Name] = strings.TrimSpace(m.inputs[i].Value())
		}
	}
	m.Stop()
	m.seq++
	ctx, cancel := context.WithCancel(m.o.Context)
	m.cancel = cancel
	m.stage, m.state = stageRun, running
	m.steps, m.detail, m.err, m.result, m.answers, m.ask = nil, nil, "", "", 0, nil
	m.now = m.o.Now()
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	r, cmd := start(ctx, m.seq, m.flow, v)
	m.run = r
	return tea.Batch(cmd, m.tick(), m.spin.Tick)
}

// Stop cancels a running flow; the pane says "stopping" until its
// goroutine has ended, then "stopped". It reports whether one was running.
func (m *Model) Stop() bool {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if m.run == nil || m.state != running {
		return false
	}
	m.state = stopping
	m.ask = nil
	return true
}

func (m *Model) tick() tea.Cmd {
	id := m.seq
	return tea.Tick(m.o.TickEvery, func(time.Time) tea.Msg { return tickMsg{run: id} })
}

// Update handles the pane's messages and, with focus, its keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventMsg:
		if m.run == nil || msg.run != m.run.id {
			return nil // a run since replaced: its goroutine was cancelled
		}
		next := m.run.next()
		if m.state != running {
			return next // stopping: read on until it ends, show nothing
		}
		if msg.ev.kind == evAnswer {
			// In order: the root records this answer before the run's
			// next report is read (a Record, then the Answer after it).
			return tea.Sequence(m.apply(msg.ev), next)
		}
		return tea.Batch(next, m.apply(msg.ev))
	case endMsg:
		if m.run == nil || msg.run != m.run.id {
			return nil
		}
		m.end(msg.err)
		return nil
	case tickMsg:
		if m.run == nil || msg.run != m.run.id || !m.Running() {
			return nil
		}
		m.now = m.o.Now()
		return m.tick()
	case spinner.TickMsg:
		if !m.Running() {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case tea.KeyMsg:
		if !m.focused {
			return nil
		}
		return m.key(msg)
	}
	if m.Capturing() { // the cursor's blink
		return m.updateInput(msg)
	}
	return nil
}

func (m *Model) apply(ev event) tea.Cmd {
	m.now = m.o.Now()
	switch ev.kind {
	case evStep:
		if n := len(m.steps); n > 0 {
			m.steps[n-1].done = true
		}
		m.steps = append(m.steps, step{text: ev.text})
	case evWarn:
		if n := len(m.steps); n > 0 {
			m.steps[n-1] = step{text: ev.text, done: true, warn: true}
		}
	case evDone:
		if n := len(m.steps); n > 0 {
			m.steps[n-1] = step{text: ev.text, done: true}
		}
	case evDetail:
		m.detail = ev.detail
	case evResult:
		m.result = ev.text
	case evAnswer:
		if !ev.answer.HistoryOnly {
			m.answers++
		}
		a := ev.answer
		a.Run = m.run.id
		return func() tea.Msg { return a }
	case evAsk:
		e := ev
		m.ask, m.askSel = &e, 0
		m.askIn.Reset()
		m.askIn.Placeholder = ev.prompt.Placeholder
		m.askIn.EchoMode = textinput.EchoNormal
		if ev.prompt.Secret {
			m.askIn.EchoMode = textinput.EchoPassword
			m.askIn.EchoCharacter = '•'
		}
		if len(ev.prompt.Choices) == 0 && m.focused {
			return m.askIn.Focus()
		}
	}
	return nil
}

func (m *Model) end(err error) {
	m.ask = nil
	m.cancel = nil
	switch {
	case m.state == stopping:
		m.state = stopped
	case err != nil:
		m.state, m.err = failed, Sentence(err)
	default:
		m.state = done
		for i := range m.steps {
			m.steps[i].done = true
		}
	}
	m.now = m.o.Now()
}

// answerAsk sends the answer to the waiting question.
func (m *Model) answerAsk(v string) {
	if m.ask == nil {
		return
	}
	m.ask.reply <- v // buffered: never blocks
	m.ask = nil
	m.askIn.Reset()
	m.askIn.Blur()
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch m.stage {
	case stageMenu:
		switch {
		case key.Matches(msg, k.Up):
			m.sel = max(0, m.sel-1)
		case key.Matches(msg, k.Down):
			m.sel = min(len(m.flows)-1, m.sel+1)
		case key.Matches(msg, k.Choose) && m.sel < len(m.flows):
			m.openForm(m.flows[m.sel])
		}
		return nil
	case stageForm:
		choice := len(m.flow.Fields) > 0 && len(m.flow.Fields[m.field].Choices) > 0
		switch {
		case key.Matches(msg, k.Start):
			return m.Start()
		case msg.String() == "up" || msg.String() == "shift+tab":
			m.focusField(max(0, m.field-1))
			return nil
		case msg.String() == "down" || msg.String() == "tab":
			m.focusField(min(len(m.inputs)-1, m.field+1))
			return nil
		case choice && key.Matches(msg, k.Toggle):
			cs := m.flow.Fields[m.field].Choices
			i := indexOf(cs, m.values[m.field])
			if msg.String() == "left" {
				i = (i - 1 + len(cs)) % len(cs)
			} else {
				i = (i + 1) % len(cs)
			}
			m.values[m.field] = cs[i]
			return nil
		case choice:
			return nil
		}
		return m.updateInput(msg)
	}
	if m.ask != nil {
		p := m.ask.prompt
		if len(p.Choices) > 0 {
			switch {
			case key.Matches(msg, k.Up):
				m.askSel = max(0, m.askSel-1)
			case key.Matches(msg, k.Down):
				m.askSel = min(len(p.Choices)-1, m.askSel+1)
			case key.Matches(msg, k.Choose):
				m.answerAsk(p.Choices[m.askSel])
			}
			return nil
		}
		if key.Matches(msg, k.Choose) {
			m.answerAsk(m.askIn.Value())
			return nil
		}
		var cmd tea.Cmd
		m.askIn, cmd = m.askIn.Update(msg)
		return cmd
	}
	if key.Matches(msg, k.Again) && !m.Running() {
		m.openForm(m.flow)
		return nil
	}
	return nil
}

func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.stage == stageForm && m.field < len(m.inputs):
		m.inputs[m.field], cmd = m.inputs[m.field].Update(msg)
	case m.ask != nil:
		m.askIn, cmd = m.askIn.Update(msg)
	}
	return cmd
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return 0
}

// Back is esc: it stops a running flow, leaves a question or the form for
// the menu; at the menu (or on a finished run) it reports false, and the
// root closes the pane.
func (m *Model) Back() bool {
	switch {
	case m.stage == stageRun && m.Running():
		m.Stop()
		return true
	case m.stage == stageForm:
		m.stage = stageMenu
		for i := range m.inputs {
			m.inputs[i].Blur()
		}
		return true
	}
	return false
}

// CopyTarget is what y copies now, and its name; "" when nothing.
func (m *Model) CopyTarget() (string, string) {
	if c, ok := m.detail.(Copier); ok && m.stage == stageRun {
		return c.Copy()
	}
	return "", ""
}

// BrowserURL is the URL b opens now; "" when none.
func (m *Model) BrowserURL() string {
	if b, ok := m.detail.(Browsable); ok && m.stage == stageRun && m.state == running {
		return b.BrowserURL()
	}
	return ""
}

// Answers is how many answers the run gave to the Answer pane.
func (m *Model) Answers() int { return m.answers }

// Stopped reports whether the last run was stopped and has ended.
func (m *Model) Stopped() bool { return m.state == stopped }

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() {
	m.focused = true
	if m.stage == stageForm {
		m.focusField(m.field)
	}
	if m.ask != nil && len(m.ask.prompt.Choices) == 0 {
		m.askIn.Focus()
	}
}

// Blur takes the focus away.
func (m *Model) Blur() {
	m.focused = false
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
	m.askIn.Blur()
}

// Focused reports whether the pane has the focus.
func (m *Model) Focused() bool { return m.focused }

// Capturing: a text field (an option, an answer to a question) takes
// printable keys.
func (m *Model) Capturing() bool {
	if !m.focused {
		return false
	}
	if m.stage == stageForm {
		return m.field < len(m.flow.Fields) && len(m.flow.Fields[m.field].Choices) == 0
	}
	return m.stage == stageRun && m.ask != nil && len(m.ask.prompt.Choices) == 0
}

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	for i := range m.inputs {
		m.inputs[i].Width = fieldWidth(m.flow.Fields[i], w)
	}
	m.askIn.Width = max(4, w-4)
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.stage {
	case stageMenu:
		return []key.Binding{k.Choose, k.Up}
	case stageForm:
		out := []key.Binding{k.Start}
		if m.field < len(m.flow.Fields) && len(m.flow.Fields[m.field].Choices) > 0 {
			out = append(out, k.Toggle)
		}
		return append(out, k.Up)
	}
	if m.ask != nil {
		a := k.Choose
		a.SetHelp("enter", "answer")
		return []key.Binding{a}
	}
	var out []key.Binding
	if t, what := m.CopyTarget(); t != "" {
		c := k.Copy
		c.SetHelp("y", "copy the "+what)
		out = append(out, c)
	}
	if m.BrowserURL() != "" {
		out = append(out, k.Open)
	}
	if !m.Running() {
		out = append(out, k.Again)
	}
	return out
}

// FullHelp lists the pane's keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Choose, k.Start, k.Toggle, k.Copy, k.Open, k.Again}}
}

// View draws the menu, the form, or the run.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	switch m.stage {
	case stageMenu:
		return m.menuView()
	case stageForm:
		return m.formView()
	}
	return m.runView()
}

func (m *Model) menuView() string {
	st := m.st
	lines := []string{st.Hint.Render(fit.Cut("Each flow runs its requests for you, step by step.", m.w)), ""}
	if len(m.flows) == 0 {
		return strings.Join(append(lines, st.Hint.Render("No flows for this tenant.")), "\n")
	}
	for i, f := range m.flows {
		title := "  " + f.Title
		if i == m.sel {
			lines = append(lines, st.Selected.Render(fit.Pad(fit.Cut("▸ "+f.Title, m.w), m.w)))
		} else {
			lines = append(lines, st.Item.Render(fit.Cut(title, m.w)))
		}
		for _, l := range wrap(f.Summary, m.w-4) {
			lines = append(lines, "    "+st.Dim.Render(l))
		}
	}
	lines = append(lines, "", st.Hint.Render(fit.Cut("enter chooses · esc closes", m.w)))
	return strings.Join(lines, "\n")
}

func (m *Model) formView() string {
	st := m.st
	lines := []string{st.Title.Render(fit.Cut(m.flow.Title, m.w)), ""}
	lw := 0
	for _, f := range m.flow.Fields {
		lw = max(lw, ansi.StringWidth(f.Label))
	}
	for i, f := range m.flow.Fields {
		label := fit.Pad(f.Label, lw)
		if i == m.field && m.focused {
			label = st.Selected.Render(label)
		} else {
			label = st.Label.Render(label)
		}
		var val string
		if len(f.Choices) > 0 {
			v := m.values[i]
			if v == "" {
				v = "(none)"
			}
			val = "‹ " + v + " ›"
		} else {
			val = m.inputs[i].View()
			if !(i == m.field && m.focused) {
				// Not being edited: the value as text, not the padded
				// input, so that its source note fits beside it.
				val = m.fieldText(i, f, m.w-lw-2)
			}
		}
		row := label + "  " + val
		if f.Source != "" && m.inputs[i].Value() == f.Value && len(f.Choices) == 0 {
			row += st.Dim.Render("  " + f.Source)
		}
		lines = append(lines, fit.Cut(row, m.w))
	}
	lines = append(lines, "")
	if m.field < len(m.flow.Fields) && m.flow.Fields[m.field].Help != "" {
		for _, l := range wrap(m.flow.Fields[m.field].Help, m.w) {
			lines = append(lines, st.Hint.Render(l))
		}
	}
	lines = append(lines, st.Good.Render(fit.Cut("enter starts · ↑/↓ fields · esc back", m.w)))
	return strings.Join(lines, "\n")
}

// fieldText is field i's value as shown when it is not being edited, in
// at most w cells: "(none)" when empty, dots for a secret.
func (m *Model) fieldText(i int, f Field, w int) string {
	v := m.inputs[i].Value()
	switch {
	case v == "":
		return m.st.Dim.Render("(none)")
	case f.Secret:
		return strings.Repeat("•", min(len([]rune(v)), 12, max(1, w)))
	}
	return fit.Cut(v, max(1, w))
}

// sideGap is the room between the steps and a side block.
const sideGap = 2

func (m *Model) runView() string {
	st := m.st
	textW := m.w
	var side, sideNote string
	if s, ok := m.detail.(Sider); ok && m.state == running {
		const minText = 34
		block, note := s.Side(m.w-minText-sideGap, m.h, m.zoomed)
		if block != "" {
			side = block
			textW = m.w - lipgloss.Width(block) - sideGap
		} else {
			sideNote = note
		}
	}
	lines := []string{st.Title.Render(fit.Cut(m.flow.Title, textW))}
	for i, s := range m.steps {
		last := i == len(m.steps)-1
		var mark string
		var style lipgloss.Style
		switch {
		case s.warn:
			mark, style = st.Marks.Warn, st.Warn
		case s.done:
			mark, style = st.Marks.Done, st.Good
		case last && m.state == failed:
			mark, style = st.Marks.Failed, st.Bad
		case last && (m.state == stopped || m.state == stopping):
			mark, style = st.Marks.Stopped, st.Warn
		default:
			mark, style = m.spin.View(), st.Item
		}
		for j, l := range wrap(s.text, textW-2) {
			if j == 0 {
				lines = append(lines, style.Render(mark)+" "+st.Item.Render(l))
			} else {
				lines = append(lines, "  "+st.Item.Render(l))
			}
		}
	}
	switch m.state {
	case failed:
		for _, l := range wrap(m.err, textW-2) {
			lines = append(lines, "  "+st.Bad.Render(l))
		}
	case stopping:
		lines = append(lines, "  "+st.Warn.Render("Stopping…"))
	case stopped:
		lines = append(lines, "  "+st.Warn.Render("Stopped."))
	case done:
		res := m.result
		if res == "" && m.answers > 0 {
			res = "Done. The tokens are in the Answer (status bar, Tokens tab): esc closes this pane."
		} else if res == "" {
			res = "Done."
		}
		for _, l := range wrap(res, textW) {
			lines = append(lines, st.Good.Render(l))
		}
	}
	if m.ask != nil {
		lines = append(lines, "")
		for _, l := range wrap(m.ask.prompt.Label, textW) {
			lines = append(lines, st.Label.Render(l))
		}
		if cs := m.ask.prompt.Choices; len(cs) > 0 {
			for i, c := range cs {
				if i == m.askSel {
					lines = append(lines, st.Selected.Render(fit.Pad(fit.Cut("▸ "+c, textW), textW)))
				} else {
					lines = append(lines, st.Item.Render(fit.Cut("  "+c, textW)))
				}
			}
		} else {
			lines = append(lines, "> "+m.askIn.View())
		}
	}
	if m.detail != nil {
		d := m.detail.View(ViewArgs{Width: textW, Now: m.now, St: st, Zoomed: m.zoomed, Sandbox: m.sandbox, Live: m.state == running})
		if d != "" {
			lines = append(lines, "")
			lines = append(lines, strings.Split(d, "\n")...)
		}
	}
	if sideNote != "" {
		for _, l := range wrap(sideNote, textW) {
			lines = append(lines, st.Warn.Render(l))
		}
	}
	text := strings.Join(lines, "\n")
	if side == "" {
		return text
	}
	left := lipgloss.NewStyle().Width(textW).MaxWidth(textW).Render(text)
	return lipgloss.JoinHorizontal(lipgloss.Top, left, strings.Repeat(" ", sideGap), side)
}

// wrap breaks s into lines of at most w cells.
func wrap(s string, w int) []string {
	if s == "" {
		return nil
	}
	w = max(1, w)
	out := strings.Split(ansi.Wrap(s, w, " "), "\n")
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}
