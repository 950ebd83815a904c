package jwtview

// The token view: a Bubble Tea model showing a Report. This is the only file
// in the package that imports Bubble Tea or Lip Gloss.

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	// Settles the terminal background before Bubble Tea's init would ask
	// the terminal (and wait 5 s when it does not answer).
	_ "auth0-explorer/jwtview/termbg"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// ViewOptions configure a Model. Zero fields take the defaults.
type ViewOptions struct {
	// Now is the clock for relative times; default time.Now.
	Now func() time.Time
	// Location for absolute times; default time.Local.
	Location *time.Location
	// TickEvery is how often relative times refresh; default one second.
	TickEvery time.Duration
	// Styles; default DefaultStyles().
	Styles *Styles
	// Keys; default DefaultKeyMap().
	Keys *KeyMap
	// Context bounds the model's own work (verifying, reloading the keys):
	// cancelling it, as a program does when it quits, ends a reload in
	// flight. Default context.Background().
	Context context.Context
}

// KeyMap are the view's keys. A program embedding the view fills it from
// its own key map; DefaultKeyMap is the built-in set.
type KeyMap struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	HalfUp, HalfDown key.Binding
	Top, Bottom      key.Binding
	// Reload fetches the tenant's keys again and verifies the token anew.
	Reload key.Binding
}

// DefaultKeyMap returns the built-in keys: a pager's, and r to reload.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", " "), key.WithHelp("pgdn/f", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload keys")),
	}
}

// Styles are the view's styles, with adaptive colours for light and dark
// terminals.
type Styles struct {
	Valid, Invalid, Unverified lipgloss.Style
	Title, Name, Value, Note   lipgloss.Style
	Custom                     lipgloss.Style
	Pass, Fail, Skip           lipgloss.Style
	Pane                       lipgloss.Style
}

