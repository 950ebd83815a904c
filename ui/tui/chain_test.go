package tui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// movingClock is a clock the test moves: the sandbox signs with it and the
// token checks read it.
type movingClock struct{ off atomic.Int64 }

func (c *movingClock) now() time.Time          { return clock.Add(time.Duration(c.off.Load())) }
func (c *movingClock) advance(d time.Duration) { c.off.Add(int64(d)) }

func movingSandbox(t *testing.T, c *movingClock) *app.Session {
	t.Helper()
	s, err := app.OpenSandbox(sandbox.Options{Seed: 7, Now: c.now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// signInWith opens passwordGrant, fills the seeded user and scope and
// sends it.
func signInWith(t *testing.T, tm *running, scope string) {
	t.Helper()
	waitFor(t, tm, "passwordGrant", "SANDBOX")
	typeText(tm, "/")
	typeText(tm, "passwordGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "fill the required fields")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, sandbox.SeedPassword)
	tm.Send(keyMsg(tea.KeyTab)) // realm
	tm.Send(keyMsg(tea.KeyTab)) // scope
	typeText(tm, scope)
	waitFor(t, tm, "ready: ctrl+s sends")
	tm.Send(keyMsg(tea.KeyCtrlS))
}

// u on a refresh token lists the operations that take it; enter opens
// refreshToken with it filled; sending it gets new tokens, shown as a diff
// with the ones before.
func TestUseRefreshTokenThenDiff(t *testing.T) {
	c := &movingClock{}
	tm := start(t, Options{Session: movingSandbox(t, c), Now: c.now}, 120, 40)
	signInWith(t, tm, "openid offline_access")
	waitFor(t, tm, "200 OK", "Tokens (3)")
	typeText(tm, "4")
	waitFor(t, tm, "id_token ✓", "refresh_token –")
	tm.Send(keyMsg(tea.KeyLeft)) // from the id_token round to the refresh token
	typeText(tm, "u")
	waitFor(t, tm, "Use the refresh_token in:", "refreshToken.refresh_token", "oauth.refreshToken.refresh_token", "tokens.revokeRefreshToken.token")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "refreshToken: refresh_token filled with the refresh_token of the answer")

	c.advance(10 * time.Minute)
	tm.Send(keyMsg(tea.KeyCtrlS))
	// The answer opens on the Tokens tab with the new id_token against
	// the one before.
	waitFor(t, tm, "Diff: the id_token of passwordGrant", "→ this id_token",
		"lifetime 10h, as before; issued 10m later; expires 10m later", "~ iat", "~ exp")
	tm.Send(keyMsg(tea.KeyLeft)) // the new refresh token: rotated
	waitFor(t, tm, "Its value changed (the refresh token was")
	typeText(tm, "d")

	m := final(t, tm)
	if f := m.forms["refreshToken"]; f == nil || f.Value("refresh_token") == "" {
		t.Fatal("the refreshToken form was not filled")
	}
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || len(ex.Tokens) != 3 {
		t.Fatalf("the refresh did not answer with new tokens: %+v", ex)
	}
	if strings.Contains(m.View(), "Diff:") {
		t.Error("d did not close the diff")
	}
}

// A password grant without an audience gets an opaque access token: the
// Tokens tab says why, and a opens passwordGrant's form with the audience
// field focused.
func TestOpaqueAccessTokenOpensAudience(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 40)
	signInWith(t, tm, "openid")
	waitFor(t, tm, "200 OK", "Tokens (2)")
	typeText(tm, "4")
	waitFor(t, tm, "id_token ✓")
	tm.Send(keyMsg(tea.KeyRight))
	waitFor(t, tm, "no audience was asked", "a opens passwordGrant with the audience field focused")
	typeText(tm, "a")
	waitFor(t, tm, "passwordGrant: audience focused.")
	m := final(t, tm)
	if m.focus != focusForm || m.form.Op().Name != "passwordGrant" || m.form.FocusedField() != "audience" {
		t.Fatalf("focus %v on %s.%s, want the form's audience field", m.focus, m.form.Op().Name, m.form.FocusedField())
	}
	if m.form.Value("username") != sandbox.SeedEmail {
		t.Error("the form lost what was typed")
	}
}
