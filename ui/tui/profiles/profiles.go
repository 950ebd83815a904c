// Package profiles is the TUI's tenant picker: the saved profiles (and the
// sandbox when the program has one) to switch to, a form to add and edit
// them with the rules and storage of `profile add`, deletion after a
// confirmation, and the tenant check of `profile check`. Every read and
// write of the profiles and the keyring, and every check, runs in a Cmd
// with a spinner; a reply to something no longer asked for is dropped.
package profiles

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/form"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the picker; the root's theme fills them.
type Styles struct {
	Title, Item, Selected, Dim, Good, Bad, Warn, Prod lipgloss.Style
	Form                                              form.Styles
}

// KeyMap of the picker.
type KeyMap struct {
	Up, Down, Switch, Add, Edit, Delete, Check, Save, Back, Yes, No key.Binding
	Form                                                            form.KeyMap
}

// DefaultKeyMap is the picker's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Switch: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch to it")),
		Add:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add")),
		Edit:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Delete: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Check:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check tenant")),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Yes:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, delete")),
		No:     key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Form:   form.DefaultKeyMap(),
	}
}

// Options are what the picker works with.
type Options struct {
	Tenants *app.Tenants
	Context context.Context
	Now     func() time.Time
	Escape  func(string) string
}

// SwitchMsg carries a session the picker opened; the root switches to it
// when Accept says it is the one asked for.
type SwitchMsg struct {
	id      uint64
	Session *app.Session
}

type (
	listedMsg struct {
		id      uint64
		entries []app.Entry
		notes   []app.Note
		err     error
	}
	doneMsg struct { // a save, a removal or an open that failed
		id      uint64
		text    string
		err     error
		notices []string
		relist  bool
	}
	checkedMsg struct {
		id    uint64
		name  string
		lines []app.CheckLine
	}
)

type mode int

const (
	modeList mode = iota
	modeForm
	modeConfirm
	modeCheck
)

// Model is the picker.
type Model struct {
	o    Options
	st   Styles
	keys KeyMap

	entries []app.Entry
	sel     int
	current string
	mode    mode

	seq    uint64 // what was asked for last; other replies are dropped
	busy   string // what is under way, shown beside the spinner
	cancel context.CancelFunc
	spin   spinner.Model

	frm     *form.Model
	editing string // the profile being edited; "" when adding

	msg    []string // what came of the last action
	msgErr bool

	checkName  string
	checkLines []app.CheckLine

	w, h    int
	focused bool
}

// New makes the picker.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Escape == nil {
		o.Escape = func(s string) string { return s }
	}
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot))
	return &Model{o: o, st: st, keys: keys, spin: sp}
}

// Open shows the list, reading the profiles afresh; current is the name of
// the session in use.
func (m *Model) Open(current string) tea.Cmd {
	m.current, m.mode = current, modeList
	m.msg, m.msgErr = nil, false
	return m.list()
}

func (m *Model) start(what string) (uint64, tea.Cmd) {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.seq++
	m.busy = what
	return m.seq, m.spin.Tick
}

func (m *Model) list() tea.Cmd {
	t := m.o.Tenants
	if t == nil {
		m.msg, m.msgErr = []string{"No profiles here: the program was started without them."}, true
		return nil
	}
	id, tick := m.start("Reading the profiles…")
	return tea.Batch(tick, func() tea.Msg {
		e, notes, err := t.List()
		return listedMsg{id: id, entries: e, notes: notes, err: err}
	})
}

// Accept reports whether msg is the session last asked for, and ends the
// wait for it.
func (m *Model) Accept(msg SwitchMsg) bool {
	if msg.id != m.seq || m.busy == "" {
		return false
	}
	m.busy = ""
	m.current = msg.Session.Name
	return true
}

// AtTop reports whether the list is shown with nothing under way: esc then
// closes the picker.
func (m *Model) AtTop() bool { return m.mode == modeList && m.busy == "" }

// Busy reports whether something is under way (a spinner shows).
func (m *Model) Busy() bool { return m.busy != "" }

