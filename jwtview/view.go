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

// TickMsg refreshes relative times.
type TickMsg struct{ id int64 }

// ReportMsg delivers a (new) report to the model.
type ReportMsg struct{ Report *Report }

// VerifyCmd verifies raw in the background and delivers a ReportMsg.
func VerifyCmd(ctx context.Context, raw string, o Options) tea.Cmd {
	return func() tea.Msg { return ReportMsg{Report: Verify(ctx, raw, o)} }
}

// ReloadCmd reloads the JWKS (ignoring the refresh rate limit) and verifies
// raw again.
func ReloadCmd(ctx context.Context, raw string, o Options) tea.Cmd {
	return func() tea.Msg {
		if o.JWKSURL != "" {
			keys := o.Keys
			if keys == nil {
				keys = defaultKeys()
			}
			_ = keys.Reload(ctx, o.JWKSURL) // a failure shows in the signature check
		}
		return ReportMsg{Report: Verify(ctx, raw, o)}
	}
}

var lastID atomic.Int64

// Model shows one token's report: verdict, header, payload and checks.
// View is cheap: it returns content rendered on the last size change, tick
// or report.
type Model struct {
	id     int64
	base   *Report // as verified
	report *Report // base re-evaluated at the last tick
	now    func() time.Time
	loc    *time.Location
	every  time.Duration
	st     Styles

	width, height int
	offset        int
	lines         []string
	view          string
	shown         string // timeText of the report last rendered
	renders       int    // full renders so far (for tests)

	// For reload: what was verified.
	raw  string
	opts *Options
}

// NewModel returns a view of r (which may be nil while verifying).
func NewModel(r *Report, vo ViewOptions) Model {
	m := Model{id: lastID.Add(1), now: vo.Now, loc: vo.Location, every: vo.TickEvery}
	if m.now == nil {
		m.now = time.Now
	}
	if m.loc == nil {
		m.loc = time.Local
	}
	if m.every <= 0 {
		m.every = time.Second
	}
	if vo.Styles != nil {
		m.st = *vo.Styles
	} else {
		m.st = DefaultStyles()
	}
	m.base = r
	m.report = r.At(m.now())
	m.render()
	return m
}

// WithSource remembers the token and options so "r" can reload the keys and
// verify again.
func (m Model) WithSource(raw string, o Options) Model {
	m.raw, m.opts = raw, &o
	return m
}

// Report is the report as last evaluated.
func (m Model) Report() *Report { return m.report }

// Init starts the clock.
func (m Model) Init() tea.Cmd { return m.tick() }

func (m Model) tick() tea.Cmd {
	id := m.id
	return tea.Tick(m.every, func(time.Time) tea.Msg { return TickMsg{id: id} })
}

// Update handles size, ticks, new reports, scrolling and "r" (reload).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.render()
	case TickMsg:
		if msg.id != m.id {
			return m, nil
		}
		// Re-render only when a time shown actually reads differently:
		// "expires in 2h 5m" stays the same for a minute of ticks.
		m.report = m.base.At(m.now())
		if timeText(m.report, m.loc) != m.shown {
			m.render()
		}
		return m, m.tick()
	case ReportMsg:
		m.base = msg.Report
		m.report = m.base.At(m.now())
		m.render()
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			m.scroll(-3)
		case tea.MouseButtonWheelDown:
			m.scroll(3)
		}
	case tea.KeyMsg:
		switch msg.String() {
		case "up", "k":
			m.scroll(-1)
		case "down", "j":
			m.scroll(1)
		case "pgup", "b":
			m.scroll(-max(1, m.height-1))
		case "pgdown", "f", " ":
			m.scroll(max(1, m.height-1))
		case "home", "g":
			m.scroll(-len(m.lines))
		case "end", "G":
			m.scroll(len(m.lines))
		case "r":
			if m.opts != nil {
				return m, ReloadCmd(context.Background(), m.raw, *m.opts)
			}
		}
	}
	return m, nil
}

// View returns the cached rendering.
func (m Model) View() string { return m.view }

func (m *Model) scroll(n int) {
	maxOff := max(0, len(m.lines)-m.height)
	if m.height <= 0 {
		maxOff = 0
	}
	off := min(max(0, m.offset+n), maxOff)
	if off != m.offset {
		m.offset = off
		m.window()
	}
}

func (m *Model) window() {
	lines := m.lines
	if m.height > 0 && len(lines) > m.height {
		m.offset = min(m.offset, len(lines)-m.height)
		lines = lines[m.offset : m.offset+m.height]
	}
	m.view = strings.Join(lines, "\n")
}

// timeText is every text of r that depends on the clock: the state, the
// check details and the time claims' relative forms.
func timeText(r *Report, loc *time.Location) string {
	if r == nil || r.Token == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(string(r.State))
	for _, c := range r.Checks {
		b.WriteByte(0)
		b.WriteString(c.Detail)
	}
	for _, mem := range r.Token.Payload {
		if timeClaims[mem.Name] {
			b.WriteByte(0)
			b.WriteString(When(mem.Name, mem.Value, r.Now, loc))
		}
	}
	return b.String()
}

// render lays the report out for the current width.
func (m *Model) render() {
	m.renders++
	m.shown = timeText(m.report, m.loc)
	w := m.width
	if w <= 0 {
		w = 100
	}
	r := m.report
	if r == nil {
		m.lines = []string{m.st.Note.Render("verifying…")}
		m.window()
		return
	}
	var parts []string
	parts = append(parts, m.verdict(r, w), "")

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
	return frame.Render(style.Width(w - 2).Render(mark + escapeText(r.Summary())))
}

func (m *Model) rowsBlock(r *Report, header bool, w int) string {
	if r.Token == nil {
		return ""
	}
	obj := r.Token.Payload
	if header {
		obj = r.Token.Header
	}
	if obj == nil {
		if !header && r.Token.Note != "" {
			return m.st.Note.Width(w).Render(escapeText(r.Token.Note))
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
		b.WriteString(lipgloss.NewStyle().Width(w).PaddingLeft(2).Render(escapeText(c.Detail)))
	}
	return b.String()
}
