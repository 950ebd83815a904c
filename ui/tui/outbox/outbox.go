// Package outbox is the TUI's view of the sandbox tenant's outbox: the
// passwordless codes, magic links and reset mails the sandbox "sent",
// newest first, so a flow can be finished without a mailbox.
//
// The outbox is read in a tea.Cmd (never in View), on a tick while the pane
// is open and whenever the root asks (after each answer). Each reply
// carries the id of what asked for it, so a stale tick or a late reply is
// dropped. Message text is server data: it is shown escaped (safetext).
//
// enter on a code asks the root to open the matching verify form, filled
// (OpenFormMsg); on a magic link it follows the link without following the
// redirect and shows where it goes, then offers the code it carries for
// oauth.authorizationCodeGrant; on a reset mail it opens a small password
// field and posts the new password to the reset page; on an approval
// (device, CIBA, MFA push) it follows the approve link, and x follows the
// same link with action=deny. A link decides once.
package outbox

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Styles of the pane; the root's theme fills them.
type Styles struct {
	Item, Selected, Body, Hint, Label, Good, Bad, Dim lipgloss.Style
}

// DefaultStyles are plain styles for tests and standalone use.
func DefaultStyles() Styles {
	return Styles{
		Selected: lipgloss.NewStyle().Reverse(true).Bold(true),
		Hint:     lipgloss.NewStyle().Faint(true),
		Dim:      lipgloss.NewStyle().Faint(true),
	}
}

// KeyMap of the pane.
type KeyMap struct {
	Up, Down, Top, Bottom key.Binding
	// Use acts on the selected message: verify with its code, follow its
	// link, exchange the code a link gave, set a new password.
	Use key.Binding
	// Deny follows an approval's link with action=deny.
	Deny key.Binding
	// Submit posts the new password; Cancel leaves the password field.
	Submit, Cancel key.Binding
}

// DefaultKeyMap is the pane's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "newer")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "older")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "newest")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "oldest")),
		Use:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use")),
		Deny:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "deny")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "set the password")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// Options are what the pane needs from the program.
type Options struct {
	// Context bounds the requests the pane makes (following a link,
	// posting a new password); the program cancels it when it quits.
	Context context.Context
	// Location is the time zone times are shown in; time.Local when nil.
	Location *time.Location
	// Every is how often the outbox is read while the pane is open;
	// 500 ms when zero.
	Every time.Duration
}

// Tenant is the sandbox the pane reads: its outbox and the HTTP client
// links are followed with. Base names it, so a new tenant starts afresh.
type Tenant struct {
	Base   string
	Outbox func() []sandbox.Message
	HTTP   *http.Client
}

// Fill is one field's value in a form the pane asks for.
type Fill struct{ Field, Value string }

// OpenFormMsg asks the root to open Op's form with the fields filled and
// Focus focused. What says where the values come from, for the toast.
type OpenFormMsg struct {
	Op    string
	Fills []Fill
	Focus string
	What  string
}

// String leaves the values out: the message reaches the debug log.
func (m OpenFormMsg) String() string {
	return fmt.Sprintf("outbox.OpenFormMsg op=%s fields=%d focus=%s", m.Op, len(m.Fills), m.Focus)
}

// Messages of the pane's own Cmds.
type (
	// tickMsg asks for a read of the outbox; only the live pane's
	// generation reschedules.
	tickMsg struct{ gen uint64 }
	// loadedMsg is a read of the outbox, the seq'th asked for.
	loadedMsg struct {
		epoch, seq uint64
		msgs       []sandbox.Message
	}
	// doneMsg is what following a link or posting a password gave.
	doneMsg struct {
		epoch uint64
		id    int
		res   result
	}
)

// String leaves the messages' bodies (codes) out of the debug log.
func (m loadedMsg) String() string { return fmt.Sprintf("outbox.loadedMsg messages=%d", len(m.msgs)) }

// String leaves the result (a code) out of the debug log.
func (m doneMsg) String() string { return fmt.Sprintf("outbox.doneMsg message=%d", m.id) }

// result is what became of acting on one message.
type result struct {
	pending  bool
	status   string // "302 Found"
	location string // where it redirects
	text     string // the page's text, tags removed
	err      string
	// code and redirect are the authorization code a magic link's
	// redirect carries, and the redirect_uri it went to.
	code, redirect string
	// note says what a successful answer means (a denial), in place of
	// the page's text.
	note string
}

