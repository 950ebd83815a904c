package response

// Chaining tokens: "use it next" (u lists the operations that take the
// selected token, from the catalogue's Field.TakesToken), the shortcuts an
// answer suggests (a: ask the same operation again with an audience; R:
// refresh an expired access token), and the claim diff between two tokens
// of the session (d, D).

import (
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/tui/internal/fit"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// OpenFormMsg asks the root to open Op's form with Field focused and, when
// Value is not empty, filled with it.
type OpenFormMsg struct {
	Op, Field, Value string
	// What says where the value comes from, for the toast ("the
	// refresh_token of this answer").
	What string
}

// String leaves the value out: the message reaches the debug log.
func (m OpenFormMsg) String() string {
	return fmt.Sprintf("OpenFormMsg op=%s field=%s value=(%d bytes)", m.Op, m.Field, len(m.Value))
}

// historyCap bounds the session's token history.
const historyCap = 32

// seen is a token of an answer of this session.
type seen struct {
	field, raw, op string
	answer         uint64
	at             time.Time
}

// chooser is the list "u" opens: the operations that take the token.
type chooser struct {
	field, raw string
	takers     []api.Taker
	sel        int
}

// remember adds the tokens of answer id to the session's history, the
// oldest dropped past historyCap.
func (m *Model) remember(id uint64, op string, tokens []api.Token) {
	at := m.o.Now()
	for _, t := range tokens {
		m.history = append(m.history, seen{field: t.Field, raw: t.Value, op: op, answer: id, at: at})
	}
	if n := len(m.history) - historyCap; n > 0 {
		m.history = append([]seen(nil), m.history[n:]...)
	}
}

// isRefresh: op exchanges a refresh token for new tokens.
func isRefresh(op string) bool {
	o := api.ByName(op)
	if o == nil || o.Returns != api.AnswerTokens {
		return false
	}
	for _, f := range o.Fields {
		if f.TakesToken == api.TokenRefresh {
			return true
		}
	}
	return false
}

// candidates are the tokens the selected one can be compared with, the
// most likely first: the same field from earlier answers, newest first,
// then every other token of the session, newest first.
func (m *Model) candidates(t *token) []seen {
	var same, other []seen
	for i := len(m.history) - 1; i >= 0; i-- {
		h := m.history[i]
		switch {
		case h.raw == t.raw:
		case h.field == t.field && h.answer != m.id:
			same = append(same, h)
		default:
			other = append(other, h)
		}
	}
	return append(same, other...)
}

// hasEarlier: some of tokens, the tokens of the answer shown, has one of
// its field in an earlier answer of the session.
func (m *Model) hasEarlier(tokens []api.Token) bool {
	for _, t := range tokens {
		for _, h := range m.history {
			if h.field == t.Field && h.answer != m.id && h.raw != t.Value {
				return true
			}
		}
	}
	return false
}

// chainKey handles the Tokens tab's chaining keys; handled false when msg
// is none of them.
func (m *Model) chainKey(msg tea.KeyMsg) (cmd tea.Cmd, handled bool) {
	k := m.keys
	if c := m.chooser; c != nil {
		switch {
		case key.Matches(msg, k.ChooserClose), key.Matches(msg, k.Use):
			m.chooser = nil
		case key.Matches(msg, k.ChooserUp):
			if len(c.takers) > 0 {
				c.sel = (c.sel + len(c.takers) - 1) % len(c.takers)
			}
		case key.Matches(msg, k.ChooserDown):
			if len(c.takers) > 0 {
				c.sel = (c.sel + 1) % len(c.takers)
			}
		case key.Matches(msg, k.ChooserPick):
			if len(c.takers) == 0 {
				m.chooser = nil
				break
			}
			tk := c.takers[c.sel]
			m.chooser = nil
			cmd = openForm(OpenFormMsg{Op: tk.Op.Name, Field: tk.Field, Value: c.raw, What: "the " + c.field + " of the answer"})
		}
		m.buildTokenHead()
		return cmd, true // the list has the keys while it is open
	}
	t := m.selected()
	if t == nil {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Use):
		m.chooser = &chooser{field: t.field, raw: t.raw, takers: api.OperationsTaking(t.field)}
	case key.Matches(msg, k.Compare):
		m.diff = !m.diff
		m.diffBase = 0
	case key.Matches(msg, k.CompareBase) && m.diff:
		m.diffBase++
	case key.Matches(msg, k.Audience) && m.audienceOffer(t):
		cmd = openForm(OpenFormMsg{Op: m.opName, Field: "audience"})
	case key.Matches(msg, k.Refresh):
		op, rt := m.refreshOffer()
		if op == nil {
			return nil, false
		}
		cmd = openForm(OpenFormMsg{Op: op.Op.Name, Field: op.Field, Value: rt, What: "the refresh_token of this answer"})
	default:
		return nil, false
	}
	m.buildTokenHead()
	return cmd, true
}

