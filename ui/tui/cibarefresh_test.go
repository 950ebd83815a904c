package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/response"

	tea "github.com/charmbracelet/bubbletea"
)

// startCIBA opens the flows (f), chooses the CIBA flow, lets edit change
// the form, and starts it.
func startCIBA(t *testing.T, tm *running, userID string, edit func()) {
	t.Helper()
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "f")
	waitFor(t, tm, "Backchannel (CIBA)")
	for range 3 { // browser login, device login, MFA step-up, CIBA
		tm.Send(keyMsg(tea.KeyDown))
	}
	tm.Send(keyMsg(tea.KeyEnter))
	// The user id is the sandbox's seeded user's.
	waitFor(t, tm, "binding message", userID, "enter starts")
	if edit != nil {
		edit()
	}
	tm.Send(keyMsg(tea.KeyEnter))
}

// cibaMail is the outbox's approval message of the CIBA request.
func cibaMail(t *testing.T, s *app.Session) sandbox.Message {
	t.Helper()
	mail, ok := s.Sandbox.LastMessage(sandbox.SeedEmail)
	if !ok || mail.Kind != sandbox.KindCIBAApproval || mail.Link == "" {
		t.Fatalf("no CIBA approval in the outbox: %+v", mail)
	}
	return mail
}

func follow(t *testing.T, link string) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", link, resp.Status)
	}
}

// historyOps are the operations of this run's history, oldest first.
func historyOps(m *Model) []string {
	var out []string
	for _, le := range m.hs.live {
		out = append(out, le.op.Name)
	}
	return out
}

// At 80x24 the CIBA flow shows the binding message and the countdown
// (moving on the clock) while pending; approved with the outbox's link,
// its tokens land in the Answer with a valid id_token.
func TestCIBAFlowApprovedAt80x24(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), nil)
	waitFor(t, tm, "✓ Ask the tenant to ask the user", "Wait for the user to approve", "Binding message",
		flows.CIBABindingMessage, "Expires in 5:00", "Polling every 5s · 0 polls", "the outbox (o) holds the approval")
	mail := cibaMail(t, sess)
	if mail.Code != flows.CIBABindingMessage {
		t.Fatalf("the user is shown %q, want the binding message", mail.Code)
	}
	c.Add(20 * time.Second) // the countdown moves on the pane's tick
	waitFor(t, tm, "Expires in 4:40")

	g.release(t) // the first poll: pending
	waitFor(t, tm, "Polling every 5s · 1 poll", "Expires in 4:35")
	if m := tm.p.m; m.resp.Exchange() != nil {
		t.Fatal("a pending poll went to the Answer")
	}
	follow(t, mail.Link) // the user approves
	g.release(t)         // the second poll: the tokens
	waitFor(t, tm, "✓ Check the id_token", "Done. The tokens are in the Answer", "200 ·")

	m := final(t, tm)
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || !strings.Contains(string(ex.Request.Body), "ciba") {
		t.Fatalf("the Answer shows %+v, want the CIBA grant's tokens", ex)
	}
	if rep := m.resp.TokenReport("id_token"); rep == nil || rep.State != jwtview.StateValid {
		t.Fatalf("id_token in the Answer: %+v, want valid", rep)
	}
	if got := strings.Join(historyOps(m), " "); got != "backchannel.authorize backchannel.backchannelGrant" {
		t.Fatalf("history %q, want the authorize request and the grant", got)
	}
}

// Denied with the outbox's link (&action=deny): one sentence on the
// waiting step, nothing in the Answer.
func TestCIBAFlowDenied(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), nil)
	waitFor(t, tm, "Wait for the user to approve")
	follow(t, cibaMail(t, sess).Link+"&action=deny")
	g.release(t)
	waitFor(t, tm, "✗ Wait for the user to approve", "The user denied the request (access_denied")
	m := final(t, tm)
	if m.resp.Exchange() != nil {
		t.Fatal("a denied request put an answer in the Answer")
	}
	if m.fl.pane.Answers() != 0 {
		t.Fatal("the pane counts an answer for a denial")
	}
}

// A request asked to wait 10 s expires: the countdown reaches it on the
// clock and the flow says so in one sentence.
func TestCIBAFlowExpired(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), func() {
		for range 5 { // user id, login_hint, binding message, audience, scope
			tm.Send(keyMsg(tea.KeyDown))
		}
		typeText(tm, "10")
	})
	waitFor(t, tm, "Wait for the user to approve", "Expires in 0:10")
	g.release(t)
	waitFor(t, tm, "1 poll", "Expires in 0:05")
	c.Add(5 * time.Second)
	waitFor(t, tm, "The request has expired")
	g.release(t)
	waitFor(t, tm, "✗ Wait for the user to approve", "The request expired before the user approved it;")
	m := final(t, tm)
	if m.resp.Exchange() != nil {
		t.Fatal("an expired request put an answer in the Answer")
	}
}

// Polls faster than the interval get slow_down: the pane shows it and the
// longer interval.
func TestCIBAFlowSlowDown(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{}), still: true}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), nil)
	waitFor(t, tm, "Wait for the user to approve")
	g.release(t)
	waitFor(t, tm, "Polling every 5s · 1 poll")
	g.release(t) // at the same instant: too fast
	waitFor(t, tm, "Polling every 10s (slow_down ×1) · 2 polls", flows.CIBABindingMessage)
	final(t, tm)
}