// Capturing: the form and the delete confirmation take every key.
func (m *Model) Capturing() bool {
	return m.focused && (m.mode == modeForm || m.mode == modeConfirm)
}

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() {
	m.focused = true
	if m.frm != nil && m.mode == modeForm {
		m.frm.Focus()
	}
}
func (m *Model) Blur() {
	m.focused = false
	if m.frm != nil {
		m.frm.Blur()
	}
}
func (m *Model) Focused() bool { return m.focused }

// SetSize sets the inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	if m.frm != nil {
		m.frm.SetSize(w, max(0, h-len(m.msgLines())))
	}
}

func (m *Model) selected() *app.Entry {
	if m.sel < 0 || m.sel >= len(m.entries) {
		return nil
	}
	return &m.entries[m.sel]
}

// Update handles the picker's keys and its Cmds' replies.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.busy == "" || msg.ID != m.spin.ID() {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case listedMsg:
		if msg.id != m.seq {
			return nil
		}
		m.busy = ""
		m.entries = msg.entries
		if msg.err != nil {
			m.msg, m.msgErr = append(m.msg, "The profiles could not be read: "+msg.err.Error()), true
		}
		for _, n := range msg.notes {
			m.msg = append(m.msg, n.String())
			m.msgErr = m.msgErr || n.Kind == app.KindWarning
		}
		m.sel = 0
		for i, e := range m.entries {
			if e.Name == m.current {
				m.sel = i
			}
		}
		return nil
	case doneMsg:
		if msg.id != m.seq {
			return nil
		}
		m.busy = ""
		if msg.err != nil {
			m.msg, m.msgErr = []string{msg.err.Error()}, true
			return nil
		}
		m.msg, m.msgErr = append([]string{msg.text}, msg.notices...), false
		if msg.relist {
			m.mode, m.frm = modeList, nil
			keep := m.msg
			cmd := m.list()
			m.msg = keep
			return cmd
		}
		return nil
	case checkedMsg:
		if msg.id != m.seq {
			return nil
		}
		m.busy = ""
		m.mode, m.checkName, m.checkLines = modeCheck, msg.name, msg.lines
		return nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	if m.frm != nil && m.mode == modeForm {
		return m.frm.Update(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.busy != "" {
		if key.Matches(msg, k.Back) && m.busy != savingText {
			if m.cancel != nil {
				m.cancel()
				m.cancel = nil
			}
			m.seq++ // its reply is dropped
			m.busy = ""
			m.msg, m.msgErr = []string{"Cancelled."}, false
		}
		return nil
	}
	switch m.mode {
	case modeForm:
		switch {
		case key.Matches(msg, k.Back):
			m.mode, m.frm = modeList, nil
			return nil
		case key.Matches(msg, k.Save):
			return m.save()
		case msg.Type == tea.KeyTab:
			m.frm.Next()
			return nil
		case msg.Type == tea.KeyShiftTab:
			m.frm.Prev()
			return nil
		}
		return m.frm.Update(msg)
	case modeConfirm:
		switch {
		case key.Matches(msg, k.Yes):
			return m.remove()
		case key.Matches(msg, k.No):
			m.mode = modeList
			m.msg = nil
		}
		return nil
	case modeCheck:
		if key.Matches(msg, k.Back) {
			m.mode = modeList
		}
		return nil
	}
	e := m.selected()
	switch {
	case key.Matches(msg, k.Up):
		m.sel = max(0, m.sel-1)
	case key.Matches(msg, k.Down):
		m.sel = min(len(m.entries)-1, m.sel+1)
	case key.Matches(msg, k.Switch) && e != nil:
		return m.open(*e)
	case key.Matches(msg, k.Add) && m.o.Tenants != nil:
		m.openForm(nil)
	case key.Matches(msg, k.Edit) && e != nil && !e.Sandbox:
		m.openForm(e)
	case key.Matches(msg, k.Delete) && e != nil && !e.Sandbox:
		m.mode = modeConfirm
		m.msg, m.msgErr = nil, false
	case key.Matches(msg, k.Check) && e != nil:
		return m.check(*e)
	}
	return nil
}

const savingText = "Saving: the system keyring has up to 3 s to answer…"

func (m *Model) open(e app.Entry) tea.Cmd {
	t := m.o.Tenants
	name := e.Name
	id, tick := m.start("Opening " + m.o.Escape(name) + " (reading its secret)…")
	m.msg = nil
	return tea.Batch(tick, func() tea.Msg {
		s, err := t.Open(name)
		if err != nil {
			return doneMsg{id: id, err: err}
		}
		return SwitchMsg{id: id, Session: s}
	})
}

func (m *Model) check(e app.Entry) tea.Cmd {
	t := m.o.Tenants
	name := e.Name
	id, tick := m.start("Checking " + m.o.Escape(name) + "…")
	ctx, cancel := context.WithTimeout(m.o.Context, 30*time.Second)
	m.cancel = cancel
	m.msg = nil
	now := m.o.Now
	return tea.Batch(tick, func() tea.Msg {
		defer cancel()
		s, err := t.Open(name)
		if err != nil {
			return doneMsg{id: id, err: err}
		}
		return checkedMsg{id: id, name: name, lines: app.CheckTenant(ctx, s, now)}
	})
}

func (m *Model) remove() tea.Cmd {
	e := m.selected()
	m.mode = modeList
	if e == nil {
		return nil
	}
	t, name := m.o.Tenants, e.Name
	id, tick := m.start("Deleting " + m.o.Escape(name) + "…")
	return tea.Batch(tick, func() tea.Msg {
		store, err := t.Store()
		if err != nil {
			return doneMsg{id: id, err: err}
		}
		ns, err := store.Remove(name)
		if err != nil {
			return doneMsg{id: id, err: app.StoreError(err)}
		}
		return doneMsg{id: id, text: fmt.Sprintf("Deleted profile %s.", app.Printable(name)), notices: ns, relist: true}
	})
}

// profileOp is the form's fields, in the catalogue's shape so the request
// form's model serves.
var profileOp = &api.Operation{
	Name:    "profile",
	Summary: "A tenant saved as a profile, as `auth0-explorer profile add` saves it.",
	Fields: []api.Field{
		{Name: "name", Required: true, Help: "letters, digits, '.', '_' and '-'"},
		{Name: "domain", Required: true, Help: "tenant host (tenant.eu.auth0.com) or loopback base URL (http://127.0.0.1:8080)"},
		{Name: "client_id", Required: true, Help: "the application's client id"},
		{Name: "client_secret", Secret: true, Help: "to the system keyring when one answers within 3 s, else the 0600 profiles file"},
		{Name: "audience", Help: "default audience for the forms"},
		{Name: "scope", Help: "default scope for the forms"},
		{Name: "realm", Help: "default realm or connection, such as Username-Password-Authentication"},
		{Name: "organization", Help: "default organization (org_…)"},
		{Name: "redirect_uri", Help: "the loopback callback listed in the application's Allowed Callback URLs, e.g. http://127.0.0.1:8484/callback"},
		{Name: "algorithms", Help: "id_token algorithms allowed, comma-separated (default RS256,HS256)"},
		{Name: "production", Help: "yes or no; empty guesses from the domain (the status bar marks production tenants PROD)"},
	},
}

func inputOf(v api.Values) app.ProfileInput {
	get := func(name string) string {
		for _, f := range v.Fields {
			if f.Name == name {
				var s string
				if json.Unmarshal(f.Raw, &s) == nil {
					return s
				}
				return string(f.Raw)
			}
		}
		return ""
	}
	return app.ProfileInput{Name: get("name"), Domain: get("domain"), ClientID: get("client_id"), ClientSecret: get("client_secret"),
		Audience: get("audience"), Scope: get("scope"), Realm: get("realm"), Organization: get("organization"),
		RedirectURI: get("redirect_uri"), Algorithms: get("algorithms"), Production: get("production")}
}

func (m *Model) openForm(e *app.Entry) {
	editing := ""
	defaults := map[string]form.Default{}
	if e != nil {
		editing = e.Name
		// The saved secret is never put back in a form: left empty, it
		// is kept.
		defaults["client_secret"] = form.Default{Value: "kept", Source: "saved; type to replace", Placeholder: true}
	}
	taken := map[string]bool{}
	for _, x := range m.entries {
		taken[x.Name] = true
	}
	validate := func(_ *api.Operation, v api.Values) error {
		in := inputOf(v)
		if _, ie := app.ProfileFromInput(in); ie != nil {
			return ie
		}
		name := strings.TrimSpace(in.Name)
		if editing != "" && name != editing {
			return &api.InputError{Field: "name", Msg: "the name of a saved profile does not change here: add a new profile and delete this one"}
		}
		if editing == "" && taken[name] {
			return &api.InputError{Field: "name", Msg: fmt.Sprintf("a profile named %q already exists; edit it (e), or delete it first", name)}
		}
		return nil
	}
	f := form.New(profileOp, defaults, validate, m.st.Form, m.keys.Form)
	f.SetAction("saves")
	if e != nil {
		in := app.InputOf(e.Profile)
		for name, v := range map[string]string{"name": in.Name, "domain": in.Domain, "client_id": in.ClientID, "audience": in.Audience,
			"scope": in.Scope, "realm": in.Realm, "organization": in.Organization, "redirect_uri": in.RedirectURI, "algorithms": in.Algorithms, "production": in.Production} {
			f.SetValue(name, v)
		}
		f.FocusField("domain")
	} else {
		f.FocusField("name")
	}
	m.frm, m.editing, m.mode = f, editing, modeForm
	m.msg, m.msgErr = nil, false
	if m.focused {
		f.Focus()
	}
	m.SetSize(m.w, m.h)
}

func (m *Model) save() tea.Cmd {
	f := m.frm
	if !f.AttemptSend() {
		return nil // the form shows why
	}
	p, _ := app.ProfileFromInput(inputOf(f.Values()))
	t, update := m.o.Tenants, m.editing != ""
	id, tick := m.start(savingText)
	return tea.Batch(tick, func() tea.Msg {
		store, err := t.Store()
		if err != nil {
			return doneMsg{id: id, err: err}
		}
		ns, err := app.SaveProfile(store, p, update)
		if err != nil {
			return doneMsg{id: id, err: err}
		}
		what := "Saved"
		if update {
			what = "Updated"
		}
		saved, _ := store.Lookup(p.Name)
		place := saved.Secret.String()
		if saved.Secret == config.SecretFile {
			place = "plain text in " + store.Path()
		}
		return doneMsg{id: id, text: fmt.Sprintf("%s profile %s; client secret: %s.", what, app.Printable(p.Name), place), notices: ns, relist: true}
	})
}

func (m *Model) msgLines() []string {
	var out []string
	st := m.st.Good
	if m.msgErr {
		st = m.st.Bad
	}
	for _, s := range m.msg {
		out = append(out, wrap(m.o.Escape(s), m.w, st)...)
	}
	if m.busy != "" {
		out = append(out, m.spin.View()+" "+m.busy)
	}
	return out
}

func wrap(s string, w int, st lipgloss.Style) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, l := range strings.Split(lipgloss.NewStyle().Width(w).Render(s), "\n") {
		out = append(out, st.Render(strings.TrimRight(l, " ")))
	}
	return out
}

