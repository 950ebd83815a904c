// Package response is the TUI's answer pane: a status line, then tabs for
// the body, the headers, the request as sent (and as curl) and the tokens.
package response

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/bodyview"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Tab is one of the pane's tabs.
type Tab int

// The tabs, in order.
const (
	TabBody Tab = iota
	TabHeaders
	TabRequest
	TabTokens
)

var tabNames = []string{"Body", "Headers", "Request", "Tokens"}

// Styles of the pane; the root's theme fills them.
type Styles struct {
	Tab, TabActive, Status2xx, Status4xx, Status5xx, Error, Dim, Hint lipgloss.Style
	Body                                                              bodyview.Styles
	Token                                                             jwtview.Styles
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		TabActive: lipgloss.NewStyle().Bold(true).Reverse(true),
		Dim:       lipgloss.NewStyle().Faint(true),
		Body:      bodyview.DefaultStyles(),
		Token:     jwtview.DefaultStyles(),
	}
}

// KeyMap of the pane.
type KeyMap struct {
	NextTab, PrevTab, Tab1, Tab2, Tab3, Tab4 key.Binding
	NextToken, PrevToken                     key.Binding
	TokenUp, TokenDown                       key.Binding
	Body                                     bodyview.KeyMap
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextTab:   key.NewBinding(key.WithKeys("]"), key.WithHelp("[/]", "tabs")),
		PrevTab:   key.NewBinding(key.WithKeys("[")),
		Tab1:      key.NewBinding(key.WithKeys("1"), key.WithHelp("1-4", "tab")),
		Tab2:      key.NewBinding(key.WithKeys("2")),
		Tab3:      key.NewBinding(key.WithKeys("3")),
		Tab4:      key.NewBinding(key.WithKeys("4")),
		NextToken: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("←/→", "token")),
		PrevToken: key.NewBinding(key.WithKeys("left", "h")),
		TokenUp:   key.NewBinding(key.WithKeys("up", "k", "pgup", "home", "g"), key.WithHelp("↑/↓", "scroll")),
		TokenDown: key.NewBinding(key.WithKeys("down", "j", "pgdown", "end", "G", " ")),
		Body:      bodyview.DefaultKeyMap(),
	}
}

// Options are what the pane needs from the program.
type Options struct {
	Session *app.Session
	Now     func() time.Time
	Escape  func(string) string
}

type token struct {
	field  string
	raw    string
	report *jwtview.Report
	view   jwtview.Model
	ready  bool
}

// tokenMsg carries the report of token i of exchange id.
type tokenMsg struct {
	id     uint64
	i      int
	report *jwtview.Report
}

// Model is the answer pane.
type Model struct {
	st   Styles
	keys KeyMap
	o    Options

	id       uint64 // the exchange shown (or being sent)
	sending  bool
	started  time.Time
	spin     spinner.Model
	ex       *api.Exchange
	opName   string
	note     string // "cancelled" and such, shown when there is no exchange
	tab      Tab
	body     *bodyview.Model
	headers  *bodyview.Model
	request  *bodyview.Model
	tokens   []*token
	tokenSel int

	w, h    int
	focused bool
}

// New returns an empty pane.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Escape == nil {
		o.Escape = func(s string) string { return s }
	}
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot))
	return &Model{
		st: st, keys: keys, o: o, spin: sp,
		body:    bodyview.New(st.Body, keys.Body),
		headers: bodyview.New(st.Body, keys.Body),
		request: bodyview.New(st.Body, keys.Body),
	}
}

// Sending shows the spinner for exchange id of op.
func (m *Model) Sending(id uint64, op string) tea.Cmd {
	m.id, m.sending, m.started, m.opName, m.note = id, true, m.o.Now(), op, ""
	return m.spin.Tick
}

// Cancelled stops the spinner: the request was cancelled.
func (m *Model) Cancelled() {
	m.sending = false
	m.note = "Cancelled: the request was abandoned; a late answer will be ignored."
}