// changed reports whether a reset link's answer said the password was
// set: the link is used up then.
func (r *result) changed() bool {
	return r != nil && !r.pending && r.err == "" && strings.HasPrefix(r.status, "2")
}

// Model is the outbox pane.
type Model struct {
	st   Styles
	keys KeyMap
	o    Options

	tenant Tenant
	open   bool
	gen    uint64 // changes on each open and close: older ticks are dropped
	epoch  uint64 // changes with the tenant: older replies are dropped
	seq    uint64 // reads asked for
	shown  uint64 // the read shown
	loaded bool

	msgs    []sandbox.Message // newest first
	sel     int
	results map[int]*result

	pw      textinput.Model
	pwFor   int // the message whose password field is open; 0 when none
	focused bool
	w, h    int
}

// New returns a closed pane.
func New(o Options, st Styles, keys KeyMap) *Model {
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Every <= 0 {
		o.Every = 500 * time.Millisecond
	}
	pw := textinput.New()
	pw.EchoMode = textinput.EchoPassword
	pw.EchoCharacter = '•'
	pw.Prompt = ""
	pw.CharLimit = 256
	return &Model{st: st, keys: keys, o: o, pw: pw, results: map[int]*result{}}
}

// Open shows the pane on t's outbox and starts reading it.
func (m *Model) Open(t Tenant) tea.Cmd {
	if t.Base != m.tenant.Base || m.epoch == 0 {
		m.epoch++
		m.msgs, m.sel, m.results, m.loaded, m.pwFor = nil, 0, map[int]*result{}, false, 0
	}
	m.tenant = t
	m.open = true
	m.gen++
	return tea.Batch(m.load(), m.tick())
}

// Close stops the reading; what was shown stays for the next time.
func (m *Model) Close() {
	m.open = false
	m.gen++
	m.closePassword()
}

// IsOpen reports whether the pane is open.
func (m *Model) IsOpen() bool { return m.open }

// Refresh reads the outbox now when the pane is open (an answer arrived:
// it may have sent something).
func (m *Model) Refresh() tea.Cmd {
	if !m.open {
		return nil
	}
	return m.load()
}

// Messages are the messages shown, newest first.
func (m *Model) Messages() []sandbox.Message { return m.msgs }

// Selected is the selected message, if any.
func (m *Model) Selected() (sandbox.Message, bool) {
	if m.sel < 0 || m.sel >= len(m.msgs) {
		return sandbox.Message{}, false
	}
	return m.msgs[m.sel], true
}

func (m *Model) load() tea.Cmd {
	src := m.tenant.Outbox
	if src == nil {
		return nil
	}
	m.seq++
	epoch, seq := m.epoch, m.seq
	return func() tea.Msg { return loadedMsg{epoch: epoch, seq: seq, msgs: src()} }
}

func (m *Model) tick() tea.Cmd {
	gen := m.gen
	return tea.Tick(m.o.Every, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

// Init starts nothing.
func (m *Model) Init() tea.Cmd { return nil }

// Update handles the pane's messages and, with focus, its keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tickMsg:
		if msg.gen != m.gen || !m.open {
			return nil // a tick of a pane since closed or reopened
		}
		return tea.Batch(m.load(), m.tick())
	case loadedMsg:
		if msg.epoch != m.epoch || msg.seq < m.shown {
			return nil
		}
		m.shown = msg.seq
		m.show(msg.msgs)
		return nil
	case doneMsg:
		if msg.epoch != m.epoch {
			return nil
		}
		r := msg.res
		m.results[msg.id] = &r
		return nil
	case tea.MouseMsg:
		if !m.focused || m.pwFor != 0 {
			return nil
		}
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			m.move(-1)
		case tea.MouseButtonWheelDown:
			m.move(1)
		}
		return nil
	case tea.KeyMsg:
		if !m.focused {
			return nil
		}
		return m.key(msg)
	}
	if m.pwFor != 0 {
		var cmd tea.Cmd
		m.pw, cmd = m.pw.Update(msg) // the cursor's blink
		return cmd
	}
	return nil
}