// DefaultStyles returns the standard styles.
func DefaultStyles() Styles {
	green := lipgloss.AdaptiveColor{Light: "#0B6E2E", Dark: "#4ADE80"}
	red := lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#F87171"}
	amber := lipgloss.AdaptiveColor{Light: "#92400E", Dark: "#FBBF24"}
	dim := lipgloss.AdaptiveColor{Light: "#6B7280", Dark: "#9CA3AF"}
	accent := lipgloss.AdaptiveColor{Light: "#5B21B6", Dark: "#C4B5FD"}
	banner := lipgloss.NewStyle().Bold(true).Padding(0, 1).Foreground(lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#000000"})
	return Styles{
		Valid:      banner.Background(green),
		Invalid:    banner.Background(red),
		Unverified: banner.Background(amber),
		Title:      lipgloss.NewStyle().Bold(true).Underline(true),
		Name:       lipgloss.NewStyle().Bold(true).Foreground(accent),
		Value:      lipgloss.NewStyle(),
		Note:       lipgloss.NewStyle().Foreground(dim),
		Custom:     lipgloss.NewStyle().Foreground(amber),
		Pass:       lipgloss.NewStyle().Foreground(green).Bold(true),
		Fail:       lipgloss.NewStyle().Foreground(red).Bold(true),
		Skip:       lipgloss.NewStyle().Foreground(amber).Bold(true),
		Pane:       lipgloss.NewStyle().PaddingRight(2),
	}
}

// TickMsg refreshes relative times. It carries the id of the model whose
// clock sent it; every other model ignores it.
type TickMsg struct{ id int64 }

// ReportMsg delivers a (new) report to the model with id ID; every other
// model ignores it, so with several models on screen a late report never
// lands in the wrong one. A caller that verifies by itself sends
// ReportMsg{ID: m.ID(), Report: r}.
type ReportMsg struct {
	ID     int64
	Report *Report
}

var lastID atomic.Int64

// Model shows one token's report: verdict, header, payload and checks.
// View is cheap: it returns content rendered on the last width change, tick
// or report; scrolling and a height change only re-slice the rendered
// lines. The model is its own viewport: SetSize sets the window, KeyMap
// scrolls it.
type Model struct {
	id     int64
	base   *Report // as verified
	report *Report // base re-evaluated at the last tick
	now    func() time.Time
	loc    *time.Location
	every  time.Duration
	st     Styles
	keys   KeyMap
	ctx    context.Context

	width, height int
	offset        int
	lines         []string
	view          string
	shown         string // timeText of the report last rendered
	renders       int    // full renders so far (for tests)
	reloading     bool   // a reload is in flight

	// For reload: what was verified.
	raw  string
	opts *Options
}

// NewModel returns a view of r (which may be nil while verifying).
func NewModel(r *Report, vo ViewOptions) Model {
	m := Model{id: lastID.Add(1), now: vo.Now, loc: vo.Location, every: vo.TickEvery, ctx: vo.Context}
	if m.now == nil {
		m.now = time.Now
	}
	if m.loc == nil {
		m.loc = time.Local
	}
	if m.every <= 0 {
		m.every = time.Second
	}
	if m.ctx == nil {
		m.ctx = context.Background()
	}
	if vo.Styles != nil {
		m.st = *vo.Styles
	} else {
		m.st = DefaultStyles()
	}
	if vo.Keys != nil {
		m.keys = *vo.Keys
	} else {
		m.keys = DefaultKeyMap()
	}
	m.base = r
	m.report = r.At(m.now())
	m.render()
	return m
}

// WithSource remembers the token and options so VerifyCmd can check it and
// the Reload key can fetch the keys again and verify it anew.
func (m Model) WithSource(raw string, o Options) Model {
	m.raw, m.opts = raw, &o
	m.updateKeys()
	return m
}

// ID identifies the model in the messages meant for it.
func (m Model) ID() int64 { return m.id }

// Report is the report as last evaluated (at the last tick); nil while
// verifying.
func (m Model) Report() *Report { return m.report }

// SetSize sets the window: w columns (0 for 100) and h rows (0 for all of
// the report). Only a new width renders again; a new height re-slices.
func (m *Model) SetSize(w, h int) {
	w, h = max(w, 0), max(h, 0)
	if w == m.width && h == m.height {
		return
	}
	rerender := w != m.width
	m.width, m.height = w, h
	if rerender {
		m.render()
	} else {
		m.window()
	}
}

// SetContext sets the context of the model's own work (see
// ViewOptions.Context).
func (m *Model) SetContext(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	m.ctx = ctx
}

// Init starts the clock.
func (m Model) Init() tea.Cmd { return m.tick() }

func (m Model) tick() tea.Cmd {
	id := m.id
	return tea.Tick(m.every, func(time.Time) tea.Msg { return TickMsg{id: id} })
}

// VerifyCmd verifies the token given to WithSource in the background,
// under the model's context, and delivers a ReportMsg for this model. It is
// nil without a source.
func (m Model) VerifyCmd() tea.Cmd {
	if m.opts == nil {
		return nil
	}
	ctx, id, raw, o := m.ctx, m.id, m.raw, *m.opts
	return func() tea.Msg { return ReportMsg{ID: id, Report: Verify(ctx, raw, o)} }
}

// ReloadCmd fetches the JWKS again (ignoring the refresh rate limit) and
// verifies the token anew, under the model's context. Once that context is
// cancelled (the program quits), the wait for the keys ends; a reload asked
// after it fetches nothing and hands the report back unchanged at once. It
// is nil when there is no source or no JWKS URL to reload.
func (m Model) ReloadCmd() tea.Cmd {
	if !m.canReload() {
		return nil
	}
	ctx, id, raw, o, base := m.ctx, m.id, m.raw, *m.opts, m.base
	return func() tea.Msg {
		if ctx.Err() != nil && base != nil {
			return ReportMsg{ID: id, Report: base}
		}
		keys := o.Keys
		if keys == nil {
			keys = defaultKeys()
		}
		_ = keys.Reload(ctx, o.JWKSURL) // a failure shows in the signature check
		return ReportMsg{ID: id, Report: Verify(ctx, raw, o)}
	}
}

func (m Model) canReload() bool { return m.opts != nil && m.opts.JWKSURL != "" }

// Reloading reports that a reload is in flight.
func (m Model) Reloading() bool { return m.reloading }

// updateKeys enables the keys that do something now, so the help built
// from ShortHelp and FullHelp stays true.
func (m *Model) updateKeys() {
	scroll := m.maxOffset() > 0
	for _, b := range []*key.Binding{&m.keys.Up, &m.keys.Down, &m.keys.PageUp, &m.keys.PageDown, &m.keys.HalfUp, &m.keys.HalfDown, &m.keys.Top, &m.keys.Bottom} {
		b.SetEnabled(scroll)
	}
	m.keys.Reload.SetEnabled(m.canReload() && !m.reloading)
}

// ShortHelp lists the keys that work now.
func (m Model) ShortHelp() []key.Binding {
	var b []key.Binding
	if m.keys.Down.Enabled() {
		b = append(b, m.keys.Up, m.keys.Down, m.keys.PageDown)
	}
	if m.keys.Reload.Enabled() {
		b = append(b, m.keys.Reload)
	}
	return b
}

// FullHelp lists the keys that work now, in groups.
func (m Model) FullHelp() [][]key.Binding {
	var g [][]key.Binding
	k := m.keys
	if k.Down.Enabled() {
		g = append(g, []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom})
	}
	if k.Reload.Enabled() {
		g = append(g, []key.Binding{k.Reload})
	}
	return g
}

