// Package form is the TUI's request form: one input per catalogue field of
// an operation, validated as it is typed by the same request builder `call`
// uses.
package form

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the form; the root's theme fills them.
type Styles struct {
	Title, Endpoint, Summary, Deprecated     lipgloss.Style
	Label, LabelFocused, Required, Tag, Help lipgloss.Style
	Error, OK, Dim                           lipgloss.Style
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		Title:        lipgloss.NewStyle().Bold(true),
		LabelFocused: lipgloss.NewStyle().Bold(true).Reverse(true),
		Dim:          lipgloss.NewStyle().Faint(true),
		Tag:          lipgloss.NewStyle().Faint(true),
		Help:         lipgloss.NewStyle().Faint(true),
		Summary:      lipgloss.NewStyle().Faint(true),
	}
}

// KeyMap of the form.
type KeyMap struct {
	Next, Prev, Reveal, FormEncoding key.Binding
}

// DefaultKeyMap is the form's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:         key.NewBinding(key.WithKeys("down", "enter"), key.WithHelp("↓/enter", "next field")),
		Prev:         key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
		Reveal:       key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal secrets")),
		FormEncoding: key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle form encoding")),
	}
}

// Validator builds the request for op from v and says why it would be
// refused (nil: it would be sent). The root passes the api client's Build.
type Validator func(op *api.Operation, v api.Values) error

// Default is a value the form starts from: Source names where it came from
// ("profile", "sandbox").
type Default struct {
	Value  string
	Source string
	// Placeholder: the request builder fills it by itself when the field
	// is left empty (client_id, client_secret), so the form only shows it.
	Placeholder bool
}

type kind int

const (
	kindField kind = iota
	kindForwardedFor
	kindFormEncoding
)

type input struct {
	kind    kind
	def     api.Field
	ti      textinput.Model
	def0    *Default // the default it started with
	jsonErr string
}

// Model is the form of one operation.
type Model struct {
	st       Styles
	keys     KeyMap
	op       *api.Operation
	inputs   []*input
	focus    int
	focused  bool
	reveal   bool
	form     bool // send form-encoded
	validate Validator
	refusal  *api.InputError
	other    error  // a refusal that is not an InputError
	shown    bool   // refusals are shown once the person typed or tried to send
	action   string // what ctrl+s does, for the footer: "sends" unless set
	gen      string // the node-auth0 generation the root sends as: "v2" or "v4"
	w, h     int
	offset   int
}

// New makes the form for op, with defaults by field name.
func New(op *api.Operation, defaults map[string]Default, validate Validator, st Styles, keys KeyMap) *Model {
	m := &Model{st: st, keys: keys, op: op, validate: validate}
	for _, f := range op.Fields {
		in := &input{kind: kindField, def: f, ti: newInput(f.Secret)}
		if d, ok := defaults[f.Name]; ok && d.Value != "" {
			dd := d
			in.def0 = &dd
			if d.Placeholder {
				in.ti.Placeholder = placeholder(d, f.Secret)
			} else {
				in.ti.SetValue(d.Value)
			}
		} else if f.JSON {
			in.ti.Placeholder = `{"key": "value"}`
		}
		m.inputs = append(m.inputs, in)
	}
	if op.ForwardedFor {
		in := &input{kind: kindForwardedFor, def: api.Field{Name: "forwarded-for", Help: "the end user's IP, sent as the auth0-forwarded-for header (node-auth0's forwardedFor option); needs the client's Trust Token Endpoint IP Header setting"}, ti: newInput(false)}
		in.ti.Placeholder = "IP address"
		m.inputs = append(m.inputs, in)
	}
	if op.FormAllowed() {
		m.inputs = append(m.inputs, &input{kind: kindFormEncoding, def: api.Field{Name: "form-encoded", Help: "send the body as application/x-www-form-urlencoded instead of JSON (Auth0 accepts both; the SDK sends JSON); space toggles"}})
	}
	m.revalidate()
	return m
}