// show takes a read of the outbox (oldest first): newest first, the
// selection kept on its message, or on the newest when it was there.
func (m *Model) show(msgs []sandbox.Message) {
	prev, had := m.Selected()
	atTop := m.sel == 0
	out := slices.Clone(msgs)
	slices.SortStableFunc(out, func(a, b sandbox.Message) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
	m.msgs, m.loaded = out, true
	m.sel = 0
	if had && !atTop {
		for i, x := range out {
			if x.ID == prev.ID {
				m.sel = i
			}
		}
	}
}

func (m *Model) move(d int) {
	if len(m.msgs) == 0 {
		return
	}
	m.sel = min(max(m.sel+d, 0), len(m.msgs)-1)
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.pwFor != 0 {
		switch {
		case key.Matches(msg, k.Cancel):
			m.closePassword()
			return nil
		case key.Matches(msg, k.Submit):
			return m.submitPassword()
		}
		var cmd tea.Cmd
		m.pw, cmd = m.pw.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Top):
		m.sel = 0
	case key.Matches(msg, k.Bottom):
		m.move(len(m.msgs))
	case key.Matches(msg, k.Use):
		return m.use()
	case key.Matches(msg, k.Deny):
		return m.deny()
	}
	return nil
}

// denials are the approvals whose link denies with action=deny, and what
// the waiting flow then sees (api/sandbox: device.go, ciba.go, mfa.go).
var denials = map[string]string{
	sandbox.KindDeviceApproval: "Denied: the device will see access_denied.",
	sandbox.KindCIBAApproval:   "Denied: the flow will see access_denied.",
	sandbox.KindMFAPush:        "Rejected: the flow will see invalid_grant (MFA Authorization rejected.).",
}

// canDeny reports whether x denies msg now: an approval whose link has
// not been used (a link decides once).
func (m *Model) canDeny(msg sandbox.Message) bool {
	_, ok := denials[msg.Kind]
	return ok && msg.Link != "" && m.results[msg.ID] == nil
}

// deny follows the selected approval's link with action=deny.
func (m *Model) deny() tea.Cmd {
	msg, ok := m.Selected()
	if !ok || !m.canDeny(msg) {
		return nil
	}
	u, err := url.Parse(msg.Link)
	if err != nil {
		m.results[msg.ID] = &result{err: "The link does not read as a URL: " + err.Error()}
		return nil
	}
	q := u.Query()
	q.Set("action", "deny")
	u.RawQuery = q.Encode()
	return m.request(msg.ID, http.MethodGet, u.String(), nil, denials[msg.Kind])
}

// action is what enter does on msg now, in words (hint) and in a word or
// two for the help line (short); "" when nothing.
func (m *Model) action(msg sandbox.Message) (hint, short string) {
	r := m.results[msg.ID]
	switch {
	case msg.Kind == sandbox.KindCode && msg.Code != "":
		return "sign in with the code (verifyEmailCode)", "sign in"
	case msg.Kind == sandbox.KindSMS && msg.Code != "":
		return "sign in with the code (verifySMSCode)", "sign in"
	case r != nil && r.pending:
		return "", ""
	case msg.Kind == sandbox.KindMagicLink && r != nil && r.code != "":
		return "exchange the code (oauth.authorizationCodeGrant)", "exchange the code"
	case msg.Kind == sandbox.KindChangePassword && msg.Link != "" && !r.changed():
		return "choose a new password", "new password"
	case m.canDeny(msg):
		return "approve (follow the link)", "approve"
	case msg.Link != "" && r == nil:
		return "follow the link", "follow the link"
	}
	return "", ""
}

// use acts on the selected message.
func (m *Model) use() tea.Cmd {
	msg, ok := m.Selected()
	if !ok {
		return nil
	}
	r := m.results[msg.ID]
	switch {
	case msg.Kind == sandbox.KindCode && msg.Code != "":
		return openForm(OpenFormMsg{Op: "verifyEmailCode", Focus: "otp",
			Fills: []Fill{{"email", msg.To}, {"otp", msg.Code}},
			What:  "the code mailed to " + safetext.Line(msg.To, 80)})
	case msg.Kind == sandbox.KindSMS && msg.Code != "":
		return openForm(OpenFormMsg{Op: "verifySMSCode", Focus: "otp",
			Fills: []Fill{{"phone_number", msg.To}, {"otp", msg.Code}},
			What:  "the code texted to " + safetext.Line(msg.To, 80)})
	case r != nil && r.pending:
		return nil
	case msg.Kind == sandbox.KindMagicLink && r != nil && r.code != "":
		return openForm(OpenFormMsg{Op: "oauth.authorizationCodeGrant", Focus: "code",
			Fills: []Fill{{"code", r.code}, {"redirect_uri", r.redirect}},
			What:  "the code of the magic link's redirect"})
	case msg.Kind == sandbox.KindChangePassword && msg.Link != "" && !r.changed():
		m.pwFor = msg.ID
		m.pw.Reset()
		return m.pw.Focus()
	case msg.Link != "" && r == nil:
		return m.request(msg.ID, http.MethodGet, msg.Link, nil, "")
	}
	return nil
}