// A request that names no user stops at once with one sentence.
func TestCIBAFlowNeedsAUser(t *testing.T) {
	sess := sandboxSession(t)
	tm := start(t, Options{Session: sess}, 80, 24)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), func() {
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU}) // clear the user id
	})
	waitFor(t, tm, "✗ Ask the tenant", "Name the user to ask: a user id (auth0|…) or a")
	final(t, tm)
}

// startRefresh opens the flows and starts the refresh flow with its
// prefilled options.
func startRefresh(t *testing.T, tm *running) {
	t.Helper()
	typeText(tm, "f")
	waitFor(t, tm, "Refresh, rotate, revoke")
	for range 4 { // the last of five
		tm.Send(keyMsg(tea.KeyDown))
	}
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "revoke after refresh", "‹ on ›", "passwordGrant at 12:")
	tm.Send(keyMsg(tea.KeyEnter))
}

// After a password grant with offline_access, the refresh flow refreshes
// the session's newest refresh token (rotated: yes), the Answer opens its
// Tokens tab on the diff against the earlier tokens, then it revokes the
// rotated token and shows the tenant refusing it; the revocation and the
// refusal are in the history, the new tokens stay in the Answer.
func TestRefreshFlowRotatesRevokesRefused(t *testing.T) {
	c := &movingClock{}
	tm := start(t, Options{Session: movingSandbox(t, c), Now: c.now}, 80, 24)
	signInWith(t, tm, "openid profile offline_access")
	waitFor(t, tm, "200 OK")
	c.advance(10 * time.Minute)
	startRefresh(t, tm)
	waitFor(t, tm, "✓ Refreshed; rotated: yes", "✓ Revoked the rotated refresh token",
		"✓ The revoked refresh token is refused:", "invalid_grant", "id_token: lifetime 10h, as before; issued 10m later",
		"r run again") // the flow has ended: esc now closes the pane, not stops it
	tm.Send(keyMsg(tea.KeyEsc)) // the Answer, on the diff
	waitFor(t, tm, "Diff: the id_token of passwordGrant", "~ iat", "~ exp")

	m := final(t, tm)
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || len(ex.Tokens) != 3 {
		t.Fatalf("the Answer shows %+v, want the refresh's new tokens", ex)
	}
	if m.resp.ActiveTab() != response.TabTokens || !m.resp.Diffing() {
		t.Fatal("the Answer is not on the Tokens tab's diff")
	}
	ops := historyOps(m)
	want := []string{"passwordGrant", "oauth.refreshToken", "oauth.revokeRefreshToken", "oauth.refreshToken"}
	if strings.Join(ops, " ") != strings.Join(want, " ") {
		t.Fatalf("history %q, want %q", ops, want)
	}
	refused := m.hs.live[3].ex
	if refused.Response == nil || refused.Response.Status < 400 {
		t.Fatalf("the last history entry is %+v, want the refusal", refused.Response)
	}
	// The refusal was for the rotated token, the one in the Answer.
	var rt string
	for _, tk := range ex.Tokens {
		if tk.Field == "refresh_token" {
			rt = tk.Value
		}
	}
	if rt == "" || !strings.Contains(string(refused.Request.Body), rt) {
		t.Fatal("the refused attempt did not send the rotated refresh token")
	}
	// Neither the revoked token nor the one it rotated away is offered to
	// the next run: the first no longer works, the second would revoke
	// the family.
	if h := m.heldTokens(); h.Refresh != "" {
		t.Fatalf("the refresh flow would start again from a spent refresh token (from %s)", h.From)
	}
}

// On a client whose refresh tokens do not rotate the flow says rotated:
// no and revokes the token it sent.
func TestRefreshFlowNonRotating(t *testing.T) {
	c := &movingClock{}
	s := movingSandbox(t, c)
	s.Sandbox.AddClient(sandbox.Client{ID: "nonrotating-client-0001", Secret: "nonrotating-secret-0001", Name: "Non-rotating", NonRotating: true})
	ns, err := app.Open(app.Tenant{Domain: s.Sandbox.BaseURL, ClientID: "nonrotating-client-0001", ClientSecret: "nonrotating-secret-0001"}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Close)
	ns.Sandbox = s.Sandbox
	tm := start(t, Options{Session: ns, Now: c.now}, 120, 36)
	signInWith(t, tm, "openid offline_access")
	waitFor(t, tm, "200 OK")
	startRefresh(t, tm)
	waitFor(t, tm, "✓ Refreshed; rotated: no", "✓ Revoked the refresh token", "✓ The revoked refresh token is refused:")
	final(t, tm)
}

// Without a refresh token in the session the field says how to get one,
// and starting says it in one sentence.
func TestRefreshFlowWithoutRefreshToken(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 36)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "f")
	waitFor(t, tm, "Refresh, rotate, revoke")
	for range 4 { // the last of five
		tm.Send(keyMsg(tea.KeyDown))
	}
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "sign in with offline_access first")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "✗ Refresh the tokens", "No refresh token: sign in with offline_access first")
	final(t, tm)
}