func openForm(msg OpenFormMsg) tea.Cmd { return func() tea.Msg { return msg } }

// audienceOffer: t is an opaque access token and the operation that got it
// takes an audience, so asking again with one gets a JWT.
func (m *Model) audienceOffer(t *token) bool {
	if t.field != "access_token" || !t.ready() || !t.opaque() {
		return false
	}
	op := api.ByName(m.opName)
	return op != nil && op.Field("audience") != nil
}

// refreshOffer: the answer's access token is a JWT that has expired and
// the answer has a refresh token: the operation to refresh with, and the
// refresh token. nil when there is nothing to offer.
func (m *Model) refreshOffer() (*api.Taker, string) {
	var expired bool
	var rt string
	for _, t := range m.tokens {
		switch t.field {
		case "access_token":
			if r := t.view.Report(); r != nil && r.Token != nil && r.Token.Kind == jwtview.KindJWS {
				expired = jwtview.ValidityOf(r.Token.Payload).Expired(m.o.Now())
			}
		case "refresh_token":
			rt = t.raw
		}
	}
	if !expired || rt == "" {
		return nil, ""
	}
	for _, tk := range api.OperationsTaking(api.TokenRefresh) {
		if tk.Op.Returns == api.AnswerTokens {
			return &tk, rt
		}
	}
	return nil, ""
}

// refreshLine says that the access token expired and which key refreshes
// it; empty when there is nothing to offer.
func (m *Model) refreshLine() string {
	tk, _ := m.refreshOffer()
	if tk == nil {
		return ""
	}
	return fmt.Sprintf("The access token has expired; R opens %s with this answer's refresh_token.", tk.Op.Name)
}

// chooserLines draw the list "u" opens.
func (m *Model) chooserLines() []string {
	c := m.chooser
	w := m.w
	if len(c.takers) == 0 {
		return []string{"", fit.Cut("No operation takes an "+c.field+" yet.", w), m.st.Dim.Render(fit.Cut("esc closes", w))}
	}
	lines := []string{"", fit.Cut("Use the "+c.field+" in:", w)}
	nw := 0
	for _, tk := range c.takers {
		nw = max(nw, len(tk.Op.Name)+1+len(tk.Field))
	}
	for i, tk := range c.takers {
		mark := "  "
		if i == c.sel {
			mark = "▸ "
		}
		row := mark + fit.Pad(tk.Op.Name+"."+tk.Field, nw) + "  " + m.st.Dim.Render(tk.Op.Summary)
		if i == c.sel {
			row = m.st.TabActive.Render(mark+fit.Pad(tk.Op.Name+"."+tk.Field, nw)) + "  " + m.st.Dim.Render(tk.Op.Summary)
		}
		lines = append(lines, fit.Cut(row, w))
	}
	return append(lines, "", m.st.Dim.Render(fit.Cut("↑/↓ choose · enter opens its form with the token filled in · esc closes", w)))
}

