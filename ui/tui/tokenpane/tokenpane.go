// Package tokenpane is the TUI's token inspector: a field where a token is
// pasted or typed, decoded and checked as it changes, with small fields for
// the nonce, max_age and organization the check expects, and the result in
// a jwtview.Model, as the answer pane's Tokens tab shows one.
//
// Nothing is sent anywhere: the token is cleaned (api.CleanToken), decoded
// and verified here; only the tenant's public keys (and, for a tenant given
// as a base URL, its discovery document) are fetched, in a tea.Cmd.
package tokenpane

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the pane; the root's theme fills them.
type Styles struct {
	Label, LabelFocused, Input, Hint, Note, Error, Dim lipgloss.Style
	Token                                              jwtview.Styles
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		LabelFocused: lipgloss.NewStyle().Reverse(true).Bold(true),
		Hint:         lipgloss.NewStyle().Faint(true),
		Note:         lipgloss.NewStyle().Faint(true),
		Dim:          lipgloss.NewStyle().Faint(true),
		Token:        jwtview.DefaultStyles(),
	}
}

// KeyMap of the pane. Token are the keys of the result (scrolling,
// reloading the keys).
type KeyMap struct {
	// Next leaves a field for the next one (the ring goes on with tab).
	Next  key.Binding
	Token jwtview.KeyMap
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next field")),
		Token: jwtview.DefaultKeyMap(),
	}
}

// Options are what the pane needs from the program.
type Options struct {
	// Session gives the checks: its tenant's issuer, client id (audience),
	// keys and HS256 secret (app.Session.VerifyOptions). Nil: decode only.
	Session *app.Session
	Now     func() time.Time
	Escape  func(string) string
	// Context bounds the verifications and key reloads; the program
	// cancels it when it quits. Default context.Background().
	Context context.Context
	// TickEvery is how often relative times refresh; default one second.
	TickEvery time.Duration
}

// Hint is what the pane says while the field is empty.
const Hint = "Paste a token: id_token, access token or refresh token. It is decoded and checked here as it is typed; " +
	"the token never leaves this machine (only the tenant's public keys are fetched)."

// pasteLimit is the largest paste taken: a token at its largest and room
// for what comes along with one.
const pasteLimit = jwtview.MaxTokenSize + 1024

type field int

const (
	fToken field = iota
	fNonce
	fMaxAge
	fOrg
	fResult
)

// verifiedMsg is the check of the input's version seq.
type verifiedMsg struct {
	seq    uint64
	raw    string
	opts   jwtview.Options
	report *jwtview.Report
	notes  []string // why the options are not all they should be
}

// Model is the token inspector.
type Model struct {
	// cancelCheck cancels the check under way (a newer input supersedes it).
	cancelCheck context.CancelFunc
	st          Styles
	keys        KeyMap
	o           Options

	ta                 textarea.Model
	nonce, maxAge, org textinput.Model
	focus              field
	focused            bool
	w, h               int

	// seq is the input's version: each change makes a new one, and a check
	// of an older one is dropped when it arrives.
	seq       uint64
	clean     string   // the token as cleaned
	notes     []string // what cleaning removed
	inputErr  string   // a field that does not read (max_age)
	verifying bool
	view      *jwtview.Model // the last check's result; nil before one
	optNotes  []string       // the last check's notes on its options
	cache     *optionsCache
}

// New returns an empty pane.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Escape == nil {
		o.Escape = func(s string) string { return s }
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.Placeholder = "paste a token here"
	ta.CharLimit = pasteLimit
	ta.MaxHeight = 0
	ta.SetHeight(3)
	plain := textarea.Style{Base: lipgloss.NewStyle(), CursorLine: lipgloss.NewStyle(), Text: lipgloss.NewStyle(),
		Placeholder: st.Dim, Prompt: st.Dim, EndOfBuffer: lipgloss.NewStyle(), LineNumber: lipgloss.NewStyle(), CursorLineNumber: lipgloss.NewStyle()}
	ta.FocusedStyle, ta.BlurredStyle = plain, plain
	ta.FocusedStyle.Prompt = st.Label
	// enter moves on (keys.Next); a token has no line breaks of its own.
	ta.KeyMap.InsertNewline.SetEnabled(false)
	// The terminal's paste (bracketed) is the way in: ctrl+v would read
	// the system clipboard, which can hang without a display.
	ta.KeyMap.Paste.SetEnabled(false)
	// A steady cursor: no blink timers running behind every key.
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.Blur()
	small := func(placeholder string, limit int) textinput.Model {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = placeholder
		ti.CharLimit = limit
		ti.PlaceholderStyle = st.Dim
		ti.TextStyle = st.Input
		ti.Cursor.SetMode(cursor.CursorStatic)
		return ti
	}
	m := &Model{st: st, keys: keys, o: o, ta: ta,
		nonce:  small("none", 512),
		maxAge: small("secs", 12),
		org:    small("none", 256),
		cache:  &optionsCache{},
	}
	if p := o.Session; p != nil && p.Profile != nil && p.Profile.Organization != "" {
		m.org.Placeholder = p.Profile.Organization
	}
	return m
}