// InFlight reports whether a request is being sent.
func (m *Model) InFlight() bool { return m.sending }

// Exchange is the exchange shown; nil before the first answer.
func (m *Model) Exchange() *api.Exchange { return m.ex }

// Show displays ex, the answer to exchange id, and starts preparing its
// body and verifying its tokens off the UI goroutine. values are what the
// form sent (for the expected nonce and audience).
func (m *Model) Show(id uint64, op string, ex *api.Exchange, values api.Values) tea.Cmd {
	m.id, m.sending, m.ex, m.opName, m.note = id, false, ex, op, ""
	var cmds []tea.Cmd
	var body []byte
	var ct string
	truncated := false
	if ex.Response != nil {
		body = ex.Response.Body
		ct = ex.Response.Header.Get("Content-Type")
		truncated = ex.Response.Truncated
	}
	// Each viewer gets its own id, so one's prepared text never lands in
	// another.
	cmds = append(cmds,
		m.body.Prepare(id*3, body, ct, truncated, int(api.DefaultMaxBody)),
		m.headers.Prepare(id*3+1, []byte(m.headersText()), "text/plain", false, 0),
		m.request.Prepare(id*3+2, []byte(m.requestText()), "text/plain", false, 0))

	m.tokens = nil
	m.tokenSel = 0
	nonce, audience := "", ""
	for _, f := range values.Fields {
		s := strings.Trim(string(f.Raw), `"`)
		switch f.Name {
		case "nonce":
			nonce = s
		case "audience":
			audience = s
		}
	}
	for i, t := range ex.Tokens {
		tk := &token{field: t.Field, raw: t.Value}
		m.tokens = append(m.tokens, tk)
		opts := m.verifyOptions(t.Field, nonce, audience)
		raw, idx := t.Value, i
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return tokenMsg{id: id, i: idx, report: jwtview.Verify(ctx, raw, opts(ctx))}
		})
	}
	// Show the id_token first: it is the one people check.
	sort.SliceStable(m.tokens, func(a, b int) bool { return m.tokens[a].field == "id_token" && m.tokens[b].field != "id_token" })
	if m.tab == TabTokens && len(m.tokens) == 0 {
		m.tab = TabBody
	}
	m.resize()
	return tea.Batch(cmds...)
}

// verifyOptions says how the token in field is checked: an id_token as
// `call` checks it (app's Session.VerifyOptions), an access token against
// the tenant's issuer and keys with the audience the request asked for. The
// options are built inside the verification Cmd, with its ctx: the
// id_token's may need the tenant's discovery document.
func (m *Model) verifyOptions(field, nonce, audience string) func(context.Context) jwtview.Options {
	s, now := m.o.Session, m.o.Now
	plain := func(context.Context) jwtview.Options { return jwtview.Options{Now: now} }
	switch field {
	case "id_token":
		if s.SkipIDTokenChecks() {
			return plain
		}
		return func(ctx context.Context) jwtview.Options {
			// TODO(tokens tab): show the notes (discovery failed) and the
			// error (a secret marked base64 that is not) when the token
			// fails; the options then hold what could be built.
			o, _, _ := s.VerifyOptions(ctx, nonce, now)
			return o
		}
	case "access_token":
		return func(ctx context.Context) jwtview.Options {
			o, _, _ := s.VerifyOptions(ctx, "", now)
			o.Audience = audience // an access token is for the API, not the client
			o.Secret = nil
			return o
		}
	}
	return plain
}

func (m *Model) headersText() string {
	ex := m.ex
	if ex == nil || ex.Response == nil {
		return "(no answer arrived)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", statusText(ex.Response))
	writeHeaders(&b, ex.Response.Header, func(n, v string) string { return v })
	return b.String()
}

