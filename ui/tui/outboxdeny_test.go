package tui

import (
	"testing"

	"auth0-explorer/api/sandbox"

	tea "github.com/charmbracelet/bubbletea"
)

// A CIBA request waiting for the user: the outbox's x denies it (the
// approval link with action=deny), and the flow's next poll sees
// access_denied.
func TestOutboxDeniesCIBA(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 120, 40)
	startCIBA(t, tm, sess.Sandbox.SeedUserID(), nil)
	waitFor(t, tm, "Wait for the user to approve")
	cibaMail(t, sess)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, "o")
	waitFor(t, tm, "Sandbox outbox", sandbox.KindCIBAApproval, "enter: approve (follow the link) · x: deny", "enter approve • x deny")
	typeText(tm, "x")
	waitFor(t, tm, "→ 200 OK", "Denied: the flow will see access_denied.")
	typeText(tm, "f")
	g.release(t)
	waitFor(t, tm, "✗ Wait for the user to approve", "The user denied the request (access_denied")
	final(t, tm)
}

// An MFA push waiting for the phone: the outbox's x rejects it, and the
// flow's next poll stops on the rejection.
func TestOutboxDeniesMFAPush(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 120, 40)
	mfaSignIn(t, tm)
	typeText(tm, "m")
	waitFor(t, tm, "Which authenticator?")
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Wait for the approval on the phone", "Polling every 5s · 0 polls")
	lastMFAMessage(t, sess, sandbox.KindMFAPush)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, "o")
	waitFor(t, tm, "Sandbox outbox", sandbox.KindMFAPush, "enter: approve (follow the link) · x: deny", "x deny")
	typeText(tm, "x")
	waitFor(t, tm, "→ 200 OK", "Rejected: the flow will see invalid_grant (MFA Authorization rejected.).")
	typeText(tm, "f")
	g.release(t)
	waitFor(t, tm, "✗ Wait for the approval on the phone", "The push notification was rejected on the phone (invalid_grant")
	if ex := final(t, tm).resp.Exchange(); ex != nil && ex.Response != nil && ex.Response.Status == 200 {
		t.Fatal("a rejected push brought tokens")
	}
}