// Init starts nothing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSession checks the token against another tenant from now on (the
// person switched tenants), and checks the token there is again.
func (m *Model) SetSession(s *app.Session) tea.Cmd {
	m.o.Session = s
	m.cache = &optionsCache{}
	m.org.Placeholder = "none"
	if s != nil && s.Profile != nil && s.Profile.Organization != "" {
		m.org.Placeholder = s.Profile.Organization
	}
	return m.changed()
}

// SetToken replaces the token (the root, and tests) and checks it.
func (m *Model) SetToken(s string) tea.Cmd {
	m.ta.SetValue(s)
	cmd := m.changed()
	m.resize()
	return cmd
}

// Token is the token as cleaned.
func (m *Model) Token() string { return m.clean }

// Notes are what cleaning the input removed.
func (m *Model) Notes() []string { return m.notes }

// Report is the shown result's report as last evaluated; nil before a
// check of the current input arrived.
func (m *Model) Report() *jwtview.Report {
	if m.view == nil || m.verifying {
		return nil
	}
	return m.view.Report()
}

// cleanToken is api.CleanToken, and line breaks inside the token joined: a
// token copied from a log or a terminal that wrapped it arrives in lines.
func cleanToken(raw string) (string, []string) {
	s, notes := api.CleanToken(raw)
	if strings.ContainsAny(s, "\r\n") {
		lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		s = strings.Join(lines, "")
		notes = append(notes, fmt.Sprintf("joined the %d lines of the input into one", len(lines)))
	}
	return s, notes
}

// changed is called on every change of a field: the input gets a new
// version and is checked in a Cmd.
func (m *Model) changed() tea.Cmd {
	m.seq++
	m.clean, m.notes = cleanToken(m.ta.Value())
	m.inputErr = ""
	maxAge, err := parseMaxAge(m.maxAge.Value())
	if err != nil {
		m.inputErr = err.Error()
	}
	if m.clean == "" {
		m.verifying, m.view, m.optNotes = false, nil, nil
		return nil
	}
	m.verifying = true
	seq, raw := m.seq, m.clean
	nonce, org := strings.TrimSpace(m.nonce.Value()), strings.TrimSpace(m.org.Value())
	s, now, parent, cache := m.o.Session, m.o.Now, m.o.Context, m.cache
	if parent == nil {
		parent = context.Background()
	}
	// A newer input makes the check under way pointless: cancel it, so
	// typing a token does not leave a fetch per keystroke behind.
	if m.cancelCheck != nil {
		m.cancelCheck()
	}
	ctx, cancel := context.WithTimeout(parent, 10*time.Second)
	m.cancelCheck = cancel
	return func() tea.Msg {
		defer cancel()
		o, notes := cache.options(ctx, s, now) // may read the discovery document: off the UI goroutine
		o.Nonce = nonce
		if maxAge > 0 {
			o.MaxAge = maxAge
		}
		if org != "" {
			o.Organization = org
		}
		// An access token is for an API, not the client: checked as one,
		// its audience shown rather than compared with the client id.
		if t, err := jwtview.Decode(raw); err == nil && jwtview.Classify(t, o.Audience).Use == jwtview.UseAccessToken {
			o.AccessToken, o.Audience, o.Secret = true, "", nil
		}
		return verifiedMsg{seq: seq, raw: raw, opts: o, report: jwtview.Verify(ctx, raw, o), notes: notes}
	}
}

// parseMaxAge reads max_age in seconds, as sent with the request. Zero (sign
// in again now) is legal: it asks for the smallest positive bound, which
// checks the same (auth_time within the leeway of now), as `token` does.
func parseMaxAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 100*365*86400 {
			return 0, fmt.Errorf("max_age is a number of seconds, as sent with the request; %q is not, so it is not checked", s)
		}
		n = n*10 + int64(c-'0')
	}
	if n == 0 {
		return time.Nanosecond, nil
	}
	return time.Duration(n) * time.Second, nil
}

// optionsCache keeps the session's options once they were built without a
// hitch, so a check per key typed does not read the discovery document
// each time.
type optionsCache struct {
	mu   sync.Mutex
	ok   bool
	o    jwtview.Options
	errs []string
}