func placeholder(d Default, secret bool) string {
	v := d.Value
	if secret {
		v = strings.Repeat("•", 8)
	} else if len(v) > 24 {
		v = v[:23] + "…"
	}
	return v + " (" + d.Source + ")"
}

func newInput(secret bool) textinput.Model {
	ti := textinput.New()
	// ctrl+v would read the system clipboard, which hangs without a
	// display (TUI-NOTES §2); the terminal's own paste works.
	ti.KeyMap.Paste.SetEnabled(false)
	ti.Prompt = ""
	ti.CharLimit = 64 << 10
	if secret {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '•'
	}
	return ti
}

// Op is the form's operation.
func (m *Model) Op() *api.Operation { return m.op }

// Values are what the form sends: the fields given, in catalogue order, and
// the request options.
func (m *Model) Values() api.Values {
	var v api.Values
	for _, in := range m.inputs {
		switch in.kind {
		case kindForwardedFor:
			v.ForwardedFor = strings.TrimSpace(in.ti.Value())
		case kindFormEncoding:
			v.Form = m.form
		default:
			s := in.ti.Value()
			if s == "" {
				continue
			}
			if in.def.JSON && json.Valid([]byte(s)) {
				v.Fields = append(v.Fields, api.Value{Name: in.def.Name, Raw: json.RawMessage(s)})
			} else {
				v.Fields = append(v.Fields, api.String(in.def.Name, s))
			}
		}
	}
	return v
}

// Secrets are the secret values typed into the form (for redaction).
func (m *Model) Secrets() []string {
	var s []string
	for _, in := range m.inputs {
		if in.def.Secret && in.ti.Value() != "" {
			s = append(s, in.ti.Value())
		}
	}
	return s
}

// Value is the current text of the field named name.
func (m *Model) Value(name string) string {
	for _, in := range m.inputs {
		if in.def.Name == name {
			return in.ti.Value()
		}
	}
	return ""
}

// SetValue sets the field named name (tests, and filling from a token).
func (m *Model) SetValue(name, value string) {
	for _, in := range m.inputs {
		if in.def.Name == name && in.kind != kindFormEncoding {
			in.ti.SetValue(value)
			in.ti.CursorEnd()
		}
	}
	m.revalidate()
}

// SetGeneration says which node-auth0 generation the requests go out as
// ("v2", the default, or "v4": the root's g switch); the header says how
// this operation is sent under it.
func (m *Model) SetGeneration(gen string) {
	m.gen = gen
	if m.h > 0 {
		m.keepVisible() // the header may have grown
	}
}

// generationLine is what the header says about the generation: nothing
// under v2; under v4, that an operation with a v4 wire format goes out as
// v4 sends it, and that a v2 method v4 lacks goes out as v2 sends it. An
// operation v2 lacks and without a v4 wire is sent the same either way.
func (m *Model) generationLine() string {
	if m.gen != api.SDKv4 {
		return ""
	}
	switch w := m.op.V4; {
	case w != nil && w.Method != "" && w.Method != m.op.Name:
		return "as node-auth0 v4 sends it (its " + w.Method + ")"
	case w != nil:
		return "as node-auth0 v4 sends it"
	case m.op.Origin == "":
		return "node-auth0 v4 has no such method: sent as node-auth0 v2 sends it"
	}
	return ""
}

// SetAction names what ctrl+s does with this form ("saves"); "sends"
// unless set.
func (m *Model) SetAction(verb string) { m.action = verb }

func (m *Model) actionWord() string {
	if m.action == "" {
		return "sends"
	}
	return m.action
}

// SetDefaults replaces the defaults (another tenant's): a field still
// holding its old default, or empty without one, takes the new default;
// a value the person typed stays.
func (m *Model) SetDefaults(defaults map[string]Default) {
	for _, in := range m.inputs {
		if in.kind != kindField {
			continue
		}
		v := in.ti.Value()
		typed := v != ""
		if in.def0 != nil && !in.def0.Placeholder {
			typed = v != in.def0.Value
		}
		in.def0 = nil
		in.ti.Placeholder = ""
		if in.def.JSON {
			in.ti.Placeholder = `{"key": "value"}`
		}
		d, ok := defaults[in.def.Name]
		if ok && d.Value != "" {
			dd := d
			in.def0 = &dd
			if d.Placeholder {
				in.ti.Placeholder = placeholder(d, in.def.Secret)
			}
		}
		if typed {
			continue
		}
		switch {
		case in.def0 != nil && !in.def0.Placeholder:
			in.ti.SetValue(in.def0.Value)
		default:
			in.ti.SetValue("")
		}
		in.ti.CursorEnd()
	}
}