// Update handles size, ticks, reports for this model, scrolling (keys
// through the KeyMap, and the mouse wheel) and the Reload key.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
	case TickMsg:
		if msg.id != m.id {
			return m, nil
		}
		// Re-render only when a time shown actually reads differently:
		// "expires in 2h 5m" stays the same for a minute of ticks.
		m.report = m.base.At(m.now())
		if m.timeText(m.report) != m.shown {
			m.render()
		}
		return m, m.tick()
	case ReportMsg:
		if msg.ID != m.id {
			return m, nil
		}
		m.reloading = false
		m.base = msg.Report
		m.report = m.base.At(m.now())
		m.render()
	case tea.MouseMsg:
		if msg.Action != tea.MouseActionPress {
			break
		}
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			m.scroll(-3)
		case tea.MouseButtonWheelDown:
			m.scroll(3)
		}
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := &m.keys
	page := max(1, m.height-1)
	switch {
	case key.Matches(msg, k.Up):
		m.scroll(-1)
	case key.Matches(msg, k.Down):
		m.scroll(1)
	case key.Matches(msg, k.PageUp):
		m.scroll(-page)
	case key.Matches(msg, k.PageDown):
		m.scroll(page)
	case key.Matches(msg, k.HalfUp):
		m.scroll(-max(1, m.height/2))
	case key.Matches(msg, k.HalfDown):
		m.scroll(max(1, m.height/2))
	case key.Matches(msg, k.Top):
		m.scroll(-len(m.lines))
	case key.Matches(msg, k.Bottom):
		m.scroll(len(m.lines))
	case key.Matches(msg, k.Reload):
		cmd := m.ReloadCmd()
		if cmd != nil {
			m.reloading = true
			m.render()
		}
		return m, cmd
	}
	return m, nil
}

// View returns the cached rendering.
func (m Model) View() string { return m.view }

// YOffset is the first line shown.
func (m Model) YOffset() int { return m.offset }

// TotalLines is the number of lines of the whole rendering.
func (m Model) TotalLines() int { return len(m.lines) }

func (m Model) maxOffset() int {
	if m.height <= 0 {
		return 0
	}
	return max(0, len(m.lines)-m.height)
}

func (m *Model) scroll(n int) {
	off := min(max(0, m.offset+n), m.maxOffset())
	if off != m.offset {
		m.offset = off
		m.window()
	}
}

func (m *Model) window() {
	m.offset = min(m.offset, m.maxOffset())
	lines := m.lines
	if m.height > 0 && len(lines) > m.height {
		lines = lines[m.offset : m.offset+m.height]
	}
	m.view = strings.Join(lines, "\n")
	m.updateKeys()
}

// timeText is every text of r that depends on the clock: the state, the
// check details, the time claims' relative forms and the lifetime bar.
func (m *Model) timeText(r *Report) string {
	if r == nil || r.shown() == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(string(r.State))
	for _, c := range r.Checks {
		b.WriteByte(0)
		b.WriteString(c.Detail)
	}
	for _, mem := range r.shown().Payload {
		if timeClaims[mem.Name] {
			b.WriteByte(0)
			b.WriteString(When(mem.Name, mem.Value, r.Now, m.loc))
		}
	}
	if l, ok := r.Lifetime(); ok {
		b.WriteByte(0)
		b.WriteString(LifetimeBar(barWidth(m.renderWidth()), l.Used()))
		b.WriteString(l.Text())
	}
	return b.String()
}

