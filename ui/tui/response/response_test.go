package response

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// clock is the fixed time of the tests: the sandbox signs with it and the
// token checks read it.
var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func now() time.Time { return clock }

func sandboxSession(t *testing.T) *app.Session {
	t.Helper()
	s, err := app.OpenSandbox(sandbox.Options{Seed: 7, Now: now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// signIn is a password grant without an audience: Auth0 (and the sandbox)
// answer with an id_token and an opaque access token.
func signIn(t *testing.T, s *app.Session) (*api.Exchange, api.Values) {
	t.Helper()
	values := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail),
		api.String("password", sandbox.SeedPassword),
		api.String("scope", "openid profile"),
	}}
	ex := s.Client.Do(context.Background(), api.ByName("passwordGrant"), values)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	fields := map[string]bool{}
	for _, tk := range ex.Tokens {
		fields[tk.Field] = true
	}
	if !fields["id_token"] || !fields["access_token"] {
		t.Fatalf("the answer has tokens %v, want an id_token and an access_token", ex.Tokens)
	}
	return ex, values
}

// msgs runs cmd and every command of its batches, and returns the
// messages they produced. The views' clocks tick every millisecond in
// these tests, so a tick command returns at once.
func msgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, msgs(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// split separates token reports from clock ticks.
func split(ms []tea.Msg) (reports, ticks []tea.Msg) {
	for _, m := range ms {
		switch m.(type) {
		case jwtview.ReportMsg, verifiedMsg:
			reports = append(reports, m)
		case jwtview.TickMsg:
			ticks = append(ticks, m)
		}
	}
	return reports, ticks
}

func newPane(s *app.Session, ctx context.Context) *Model {
	m := New(Options{Session: s, Now: now, Context: ctx, TickEvery: time.Millisecond}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(100, 30)
	m.Focus()
	return m
}

func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func helpKeys(m *Model) string {
	var out []string
	for _, b := range m.ShortHelp() {
		out = append(out, b.Help().Key)
	}
	return strings.Join(out, " ")
}

func rightKey() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRight} }
func leftKey() tea.KeyMsg  { return tea.KeyMsg{Type: tea.KeyLeft} }
func runes(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// An answer with an id_token and an opaque access token: both are in the
// selector row with kind and verdict, ←/→ switch, the opaque one is
// explained in words, and keys reach the id_token's view through its
// KeyMap.
func TestTokensTabShowsEachTokenWithKindAndVerdict(t *testing.T) {
	s := sandboxSession(t)
	ex, values := signIn(t, s)
	m := newPane(s, context.Background())
	reports, _ := split(msgs(m.Show(1, "passwordGrant", ex, values)))
	m.SetTab(TabTokens)
	if v := m.View(); !strings.Contains(v, "id_token … verifying") || !strings.Contains(v, "access_token … verifying") {
		t.Fatalf("before the reports:\n%s", v)
	}
	if len(reports) != 2 {
		t.Fatalf("%d reports, want 2", len(reports))
	}
	for _, r := range reports {
		m.Update(r)
	}
	v := m.View()
	for _, want := range []string{"id_token ✓ JWT valid", "access_token – opaque not checked", "✓ VALID"} {
		if !strings.Contains(v, want) {
			t.Errorf("the Tokens tab lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "no audience was asked") {
		t.Errorf("the id_token is shown with the opaque token's explanation:\n%s", v)
	}
	if got := helpKeys(m); !strings.Contains(got, "←/→") || !strings.Contains(got, "r") {
		t.Errorf("help on the id_token: %q", got)
	}

	m.Update(rightKey())
	v = m.View()
	if !strings.Contains(flat(v), "opaque access token: no audience was asked, so Auth0 returned a token for /userinfo only.") {
		t.Errorf("the opaque access token is not explained:\n%s", v)
	}
	if strings.Contains(v, "✓ VALID") || strings.Contains(v, "NOT CHECKED") {
		t.Errorf("the opaque token shows a JWT view:\n%s", v)
	}
	if text, what := m.CopyTarget(); what != "access_token" || text != m.TokenReport("access_token").Token.Raw {
		t.Errorf("y would copy %q", what)
	}
	if got := helpKeys(m); strings.Contains(got, "r") || strings.Contains(got, "↓") {
		t.Errorf("help on the opaque token offers keys that do nothing: %q", got)
	}
	if cmd := m.Update(runes("r")); cmd != nil {
		t.Error("r did something on the opaque token")
	}

	m.Update(leftKey())
	if v := m.View(); !strings.Contains(v, "✓ VALID") {
		t.Errorf("← did not come back to the id_token:\n%s", v)
	}
	m.Update(leftKey()) // wraps round
	if _, what := m.CopyTarget(); what != "access_token" {
		t.Errorf("← from the first token selects %q", what)
	}
	m.Update(rightKey())

	// Keys reach the id_token's view through its KeyMap: j scrolls.
	m.SetSize(100, 12)
	top := m.View()
	if !strings.Contains(helpKeys(m), "↓/j") {
		t.Fatalf("no scroll keys in the help of a view taller than the pane: %q", helpKeys(m))
	}
	m.Update(runes("j"))
	if m.View() == top {
		t.Error("j did not scroll the id_token")
	}
	m.Update(runes("g"))
	if m.View() != top {
		t.Error("g did not go back to the top")
	}
	if n := strings.Count(m.View(), "\n") + 1; n > 12 {
		t.Errorf("the pane is %d lines high, want at most 12", n)
	}
}

// Reload goes through the KeyMap (no special case left) and runs under the
// pane's context: once it is cancelled, as when the program quits, a reload
// comes back at once without fetching the keys.
func TestTokensTabReloadUsesThePaneContext(t *testing.T) {
	s := sandboxSession(t)
	ex, values := signIn(t, s)
	live := newPane(s, context.Background())
	reports, _ := split(msgs(live.Show(1, "passwordGrant", ex, values)))
	for _, r := range reports {
		live.Update(r)
	}
	live.SetTab(TabTokens)
	if r := live.TokenReport("id_token"); r == nil || !r.Valid() {
		t.Fatalf("id_token: %+v", r)
	}
	o, _, err := s.VerifyOptions(context.Background(), "", now)
	if err != nil {
		t.Fatal(err)
	}
	url := o.JWKSURL
	if url == "" {
		t.Fatal("the sandbox session has no JWKS URL")
	}
	fetches := s.Keys.Status(url).Fetches
	cmd := live.Update(runes("r"))
	if cmd == nil || !strings.Contains(live.View(), "reloading the keys from") {
		t.Fatalf("r did not start a reload:\n%s", live.View())
	}
	live.Update(cmd())
	if s.Keys.Status(url).Fetches != fetches+1 || strings.Contains(live.View(), "reloading") {
		t.Errorf("the reload fetched %d times and left:\n%s", s.Keys.Status(url).Fetches-fetches, live.View())
	}

	ctx, cancel := context.WithCancel(context.Background())
	quitting := newPane(s, ctx)
	reports, _ = split(msgs(quitting.Show(1, "passwordGrant", ex, values)))
	for _, r := range reports {
		quitting.Update(r)
	}
	quitting.SetTab(TabTokens)
	cancel()
	fetches = s.Keys.Status(url).Fetches
	cmd = quitting.Update(runes("r"))
	if cmd == nil {
		t.Fatal("r gave no command")
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	select {
	case msg := <-got:
		quitting.Update(msg)
	case <-time.After(5 * time.Second):
		t.Fatal("a reload under a cancelled context did not come back")
	}
	if n := s.Keys.Status(url).Fetches; n != fetches {
		t.Errorf("a reload after the pane's context ended fetched the keys %d times", n-fetches)
	}
	if r := quitting.TokenReport("id_token"); r == nil || !r.Valid() || strings.Contains(quitting.View(), "reloading") {
		t.Errorf("after the cancelled reload:\n%s", quitting.View())
	}
}

// A new answer replaces the token views: the old views' reports and clock
// ticks reach none of the new ones, and the old clocks stop; the new
// views' ticks go on.
func TestReplacedTokenViewsStopTicking(t *testing.T) {
	s := sandboxSession(t)
	ex, values := signIn(t, s)
	m := newPane(s, context.Background())
	m.SetTab(TabTokens)
	oldReports, oldTicks := split(msgs(m.Show(1, "passwordGrant", ex, values)))
	if len(oldTicks) != 2 {
		t.Fatalf("%d clocks started for 2 tokens", len(oldTicks))
	}

	ex2, _ := signIn(t, s)
	newReports, newTicks := split(msgs(m.Show(2, "passwordGrant", ex2, values)))
	for _, r := range oldReports {
		if cmd := m.Update(r); cmd != nil {
			t.Error("a replaced view's report started something")
		}
	}
	if r := m.TokenReport("id_token"); r != nil {
		t.Errorf("the first answer's report landed in the second's view: %s", r.Summary())
	}
	if !strings.Contains(m.View(), "id_token … verifying") {
		t.Errorf("after stale reports:\n%s", m.View())
	}
	for _, r := range newReports {
		m.Update(r)
	}
	if r := m.TokenReport("id_token"); r == nil || r.Token.Raw != ex2.Tokens[1].Value && r.Token.Raw != ex2.Tokens[0].Value {
		t.Fatalf("the second answer's id_token was not shown")
	}
	before := m.View()
	for _, tick := range oldTicks {
		if cmd := m.Update(tick); cmd != nil {
			t.Error("a replaced view's tick kept its clock going")
		}
	}
	if m.View() != before {
		t.Error("a replaced view's tick changed the screen")
	}
	for _, tick := range newTicks {
		if cmd := m.Update(tick); cmd == nil {
			t.Error("a current view's tick stopped its clock")
		}
	}
}

// A refresh token is opaque by design: Auth0's even has a dot, so it is no
// JWT and must not read as a malformed one, nor as an access token.
func TestRefreshTokenIsExplainedNotMalformed(t *testing.T) {
	ex := &api.Exchange{Tokens: []api.Token{{Field: "refresh_token", Value: "v1.MjQ0ZTk3ZjQtY2Q4Zi00YjQ3LWE1NTMtZGM3NDk2ZTFhZTFi"}}}
	m := newPane(nil, context.Background())
	reports, _ := split(msgs(m.Show(1, "refreshToken", ex, api.Values{})))
	for _, r := range reports {
		m.Update(r)
	}
	m.SetTab(TabTokens)
	v := m.View()
	if !strings.Contains(v, "refresh_token – opaque not checked") || !strings.Contains(flat(v), "refresh token: opaque by design, not a JWT") {
		t.Errorf("the refresh token is not explained:\n%s", v)
	}
	for _, bad := range []string{"MALFORMED", "malformed", "access token:"} {
		if strings.Contains(v, bad) {
			t.Errorf("the refresh token reads %q:\n%s", bad, v)
		}
	}
}