// SetFormEncoded sends the body form-encoded (on) or as JSON, where the
// operation allows the choice (a request sent again from the history).
func (m *Model) SetFormEncoded(on bool) {
	m.form = on && m.op.FormAllowed()
	m.revalidate()
}

// Refusal is why the request would not be sent now; nil when it would.
func (m *Model) Refusal() error {
	if m.refusal != nil {
		return m.refusal
	}
	return m.other
}

// AttemptSend marks the form as tried: refusals show from now on. It
// reports whether the request would be sent.
func (m *Model) AttemptSend() bool {
	m.shown = true
	m.revalidate()
	if m.Refusal() != nil {
		m.focusField(m.refusalField())
		return false
	}
	return true
}

func (m *Model) refusalField() int {
	if m.refusal == nil {
		return -1
	}
	name := m.refusal.Field
	if f := m.op.Field(name); f != nil {
		name = f.Name
	}
	for i, in := range m.inputs {
		if in.def.Name == name || (name == "forwardedFor" && in.kind == kindForwardedFor) {
			return i
		}
	}
	return -1
}

// Revalidate checks the form again (the request builder changed: another
// SDK generation).
func (m *Model) Revalidate() { m.revalidate() }

func (m *Model) revalidate() {
	m.refusal, m.other = nil, nil
	for _, in := range m.inputs {
		in.jsonErr = ""
		if in.def.JSON && in.ti.Value() != "" {
			var x any
			if err := json.Unmarshal([]byte(in.ti.Value()), &x); err != nil {
				in.jsonErr = "not JSON yet: " + jsonProblem(err)
			} else if _, ok := x.(map[string]any); !ok {
				in.jsonErr = "must be a JSON object"
			}
		}
	}
	if m.validate == nil {
		return
	}
	err := m.validate(m.op, m.Values())
	var ie *api.InputError
	switch {
	case err == nil:
	case errors.As(err, &ie):
		m.refusal = ie
	default:
		m.other = err
	}
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	return err.Error()
}

// FocusFirstEmptyRequired focuses the first required field that is empty
// (the first field when none is).
func (m *Model) FocusFirstEmptyRequired() {
	for i, in := range m.inputs {
		required := in.def.Required || in.def.RequiredUnless != "" && m.Value(in.def.RequiredUnless) == ""
		if in.kind == kindField && required && in.ti.Value() == "" && (in.def0 == nil || !in.def0.Placeholder) {
			m.focusField(i)
			return
		}
	}
	m.focusField(0)
}

// FocusField focuses the field named name (or one of its aliases); false
// when the form has no such field.
func (m *Model) FocusField(name string) bool {
	if f := m.op.Field(name); f != nil {
		name = f.Name
	}
	for i, in := range m.inputs {
		if in.kind == kindField && in.def.Name == name {
			m.focusField(i)
			return true
		}
	}
	return false
}

// FocusedField is the name of the focused field; empty when the focus is
// on a request option (forwarded-for, form encoding).
func (m *Model) FocusedField() string {
	if m.focus < 0 || m.focus >= len(m.inputs) || m.inputs[m.focus].kind != kindField {
		return ""
	}
	return m.inputs[m.focus].def.Name
}

// FocusLast focuses the last input (coming back with shift+tab).
func (m *Model) FocusLast() { m.focusField(len(m.inputs) - 1) }

func (m *Model) focusField(i int) {
	if i < 0 || i >= len(m.inputs) {
		return
	}
	for j, in := range m.inputs {
		if j != i {
			in.ti.Blur()
		}
	}
	m.focus = i
	if m.focused {
		m.inputs[i].ti.Focus()
	}
	m.keepVisible()
}

