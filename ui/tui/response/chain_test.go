package response

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	tea "github.com/charmbracelet/bubbletea"
)

// An expired JWT access token with a refresh token in the same answer: the
// Tokens tab offers the refresh, and R asks for refreshToken's form with
// the refresh token filled in. Before it expires, nothing is offered.
func TestExpiredAccessTokenOffersRefresh(t *testing.T) {
	s := sandboxSession(t)
	values := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail),
		api.String("password", sandbox.SeedPassword),
		api.String("scope", "openid offline_access"),
		api.String("audience", s.Sandbox.ManagementAPI()),
	}}
	ex := s.Client.Do(context.Background(), api.ByName("passwordGrant"), values)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	var rt string
	for _, tk := range ex.Tokens {
		if tk.Field == "refresh_token" {
			rt = tk.Value
		}
	}
	if rt == "" {
		t.Fatal("no refresh token in the answer")
	}
	for _, c := range []struct {
		after   time.Duration
		offered bool
	}{{time.Hour, false}, {25 * time.Hour, true}} {
		at := clock.Add(c.after)
		m := New(Options{Session: s, Now: func() time.Time { return at }, TickEvery: time.Millisecond}, DefaultStyles(), DefaultKeyMap())
		m.SetSize(100, 30)
		m.Focus()
		reports, _ := split(msgs(m.Show(1, "passwordGrant", ex, values)))
		for _, r := range reports {
			m.Update(r)
		}
		m.SetTab(TabTokens)
		v := flat(m.View())
		line := "The access token has expired; R opens refreshToken with this answer's refresh_token."
		if got := strings.Contains(v, line); got != c.offered {
			t.Errorf("%s after sign-in: refresh offered %v, want %v:\n%s", c.after, got, c.offered, m.View())
		}
		cmd := m.Update(runes("R"))
		if !c.offered {
			if cmd != nil {
				t.Errorf("R did something before the access token expired")
			}
			continue
		}
		if !strings.Contains(helpKeys(m), "R") {
			t.Errorf("the help lacks R: %q", helpKeys(m))
		}
		if cmd == nil {
			t.Fatal("R did nothing")
		}
		got, ok := cmd().(OpenFormMsg)
		if !ok || got.Op != "refreshToken" || got.Field != "refresh_token" || got.Value != rt {
			t.Errorf("R asked for %+v, want refreshToken's refresh_token filled", got)
		}
	}
}

// u lists the operations that take the token, in the catalogue's order;
// ↓ and enter pick one; esc closes without asking for anything. A token no
// operation takes says so.
func TestUseChooser(t *testing.T) {
	ex := &api.Exchange{Tokens: []api.Token{{Field: "refresh_token", Value: "v1.rt"}, {Field: "mfa_token", Value: "Fe26.mfa"}, {Field: "session_token", Value: "st"}}}
	m := newPane(nil, context.Background())
	reports, _ := split(msgs(m.Show(1, "passwordGrant", ex, api.Values{})))
	for _, r := range reports {
		m.Update(r)
	}
	m.SetTab(TabTokens)
	if cmd := m.Update(runes("u")); cmd != nil {
		t.Fatal("u asked for something at once")
	}
	if !m.Capturing() {
		t.Error("the list does not take the keys")
	}
	v := m.View()
	for _, want := range []string{"Use the refresh_token in:", "▸ refreshToken.refresh_token", "  oauth.refreshToken.refresh_token", "  tokens.revokeRefreshToken.token"} {
		if !strings.Contains(v, want) {
			t.Errorf("the list lacks %q:\n%s", want, v)
		}
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter picked nothing")
	}
	got := cmd().(OpenFormMsg)
	if got.Op != "tokens.revokeRefreshToken" || got.Field != "token" || got.Value != "v1.rt" {
		t.Errorf("enter asked for %s", got)
	}
	if s := fmt.Sprintf("%T %+v", got, got); strings.Contains(s, "v1.rt") { // as the debug log writes it
		t.Errorf("the message prints the token: %s", s)
	}
	if m.Capturing() || strings.Contains(m.View(), "Use the refresh_token in:") {
		t.Error("the list stayed open after a pick")
	}

	m.Update(runes("u"))
	if cmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc}); cmd != nil || m.Capturing() {
		t.Error("esc did not just close the list")
	}

	m.Update(rightKey()) // the mfa_token of an mfa_required error
	m.Update(runes("u"))
	if v := m.View(); !strings.Contains(v, "Use the mfa_token in:") || !strings.Contains(v, "▸ mfa.challenge.mfa_token") || !strings.Contains(v, "mfa.verifyOTP.mfa_token") {
		t.Errorf("an mfa_token's list:\n%s", v)
	}
	if cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter}); cmd == nil {
		t.Error("enter on the mfa_token's list picked nothing")
	} else if got := cmd().(OpenFormMsg); got.Op != "mfa.challenge" || got.Field != "mfa_token" || got.Value != "Fe26.mfa" {
		t.Errorf("enter asked for %s", got)
	}

	m.Update(rightKey()) // a token no operation takes
	m.Update(runes("u"))
	if v := m.View(); !strings.Contains(v, "No operation takes") {
		t.Errorf("a session_token's list:\n%s", v)
	}
	if cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter}); cmd != nil || m.Capturing() {
		t.Error("enter on an empty list asked for something or kept it open")
	}
}

// d compares the token with the same field of an earlier answer; D steps
// through the other tokens of the session; a token with nothing before it
// says so.
func TestDiffWithEarlierTokens(t *testing.T) {
	s := sandboxSession(t)
	ex1, values := signIn(t, s)
	ex2, _ := signIn(t, s)
	m := newPane(s, context.Background())
	for i, ex := range []*api.Exchange{ex1, ex2} {
		reports, _ := split(msgs(m.Show(uint64(i+1), "passwordGrant", ex, values)))
		for _, r := range reports {
			m.Update(r)
		}
	}
	m.SetTab(TabTokens)
	if strings.Contains(m.View(), "Diff:") {
		t.Fatal("the diff opened by itself after an answer that is no refresh")
	}
	m.Update(runes("d"))
	v := m.View()
	for _, want := range []string{"Diff: the id_token of passwordGrant", "→ this id_token", "(1/3)", "lifetime 10h, as before; issued at the same time"} {
		if !strings.Contains(v, want) {
			t.Errorf("the diff lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(helpKeys(m), "D") {
		t.Errorf("the help lacks D: %q", helpKeys(m))
	}
	m.Update(runes("D"))
	if v := m.View(); !strings.Contains(v, "(2/3)") || strings.Contains(v, "Diff: the id_token") {
		t.Errorf("D did not move on to another token:\n%s", v)
	}
	m.Update(runes("d"))
	if strings.Contains(m.View(), "Diff:") {
		t.Error("d did not close the diff")
	}

	// A first answer has nothing to compare with but its own tokens.
	m2 := newPane(s, context.Background())
	reports, _ := split(msgs(m2.Show(1, "refreshToken", &api.Exchange{Tokens: []api.Token{{Field: "refresh_token", Value: "v1.rt"}}}, api.Values{})))
	for _, r := range reports {
		m2.Update(r)
	}
	m2.SetTab(TabTokens)
	if strings.Contains(m2.View(), "Diff:") {
		t.Error("a refresh with nothing before opened the diff")
	}
	m2.Update(runes("d"))
	if v := m2.View(); !strings.Contains(v, "No other token in this session to compare the refresh_token with yet.") {
		t.Errorf("nothing to compare:\n%s", v)
	}
}
