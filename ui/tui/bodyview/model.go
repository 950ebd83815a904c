// Package bodyview is the response Body pane of the TUI: a body prepared
// off the UI goroutine (JSON indented with its key order and numbers kept,
// every control character escaped), scrolled line by line, coloured only
// where visible, and searched.
package bodyview

import (
	"auth0-explorer/api"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// wheelLines is how far one mouse wheel step scrolls.
const wheelLines = 3

type phase uint8

const (
	phaseNone      phase = iota // nothing to show yet
	phasePreparing              // a Prepare is running
	phaseReady                  // doc is shown
)

// Model is the Body pane. Use New; the zero value is not ready.
type Model struct {
	styles        Styles
	keys          KeyMap
	width, height int
	focused       bool

	want  uint64 // id of the last Prepare
	phase phase
	doc   *document

	top  int // first visible line
	left int // first visible column

	input     textinput.Model
	capturing bool    // the query is being typed
	query     string  // the query that was run
	matches   []match // its matches, in order
	capped    bool    // matches stopped at maxMatches
	cur       int     // the selected match, -1 for none
}

// New returns an empty Body pane.
func New(styles Styles, keys KeyMap) *Model {
	in := textinput.New()
	in.Prompt = "/"
	in.PromptStyle = styles.Prompt
	in.CharLimit = 256
	in.Cursor.SetMode(cursor.CursorStatic) // no blink ticks
	// ctrl+v would read the system clipboard from the UI; a terminal's
	// bracketed paste still arrives as keys.
	in.KeyMap.Paste.SetEnabled(false)
	return &Model{styles: styles, keys: keys, input: in, cur: -1}
}

// Prepare forgets the shown body and returns the Cmd that prepares body
// for display off the UI goroutine. Its PreparedMsg is applied only if no
// later Prepare or Clear came in between. The Cmd reads body, so the
// caller must not change it afterwards. A truncated body gets a notice
// that it was cut at capBytes.
func (m *Model) Prepare(id uint64, body []byte, contentType string, truncated bool, capBytes int) tea.Cmd {
	m.want = id
	m.phase = phasePreparing
	m.setDoc(nil)
	return prepareCmd(id, body, contentType, truncated, capBytes)
}

// Clear forgets the body and any Prepare under way.
func (m *Model) Clear() {
	m.phase = phaseNone
	m.setDoc(nil)
}

func (m *Model) setDoc(d *document) {
	m.doc = d
	m.top, m.left = 0, 0
	m.stopInput()
	m.clearSearch()
}

// Content is the prettified body as text: JSON indented, other bodies as
// received. It is raw: control characters are not escaped.
func (m *Model) Content() string {
	if m.doc == nil {
		return ""
	}
	return m.doc.content
}

// Empty reports that there is no body to show or copy.
func (m *Model) Empty() bool { return m.doc == nil || m.doc.content == "" }

// SetSize sets the pane's size in cells.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.input.Width = max(1, m.width-2-26) // room for the position on the right
	m.clamp()
}

// Focus gives the pane the keyboard.
func (m *Model) Focus() { m.focused = true }

// Blur takes the keyboard away; a query being typed is dropped.
func (m *Model) Blur() {
	m.focused = false
	m.stopInput()
}

// Focused reports whether the pane has the keyboard.
func (m *Model) Focused() bool { return m.focused }

// Capturing reports that a search query is being typed: every key but
// ctrl+c belongs to the pane.
func (m *Model) Capturing() bool { return m.capturing }

// Searching reports that a search is shown; the pane's ClearSearch key
// (esc) then clears it, so the root should hand that key to the pane.
func (m *Model) Searching() bool { return m.query != "" }

// Update handles PreparedMsg, mouse wheel messages and, when focused, keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PreparedMsg:
		if m.phase == phasePreparing && msg.ID == m.want && msg.doc != nil {
			m.phase = phaseReady
			m.setDoc(msg.doc)
		}
		return nil
	case tea.MouseMsg:
		m.mouse(msg)
		return nil
	case tea.KeyMsg:
		if !m.focused {
			return nil
		}
		if m.capturing {
			return m.inputKey(msg)
		}
		return m.key(msg)
	}
	if m.capturing {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	}
	return nil
}