// Next moves to the next input; false at the last one (focus leaves the
// form).
func (m *Model) Next() bool {
	if m.focus+1 >= len(m.inputs) {
		return false
	}
	m.focusField(m.focus + 1)
	return true
}

// Prev moves to the previous input; false at the first.
func (m *Model) Prev() bool {
	if m.focus <= 0 {
		return false
	}
	m.focusField(m.focus - 1)
	return true
}

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() {
	m.focused = true
	if len(m.inputs) > 0 {
		m.inputs[m.focus].ti.Focus()
	}
}
func (m *Model) Blur() {
	m.focused = false
	for _, in := range m.inputs {
		in.ti.Blur()
	}
}
func (m *Model) Focused() bool { return m.focused }

// Capturing: a text field takes printable keys while focused.
func (m *Model) Capturing() bool {
	return m.focused && len(m.inputs) > 0 && m.inputs[m.focus].kind != kindFormEncoding
}

// Revealed reports whether secrets are shown.
func (m *Model) Revealed() bool { return m.reveal }

// Update handles keys for the focused input.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if len(m.inputs) == 0 {
			return nil
		}
		var cmd tea.Cmd
		m.inputs[m.focus].ti, cmd = m.inputs[m.focus].ti.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(km, m.keys.Reveal):
		m.reveal = !m.reveal
		for _, in := range m.inputs {
			if in.def.Secret {
				if m.reveal {
					in.ti.EchoMode = textinput.EchoNormal
				} else {
					in.ti.EchoMode = textinput.EchoPassword
				}
			}
		}
		return nil
	case key.Matches(km, m.keys.Next):
		m.Next()
		return nil
	case key.Matches(km, m.keys.Prev):
		m.Prev()
		return nil
	}
	if len(m.inputs) == 0 {
		return nil
	}
	in := m.inputs[m.focus]
	if in.kind == kindFormEncoding {
		if key.Matches(km, m.keys.FormEncoding) || km.String() == "x" {
			m.form = !m.form
			m.revalidate()
		}
		return nil
	}
	before := in.ti.Value()
	var cmd tea.Cmd
	in.ti, cmd = in.ti.Update(km)
	if in.ti.Value() != before {
		m.shown = true
		m.revalidate()
	}
	return cmd
}

// SetSize sets the form's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.keepVisible()
}

func (m *Model) headerLines() []string {
	op := m.op
	endpoint := strings.TrimSpace(op.Method + " " + op.Path)
	lines := []string{fit.Cut(m.st.Title.Render(op.Name)+"  "+m.st.Endpoint.Render(endpoint), m.w)}
	if g := m.generationLine(); g != "" {
		lines = append(lines, m.st.Tag.Render(fit.Cut(g, m.w)))
	}
	lines = append(lines, wrap(op.Summary, m.w, 2, m.st.Summary)...)
	if op.Deprecated != "" {
		lines = append(lines, wrap("† "+op.Deprecated, m.w, 2, m.st.Deprecated)...)
	}
	return lines
}

// wrap word-wraps s to w cells in at most n lines, the last one cut.
func wrap(s string, w, n int, st lipgloss.Style) []string {
	if w <= 0 {
		return nil
	}
	ls := strings.Split(lipgloss.NewStyle().Width(w).Render(s), "\n")
	if len(ls) > n {
		ls = append(ls[:n-1], fit.Cut(strings.Join(ls[n-1:], " "), w))
	}
	for i, l := range ls {
		ls[i] = st.Render(strings.TrimRight(l, " "))
	}
	return ls
}

