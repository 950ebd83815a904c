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
	"auth0-explorer/ui/tui/internal/fit"
	"auth0-explorer/ui/tui/internal/human"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
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

// KeyMap of the pane. Body are the keys of the Body, Headers and Request
// tabs; Token those of the token shown in the Tokens tab.
type KeyMap struct {
	NextTab, PrevTab, Tab1, Tab2, Tab3, Tab4 key.Binding
	NextToken, PrevToken                     key.Binding
	// The Tokens tab's chaining keys (chain.go): u lists the operations
	// that take the token, d and D compare it with an earlier one, a asks
	// again with an audience, R refreshes an expired access token; the
	// Chooser keys work in the list u opens.
	Use, Compare, CompareBase, Audience, Refresh      key.Binding
	ChooserUp, ChooserDown, ChooserPick, ChooserClose key.Binding
	Body                                              bodyview.KeyMap
	Token                                             jwtview.KeyMap

	// MFA goes on with the MFA step-up of an mfa_required answer (mfa.go).
	MFA key.Binding
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextTab:      key.NewBinding(key.WithKeys("]"), key.WithHelp("[/]", "tabs")),
		PrevTab:      key.NewBinding(key.WithKeys("[")),
		Tab1:         key.NewBinding(key.WithKeys("1"), key.WithHelp("1-4", "tab")),
		Tab2:         key.NewBinding(key.WithKeys("2")),
		Tab3:         key.NewBinding(key.WithKeys("3")),
		Tab4:         key.NewBinding(key.WithKeys("4")),
		NextToken:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("←/→", "token")),
		PrevToken:    key.NewBinding(key.WithKeys("left", "h")),
		Use:          key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "use it in…")),
		Compare:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff with an earlier token")),
		CompareBase:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "diff with another")),
		Audience:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "ask again with an audience")),
		Refresh:      key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "refresh the tokens")),
		ChooserUp:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		ChooserDown:  key.NewBinding(key.WithKeys("down", "j")),
		ChooserPick:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open its form")),
		ChooserClose: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		MFA:          key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "continue with MFA")),
		Body:         bodyview.DefaultKeyMap(),
		Token:        jwtview.DefaultKeyMap(),
	}
}

// Options are what the pane needs from the program.
type Options struct {
	Session *app.Session
	Now     func() time.Time
	Escape  func(string) string
	// Context bounds the pane's background work (verifying tokens,
	// reloading the tenant's keys); the program cancels it when it quits.
	// Default context.Background().
	Context context.Context
	// TickEvery is how often the tokens' relative times ("expires in 4m")
	// refresh; default one second.
	TickEvery time.Duration
}

// token is one token of the answer and its view. The view's id tags its
// report and its clock ticks, so neither lands in another token's view,
// nor in a view of an answer replaced since.
type token struct {
	field string
	raw   string
	view  jwtview.Model
}

// ready: the token's report arrived.
func (t *token) ready() bool { return t.view.Report() != nil }

// opaque: the token is not something jwtview can show more of than its
// verdict: an opaque access token, or a refresh or MFA token that is not a
// JWT (Auth0's are opaque by design; a real one even has a dot in it). Its
// explanation replaces the view.
func (t *token) opaque() bool {
	r := t.view.Report()
	if r == nil {
		return false
	}
	if r.Token != nil && r.Token.Kind == jwtview.KindOpaque {
		return true
	}
	switch t.field {
	case "id_token", "access_token":
		return false
	}
	return r.Token == nil || r.Token.Kind != jwtview.KindJWS
}

