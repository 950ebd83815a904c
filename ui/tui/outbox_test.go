package tui

import (
	"strings"
	"testing"

	"auth0-explorer/api/sandbox"

	tea "github.com/charmbracelet/bubbletea"
)

// openOp filters the operations to name (clearing an earlier filter) and
// opens its form.
func openOp(t *testing.T, tm *running, name string) {
	t.Helper()
	typeText(tm, "/")
	tm.Send(keyMsg(tea.KeyCtrlU))
	typeText(tm, name)
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Request", name)
}

// Passwordless email code from start to tokens without typing the code:
// requestEmailCode, the outbox shows the mail, enter opens verifyEmailCode
// with the address and the code, ctrl+s signs in.
func TestOutboxEmailCodeToTokens(t *testing.T) {
	sess := sandboxSession(t)
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant", "SANDBOX")
	openOp(t, tm, "requestEmailCode")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	typeText(tm, "o")
	waitFor(t, tm, "Sandbox outbox", "email code", sandbox.SeedEmail, "Your verification code is", "enter: sign in with the code (verifyEmailCode)")
	mail, ok := sess.Sandbox.LastMessage(sandbox.SeedEmail)
	if !ok || mail.Code == "" {
		t.Fatalf("no code in the outbox: %+v", mail)
	}
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "verifyEmailCode: otp filled with the code mailed to "+sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "token_type")

	m := final(t, tm)
	if m.outbox.IsOpen() {
		t.Error("the outbox is still open after enter")
	}
	if op := m.form.Op().Name; op != "verifyEmailCode" {
		t.Fatalf("form %s, want verifyEmailCode", op)
	}
	if e, c := m.form.Value("email"), m.form.Value("otp"); e != sandbox.SeedEmail || c != mail.Code {
		t.Fatalf("form has email %q otp %q, want %q and the mailed code", e, c, sandbox.SeedEmail)
	}
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || !strings.Contains(string(ex.Response.Body), "access_token") {
		t.Fatalf("verifyEmailCode answer %+v, want 200 with tokens", ex)
	}
	if strings.Contains(m.View(), mail.Code) {
		t.Error("the code shows in clear in the form")
	}
}

// A magic link followed shows where it redirects, with the code; enter then
// opens the code grant filled, and the code is exchanged for tokens.
func TestOutboxMagicLinkFollowed(t *testing.T) {
	sess := sandboxSession(t)
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	openOp(t, tm, "requestMagicLink")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	typeText(tm, "o")
	waitFor(t, tm, "magic link", "enter: follow the link")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "302 Found, redirects to", "127.0.0.1/callback?code=", "enter: exchange the code (oauth.authorizationCodeGrant)")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "oauth.authorizationCodeGrant: code filled")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "token_type")

	m := final(t, tm)
	if op := m.form.Op().Name; op != "oauth.authorizationCodeGrant" {
		t.Fatalf("form %s, want oauth.authorizationCodeGrant", op)
	}
	if r := m.form.Value("redirect_uri"); r != "http://127.0.0.1/callback" {
		t.Fatalf("redirect_uri %q", r)
	}
	if m.form.Value("code") == "" {
		t.Fatal("no code filled")
	}
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || !strings.Contains(string(ex.Response.Body), "access_token") {
		t.Fatalf("code grant answer %+v, want 200 with tokens", ex)
	}
}

// A reset mail's link takes a new password; the password grant then works
// with it. The answer that arrives while the outbox is open stays under it.
func TestOutboxResetMailSetsPassword(t *testing.T) {
	const newPassword = "N3wSecret9x"
	sess := sandboxSession(t)
	tm := start(t, Options{Session: sess}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	openOp(t, tm, "requestChangePasswordEmail")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, "Username-Password-Authentication")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	typeText(tm, "o")
	waitFor(t, tm, "reset mail", "enter: choose a new password")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "New password for "+sandbox.SeedEmail)
	typeText(tm, newPassword)
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "→ 200 OK", "Your password has been changed.")
	if strings.Contains(tm.p.view.Load().(string), "enter: choose a new password") {
		t.Error("the used reset link is still offered")
	}

	openOp(t, tm, "passwordGrant")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, newPassword)
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "Answer 200 under the outbox")
	typeText(tm, "o") // the outbox has the focus: o closes it
	waitFor(t, tm, "token_type")

	m := final(t, tm)
	ex := m.resp.Exchange()
	if m.form.Op().Name != "passwordGrant" || ex == nil || ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("password grant with the new password: %+v", ex)
	}
	if strings.Contains(m.View(), newPassword) {
		t.Error("the new password shows in clear")
	}
}

// Without the sandbox, the key says why there is no outbox.
func TestOutboxOnlyOnSandbox(t *testing.T) {
	tm := start(t, Options{Session: serverSession(t, nil)}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "o")
	waitFor(t, tm, "The outbox exists only on the sandbox tenant")
	if m := final(t, tm); m.outbox.IsOpen() {
		t.Fatal("an outbox opened without a sandbox")
	}
}