func (m *Model) mouse(msg tea.MouseMsg) {
	if m.phase != phaseReady || msg.Action != tea.MouseActionPress {
		return
	}
	switch {
	case msg.Button == tea.MouseButtonWheelUp && msg.Shift, msg.Button == tea.MouseButtonWheelLeft:
		m.left -= 2 * wheelLines
	case msg.Button == tea.MouseButtonWheelDown && msg.Shift, msg.Button == tea.MouseButtonWheelRight:
		m.left += 2 * wheelLines
	case msg.Button == tea.MouseButtonWheelUp:
		m.top -= wheelLines
	case msg.Button == tea.MouseButtonWheelDown:
		m.top += wheelLines
	}
	m.clamp()
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	if m.phase != phaseReady {
		return nil
	}
	k, rows := &m.keys, max(m.rows(), 1)
	switch {
	case key.Matches(msg, k.Up):
		m.top--
	case key.Matches(msg, k.Down):
		m.top++
	case key.Matches(msg, k.PageUp):
		m.top -= rows
	case key.Matches(msg, k.PageDown):
		m.top += rows
	case key.Matches(msg, k.HalfUp):
		m.top -= max(rows/2, 1)
	case key.Matches(msg, k.HalfDown):
		m.top += max(rows/2, 1)
	case key.Matches(msg, k.Top):
		m.top = 0
	case key.Matches(msg, k.Bottom):
		m.top = m.maxTop()
	case key.Matches(msg, k.Left):
		m.left -= m.hstep()
	case key.Matches(msg, k.Right):
		m.left += m.hstep()
	case key.Matches(msg, k.Search) && len(m.doc.lines) > 0:
		m.capturing = true
		m.input.Reset()
		return m.input.Focus()
	case key.Matches(msg, k.Next) && len(m.matches) > 0:
		m.cur = (m.cur + 1) % len(m.matches)
		m.reveal()
	case key.Matches(msg, k.Prev) && len(m.matches) > 0:
		m.cur = (m.cur - 1 + len(m.matches)) % len(m.matches)
		m.reveal()
	case key.Matches(msg, k.ClearSearch) && m.query != "":
		m.clearSearch()
	}
	m.clamp()
	return nil
}

func (m *Model) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Submit):
		q := m.input.Value()
		m.stopInput()
		m.search(q)
		return nil
	case key.Matches(msg, m.keys.CancelEdit):
		m.stopInput()
		m.clearSearch()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

func (m *Model) stopInput() {
	m.capturing = false
	m.input.Blur()
	m.input.Reset()
}

func (m *Model) clearSearch() {
	m.query, m.matches, m.capped, m.cur = "", nil, false, -1
}

// search runs q over the display lines and selects the first match at or
// below the top of the window (wrapping to the first).
func (m *Model) search(q string) {
	m.clearSearch()
	if q == "" || m.doc == nil {
		return
	}
	m.query = q
	m.matches, m.capped = findAll(m.doc.lines, q)
	if len(m.matches) == 0 {
		return
	}
	m.cur = 0
	for i, mt := range m.matches {
		if mt.line >= m.top {
			m.cur = i
			break
		}
	}
	m.reveal()
	m.clamp()
}

// reveal scrolls so that the selected match is in the window.
func (m *Model) reveal() {
	if m.cur < 0 || m.cur >= len(m.matches) {
		return
	}
	mt, rows := m.matches[m.cur], m.rows()
	if mt.line < m.top || mt.line >= m.top+rows {
		m.top = mt.line - rows/3
	}
	l := m.doc.lines[mt.line]
	start := textWidth(l[:mt.start])
	end := start + textWidth(l[mt.start:mt.end])
	if tw := m.textCols(); start < m.left || end > m.left+tw {
		m.left = start - tw/4
	}
	m.clamp()
}

// Layout: an optional notice row, the text rows, one status row.

func (m *Model) rows() int {
	r := m.height - 1
	if m.doc != nil && m.doc.truncated {
		r--
	}
	return max(r, 0)
}

func (m *Model) lineCount() int {
	if m.doc == nil {
		return 0
	}
	return len(m.doc.lines)
}

// gutterWidth is the width of the line numbers and the space after them;
// 0 when the pane is too narrow for them.
func (m *Model) gutterWidth() int {
	g := len(strconv.Itoa(m.lineCount())) + 1
	if m.width-g < 20 {
		return 0
	}
	return g
}

