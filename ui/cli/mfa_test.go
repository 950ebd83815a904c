package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// mfaSetup signs the MFA user in through the API and returns the mfa_token
// and the id of the authenticator whose id starts with prefix.
func (r *deviceRig) mfaSetup(prefix string) (tok, id string) {
	r.t.Helper()
	c, err := api.New(api.Config{Domain: r.srv.BaseURL, ClientID: r.srv.Client.ID, ClientSecret: r.srv.Client.Secret})
	if err != nil {
		r.t.Fatal(err)
	}
	ex := c.Do(context.Background(), api.ByName("oauth.passwordGrant"), api.Values{Fields: []api.Value{
		api.String("username", sandbox.MFASeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid")}})
	var ae *api.Error
	if !errors.As(ex.Err, &ae) || ae.MFAToken == "" {
		r.t.Fatalf("password grant: %v", ex.Err)
	}
	ex = c.Do(context.Background(), api.ByName("mfa.listAuthenticators"), api.Values{Fields: []api.Value{api.String("mfa_token", ae.MFAToken)}})
	var list []struct{ ID string }
	if ex.Err != nil || json.Unmarshal(ex.Response.Body, &list) != nil {
		r.t.Fatalf("list: %v", ex.Err)
	}
	for _, a := range list {
		if strings.HasPrefix(a.ID, prefix) {
			return ae.MFAToken, a.ID
		}
	}
	r.t.Fatalf("no %s authenticator in %v", prefix, list)
	return "", ""
}

func oneToken(t *testing.T, out string) {
	t.Helper()
	tok := strings.TrimSuffix(out, "\n")
	if len(tok) < 16 || strings.ContainsAny(tok, " \n{}\":") {
		t.Errorf("stdout is not exactly one token: %q", out)
	}
}

// The password grant answers mfa_required; the command goes on with the
// app's code and prints the access token alone.
func TestMFACommandOTPPrintsOneToken(t *testing.T) {
	r := newDeviceRig(t)
	otp := sandbox.TOTP(r.srv.MFAOTPSecret(), r.clock())
	code, out, errs := r.runCmd("mfa", strings.NewReader(sandbox.SeedPassword+"\n"),
		"--username", sandbox.MFASeedEmail, "--password-stdin", "--otp", otp, "--print", "access_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	oneToken(t, out)
	if !strings.Contains(errs, "mfa_required") || strings.Contains(errs, sandbox.SeedPassword) {
		t.Errorf("stderr:\n%s", errs)
	}
	// A wrong code: exit 1 and one sentence.
	code, out, errs = r.runCmd("mfa", strings.NewReader(sandbox.SeedPassword),
		"--username", sandbox.MFASeedEmail, "--password-stdin", "--otp", "000000")
	if code != 1 || out != "" || !strings.Contains(errs, "the one-time code was not accepted (invalid_grant: Invalid otp_code)") {
		t.Errorf("wrong code: exit %d %q\n%s", code, out, errs)
	}
}

// Push: the notification is approved through the outbox after one pending
// poll; the countdown on stderr, the tokens as JSON on stdout. Denied: exit
// 1 with a sentence.
func TestMFACommandPush(t *testing.T) {
	r := newDeviceRig(t)
	tok, id := r.mfaSetup("push|")
	r.act = func(n int) {
		if n == 2 {
			r.openLink(sandbox.KindMFAPush, "")
		}
	}
	code, out, errs := r.runCmd("mfa", strings.NewReader(tok+"\n"), "--mfa-token", "-", "--authenticator", id)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var tokens map[string]any
	if err := json.Unmarshal([]byte(out), &tokens); err != nil || tokens["access_token"] == nil {
		t.Fatalf("stdout: %v\n%s", err, out)
	}
	for _, want := range []string{"a push notification was sent (push notification to Sandbox Guardian)",
		"waiting for approval: the notification expires in 4:55 (checking every 5s)", "verified"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}

	tok, id = r.mfaSetup("push|")
	r.act = func(int) { r.openLink(sandbox.KindMFAPush, "&action=deny") }
	code, out, errs = r.runCmd("mfa", nil, "--mfa-token", tok, "--authenticator", id)
	if code != 1 || out != "" || !strings.Contains(errs, "the push notification was rejected on the phone (invalid_grant: MFA Authorization rejected)") {
		t.Errorf("denied: exit %d %q\n%s", code, out, errs)
	}
}

// SMS, chosen and answered at the terminal: a numbered choice, then the
// code sent, read when the command asks for it.
func TestMFACommandSMSAtTheTerminal(t *testing.T) {
	oldTerm := stdinTerminal
	t.Cleanup(func() { stdinTerminal = oldTerm })
	stdinTerminal = func(io.Reader) (int, bool) { return 42, true }
	r := newDeviceRig(t)
	tok, _ := r.mfaSetup("sms|")
	in := &lazyInput{lines: []func() string{
		func() string { return "2" }, // the SMS
		func() string {
			m, _ := r.srv.LastMessage(sandbox.MFASeedPhone)
			return m.Code
		},
	}}
	code, out, errs := r.runCmd("mfa", in, "--mfa-token", tok, "--print", "id_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	oneToken(t, out)
	for _, want := range []string{"Choose an authenticator:", "  1. authenticator app (one-time code) (totp|dev_",
		"  2. code by SMS to XXXXXXXX0123 (sms|dev_", "  3. push notification to Sandbox Guardian (push|dev_", "  4. recovery code (recovery-code|dev_",
		"number (1-4): ", "the code sent (code by SMS to XXXXXXXX0123): "} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// lazyInput is a terminal the user types at when asked: each read gives
// the next line, made when it is read.
type lazyInput struct {
	lines []func() string
	buf   []byte
}

func (l *lazyInput) Read(p []byte) (int, error) {
	if len(l.buf) == 0 {
		if len(l.lines) == 0 {
			return 0, io.EOF
		}
		l.buf = []byte(l.lines[0]() + "\n")
		l.lines = l.lines[1:]
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

// A recovery code: the answer's new one is told on stderr with --print.
func TestMFACommandRecoveryCode(t *testing.T) {
	r := newDeviceRig(t)
	tok, _ := r.mfaSetup("recovery-code|")
	old := r.srv.MFARecoveryCode()
	code, out, errs := r.runCmd("mfa", nil, "--mfa-token", tok, "--recovery-code", old, "--print", "access_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	oneToken(t, out)
	if next := r.srv.MFARecoveryCode(); next == old || !strings.Contains(errs, "the next one is "+next) {
		t.Errorf("stderr does not tell the new recovery code %s:\n%s", next, errs)
	}
}

// What cannot go on: several authenticators and no terminal, a made-up
// mfa_token, no way to the password, conflicting flags; a user without
// MFA gets the tokens with a note.
func TestMFACommandRefusals(t *testing.T) {
	r := newDeviceRig(t)
	tok, _ := r.mfaSetup("totp|")
	code, _, errs := r.runCmd("mfa", nil, "--mfa-token", tok)
	if code != 2 || !strings.Contains(errs, "several authenticators; choose one with --authenticator: totp|dev_") ||
		!strings.Contains(errs, "(push notification to Sandbox Guardian)") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("several, no terminal: exit %d\n%s", code, errs)
	}
	code, _, errs = r.runCmd("mfa", nil, "--mfa-token", "Fe26.2*made-up", "--otp", "123456")
	if code != 1 || !strings.Contains(errs, "the mfa_token was not accepted (invalid_token: Malformed mfa_token)") || strings.Contains(errs, "made-up") {
		t.Errorf("made-up mfa_token: exit %d\n%s", code, errs)
	}
	for _, args := range [][]string{
		{"--username", sandbox.MFASeedEmail},
		{"--otp", "1"},
		{"--mfa-token", tok, "--username", "x"},
		{"--mfa-token", tok, "--otp", "1", "--recovery-code", "2"},
		{"--mfa-token", tok, "--authenticator", "sms|nope"},
	} {
		if code, _, errs := r.runCmd("mfa", nil, args...); code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
	code, out, errs := r.runCmd("mfa", strings.NewReader(sandbox.SeedPassword), "--username", sandbox.SeedEmail, "--password-stdin", "--scope", "openid")
	if code != 0 || !strings.Contains(errs, "no MFA was asked for") || !strings.Contains(out, `"access_token"`) {
		t.Errorf("user without MFA: exit %d %s\n%s", code, out, errs)
	}
}

// A code typed at the prompt that the tenant refuses is told with the
// tries left and asked for again: a wrong code then the right one gives
// the tokens.
func TestMFACommandWrongCodeAtTheTerminalIsAskedAgain(t *testing.T) {
	fakeTerminal(t, "")
	r := newDeviceRig(t)
	tok, id := r.mfaSetup("totp|")
	in := &lazyInput{lines: []func() string{
		func() string { return "000000" },
		func() string { return sandbox.TOTP(r.srv.MFAOTPSecret(), r.clock()) },
	}}
	code, out, errs := r.runCmd("mfa", in, "--mfa-token", tok, "--authenticator", id, "--print", "access_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	oneToken(t, out)
	if !strings.Contains(errs, "the one-time code was not accepted (invalid_grant: Invalid otp_code); 2 tries left\n") ||
		strings.Count(errs, "the code the authenticator app shows: ") != 2 {
		t.Errorf("stderr:\n%s", errs)
	}
}

// Three wrong codes typed at the prompt: exit 1 with the last refusal.
func TestMFACommandThreeWrongCodesAtTheTerminal(t *testing.T) {
	fakeTerminal(t, "")
	r := newDeviceRig(t)
	tok, id := r.mfaSetup("totp|")
	var lines []func() string
	for range 4 { // a fourth line that must not be asked for
		lines = append(lines, func() string { return "000000" })
	}
	in := &lazyInput{lines: lines}
	code, out, errs := r.runCmd("mfa", in, "--mfa-token", tok, "--authenticator", id)
	if code != 1 || out != "" {
		t.Fatalf("exit %d %q\n%s", code, out, errs)
	}
	for _, want := range []string{"2 tries left\n", "1 try left\n"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if n := strings.Count(errs, "the code the authenticator app shows: "); n != 3 || len(in.lines) != 1 ||
		!strings.HasSuffix(errs, "the one-time code was not accepted (invalid_grant: Invalid otp_code)\n") {
		t.Errorf("asked %d times, %d lines left unread:\n%s", n, len(in.lines), errs)
	}
}

// A wrong code given by flag is tried once, even at a terminal: exit 1 at
// once, nothing asked.
func TestMFACommandWrongCodeByFlagIsTriedOnce(t *testing.T) {
	fakeTerminal(t, "")
	r := newDeviceRig(t)
	tok, id := r.mfaSetup("totp|")
	in := &lazyInput{lines: []func() string{func() string { return sandbox.TOTP(r.srv.MFAOTPSecret(), r.clock()) }}}
	code, out, errs := r.runCmd("mfa", in, "--mfa-token", tok, "--authenticator", id, "--otp", "000000")
	if code != 1 || out != "" || len(in.lines) != 1 || strings.Contains(errs, "left") || strings.Contains(errs, "shows: ") ||
		!strings.Contains(errs, "the one-time code was not accepted (invalid_grant: Invalid otp_code)") {
		t.Errorf("exit %d %q, %d lines left unread:\n%s", code, out, len(in.lines), errs)
	}
}

// An mfa_token that expired while the code was typed is not a wrong code:
// exit 1 after the one prompt, not asked again.
func TestMFACommandExpiredMFATokenAtTheTerminalIsNotRetried(t *testing.T) {
	fakeTerminal(t, "")
	r := newDeviceRig(t)
	tok, id := r.mfaSetup("totp|")
	typed := func() string {
		r.mu.Lock()
		r.now = r.now.Add(11 * time.Minute) // past the mfa_token's 10 minutes
		r.mu.Unlock()
		return sandbox.TOTP(r.srv.MFAOTPSecret(), r.clock())
	}
	in := &lazyInput{lines: []func() string{typed, typed}}
	code, out, errs := r.runCmd("mfa", in, "--mfa-token", tok, "--authenticator", id)
	if code != 1 || out != "" || len(in.lines) != 1 || strings.Contains(errs, "left") ||
		!strings.Contains(errs, "the mfa_token was not accepted (invalid_grant: Malformed mfa_token)") {
		t.Errorf("exit %d %q, %d lines left unread:\n%s", code, out, len(in.lines), errs)
	}
}