// verifiedMsg is a token's report with the options it was checked with.
type verifiedMsg struct {
	id     int64
	opts   jwtview.Options
	report jwtview.ReportMsg
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
	other    string // the Request tab's section on the other SDK generation (otherSDKText)
	note     string // "cancelled" and such, shown when there is no exchange
	tab      Tab
	body     *bodyview.Model
	headers  *bodyview.Model
	request  *bodyview.Model
	tokens   []*token
	tokenSel int
	audience string // the audience the form asked for (explains opaque tokens)
	tokHead  string // the Tokens tab's selector row and explanation, as last built

	history  []seen   // the session's tokens, oldest first (chain.go)
	chooser  *chooser // the list u opened, nil when closed
	diff     bool     // the Tokens tab shows the diff with an earlier token
	diffBase int      // which of the candidates it compares with (D)

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
	if o.Context == nil {
		o.Context = context.Background()
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

// SetNote shows a line under the status of the exchange shown (Show
// clears it): an exchange reopened from the history says its tokens were
// redacted.
func (m *Model) SetNote(s string) {
	m.note = s
	m.resize()
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
	m.other = m.otherSDKText(op, values)
	var cmds []tea.Cmd
	var body []byte
	var ct string
	truncated := false
	if ex.Response != nil {
		body = ex.Response.Body
		ct = ex.Response.Header.Get("Content-Type")
		truncated = ex.Response.Truncated
	}
	if isURL(ex) {
		// A browser URL: built, not sent; the URL is the answer.
		body, ct = []byte(ex.Request.URL), "text/plain"
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
	m.audience = audience
	m.remember(id, op, ex.Tokens)
	m.chooser, m.diffBase = nil, 0
	// After a refresh, the new tokens are shown against the ones before.
	m.diff = isRefresh(op) && m.hasEarlier(ex.Tokens)
	// Each token gets a new view: the views of the answer shown before are
	// dropped, and so are their late reports and clock ticks.
	parent := m.o.Context
	for _, t := range ex.Tokens {
		o := m.verifyOptions(t.Field, nonce, audience)
		v := jwtview.NewModel(nil, jwtview.ViewOptions{Now: m.o.Now, TickEvery: m.o.TickEvery, Styles: &m.st.Token, Keys: &m.keys.Token, Context: parent})
		m.tokens = append(m.tokens, &token{field: t.Field, raw: t.Value, view: v})
		vid, raw := v.ID(), t.Value
		cmds = append(cmds, v.Init(), func() tea.Msg {
			ctx, cancel := context.WithTimeout(parent, 10*time.Second)
			defer cancel()
			opts := o(ctx) // may read the discovery document: here, off the UI goroutine
			return verifiedMsg{id: vid, opts: opts, report: jwtview.ReportMsg{ID: vid, Report: jwtview.Verify(ctx, raw, opts)}}
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

// SetSession makes the tokens of the answers from now on checked against
// another tenant's (the person switched tenants).
func (m *Model) SetSession(s *app.Session) { m.o.Session = s }

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
			o.AccessToken = true
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
	var b strings.Builder
	writeRequest(&b, r, ex.Redactor())
	cmd, note := r.CurlCommand(false)
	b.WriteString("\nAs curl (Y copies it):\n")
	b.WriteString(cmd)
	b.WriteString("\n")
	if note != "" {
		b.WriteString("\n" + note + "\n")
	}
	b.WriteString(m.other)
	return b.String()
}

// writeRequest writes r as the Request tab shows it, redacted by red: the
// method and URL, the headers, then the body, pretty.
func writeRequest(b *strings.Builder, r *api.Request, red *api.Redactor) {
	fmt.Fprintf(b, "%s %s\n", r.Method, red.String(r.URL))
	writeHeaders(b, r.Header, red.Header)
	if r.Body != nil {
		b.WriteString("\n")
		b.WriteString(string(app.Prettify(red.RequestBody(r.Body, r.ContentType))))
	}
}

// otherSDKText is the Request tab's last section when op is sent by both
// node-auth0 generations, each its own way: the request as the generation
// not used would send it, built (never sent) from the same values and
// redacted as the tab redacts, or the sentence it refuses them with; "" for
// the other operations and for browser URLs.
func (m *Model) otherSDKText(opName string, values api.Values) string {
	op := api.ByName(opName)
	if op == nil || !op.HasBothWires() || m.ex == nil || m.ex.Request == nil || m.ex.Request.URLOnly ||
		m.o.Session == nil || m.o.Session.Client == nil {
		return ""
	}
	sdk := api.OtherSDK(values.SDK)
	values.SDK = sdk
	var b strings.Builder
	fmt.Fprintf(&b, "\nAs node-auth0 %s would send it (g switches; not sent):\n", sdk)
	req, err := m.o.Session.Client.Build(op, values)
	if err != nil {
		fmt.Fprintf(&b, "refused, nothing would be sent: %v\n", err)
		return b.String()
	}
	red := api.NewRedactor(append(m.ex.Redactor().Secrets(), req.Secrets...))
	writeRequest(&b, req, red)
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
	case verifiedMsg:
		// The options the token was checked with are its view's source,
		// for a reload ("r").
		for _, t := range m.tokens {
			if t.view.ID() == msg.id {
				t.view = t.view.WithSource(t.raw, msg.opts)
			}
		}
		return m.Update(msg.report)
	case jwtview.ReportMsg, jwtview.TickMsg:
		// Each view takes only its own; one of an answer replaced since
		// reaches none, and its clock stops there.
		var cmds []tea.Cmd
		for _, t := range m.tokens {
			var cmd tea.Cmd
			t.view, cmd = t.view.Update(msg)
			cmds = append(cmds, cmd)
		}
		m.buildTokenHead() // a report or a tick may change a verdict
		return tea.Batch(cmds...)
	case tea.MouseMsg:
		return m.forward(msg)
	case tea.KeyMsg:
		if m.tab == TabTokens && m.chooser != nil {
			cmd, _ := m.chainKey(msg) // the list u opened has the keys
			return cmd
		}
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
		case key.Matches(msg, m.keys.MFA) && m.MFAOffered():
			return m.continueMFA()
		}
		if m.tab == TabTokens {
			if cmd, ok := m.chainKey(msg); ok {
				return cmd
			}
			switch {
			case key.Matches(msg, m.keys.NextToken):
				if len(m.tokens) > 0 {
					m.tokenSel = (m.tokenSel + 1) % len(m.tokens)
					m.diffBase = 0
					m.buildTokenHead()
				}
				return nil
			case key.Matches(msg, m.keys.PrevToken):
				if len(m.tokens) > 0 {
					m.tokenSel = (m.tokenSel + len(m.tokens) - 1) % len(m.tokens)
					m.diffBase = 0
					m.buildTokenHead()
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
		// Keys reach the token's view through its KeyMap: scrolling, and
		// reloading the keys under the pane's context.
		if t := m.selected(); t != nil && t.ready() && !t.opaque() {
			var cmd tea.Cmd
			t.view, cmd = t.view.Update(msg)
			return cmd
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
		if isURL(m.ex) {
			return m.ex.Request.URL, "URL"
		}
		if m.ex.Response != nil && len(m.ex.Response.Body) > 0 {
			return string(m.ex.Response.Body), "body"
		}
	}
	return "", ""
}

// TokenReport is the report of the token field name as last evaluated (its
// time checks as of the last tick), nil when not (yet) verified (tests).
func (m *Model) TokenReport(field string) *jwtview.Report {
	for _, t := range m.tokens {
		if t.field == field {
			return t.view.Report()
		}
	}
	return nil
}

// Searching reports whether the tab shown holds search results (esc
// clears them before it steps back).
func (m *Model) Searching() bool {
	switch m.tab {
	case TabBody:
		return m.body.Searching()
	case TabHeaders:
		return m.headers.Searching()
	case TabRequest:
		return m.request.Searching()
	}
	return false
}

// Capturing: a search query is being typed in a tab, or the list u opened
// has the keys.
func (m *Model) Capturing() bool {
	switch m.tab {
	case TabTokens:
		return m.chooser != nil
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
		return []string{m.st.Dim.Render(fit.Cut(m.note, w))}
	case m.ex == nil:
		return []string{m.st.Dim.Render(fit.Cut("No answer yet: fill the form and press ctrl+s to send.", w))}
	}
	ex := m.ex
	var lines []string
	if isURL(ex) {
		lines = append(lines, fit.Cut("URL built, nothing sent: b opens it in a browser; y copies it.", w))
	}
	if ex.Response != nil {
		st := m.st.Status2xx
		switch {
		case ex.Response.Status >= 500:
			st = m.st.Status5xx
		case ex.Response.Status >= 400:
			st = m.st.Status4xx
		}
		size := len(ex.Response.Body)
		info := fmt.Sprintf("%s · %s · %s", st.Render(m.o.Escape(statusText(ex.Response))), human.Duration(ex.Duration), humanSize(size))
		if ex.RateLimit != nil {
			info += fmt.Sprintf(" · rate limit %d/%d left", ex.RateLimit.Remaining, ex.RateLimit.Limit)
		}
		lines = append(lines, fit.Cut(info, w))
	}
	if ex.Err != nil {
		msg := m.o.Escape(ex.Err.Error())
		wrapped := lipgloss.NewStyle().Width(w).Render(msg)
		ls := strings.Split(wrapped, "\n")
		if len(ls) > 3 {
			ls = append(ls[:2], fit.Cut(ls[2], w-1)+"…")
		}
		for _, l := range ls {
			lines = append(lines, m.st.Error.Render(l))
		}
	}
	if l := m.mfaLine(); l != "" {
		lines = append(lines, l)
	}
	if m.note != "" {
		// Two lines at most: a note of the history says why the tokens
		// are not there.
		ls := strings.Split(lipgloss.NewStyle().Width(w).Render(m.note), "\n")
		if len(ls) > 2 {
			ls = append(ls[:1], fit.Cut(ls[1], w-1)+"…")
		}
		for _, l := range ls {
			lines = append(lines, m.st.Dim.Render(l))
		}
	}
	return lines
}

// BrowserURL is the URL of a browser URL answer (b opens it), "" for any
// other answer.
func (m *Model) BrowserURL() string {
	if !isURL(m.ex) {
		return ""
	}
	return m.ex.Request.URL
}

// isURL: ex is a browser URL operation's (api's URLOnly), never sent.
func isURL(ex *api.Exchange) bool {
	return ex != nil && ex.Request != nil && ex.Request.URLOnly && ex.Response == nil
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
	return fit.Cut(strings.Join(parts, " "), m.w)
}

func (m *Model) contentHeight() int {
	return max(1, m.h-len(m.statusLines())-1)
}

// tokenHeight is the height of a token's view: the content less the
// selector row.
func (m *Model) tokenHeight() int { return max(1, m.contentHeight()-1) }

func (m *Model) resize() {
	h := m.contentHeight()
	for _, v := range []*bodyview.Model{m.body, m.headers, m.request} {
		v.SetSize(m.w, h)
	}
	for _, t := range m.tokens {
		t.view.SetSize(m.w, m.tokenHeight()) // only a new width renders it again
	}
	m.buildTokenHead()
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
	t := m.selected()
	if !t.ready() || t.opaque() || m.chooser != nil || m.diff {
		return m.tokHead
	}
	return m.tokHead + "\n" + t.view.View()
}

// buildTokenHead builds, off View, the Tokens tab's selector row (each
// token's field, kind and verdict) and, for an opaque token, what it is in
// words, in place of a view with nothing to show.
func (m *Model) buildTokenHead() {
	m.tokHead = ""
	if len(m.tokens) == 0 || m.w <= 0 {
		return
	}
	row := func(short bool) string {
		var sel []string
		for i, t := range m.tokens {
			label := " " + m.tokenLabel(t, short) + " "
			if i == m.tokenSel {
				sel = append(sel, m.st.TabActive.Render(label))
			} else {
				sel = append(sel, m.st.Tab.Render(label))
			}
		}
		return strings.Join(sel, " ")
	}
	head := row(false)
	if lipgloss.Width(head) > m.w {
		head = row(true)
	}
	hint := "  ←/→ token · y copy · u use · d diff"
	if len(m.tokens) == 1 {
		hint = "  y copy · u use · d diff"
	}
	lines := []string{fit.Cut(head+m.st.Dim.Render(hint), m.w)}
	if l := m.refreshLine(); l != "" {
		lines = append(lines, wrap(l, m.w, lipgloss.NewStyle().Bold(true).Foreground(m.st.Token.Unverified.GetBackground()))...)
	}
	t := m.selected()
	switch {
	case m.chooser != nil:
		lines = append(lines, m.chooserLines()...)
		lines = cutLines(lines, m.contentHeight())
	case m.diff:
		lines = append(lines, m.diffLines(t)...)
		lines = cutLines(lines, m.contentHeight())
	case !t.ready():
		lines = append(lines, m.st.Dim.Render("verifying…"))
	case t.opaque():
		what, then := m.explainOpaque(t)
		// In the colour of the "not checked" verdict, and bold.
		explain := lipgloss.NewStyle().Bold(true).Foreground(m.st.Token.Unverified.GetBackground())
		lines = append(lines, "")
		lines = append(lines, wrap(what, m.w, explain)...)
		lines = append(lines, "")
		lines = append(lines, wrap(then, m.w, m.st.Dim)...)
		if m.audienceOffer(t) {
			lines = append(lines, "")
			lines = append(lines, wrap("a opens "+m.opName+" with the audience field focused, to ask again for a JWT access token.", m.w, lipgloss.NewStyle().Bold(true))...)
		}
		lines = cutLines(lines, m.contentHeight())
	default:
		// The token's view takes the room the lines above leave.
		t.view.SetSize(m.w, max(1, m.contentHeight()-len(lines)))
	}
	m.tokHead = strings.Join(lines, "\n")
}

func cutLines(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	return lines
}

// tokenLabel is a token's entry in the selector row: field, verdict mark,
// kind (JWT, JWE or opaque) and verdict; short keeps field and mark.
func (m *Model) tokenLabel(t *token, short bool) string {
	r := t.view.Report()
	if r == nil {
		if short {
			return t.field + " …"
		}
		return t.field + " … verifying"
	}
	kind := ""
	if r.Token != nil {
		switch r.Token.Kind {
		case jwtview.KindJWS:
			kind = "JWT"
		case jwtview.KindJWE:
			kind = "JWE"
		case jwtview.KindOpaque:
			kind = "opaque"
		}
	}
	var mark, verdict string
	switch {
	case t.opaque():
		mark, kind, verdict = "–", "opaque", "not checked"
	case r.State == jwtview.StateValid:
		mark, verdict = "✓", "valid"
	case r.State == jwtview.StateInvalid:
		mark, verdict = "✗", "invalid"
	case r.State == jwtview.StateMalformed, r.State == jwtview.StateEmpty:
		mark, verdict = "✗", "malformed"
	case r.State == jwtview.StateUnsupported:
		mark, verdict = "–", "not checked"
	default:
		mark, verdict = "?", "not verified"
	}
	if short {
		return t.field + " " + mark
	}
	if kind != "" {
		return t.field + " " + mark + " " + kind + " " + verdict
	}
	return t.field + " " + mark + " " + verdict
}

// explainOpaque says in words what an opaque token is, and what to do with
// it.
func (m *Model) explainOpaque(t *token) (what, then string) {
	switch t.field {
	case "access_token":
		// Auth0's are either a short random string or, lately, a JWE
		// encrypted for Auth0 alone ("dir", its issuer in the header).
		form := "It is not a JWT"
		if r := t.view.Report(); r != nil && r.Token != nil && r.Token.Header != nil {
			form = "It is encrypted (a JWE) for Auth0 alone"
		}
		if m.audience == "" {
			return "opaque access token: no audience was asked, so Auth0 returned a token for /userinfo only.",
				form + ": only Auth0 can read it, so nothing here can be decoded or verified. " +
					"Call getProfile (/userinfo) with it to see whose it is; ask for an audience (an API's identifier) to get a JWT access token."
		}
		return "opaque access token: Auth0 returned no JWT although the audience " + `"` + m.o.Escape(m.audience) + `"` + " was asked, so it is good for /userinfo only.",
			form + ": only Auth0 can read it, so nothing here can be decoded or verified. " +
				"Check that the audience is an API's identifier as set up in the tenant."
	case "refresh_token":
		return "refresh token: opaque by design, not a JWT; only Auth0 can read it.",
			"Send it to refreshToken (grant_type refresh_token) to get new tokens. Keep it secret: it lasts far longer than an access token."
	case "mfa_token":
		return "MFA token: opaque, not a JWT; only Auth0 can read it.",
			"Pass it as mfa_token to the MFA operations to finish the sign-in."
	}
	what = t.field + ": not a JWT; only its issuer can read it."
	if r := t.view.Report(); r != nil && r.Token != nil && r.Token.Note != "" {
		what = t.field + ": " + m.o.Escape(r.Token.Note)
	}
	return what, "Nothing here can be decoded or verified."
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
		if m.chooser != nil {
			return []key.Binding{m.keys.ChooserUp, m.keys.ChooserPick, m.keys.ChooserClose}
		}
		if len(m.tokens) > 1 {
			b = append(b, m.keys.NextToken)
		}
		b = append(b, m.chainHelp()...)
		if t := m.selected(); t != nil && t.ready() && !t.opaque() && !m.diff {
			b = append(b, t.view.ShortHelp()...)
		}
	}
	return b
}

// FullHelp lists the pane's keys: the tabs' and those of the tab shown.
func (m *Model) FullHelp() [][]key.Binding {
	out := [][]key.Binding{{m.keys.NextTab, m.keys.Tab1, m.keys.NextToken}}
	switch m.tab {
	case TabTokens:
		if m.chooser != nil {
			return append(out, []key.Binding{m.keys.ChooserUp, m.keys.ChooserPick, m.keys.ChooserClose})
		}
		out = append(out, m.chainHelp())
		if t := m.selected(); t != nil && t.ready() && !t.opaque() && !m.diff {
			return append(out, t.view.FullHelp()...)
		}
		return out
	case TabHeaders:
		return append(out, m.headers.FullHelp()...)
	case TabRequest:
		return append(out, m.request.FullHelp()...)
	}
	return append(out, m.body.FullHelp()...)
}

// wrap breaks s into lines of at most w cells and styles each one.
func wrap(s string, w int, st lipgloss.Style) []string {
	lines := strings.Split(lipgloss.NewStyle().Width(w).Render(s), "\n")
	for i, l := range lines {
		lines[i] = st.Render(strings.TrimRight(l, " "))
	}
	return lines
}