func (m *Model) textCols() int { return max(m.width-m.gutterWidth(), 1) }

func (m *Model) hstep() int { return max(m.textCols()/2, 1) }

func (m *Model) maxTop() int { return max(m.lineCount()-m.rows(), 0) }

func (m *Model) maxLeft() int {
	if m.doc == nil {
		return 0
	}
	return max(m.doc.maxWidth-m.textCols(), 0)
}

func (m *Model) clamp() {
	m.top = min(max(m.top, 0), m.maxTop())
	m.left = min(max(m.left, 0), m.maxLeft())
}

// ShortHelp returns the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	if !m.focused {
		return nil
	}
	if m.capturing {
		return []key.Binding{m.keys.Submit, m.keys.CancelEdit}
	}
	if m.phase != phaseReady || len(m.doc.lines) == 0 {
		return nil
	}
	var b []key.Binding
	if m.maxTop() > 0 {
		b = append(b, m.keys.Up, m.keys.Down, m.keys.PageDown)
	}
	if m.maxLeft() > 0 {
		b = append(b, m.keys.Left, m.keys.Right)
	}
	b = append(b, m.keys.Search)
	return append(b, m.searchKeys()...)
}

// FullHelp returns the keys that work now, in groups.
func (m *Model) FullHelp() [][]key.Binding {
	if !m.focused {
		return nil
	}
	if m.capturing {
		return [][]key.Binding{{m.keys.Submit, m.keys.CancelEdit}}
	}
	if m.phase != phaseReady || len(m.doc.lines) == 0 {
		return nil
	}
	k := &m.keys
	var g [][]key.Binding
	if m.maxTop() > 0 {
		g = append(g, []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom})
	}
	if m.maxLeft() > 0 {
		g = append(g, []key.Binding{k.Left, k.Right})
	}
	return append(g, append([]key.Binding{k.Search}, m.searchKeys()...))
}

func (m *Model) searchKeys() []key.Binding {
	var b []key.Binding
	if len(m.matches) > 0 {
		b = append(b, m.keys.Next, m.keys.Prev)
	}
	if m.query != "" {
		b = append(b, m.keys.ClearSearch)
	}
	return b
}

// View renders the pane: exactly height rows, none wider than width. Only
// the visible lines are looked at.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	row := func(s string) {
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
		n++
	}
	switch {
	case m.phase == phasePreparing:
		row(m.styles.Placeholder.Render(m.fit("preparing body…")))
	case m.phase == phaseNone:
		row(m.styles.Placeholder.Render(m.fit("no response yet")))
	case len(m.doc.lines) == 0:
		msg := "the response has no body"
		if m.doc.truncated {
			msg = m.notice()
		}
		row(m.styles.Placeholder.Render(m.fit(msg)))
	default:
		if m.doc.truncated && n < m.height-1 {
			row(m.styles.Notice.Render(m.fit(m.notice())))
		}
		gw, tw := m.gutterWidth(), m.textCols()
		var spans []span
		end := min(m.top+m.rows(), len(m.doc.lines))
		for li := m.top; li < end; li++ {
			if n > 0 {
				b.WriteByte('\n')
			}
			n++
			spans = m.renderLine(&b, li, gw, tw, spans)
		}
		for n < m.height-1 {
			row("")
		}
		row(m.status())
	}
	for n < m.height {
		row("")
	}
	return b.String()
}

func (m *Model) notice() string {
	if m.doc.capBytes > 0 {
		return "⚠ body cut at " + api.FormatSize(int64(m.doc.capBytes)) + " (the size limit); the rest was not received"
	}
	return "⚠ body cut at the size limit; the rest was not received"
}

// fit cuts s to the pane's width.
func (m *Model) fit(s string) string {
	return ansi.Truncate(s, m.width, "…")
}