// wrapHanging is wrap with the lines after the first indented by indent
// cells, under the item's own text (a check line, its fix).
func wrapHanging(s string, w, indent int, st lipgloss.Style) []string {
	if w <= 2*indent {
		return wrap(s, w, st)
	}
	lines := wrap(s, w-indent, st)
	for i := 1; i < len(lines); i++ {
		lines[i] = strings.Repeat(" ", indent) + lines[i]
	}
	return lines
}

// View draws the list, the form, the confirmation or the checklist.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	var lines []string
	switch m.mode {
	case modeForm:
		title := "New profile"
		if m.editing != "" {
			title = "Edit profile " + m.o.Escape(m.editing)
		}
		lines = append(lines, m.st.Title.Render(title))
		m.frm.SetSize(m.w, max(1, m.h-1-len(m.msgLines())))
		lines = append(lines, strings.Split(m.frm.View(), "\n")...)
	case modeCheck:
		lines = append(lines, m.st.Title.Render("Check of "+m.o.Escape(m.checkName))+m.st.Dim.Render("  (nothing was changed on the tenant; esc goes back)"), "")
		for _, l := range m.checkLines {
			mark, st := "✓", m.st.Good
			switch l.State {
			case app.CheckFail:
				mark, st = "✗", m.st.Bad
			case app.CheckNote:
				mark, st = "!", m.st.Warn
			}
			lines = append(lines, wrapHanging(mark+" "+l.Name+": "+l.Detail, m.w, 2, st)...)
			if l.Fix != "" {
				lines = append(lines, wrapHanging("  fix: "+l.Fix, m.w, 7, m.st.Dim)...)
			}
		}
	default:
		lines = append(lines, m.listLines()...)
	}
	lines = append(lines, m.msgLines()...)
	if len(lines) > m.h {
		lines = lines[len(lines)-m.h:]
	}
	for i, l := range lines {
		lines[i] = fit.Cut(l, m.w)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) listLines() []string {
	// The domain takes what the other columns leave, up to 36 cells.
	dw := min(36, max(12, m.w-2-16-11-10-8))
	lines := []string{m.st.Dim.Render("  " + fit.Pad("NAME", 16) + fit.Pad("DOMAIN", dw+1) + fit.Pad("SECRET", 11) + "LAST USED")}
	if len(m.entries) == 0 && m.busy == "" {
		lines = append(lines, m.st.Dim.Render("  No profile is saved yet: a adds one."))
	}
	for i, e := range m.entries {
		cur := "  "
		if e.Name == m.current {
			cur = "● "
		}
		secret := "keyring"
		switch e.Secret {
		case config.SecretFile:
			secret = "plain file"
		case config.NoSecret:
			secret = "none"
		case config.SecretMemory:
			secret = "in memory"
		}
		tags := ""
		if e.Default {
			tags += " default"
		}
		used := "—"
		if !e.LastUsed.IsZero() && m.o.Now != nil {
			used = jwtview.Human(m.o.Now().Sub(e.LastUsed)) + " ago"
		}
		row := cur + fit.Pad(fit.Cut(m.o.Escape(e.Name), 15), 16) + fit.Pad(fit.Cut(m.o.Escape(e.Domain), dw), dw+1) + fit.Pad(secret, 11) + fit.Pad(used, 10) + m.st.Dim.Render(tags)
		if e.Production {
			row += " " + m.st.Prod.Render("PROD")
		}
		st := m.st.Item
		if i == m.sel {
			st = m.st.Selected
		}
		lines = append(lines, st.Render(fit.Cut(row, m.w)))
	}
	if m.mode == modeConfirm {
		if e := m.selected(); e != nil {
			lines = append(lines, "", m.st.Bad.Render(fmt.Sprintf("Delete profile %s and its keyring entry? y deletes, n or esc keeps it.", m.o.Escape(e.Name))))
		}
	}
	return lines
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.busy != "" {
		if m.busy == savingText {
			return nil
		}
		c := k.Back
		c.SetHelp("esc", "cancel")
		return []key.Binding{c}
	}
	switch m.mode {
	case modeForm:
		b := []key.Binding{k.Save, k.Back}
		return append(b, m.frm.ShortHelp()...)
	case modeConfirm:
		return []key.Binding{k.Yes, k.No}
	case modeCheck:
		return []key.Binding{k.Back}
	}
	b := []key.Binding{k.Up, k.Down}
	if e := m.selected(); e != nil {
		b = append(b, k.Switch, k.Check)
		if !e.Sandbox {
			b = append(b, k.Edit, k.Delete)
		}
	}
	return append(b, k.Add)
}

// FullHelp lists every key of the picker.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Switch, k.Add, k.Edit, k.Delete, k.Check, k.Save, k.Back}}
}