// renderWidth is the width rendered for: the window's, 100 when unset.
func (m *Model) renderWidth() int {
	if m.width <= 0 {
		return 100
	}
	return m.width
}

// barWidth is the lifetime bar's length at view width w.
func barWidth(w int) int { return min(max(w/3, 10), 40) }

// render lays the report out for the current width.
func (m *Model) render() {
	m.renders++
	m.shown = m.timeText(m.report)
	w := m.renderWidth()
	r := m.report
	if r == nil {
		m.lines = []string{m.st.Note.Render("verifying…")}
		m.window()
		return
	}
	var parts []string
	if m.reloading {
		parts = append(parts, m.st.Note.Width(w).Render("reloading the keys from "+escapeText(m.opts.JWKSURL)+"…"))
	}
	parts = append(parts, m.verdict(r, w), "")
	if b := m.brokenBlock(r, w); b != "" {
		parts = append(parts, b, "")
	}
	if b := m.tokenBlock(r, w); b != "" {
		parts = append(parts, b, "")
	}

	wide := w >= 110
	var hdr, pay, chk string
	if wide {
		hw := w * 26 / 100
		cw := w * 32 / 100
		pw := w - hw - cw
		hdr = m.pane("Header", m.rowsBlock(r, true, hw-2), hw)
		pay = m.pane("Payload", m.rowsBlock(r, false, pw-2), pw)
		chk = m.pane("Checks", m.checksBlock(r, cw-2), cw)
		parts = append(parts, lipgloss.JoinHorizontal(lipgloss.Top, hdr, pay, chk))
	} else {
		for _, p := range []struct{ title, body string }{
			{"Checks", m.checksBlock(r, w)},
			{"Header", m.rowsBlock(r, true, w)},
			{"Payload", m.rowsBlock(r, false, w)},
		} {
			if p.body == "" {
				continue
			}
			parts = append(parts, m.st.Title.Render(p.title), p.body, "")
		}
	}
	out := strings.TrimRight(strings.Join(parts, "\n"), "\n")
	m.lines = strings.Split(out, "\n")
	for i, l := range m.lines {
		m.lines[i] = strings.TrimRight(l, " ")
	}
	m.window()
}

func (m *Model) pane(title, body string, w int) string {
	return m.st.Pane.Width(w).Render(m.st.Title.Render(title) + "\n" + body)
}

// verdict is the banner: state and every failure, on a coloured band.
func (m *Model) verdict(r *Report, w int) string {
	var style lipgloss.Style
	var mark string
	switch r.State {
	case StateValid:
		style, mark = m.st.Valid, "✓ "
	case StateUnverified, StateUnsupported:
		style, mark = m.st.Unverified, "? "
	default:
		style, mark = m.st.Invalid, "✗ "
	}
	// A thick frame keeps the verdict unmissable even without colour.
	frame := lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(style.GetBackground())
	return frame.Render(style.Width(w - 2).Render(mark + escapeText(r.headline())))
}

// brokenBlock is the explanation under the verdict: for a malformed token,
// why each broken segment does not decode (and that what decoded is not
// verified); for an encrypted or opaque token, what it is.
func (m *Model) brokenBlock(r *Report, w int) string {
	ex := r.explanation()
	nb := len(r.broken())
	lines := make([]string, 0, len(ex))
	for i, s := range ex {
		switch {
		case r.State != StateMalformed:
			lines = append(lines, m.st.Value.Width(w).Render(escapeText(s)))
		case i < nb:
			lines = append(lines, m.st.Fail.Width(w).Render("✗ "+escapeText(s)))
		default:
			lines = append(lines, m.st.Note.Width(w).Render(escapeText(s)))
		}
	}
	return strings.Join(lines, "\n")
}