// writeHeaders writes h sorted by name. The text is raw: the viewer escapes
// what it draws.
func writeHeaders(b *strings.Builder, h http.Header, redact func(n, v string) string) {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range h[n] {
			fmt.Fprintf(b, "%s: %s\n", strings.ToLower(n), redact(n, v))
		}
	}
}

func (m *Model) requestText() string {
	ex := m.ex
	if ex == nil || ex.Request == nil {
		return "(nothing was sent)"
	}
	r := ex.Request
	red := ex.Redactor()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, red.String(r.URL))
	writeHeaders(&b, r.Header, red.Header)
	if r.Body != nil {
		b.WriteString("\n")
		b.WriteString(string(app.Prettify(red.RequestBody(r.Body, r.ContentType))))
	}
	b.WriteString("\nAs curl (secrets redacted; Y copies it):\n")
	b.WriteString(ex.Curl(false))
	b.WriteString("\n")
	return b.String()
}

func statusText(r *api.Response) string {
	if r.StatusText != "" {
		return r.StatusText
	}
	return fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
}

// Update routes messages to the active tab.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if !m.sending {
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case bodyview.PreparedMsg:
		return tea.Batch(m.body.Update(msg), m.headers.Update(msg), m.request.Update(msg))
	case tokenMsg:
		if msg.id != m.id || m.ex == nil {
			return nil // a stale report
		}
		raw := ""
		if msg.i < len(m.ex.Tokens) {
			raw = m.ex.Tokens[msg.i].Value
		}
		for _, t := range m.tokens {
			if t.raw == raw && !t.ready {
				t.report, t.ready = msg.report, true
				t.view = jwtview.NewModel(msg.report, jwtview.ViewOptions{Now: m.o.Now, Styles: &m.st.Token})
				t.view, _ = t.view.Update(tea.WindowSizeMsg{Width: m.w, Height: m.tokenHeight()})
				return t.view.Init()
			}
		}
		return nil
	case jwtview.TickMsg:
		var cmds []tea.Cmd
		for _, t := range m.tokens {
			if t.ready {
				var cmd tea.Cmd
				t.view, cmd = t.view.Update(msg)
				cmds = append(cmds, cmd)
			}
		}
		return tea.Batch(cmds...)
	case tea.MouseMsg:
		return m.forward(msg)
	case tea.KeyMsg:
		if m.Capturing() {
			return m.forward(msg)
		}
		switch {
		case key.Matches(msg, m.keys.NextTab):
			m.setTab((m.tab + 1) % 4)
			return nil
		case key.Matches(msg, m.keys.PrevTab):
			m.setTab((m.tab + 3) % 4)
			return nil
		case key.Matches(msg, m.keys.Tab1):
			m.setTab(TabBody)
			return nil
		case key.Matches(msg, m.keys.Tab2):
			m.setTab(TabHeaders)
			return nil
		case key.Matches(msg, m.keys.Tab3):
			m.setTab(TabRequest)
			return nil
		case key.Matches(msg, m.keys.Tab4):
			m.setTab(TabTokens)
			return nil
		}
		if m.tab == TabTokens {
			switch {
			case key.Matches(msg, m.keys.NextToken):
				if len(m.tokens) > 0 {
					m.tokenSel = (m.tokenSel + 1) % len(m.tokens)
				}
				return nil
			case key.Matches(msg, m.keys.PrevToken):
				if len(m.tokens) > 0 {
					m.tokenSel = (m.tokenSel + len(m.tokens) - 1) % len(m.tokens)
				}
				return nil
			}
		}
		return m.forward(msg)
	}
	return nil
}

func (m *Model) forward(msg tea.Msg) tea.Cmd {
	switch m.tab {
	case TabBody:
		return m.body.Update(msg)
	case TabHeaders:
		return m.headers.Update(msg)
	case TabRequest:
		return m.request.Update(msg)
	case TabTokens:
		if t := m.selected(); t != nil && t.ready {
			if km, ok := msg.(tea.KeyMsg); ok && km.String() == "r" {
				return nil // reload needs a context of the root's; not here
			}
			t.view, _ = t.view.Update(msg)
		}
	}
	return nil
}