func (m *Model) footerLines() []string {
	var lines []string
	if len(m.inputs) > 0 {
		in := m.inputs[m.focus]
		help := in.def.Help
		if in.def.Required {
			help = "required · " + help
		}
		if in.def0 != nil {
			help += " · default from " + in.def0.Source
		}
		lines = append(lines, m.st.Help.Render(fit.Cut(help, m.w)))
	}
	switch r := m.Refusal(); {
	case r != nil && m.shown:
		lines = append(lines, m.st.Error.Render(fit.Cut("✗ "+r.Error(), m.w)))
	case r != nil:
		lines = append(lines, m.st.Dim.Render(fit.Cut("fill the required fields (*), then ctrl+s "+m.actionWord(), m.w)))
	default:
		lines = append(lines, m.st.OK.Render(fit.Cut("✓ ready: ctrl+s "+m.actionWord(), m.w)))
	}
	return lines
}

func (m *Model) fieldRows() int {
	return max(1, m.h-len(m.headerLines())-len(m.footerLines())-1)
}

func (m *Model) keepVisible() {
	rows := m.fieldRows()
	if m.focus < m.offset {
		m.offset = m.focus
	}
	if m.focus >= m.offset+rows {
		m.offset = m.focus - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.inputs)-rows))
}

func (m *Model) labelWidth() int {
	w := 0
	for _, in := range m.inputs {
		w = max(w, len(in.def.Name)+2)
	}
	return min(w, max(8, m.w/3))
}

// View draws the header, the visible fields and the footer.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	lines := m.headerLines()
	lines = append(lines, "")
	lw := m.labelWidth()
	rows := m.fieldRows()
	bad := m.refusalField()
	end := min(len(m.inputs), m.offset+rows)
	for i := m.offset; i < end; i++ {
		lines = append(lines, m.row(i, lw, i == bad && m.shown))
	}
	for len(lines) < m.h-len(m.footerLines()) {
		lines = append(lines, "")
	}
	lines = append(lines, m.footerLines()...)
	if len(lines) > m.h {
		lines = lines[:m.h]
	}
	return strings.Join(lines, "\n")
}

func (m *Model) row(i, lw int, bad bool) string {
	in := m.inputs[i]
	name := in.def.Name
	mark := " "
	if in.def.Required {
		mark = "*"
	}
	label := fit.Cut(name, lw-1)
	ls := m.st.Label
	if i == m.focus && m.focused {
		ls = m.st.LabelFocused
	}
	left := ls.Render(fit.Pad(label, lw-1)) + m.st.Required.Render(mark) + " "
	var tag string
	switch {
	case in.jsonErr != "":
		tag = m.st.Error.Render(" " + in.jsonErr)
	case bad:
		tag = m.st.Error.Render(" ✗")
	case in.def0 != nil && in.ti.Value() == in.def0.Value && !in.def0.Placeholder:
		tag = m.st.Tag.Render(" (" + in.def0.Source + ")")
	case in.def.Secret && in.ti.Value() != "" && !m.reveal:
		tag = m.st.Tag.Render(" ctrl+r shows")
	}
	avail := max(4, m.w-lw-1-lipgloss.Width(tag))
	var field string
	if in.kind == kindFormEncoding {
		box := "[ ] JSON body (default)"
		if m.form {
			box = "[x] form-encoded body"
		}
		field = box
	} else {
		in.ti.Width = max(1, avail-1)
		field = in.ti.View()
	}
	return fit.Cut(left+field+tag, m.w)
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	b := []key.Binding{m.keys.Next, m.keys.Prev}
	if len(m.inputs) > 0 && m.inputs[m.focus].kind == kindFormEncoding {
		b = append(b, m.keys.FormEncoding)
	}
	for _, in := range m.inputs {
		if in.def.Secret {
			b = append(b, m.keys.Reveal)
			break
		}
	}
	return b
}

// FullHelp lists every key of the form.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Next, m.keys.Prev, m.keys.Reveal, m.keys.FormEncoding}}
}

// Needed is the height the whole form takes at width w: header (which
// wraps), every field, footer.
func (m *Model) Needed(w int) int {
	saved := m.w
	m.w = w
	defer func() { m.w = saved }()
	return len(m.headerLines()) + 1 + len(m.inputs) + len(m.footerLines())
}

// FocusedSecret reports whether the focused input is a secret field.
func (m *Model) FocusedSecret() bool {
	return len(m.inputs) > 0 && m.inputs[m.focus].def.Secret
}