func (c *optionsCache) options(ctx context.Context, s *app.Session, now func() time.Time) (jwtview.Options, []string) {
	c.mu.Lock()
	if c.ok {
		o, errs := c.o, c.errs
		c.mu.Unlock()
		return o, errs
	}
	c.mu.Unlock()
	o, notes, err := s.VerifyOptions(ctx, "", now)
	var out []string
	if err != nil {
		out = append(out, err.Error())
	}
	for _, n := range notes {
		out = append(out, n.Text)
	}
	if len(notes) == 0 { // discovery worked (or was not needed): keep
		c.mu.Lock()
		c.ok, c.o, c.errs = true, o, out
		c.mu.Unlock()
	}
	return o, out
}

// Update handles keys for the focused field, pastes, and the checks'
// replies and clocks.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case verifiedMsg:
		if msg.seq != m.seq {
			return nil // a check of an input changed since
		}
		v := jwtview.NewModel(msg.report, jwtview.ViewOptions{Now: m.o.Now, TickEvery: m.o.TickEvery,
			Styles: &m.st.Token, Keys: &m.keys.Token, Context: m.o.Context}).WithSource(msg.raw, msg.opts)
		m.view, m.verifying, m.optNotes = &v, false, msg.notes
		m.resize()
		// A new view and its own clock: the last one's stops at its next
		// tick, which no view takes.
		return v.Init()
	case jwtview.ReportMsg, jwtview.TickMsg:
		if m.view == nil {
			return nil
		}
		v, cmd := m.view.Update(msg)
		m.view = &v
		return cmd
	case tea.MouseMsg:
		if m.view == nil {
			return nil
		}
		v, cmd := m.view.Update(msg)
		m.view = &v
		return cmd
	case tea.KeyMsg:
		cmd := m.key(msg)
		m.resize() // the notes above the result may have changed
		return cmd
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	if msg.Paste && (m.focus == fToken || m.focus == fResult) {
		// A paste is a new token: it replaces the field, whatever was there.
		if len(msg.Runes) > pasteLimit {
			m.inputErr = fmt.Sprintf("the paste is %d characters, over the %d KiB a token can be; it was not taken", len(msg.Runes), jwtview.MaxTokenSize>>10)
			return nil
		}
		m.ta.SetValue(string(msg.Runes))
		if m.focus == fResult {
			m.setField(fToken)
		}
		return m.changed()
	}
	if m.focus != fResult && key.Matches(msg, m.keys.Next) {
		m.Next()
		return nil
	}
	var cmd tea.Cmd
	switch m.focus {
	case fToken:
		before := m.ta.Value()
		m.ta, cmd = m.ta.Update(msg)
		if m.ta.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
		return cmd
	case fNonce, fMaxAge, fOrg:
		ti := m.input(m.focus)
		before := ti.Value()
		*ti, cmd = ti.Update(msg)
		if ti.Value() != before {
			return tea.Batch(cmd, m.changed())
		}
		return cmd
	case fResult:
		if m.view != nil {
			v, cmd := m.view.Update(msg)
			m.view = &v
			return cmd
		}
	}
	return nil
}

func (m *Model) input(f field) *textinput.Model {
	switch f {
	case fNonce:
		return &m.nonce
	case fMaxAge:
		return &m.maxAge
	}
	return &m.org
}

func (m *Model) setField(f field) {
	m.focus = f
	m.ta.Blur()
	m.nonce.Blur()
	m.maxAge.Blur()
	m.org.Blur()
	if !m.focused {
		return
	}
	switch f {
	case fToken:
		m.ta.Focus()
	case fNonce, fMaxAge, fOrg:
		m.input(f).Focus()
	}
}

// last is the last stop of the ring in the pane: the result when there is
// one to scroll or reload, else the organization.
func (m *Model) last() field {
	if m.view != nil {
		return fResult
	}
	return fOrg
}

// Next moves to the next field; false when the focus was on the last one
// (the ring goes on outside the pane).
func (m *Model) Next() bool {
	if m.focus >= m.last() {
		return false
	}
	m.setField(m.focus + 1)
	return true
}

// Prev moves to the previous field; false on the first.
func (m *Model) Prev() bool {
	if m.focus == fToken {
		return false
	}
	m.setField(m.focus - 1)
	return true
}

// FocusFirst puts the focus on the token field (entering the pane forward).
func (m *Model) FocusFirst() { m.setField(fToken) }

