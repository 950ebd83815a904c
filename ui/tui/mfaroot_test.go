package tui

import (
	"net/http"
	"strings"
	"testing"

	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/clipboard"

	tea "github.com/charmbracelet/bubbletea"
)

// mfaSignIn sends passwordGrant for the sandbox's MFA user from the form,
// asking for an id_token, and waits for the mfa_required answer and its
// line.
func mfaSignIn(t *testing.T, tm *running) {
	t.Helper()
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "passwordGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "fill the required fields")
	typeText(tm, sandbox.MFASeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, sandbox.SeedPassword)
	tm.Send(keyMsg(tea.KeyTab)) // realm
	tm.Send(keyMsg(tea.KeyTab)) // scope
	typeText(tm, "openid profile email")
	waitFor(t, tm, "ready: ctrl+s sends")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "403 Forbidden", "MFA required: m continues with MFA", "m MFA • y copy")
}

// lastMFAMessage is the newest outbox message of kind to the MFA user.
func lastMFAMessage(t *testing.T, sess *app.Session, kind string) sandbox.Message {
	t.Helper()
	var got sandbox.Message
	for _, msg := range sess.Sandbox.Outbox() {
		if msg.Kind == kind && msg.To == sandbox.MFASeedEmail {
			got = msg
		}
	}
	if got.Kind == "" {
		t.Fatalf("no %s message in the outbox", kind)
	}
	return got
}

// wantMFATokens checks the Answer holds the tokens of an MFA grant with a
// valid id_token, and that m no longer applies to it.
func wantMFATokens(t *testing.T, m *Model) {
	t.Helper()
	ex := m.resp.Exchange()
	if ex == nil || ex.Response == nil || ex.Response.Status != 200 || ex.Request == nil || !strings.HasSuffix(ex.Request.URL, "/oauth/token") {
		t.Fatalf("the Answer shows %+v, want the MFA grant's tokens", ex)
	}
	if rep := m.resp.TokenReport("id_token"); rep == nil || rep.State != jwtview.StateValid {
		t.Fatalf("id_token in the Answer: %+v, want valid", rep)
	}
	if m.resp.MFAOffered() {
		t.Fatal("m is still offered on the tokens")
	}
}

// The acceptance walk: a passwordGrant for the MFA user answers
// mfa_required; m goes on in place (no retyping): the authenticators are
// listed, the app is chosen, a wrong code is refused and asked again, the
// code the app shows (the outbox's, on the sandbox's clock) brings the
// tokens into the Answer with a valid id_token.
func TestMFAInPlaceOTPWithARetry(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	tm := start(t, Options{Session: sess, Now: c.Now}, 120, 36)
	mfaSignIn(t, tm)
	typeText(tm, "m")
	waitFor(t, tm, "MFA step-up", "✓ List the authenticators", "Which authenticator?",
		"Authenticator app (one-time code)", "Code by SMS to XXXXXXXX0123", "Push notification to Sandbox Guardian", "Recovery code")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "✓ Challenge it (mfa.challenge): authenticator app", "The code the authenticator app shows:", "Sandbox: the outbox holds the code")
	code := lastMFAMessage(t, sess, sandbox.KindMFAOTP).Code
	if want := sandbox.TOTP(sess.Sandbox.MFAOTPSecret(), c.Now()); code != want {
		t.Fatalf("the outbox says %s, the app would show %s", code, want)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	typeText(tm, wrong)
	waitFor(t, tm, "> ••••••")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "The one-time code was not accepted (invalid_grant", "Type it again (2", "The code the authenticator app shows:")
	typeText(tm, code)
	if v := tm.p.view.Load().(string); strings.Contains(v, code) {
		t.Fatalf("the code typed shows on the screen:\n%s", v)
	}
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Done. The tokens are in the Answer", "✓ Check the id_token", "id_token: ", "200 ·")
	wantMFATokens(t, final(t, tm))
}

// Three refused codes end the flow with the tenant's sentence.
func TestMFAGivesUpAfterThreeCodes(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	tm := start(t, Options{Session: sess, Now: c.Now}, 80, 24)
	mfaSignIn(t, tm)
	typeText(tm, "m")
	waitFor(t, tm, "Which authenticator?")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "The code the authenticator app")
	wrong := "000000"
	if lastMFAMessage(t, sess, sandbox.KindMFAOTP).Code == wrong {
		wrong = "111111"
	}
	for _, left := range []string{"2 tries left", "1 try left"} {
		typeText(tm, wrong)
		tm.Send(keyMsg(tea.KeyEnter))
		waitFor(t, tm, left)
	}
	typeText(tm, wrong)
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "✗ Enter the authenticator app's", "The one-time code was not accepted")
	m := final(t, tm)
	if m.fl.pane.Running() {
		t.Fatal("the flow still runs after the third refused code")
	}
}