func openForm(msg OpenFormMsg) tea.Cmd { return func() tea.Msg { return msg } }

func (m *Model) closePassword() {
	m.pwFor = 0
	m.pw.Reset()
	m.pw.Blur()
}

// submitPassword posts the new password to the reset page, as its form
// does (the ticket stays in the link's query).
func (m *Model) submitPassword() tea.Cmd {
	id := m.pwFor
	var link string
	for _, x := range m.msgs {
		if x.ID == id {
			link = x.Link
		}
	}
	pw := m.pw.Value()
	m.closePassword() // the password is not kept
	if link == "" {
		return nil
	}
	return m.request(id, http.MethodPost, link, url.Values{"password": {pw}}, "")
}

// request sends one request for message id in a Cmd, with the tenant's
// HTTP client but no redirect followed: a redirect is the answer shown.
// note, when not empty, is shown in place of the page's text on a 2xx.
func (m *Model) request(id int, method, link string, form url.Values, note string) tea.Cmd {
	m.results[id] = &result{pending: true}
	c := http.Client{}
	if m.tenant.HTTP != nil {
		c = *m.tenant.HTTP
	} else {
		c = *api.NewHTTPClient(api.TransportOptions{})
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	epoch, parent := m.epoch, m.o.Context
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 10*time.Second)
		defer cancel()
		r := fetch(ctx, &c, method, link, form)
		if note != "" && r.err == "" && strings.HasPrefix(r.status, "2") {
			r.note = note
		}
		return doneMsg{epoch: epoch, id: id, res: r}
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

// fetch sends the request and reads what a person needs of the answer.
func fetch(ctx context.Context, c *http.Client, method, link string, form url.Values) (r result) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, link, body)
	if err != nil {
		return result{err: "The link does not read as a URL: " + err.Error()}
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{err: "The request failed: " + err.Error()}
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	r.status = resp.Status
	r.text = strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(string(b), " ")))
	if loc := resp.Header.Get("Location"); loc != "" {
		r.location = loc
		if u, err := req.URL.Parse(loc); err == nil {
			if code := u.Query().Get("code"); code != "" {
				r.code = code
				u.RawQuery, u.Fragment = "", ""
				r.redirect = u.String()
			}
		}
	}
	return r
}

// Focus, Blur and Focused follow the pane contract.
func (m *Model) Focus() {
	m.focused = true
	if m.pwFor != 0 {
		m.pw.Focus()
	}
}

// Blur takes the focus away.
func (m *Model) Blur() { m.focused = false; m.pw.Blur() }

// Focused reports whether the pane has the focus.
func (m *Model) Focused() bool { return m.focused }

// Capturing: the password field takes printable keys.
func (m *Model) Capturing() bool { return m.focused && m.pwFor != 0 }

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.pw.Width = max(4, w-30)
}

var kinds = map[string]string{
	sandbox.KindCode:           "email code",
	sandbox.KindMagicLink:      "magic link",
	sandbox.KindSMS:            "SMS code",
	sandbox.KindChangePassword: "reset mail",
	sandbox.KindVerifyEmail:    "verify mail",
}

func kindName(k string) string {
	if n, ok := kinds[k]; ok {
		return n
	}
	return safetext.Line(k, 20)
}