// diffLines draw the claim diff of the selected token with an earlier one.
func (m *Model) diffLines(t *token) []string {
	w := m.w
	cands := m.candidates(t)
	if len(cands) == 0 {
		return []string{"", fit.Cut("No other token in this session to compare the "+t.field+" with yet.", w),
			m.st.Dim.Render(fit.Cut("d closes the diff", w))}
	}
	base := cands[m.diffBase%len(cands)]
	title := fmt.Sprintf("Diff: the %s of %s at %s → this %s", base.field, base.op, base.at.Local().Format("15:04:05"), t.field)
	hint := "d closes"
	if len(cands) > 1 {
		hint = fmt.Sprintf("d closes · D compares with another (%d/%d)", m.diffBase%len(cands)+1, len(cands))
	}
	lines := []string{"", fit.Cut(title, w), m.st.Dim.Render(fit.Cut(hint, w))}
	a, _ := jwtview.Decode(base.raw)
	b, _ := jwtview.Decode(t.raw)
	if a == nil || b == nil || a.Kind != jwtview.KindJWS || b.Kind != jwtview.KindJWS {
		which := "Neither token is a JWT"
		switch {
		case a != nil && a.Kind == jwtview.KindJWS:
			which = "This " + t.field + " is not a JWT"
		case b != nil && b.Kind == jwtview.KindJWS:
			which = "The earlier " + base.field + " is not a JWT"
		}
		what := which + ": no claims to compare."
		if base.field == t.field {
			what += " Its value changed"
			if t.field == "refresh_token" {
				what += " (the refresh token was rotated: the earlier one no longer works)"
			}
			what += "."
		}
		return append(lines, wrap(what, w, lipgloss.NewStyle())...)
	}
	lines = append(lines, wrap(jwtview.DiffLifetime(a.Payload, b.Payload).Summary(), w, lipgloss.NewStyle())...)
	diffs := jwtview.DiffClaims(a.Payload, b.Payload)
	nw := len("claim")
	var same []string
	for _, d := range diffs {
		if d.Change == jwtview.Same {
			same = append(same, d.Name)
			continue
		}
		nw = max(nw, min(24, len(d.Name)))
	}
	cw := max(8, (w-4-nw-3)/2)
	row := func(mark, name, before, after string) string {
		return fit.Cut(mark+" "+fit.Pad(fit.Cut(name, nw), nw)+"  "+fit.Pad(fit.Cut(before, cw), cw)+" │ "+fit.Cut(after, cw), w)
	}
	lines = append(lines, "", m.st.Dim.Render(row(" ", "claim", "before", "after")))
	changed := 0
	for _, d := range diffs {
		if d.Change != jwtview.Same {
			lines = append(lines, row(d.Change.Mark(), d.Name, d.Before, d.After))
			changed++
		}
	}
	if changed == 0 {
		lines = append(lines, fit.Cut("  no claim differs", w))
	}
	if len(same) > 0 {
		lines = append(lines, m.st.Dim.Render(fit.Cut(fmt.Sprintf("= %d the same: %s", len(same), strings.Join(same, ", ")), w)))
	}
	return lines
}

// chainHelp lists the chaining keys that work on the Tokens tab now.
func (m *Model) chainHelp() []key.Binding {
	t := m.selected()
	if t == nil {
		return nil
	}
	b := []key.Binding{m.keys.Use, m.keys.Compare}
	if m.diff {
		b = append(b, m.keys.CompareBase)
	}
	if m.audienceOffer(t) {
		b = append(b, m.keys.Audience)
	}
	if tk, _ := m.refreshOffer(); tk != nil {
		b = append(b, m.keys.Refresh)
	}
	return b
}

// NewestWith is the tokens, by field, of the session's newest answer that
// carried a token in field (the refresh flow starts from its refresh
// token and compares with its access and id tokens), the operation that
// answered it and when; nil when no answer of the session had one. A
// token skip reports true for (one revoked since) is passed over.
func (m *Model) NewestWith(field string, skip func(token string) bool) (tokens map[string]string, op string, at time.Time) {
	for i := len(m.history) - 1; i >= 0; i-- {
		h := m.history[i]
		if h.field != field || skip != nil && skip(h.raw) {
			continue
		}
		tokens = map[string]string{}
		for _, o := range m.history {
			if o.answer == h.answer {
				tokens[o.field] = o.raw
			}
		}
		return tokens, h.op, h.at
	}
	return nil, "", time.Time{}
}

// Diffing reports whether the Tokens tab shows the diff with an earlier
// token (as it does after a refresh).
func (m *Model) Diffing() bool { return m.diff }