func (m *Model) setTab(t Tab) {
	m.tab = t
	for _, v := range []*bodyview.Model{m.body, m.headers, m.request} {
		v.Blur()
	}
	if m.focused {
		m.focusTab()
	}
}

func (m *Model) focusTab() {
	switch m.tab {
	case TabBody:
		m.body.Focus()
	case TabHeaders:
		m.headers.Focus()
	case TabRequest:
		m.request.Focus()
	}
}

// SetTab selects a tab (tests, and the root's shortcuts).
func (m *Model) SetTab(t Tab) { m.setTab(t) }

// ActiveTab is the tab shown.
func (m *Model) ActiveTab() Tab { return m.tab }

func (m *Model) selected() *token {
	if m.tokenSel < 0 || m.tokenSel >= len(m.tokens) {
		return nil
	}
	return m.tokens[m.tokenSel]
}

// CopyTarget is what "y" copies now, and what to call it in the toast.
func (m *Model) CopyTarget() (text, what string) {
	if m.ex == nil {
		return "", ""
	}
	switch m.tab {
	case TabTokens:
		if t := m.selected(); t != nil {
			return t.raw, t.field
		}
	case TabHeaders:
		return m.headers.Content(), "headers"
	case TabRequest:
		return m.request.Content(), "request"
	default:
		if m.ex.Response != nil && len(m.ex.Response.Body) > 0 {
			return string(m.ex.Response.Body), "body"
		}
	}
	return "", ""
}

// TokenReport is the report of the token field name, nil when not (yet)
// verified (tests).
func (m *Model) TokenReport(field string) *jwtview.Report {
	for _, t := range m.tokens {
		if t.field == field && t.ready {
			return t.report
		}
	}
	return nil
}

// Capturing: a search query is being typed in a tab.
func (m *Model) Capturing() bool {
	switch m.tab {
	case TabBody:
		return m.body.Capturing()
	case TabHeaders:
		return m.headers.Capturing()
	case TabRequest:
		return m.request.Capturing()
	}
	return false
}

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.resize()
}

func (m *Model) statusLines() []string {
	w := m.w
	switch {
	case m.sending:
		el := m.o.Now().Sub(m.started).Round(100 * time.Millisecond)
		return []string{m.spin.View() + " sending " + m.opName + "… " + el.String() + "  (esc cancels)"}
	case m.ex == nil && m.note != "":
		return []string{m.st.Dim.Render(truncate(m.note, w))}
	case m.ex == nil:
		return []string{m.st.Dim.Render(truncate("No answer yet: fill the form and press ctrl+s to send.", w))}
	}
	ex := m.ex
	var lines []string
	if ex.Response != nil {
		st := m.st.Status2xx
		switch {
		case ex.Response.Status >= 500:
			st = m.st.Status5xx
		case ex.Response.Status >= 400:
			st = m.st.Status4xx
		}
		size := len(ex.Response.Body)
		info := fmt.Sprintf("%s · %s · %s", st.Render(m.o.Escape(statusText(ex.Response))), ex.Duration.Round(time.Millisecond), humanSize(size))
		if ex.RateLimit != nil {
			info += fmt.Sprintf(" · rate limit %d/%d left", ex.RateLimit.Remaining, ex.RateLimit.Limit)
		}
		lines = append(lines, truncate(info, w))
	}
	if ex.Err != nil {
		msg := m.o.Escape(ex.Err.Error())
		wrapped := lipgloss.NewStyle().Width(w).Render(msg)
		ls := strings.Split(wrapped, "\n")
		if len(ls) > 3 {
			ls = append(ls[:2], truncate(ls[2], w-1)+"…")
		}
		for _, l := range ls {
			lines = append(lines, m.st.Error.Render(l))
		}
	}
	if m.note != "" {
		lines = append(lines, m.st.Dim.Render(truncate(m.note, w)))
	}
	return lines
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func (m *Model) tabBar() string {
	var parts []string
	for i, n := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, n)
		if Tab(i) == TabTokens {
			label = fmt.Sprintf("4 Tokens (%d)", len(m.tokens))
		}
		if Tab(i) == m.tab {
			parts = append(parts, m.st.TabActive.Render(" "+label+" "))
		} else {
			parts = append(parts, m.st.Tab.Render(" "+label+" "))
		}
	}
	return truncate(strings.Join(parts, " "), m.w)
}