// renderLine writes line li: the gutter, then the columns [left,
// left+tw) coloured, with search matches over the colours. spans is
// scratch space, returned for reuse.
func (m *Model) renderLine(b *strings.Builder, li, gw, tw int, spans []span) []span {
	if gw > 0 {
		num := strconv.Itoa(li + 1)
		b.WriteString(m.styles.Gutter.Render(strings.Repeat(" ", max(gw-1-len(num), 0)) + num))
		b.WriteByte(' ')
	}
	l := m.doc.lines[li]
	bs, be, pad := window(l, m.left, tw)
	for range pad {
		b.WriteByte(' ')
	}
	if bs >= be {
		return spans
	}
	if m.doc.json {
		spans = tokenize(l, be, spans[:0])
	} else {
		spans = append(spans[:0], span{0, len(l), clsText})
	}
	lm, base := lineMatches(m.matches, li)
	r := runWriter{b: b, m: m, line: l, start: -1}
	mi := 0
	for _, s := range spans {
		a, z := max(s.start, bs), min(s.end, be)
		for p := a; p < z; {
			for mi < len(lm) && lm[mi].end <= p {
				mi++
			}
			switch {
			case mi < len(lm) && lm[mi].start <= p:
				q := min(z, lm[mi].end)
				cls := clsMatch
				if base+mi == m.cur {
					cls = clsCurrent
				}
				r.add(p, q, cls)
				p = q
			default:
				q := z
				if mi < len(lm) && lm[mi].start < z {
					q = lm[mi].start
				}
				r.add(p, q, s.cls)
				p = q
			}
		}
	}
	r.flush()
	return spans
}

// runWriter joins adjacent pieces of one class and renders each run once.
type runWriter struct {
	b          *strings.Builder
	m          *Model
	line       string
	start, end int
	cls        uint8
}

func (r *runWriter) add(start, end int, cls uint8) {
	if r.start >= 0 && r.cls == cls && r.end == start {
		r.end = end
		return
	}
	r.flush()
	r.start, r.end, r.cls = start, end, cls
}

func (r *runWriter) flush() {
	if r.start < 0 || r.start >= r.end {
		return
	}
	r.b.WriteString(r.m.style(r.cls).Render(r.line[r.start:r.end]))
	r.start = -1
}

func (m *Model) style(cls uint8) lipgloss.Style {
	switch cls {
	case clsKey:
		return m.styles.Key
	case clsString:
		return m.styles.String
	case clsNumber:
		return m.styles.Number
	case clsLiteral:
		return m.styles.Literal
	case clsPunct:
		return m.styles.Punct
	case clsMatch:
		return m.styles.Match
	case clsCurrent:
		return m.styles.CurrentMatch
	}
	return m.styles.Text
}

// window returns the bytes [bs, be) of an escaped line that fall in the
// columns [left, left+width), and how many blank cells stand in for a wide
// character cut by the left edge.
func window(l string, left, width int) (bs, be, pad int) {
	i, col := 0, 0
	for i < len(l) && col < left {
		n, w := nextCluster(l, i)
		i += n
		col += w
	}
	if col > left {
		pad = col - left
	}
	bs, used := i, pad
	for i < len(l) {
		n, w := nextCluster(l, i)
		if used+w > width {
			break
		}
		i += n
		used += w
	}
	return bs, i, pad
}

// status is the bottom row: the search (or its input) on the left, the
// position on the right.
func (m *Model) status() string {
	var left string
	switch {
	case m.capturing:
		left = m.input.View()
	case m.query != "" && len(m.matches) > 0:
		total := strconv.Itoa(len(m.matches))
		if m.capped {
			total += "+"
		}
		left = m.styles.Status.Render(strconv.Itoa(m.cur+1) + "/" + total + " " + strconv.Quote(escapeLine(m.query)))
	case m.query != "":
		left = m.styles.Status.Render("no match for " + strconv.Quote(escapeLine(m.query)))
	}
	total := len(m.doc.lines)
	last := min(m.top+m.rows(), total)
	pos := "L" + strconv.Itoa(min(m.top+1, last)) + "-" + strconv.Itoa(last) + " of " + strconv.Itoa(total)
	switch mt := m.maxTop(); {
	case mt == 0:
		pos += " All"
	case m.top == 0:
		pos += " Top"
	case m.top == mt:
		pos += " Bot"
	default:
		pos += " " + strconv.Itoa(m.top*100/mt) + "%"
	}
	if m.left > 0 {
		pos += " col " + strconv.Itoa(m.left+1)
	}
	lw, pw := lipgloss.Width(left), len(pos)
	if lw+1+pw > m.width {
		if m.capturing || lw > 0 {
			return ansi.Truncate(left, m.width, "…")
		}
		return m.styles.Status.Render(m.fit(pos))
	}
	return left + strings.Repeat(" ", m.width-lw-pw) + m.styles.Status.Render(pos)
}