// tokenBlock is what the token is for (and why), an access token's API
// audience, scopes and permissions, and the lifetime bar.
func (m *Model) tokenBlock(r *Report, w int) string {
	t := r.shown()
	if t == nil || t.Kind != KindJWS || t.Payload == nil {
		return "" // the explanation says what an opaque or encrypted token is; no claims, no use
	}
	c := r.Class()
	type row struct{ label, value string }
	var rows []row
	kind := c.Use.Label()
	switch {
	case c.ATJWT:
		kind += ` · typ "at+jwt": a JWT access token (RFC 9068), meant for an API, not for the client`
	case len(c.Why) > 0:
		kind += " (" + strings.Join(c.Why, ", ") + ")"
	}
	rows = append(rows, row{"kind", kind})
	if c.Use == UseAccessToken {
		if len(c.Audiences) > 0 {
			auds := make([]string, len(c.Audiences))
			for i, a := range c.Audiences {
				auds[i] = escapeText(a)
				if strings.HasSuffix(a, "/userinfo") {
					auds[i] += " (also good for /userinfo)"
				}
			}
			rows = append(rows, row{"API audience", strings.Join(auds, "\n")})
		}
		if len(c.Scopes) > 0 {
			rows = append(rows, row{"scopes", escapeText(strings.Join(c.Scopes, " · "))})
		}
		if len(c.Permissions) > 0 {
			rows = append(rows, row{"permissions", escapeText(strings.Join(c.Permissions, " · "))})
		}
	}
	lw := 0
	for _, rw := range rows {
		lw = max(lw, len(rw.label))
	}
	lw = max(lw, len("lifetime")) + 2
	vw := max(w-lw, 10)
	label := func(s string) string { return m.st.Name.Width(lw).Render(s) }
	out := make([]string, 0, len(rows)+1)
	for _, rw := range rows {
		out = append(out, lipgloss.JoinHorizontal(lipgloss.Top, label(rw.label), lipgloss.NewStyle().Width(vw).Render(rw.value)))
	}
	if l, ok := r.Lifetime(); ok {
		out = append(out, lipgloss.JoinHorizontal(lipgloss.Top, label("lifetime"), lipgloss.NewStyle().Width(vw).Render(m.lifetimeLine(l, barWidth(w)))))
	}
	return strings.Join(out, "\n")
}

// lifetimeLine is "iat ━━━━●──── exp  62% used, expires in 23m": the used
// part plain, the rest dim; all of it in the failure style once expired.
func (m *Model) lifetimeLine(l Lifetime, bw int) string {
	bar := LifetimeBar(bw, l.Used())
	if l.Expired() {
		return "iat " + m.st.Fail.Render(bar) + " exp  " + m.st.Fail.Render(l.Text())
	}
	i := strings.Index(bar, "●")
	return "iat " + m.st.Value.Render(bar[:i]) + m.st.Name.Render("●") + m.st.Note.Render(bar[i+len("●"):]) + " exp  " + l.Text()
}

func (m *Model) rowsBlock(r *Report, header bool, w int) string {
	t := r.shown()
	if t == nil {
		return ""
	}
	obj := t.Payload
	part := "payload"
	if header {
		obj, part = t.Header, "header"
	}
	if obj == nil {
		if !header && t.Note != "" {
			return m.st.Note.Width(w).Render("(not readable)") // the explanation above says why
		}
		for _, e := range t.Broken {
			if e.Part == part {
				return m.st.Fail.Width(w).Render("✗ does not decode")
			}
		}
		return ""
	}
	var b strings.Builder
	for i, row := range Rows(obj, header, r.Now, m.loc) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(lipgloss.NewStyle().Width(w).Render(m.st.Name.Render(row.Name) + " " + m.st.Value.Render(row.Value)))
		b.WriteString("\n")
		note := row.Explain
		ns := m.st.Note
		if row.Custom {
			ns = m.st.Custom
		}
		if row.When != "" {
			b.WriteString(lipgloss.NewStyle().Width(w).PaddingLeft(2).Render(m.st.Value.Render(row.When)))
			b.WriteString("\n")
		}
		b.WriteString(ns.Width(w).PaddingLeft(2).Render(note))
	}
	return b.String()
}

func (m *Model) checksBlock(r *Report, w int) string {
	var b strings.Builder
	for i, c := range r.Checks {
		if i > 0 {
			b.WriteString("\n")
		}
		var ms lipgloss.Style
		switch {
		case c.OK:
			ms = m.st.Pass
		case c.Skipped:
			ms = m.st.Skip
		default:
			ms = m.st.Fail
		}
		b.WriteString(ms.Render(c.Mark() + " " + c.Name))
		b.WriteString("\n")
		b.WriteString(lipgloss.NewStyle().Width(w).PaddingLeft(2).Render(escapeText(r.checkText(c))))
	}
	return b.String()
}