func (m *Model) contentHeight() int {
	return max(1, m.h-len(m.statusLines())-1)
}

func (m *Model) tokenHeight() int { return max(1, m.contentHeight()-1) }

func (m *Model) resize() {
	h := m.contentHeight()
	for _, v := range []*bodyview.Model{m.body, m.headers, m.request} {
		v.SetSize(m.w, h)
	}
	for _, t := range m.tokens {
		if t.ready {
			t.view, _ = t.view.Update(tea.WindowSizeMsg{Width: m.w, Height: m.tokenHeight()})
		}
	}
}

// View draws the status line, the tab bar and the active tab.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	lines := m.statusLines()
	if m.ex == nil {
		return strings.Join(lines, "\n")
	}
	lines = append(lines, m.tabBar())
	var content string
	switch m.tab {
	case TabBody:
		content = m.body.View()
	case TabHeaders:
		content = m.headers.View()
	case TabRequest:
		content = m.request.View()
	case TabTokens:
		content = m.tokensView()
	}
	lines = append(lines, content)
	return strings.Join(lines, "\n")
}

func (m *Model) tokensView() string {
	if len(m.tokens) == 0 {
		return m.st.Dim.Render("No token in this answer.")
	}
	var sel []string
	for i, t := range m.tokens {
		label := t.field
		if t.ready && t.report != nil {
			switch t.report.State {
			case jwtview.StateValid:
				label += " ✓"
			case jwtview.StateInvalid, jwtview.StateMalformed:
				label += " ✗"
			case jwtview.StateUnsupported:
				label += " (opaque)"
			default:
				label += " ?"
			}
		}
		if i == m.tokenSel {
			sel = append(sel, m.st.TabActive.Render(" "+label+" "))
		} else {
			sel = append(sel, m.st.Tab.Render(" "+label+" "))
		}
	}
	head := truncate(strings.Join(sel, " ")+m.st.Dim.Render("  ←/→ token · y copies it"), m.w)
	t := m.selected()
	if !t.ready {
		return head + "\n" + m.st.Dim.Render("verifying…")
	}
	return head + "\n" + t.view.View()
}

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() { m.focused = true; m.focusTab() }
func (m *Model) Blur() {
	m.focused = false
	for _, v := range []*bodyview.Model{m.body, m.headers, m.request} {
		v.Blur()
	}
}
func (m *Model) Focused() bool { return m.focused }

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	if m.ex == nil {
		return nil
	}
	b := []key.Binding{m.keys.NextTab, m.keys.Tab1}
	switch m.tab {
	case TabBody:
		b = append(b, m.body.ShortHelp()...)
	case TabHeaders:
		b = append(b, m.headers.ShortHelp()...)
	case TabRequest:
		b = append(b, m.request.ShortHelp()...)
	case TabTokens:
		if len(m.tokens) > 1 {
			b = append(b, m.keys.NextToken)
		}
		b = append(b, m.keys.TokenUp)
	}
	return b
}

// FullHelp lists every key of the pane.
func (m *Model) FullHelp() [][]key.Binding {
	out := [][]key.Binding{{m.keys.NextTab, m.keys.Tab1, m.keys.NextToken, m.keys.TokenUp}}
	return append(out, m.body.FullHelp()...)
}

func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}