// View draws the list, newest first, and under the selected message its
// body, its link and what came of acting on it.
func (m *Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	st := m.st
	var lines []string
	if len(m.msgs) == 0 {
		txt := "Reading the outbox…"
		if m.loaded {
			txt = "Nothing sent yet. Codes, magic links and reset mails show here as the sandbox sends them: " +
				"try requestEmailCode, requestMagicLink, requestSMSCode or requestChangePasswordEmail."
		}
		return strings.Join(wrap(txt, m.w, st.Hint), "\n")
	}
	selTop, selEnd := 0, 0
	for i, msg := range m.msgs {
		head := fmt.Sprintf("%s  %-11s %s  %s", msg.Time.In(m.o.Location).Format("15:04:05"), kindName(msg.Kind),
			safetext.Line(msg.To, 60), safetext.Line(msg.Subject, 80))
		if i == m.sel {
			selTop = len(lines)
			mark := "▸ "
			if !m.focused {
				mark = "› "
			}
			lines = append(lines, st.Selected.Render(fit.Pad(fit.Cut(mark+head, m.w), m.w)))
			lines = append(lines, m.detail(msg)...)
			selEnd = len(lines)
			continue
		}
		lines = append(lines, st.Item.Render(fit.Cut("  "+head, m.w)))
	}
	// Keep the selected message and its detail in the window.
	off := 0
	if selEnd > m.h {
		off = min(selTop, selEnd-m.h)
	}
	lines = lines[off:]
	if len(lines) > m.h {
		lines = lines[:m.h]
	}
	return strings.Join(lines, "\n")
}

// detail is the selected message's body, link, and state, indented.
func (m *Model) detail(msg sandbox.Message) []string {
	st := m.st
	in := "    "
	w := max(10, m.w-len(in))
	var out []string
	add := func(s string, style lipgloss.Style) {
		for _, l := range wrap(s, w, style) {
			out = append(out, in+l)
		}
	}
	add(safetext.Line(msg.Body, 2000), st.Body)
	if msg.Code != "" && msg.Kind != sandbox.KindMagicLink {
		add("code "+safetext.Line(msg.Code, 64), st.Label)
	}
	if msg.Link != "" && !strings.Contains(msg.Body, msg.Link) {
		add("link "+safetext.Line(msg.Link, 2000), st.Dim)
	}
	if r := m.results[msg.ID]; r != nil {
		switch {
		case r.pending:
			add("…", st.Dim)
		case r.err != "":
			add(safetext.Line(r.err, 500), st.Bad)
		default:
			style := st.Good
			if !strings.HasPrefix(r.status, "2") && !strings.HasPrefix(r.status, "3") {
				style = st.Bad
			}
			s := "→ " + safetext.Line(r.status, 60)
			if r.location != "" {
				s += ", redirects to " + safetext.Line(r.location, 2000)
			}
			add(s, style)
			switch {
			case r.code != "":
				add("code "+safetext.Line(r.code, 200)+"  redirect_uri "+safetext.Line(r.redirect, 500), st.Label)
			case r.note != "":
				add(r.note, st.Good)
			case r.text != "":
				add(safetext.Line(r.text, 500), st.Body)
			}
		}
	}
	if m.pwFor == msg.ID {
		out = append(out, in+st.Label.Render("New password for "+safetext.Line(msg.To, 60)+": ")+m.pw.View())
		add("enter sets it (the sandbox's reset page) · esc cancels", st.Hint)
	} else if a, _ := m.action(msg); a != "" {
		h := "enter: " + a
		if m.canDeny(msg) {
			h += " · " + m.keys.Deny.Help().Key + ": " + m.keys.Deny.Help().Desc
		}
		add(h, st.Hint)
	}
	return out
}

// ShortHelp lists the keys that work now.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.pwFor != 0 {
		return []key.Binding{k.Submit, k.Cancel}
	}
	var out []key.Binding
	if msg, ok := m.Selected(); ok {
		// The help line has little room: the short words (the pane's
		// hint line says it in full).
		if _, a := m.action(msg); a != "" {
			use := k.Use
			use.SetHelp(use.Help().Key, a)
			out = append(out, use)
		}
		if m.canDeny(msg) {
			out = append(out, k.Deny)
		}
	}
	if len(m.msgs) > 1 {
		out = append(out, k.Up, k.Down)
	}
	return out
}

// FullHelp lists the pane's keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.Use, k.Deny, k.Submit, k.Cancel}}
}

// wrap breaks s into lines of at most w cells and styles each one.
func wrap(s string, w int, st lipgloss.Style) []string {
	lines := strings.Split(lipgloss.NewStyle().Width(max(1, w)).Render(s), "\n")
	for i, l := range lines {
		lines[i] = st.Render(strings.TrimRight(l, " "))
	}
	return lines
}