// Push: the pane shows the notification's countdown and the polling; the
// approval through the outbox's link brings the tokens.
func TestMFAInPlacePush(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep}, 80, 24)
	mfaSignIn(t, tm)
	typeText(tm, "m")
	waitFor(t, tm, "Which authenticator?")
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Wait for the approval on the phone", "A push notification went to Sandbox Guardian", "Expires in 5:00", "Polling every 5s · 0 polls")
	g.release(t) // pending
	waitFor(t, tm, "Polling every 5s · 1 poll", "Expires in 4:55")
	mail := lastMFAMessage(t, sess, sandbox.KindMFAPush)
	resp, err := http.Get(mail.Link) // the person approves on the phone
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("approval link: %s", resp.Status)
	}
	g.release(t)
	waitFor(t, tm, "Done. The tokens are in the Answer", "Approved after 2 polls.", "200 ·")
	wantMFATokens(t, final(t, tm))
}

// A recovery code: the tokens, and the new code Auth0 answers shown
// masked; y copies it.
func TestMFAInPlaceRecoveryCode(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	clip := &clipboard.Fake{}
	tm := start(t, Options{Session: sess, Now: c.Now, Clipboard: clip}, 120, 36)
	mfaSignIn(t, tm)
	typeText(tm, "m")
	waitFor(t, tm, "Which authenticator?")
	for range 3 {
		tm.Send(keyMsg(tea.KeyDown))
	}
	tm.Send(keyMsg(tea.KeyEnter))
	old := sess.Sandbox.MFARecoveryCode()
	// The sandbox's own user: its code is told, as the outbox tells the others.
	waitFor(t, tm, "Use a recovery code", "A recovery code:", "Sandbox: the MFA user's recovery code: "+old)
	typeText(tm, old)
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Done. The tokens are in the Answer", "New recovery code", "••••••••••••", "y copies it", "y copy the new recovery code")
	next := sess.Sandbox.MFARecoveryCode()
	if next == old || next == "" {
		t.Fatalf("the recovery code did not change: %q", next)
	}
	if v := tm.p.view.Load().(string); strings.Contains(v, next) || strings.Contains(v, old) {
		t.Fatalf("a recovery code shows on the screen:\n%s", v)
	}
	typeText(tm, "y")
	waitFor(t, tm, "Copied the new recovery code")
	if got, _ := clip.Text(); got != next {
		t.Fatalf("copied %q, want the new recovery code", got)
	}
	wantMFATokens(t, final(t, tm))
}

// From the menu: f, MFA step-up, the password typed (masked) in its
// form; the sign-in answers mfa_required and the flow goes on to the
// tokens.
func TestMFAFromTheMenu(t *testing.T) {
	c := &testClock{t: clock}
	sess, _ := flowSandbox(t, c)
	tm := start(t, Options{Session: sess, Now: c.Now}, 80, 24)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "f")
	waitFor(t, tm, "MFA step-up")
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyDown))
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "username", sandbox.MFASeedEmail, "password", "realm", "openid profile email offline_access")
	tm.Send(keyMsg(tea.KeyDown))
	typeText(tm, sandbox.SeedPassword)
	waitFor(t, tm, "password  •••••••••")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "✓ Sign in with the password grant", "Which authenticator?")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "The code the authenticator app")
	typeText(tm, lastMFAMessage(t, sess, sandbox.KindMFAOTP).Code)
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Done. The tokens are in the Answer")
	m := final(t, tm)
	wantMFATokens(t, m)
	if rt := tokenOf(m.resp.Exchange(), "refresh_token"); rt == "" {
		t.Fatal("no refresh_token: the form's scope (offline_access) was not sent")
	}
}

// A sign-in that answers tokens has no MFA line, and m does nothing there.
func TestMFAKeyOnlyOnMFARequired(t *testing.T) {
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 36)
	signIn(t, tm, "openid")
	waitFor(t, tm, "200 OK")
	if v := tm.p.view.Load().(string); strings.Contains(v, "MFA") {
		t.Fatalf("a 200 answer mentions MFA:\n%s", v)
	}
	typeText(tm, "m")
	m := final(t, tm)
	if m.fl.open || m.fl.pane.Running() {
		t.Fatal("m opened the MFA flow on an answer that asks for none")
	}
}