// FocusLast puts the focus on the last field (entering the pane backward).
func (m *Model) FocusLast() { m.setField(m.last()) }

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() { m.focused = true; m.setField(m.focus) }
func (m *Model) Blur() {
	m.focused = false
	m.setField(m.focus)
}
func (m *Model) Focused() bool { return m.focused }

// Capturing: a field takes printable keys while it has the focus.
func (m *Model) Capturing() bool { return m.focused && m.focus != fResult }

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.ta.SetWidth(max(4, w))
	m.sizeFields()
	m.resize()
}

// smallFields are the small fields in their line: what comes before the
// label, the label, and what follows the input.
var smallFields = []struct {
	f                  field
	before, name, unit string
	share              int // tenths of the room for inputs
}{
	{fNonce, "", "nonce", "", 4},
	{fMaxAge, " ", "max_age", "", 2},
	{fOrg, " ", "org", "", 4},
}

// sizeFields shares the line's room among the small inputs.
func (m *Model) sizeFields() {
	fixed := 0
	for _, sf := range smallFields {
		fixed += len(sf.before) + len(sf.name) + 1 + len(sf.unit)
	}
	room := max(12, m.w-fixed)
	for _, sf := range smallFields {
		m.input(sf.f).Width = max(2, room*sf.share/10-1)
	}
}

// fieldsLine draws the small fields: label and input.
func (m *Model) fieldsLine() string {
	var b strings.Builder
	for _, sf := range smallFields {
		ti := m.input(sf.f)
		ls := m.st.Label
		if m.focused && m.focus == sf.f {
			ls = m.st.LabelFocused
		}
		b.WriteString(sf.before + ls.Render(sf.name) + " " + fit.Pad(ti.View(), ti.Width+1) + sf.unit)
	}
	return fit.Cut(b.String(), m.w)
}

// headLines are the lines above the result: title, token field, the small
// fields, the notes.
func (m *Model) headLines() []string {
	title := m.st.Label.Render("Token")
	if m.focused && m.focus == fToken {
		title = m.st.LabelFocused.Render("Token")
	}
	against := "decoded only: no tenant to check it against"
	if s := m.o.Session; s != nil && s.Client != nil {
		name := s.Name
		if name == "" {
			name = "flags"
		}
		against = "checked as an id_token of " + m.o.Escape(name) + " " + m.o.Escape(s.Domain()) + ", client " + m.o.Escape(s.Client.ClientID)
	}
	lines := []string{fit.Cut(title+"  "+m.st.Dim.Render(against), m.w)}
	lines = append(lines, strings.Split(m.ta.View(), "\n")...)
	lines = append(lines, m.fieldsLine())
	for _, n := range m.notes {
		lines = append(lines, fit.Cut(m.st.Note.Render("note: "+n), m.w))
	}
	if m.inputErr != "" {
		lines = append(lines, wrap(m.inputErr, m.w, m.st.Error)...)
	}
	if r := m.Report(); r != nil && !r.Valid() {
		for _, n := range m.optNotes {
			lines = append(lines, wrap("note: "+m.o.Escape(n), m.w, m.st.Note)...)
		}
	}
	return lines
}

func (m *Model) viewHeight() int { return max(1, m.h-len(m.headLines())) }

func (m *Model) resize() {
	if m.view != nil {
		m.view.SetSize(m.w, m.viewHeight())
	}
}

// View draws the fields and the result (or the hint).
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	lines := m.headLines()
	var body string
	switch {
	case m.clean == "":
		body = strings.Join(wrap(Hint, m.w, m.st.Hint), "\n")
	case m.view == nil:
		body = m.st.Dim.Render("verifying…")
	default:
		// While a changed input is checked, the last result stays.
		body = m.view.View()
	}
	out := append(lines, strings.Split(body, "\n")...)
	if len(out) > m.h {
		out = out[:m.h]
	}
	return strings.Join(out, "\n")
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	if m.focus == fResult {
		if m.view != nil {
			return m.view.ShortHelp()
		}
		return nil
	}
	if m.focus < m.last() {
		return []key.Binding{m.keys.Next}
	}
	return nil
}

// FullHelp lists the pane's keys.
func (m *Model) FullHelp() [][]key.Binding {
	out := [][]key.Binding{{m.keys.Next}}
	if m.view != nil {
		out = append(out, m.view.FullHelp()...)
	}
	return out
}

// wrap breaks s into lines of at most w cells and styles each one.
func wrap(s string, w int, st lipgloss.Style) []string {
	lines := strings.Split(lipgloss.NewStyle().Width(max(1, w)).Render(s), "\n")
	for i, l := range lines {
		lines[i] = st.Render(strings.TrimRight(l, " "))
	}
	return lines
}
