package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// mfaStart signs the sandbox's MFA user in with the password grant and
// makes a flow on the mfa_token of its mfa_required answer.
func mfaStart(t *testing.T, s *Session, c *deviceClock, steps *[]MFAStep) *MFAFlow {
	t.Helper()
	ex := s.PasswordGrant(context.Background(), PasswordSignIn{Username: sandbox.MFASeedEmail, Password: sandbox.SeedPassword, Scope: "openid profile email"})
	tok, ok := MFATokenOf(ex)
	if !ok {
		t.Fatalf("the MFA user's password grant: %v", ex.Err)
	}
	return &MFAFlow{Session: s, MFAToken: tok, Now: c.Now, Sleep: c.Sleep,
		OnStep: func(st MFAStep) { *steps = append(*steps, st) }}
}

// pick lists the authenticators and returns the one that match says.
func pick(t *testing.T, f *MFAFlow, match func(MFAAuthenticator) bool) MFAAuthenticator {
	t.Helper()
	list, err := f.ListAuthenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if match(a) {
			return a
		}
	}
	t.Fatalf("no such authenticator in %+v", list)
	return MFAAuthenticator{}
}

// outboxCode is the code of the newest outbox message of kind.
func outboxCode(t *testing.T, s *Session, kind string) string {
	t.Helper()
	var code string
	for _, m := range s.Sandbox.Outbox() {
		if m.Kind == kind {
			code = m.Code
		}
	}
	if code == "" {
		t.Fatalf("no %s in the outbox", kind)
	}
	return code
}

func mfaKinds(steps []MFAStep) []MFAStepKind {
	var k []MFAStepKind
	for _, s := range steps {
		k = append(k, s.Kind)
	}
	return k
}

func sameKinds(a, b []MFAStepKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantTokens(t *testing.T, r *MFAResult) {
	t.Helper()
	if r.Token("access_token") == "" || r.IDToken == nil || !r.IDToken.Valid() {
		t.Fatalf("tokens %v, id_token verdict %v", r.Exchange.Tokens, r.IDToken)
	}
}

// TestMFAFlowOTP: list (the active authenticators, the recovery code shown
// as such), challenge the app, the code it shows (TOTP on the sandbox's
// clock), tokens whose id_token passes the session's checks.
func TestMFAFlowOTP(t *testing.T) {
	s, c := deviceSession(t)
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	list, err := f.ListAuthenticators(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, a := range list {
		labels = append(labels, a.Label())
	}
	if got := strings.Join(labels, "; "); got != "authenticator app (one-time code); code by SMS to XXXXXXXX0123; push notification to Sandbox Guardian; recovery code" {
		t.Errorf("authenticators: %s", got)
	}
	if !list[3].IsRecoveryCode() || !list[2].IsPush() || list[1].IsPush() {
		t.Errorf("kinds of %+v", list)
	}
	ch, err := f.Challenge(context.Background(), list[0])
	if err != nil || ch.Need != MFANeedOTP || ch.OOBCode != "" {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	r, err := f.VerifyOTP(context.Background(), sandbox.TOTP(s.Sandbox.MFAOTPSecret(), c.Now()))
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, r)
	if want := []MFAStepKind{MFAListed, MFAChallenged, MFAVerified}; !sameKinds(mfaKinds(steps), want) {
		t.Errorf("steps %v, want %v", mfaKinds(steps), want)
	}
}

// TestMFAFlowWrongOTP: a wrong code is one sentence, and the flow stays:
// the right code then finishes it.
func TestMFAFlowWrongOTP(t *testing.T) {
	s, c := deviceSession(t)
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	if _, err := f.Challenge(context.Background(), pick(t, f, func(a MFAAuthenticator) bool { return a.Type == MFATypeOTP })); err != nil {
		t.Fatal(err)
	}
	_, err := f.VerifyOTP(context.Background(), "000000")
	var me *MFAError
	if !errors.As(err, &me) || me.Code != "invalid_grant" || err.Error() != "the one-time code was not accepted (invalid_grant: Invalid otp_code)" {
		t.Fatalf("wrong code: %v", err)
	}
	if last := steps[len(steps)-1]; last.Kind != MFAFailed || last.Err != err {
		t.Errorf("last step %+v", last)
	}
	r, err := f.VerifyOTP(context.Background(), outboxCode(t, s, sandbox.KindMFAOTP))
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, r)
}

// TestMFAFlowSMS: an SMS challenge asks for the code sent (binding_method
// prompt), which the outbox holds.
func TestMFAFlowSMS(t *testing.T) {
	s, c := deviceSession(t)
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	ch, err := f.Challenge(context.Background(), pick(t, f, func(a MFAAuthenticator) bool { return a.Channel == "sms" }))
	if err != nil || ch.Need != MFANeedBindingCode || ch.BindingMethod != "prompt" || ch.OOBCode == "" {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	if _, err := f.VerifyOOB(context.Background(), "999999"); err == nil || err.Error() != "the code was not accepted (invalid_grant: Invalid binding_code)" {
		t.Errorf("wrong binding code: %v", err)
	}
	r, err := f.VerifyOOB(context.Background(), outboxCode(t, s, sandbox.KindMFAOOB))
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, r)
}

// TestMFAFlowPushApproved: a push challenge needs an approval; the flow
// polls at the interval, pending until the outbox link approves, then
// tokens.
func TestMFAFlowPushApproved(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) {
		if n == 2 {
			openApprovalLink(t, s, sandbox.KindMFAPush, "")
		}
	}
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	ch, err := f.Challenge(context.Background(), pick(t, f, MFAAuthenticator.IsPush))
	if err != nil || ch.Need != MFANeedApproval || ch.BindingMethod != "" {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	r, err := f.PollOOB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, r)
	if want := []MFAStepKind{MFAListed, MFAChallenged, MFAPending, MFAVerified}; !sameKinds(mfaKinds(steps), want) {
		t.Errorf("steps %v, want %v", mfaKinds(steps), want)
	}
	if p := steps[2]; p.Polls != 1 || p.Remaining != MFAOOBLifetime-5*time.Second || p.Interval != 5*time.Second {
		t.Errorf("pending step: polls %d, remaining %s, interval %s", p.Polls, p.Remaining, p.Interval)
	}
	for _, d := range c.sleeps {
		if d != 5*time.Second {
			t.Errorf("waited %s, want 5s", d)
		}
	}
}

// TestMFAFlowPushDenied: a push rejected through the outbox link stops the
// polling with one sentence (Auth0's invalid_grant "MFA Authorization
// rejected."), as access_denied.
func TestMFAFlowPushDenied(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) { openApprovalLink(t, s, sandbox.KindMFAPush, "&action=deny") }
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	if _, err := f.Challenge(context.Background(), pick(t, f, MFAAuthenticator.IsPush)); err != nil {
		t.Fatal(err)
	}
	_, err := f.PollOOB(context.Background())
	var me *MFAError
	if !errors.As(err, &me) || me.Code != "access_denied" || !strings.Contains(err.Error(), "rejected") {
		t.Fatalf("denied push: %v", err)
	}
	if len(c.sleeps) != 1 {
		t.Errorf("polled after %d waits, want 1", len(c.sleeps))
	}
}

// TestMFAFlowPushSlowDownAndExpiry: a poll sooner than the interval gets
// slow_down, which adds 5 s; a push nobody decides expires.
func TestMFAFlowPushSlowDownAndExpiry(t *testing.T) {
	s, c := deviceSession(t)
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	if _, err := f.Challenge(context.Background(), pick(t, f, MFAAuthenticator.IsPush)); err != nil {
		t.Fatal(err)
	}
	if r, wait, err := f.PollOOBOnce(context.Background()); r != nil || err != nil || wait != 5*time.Second {
		t.Fatalf("first poll: %v %s %v", r, wait, err)
	}
	if _, wait, err := f.PollOOBOnce(context.Background()); err != nil || wait != 10*time.Second || steps[len(steps)-1].Kind != MFASlowDown {
		t.Fatalf("at once: wait %s, %v", wait, err)
	}
	_, err := f.PollOOB(context.Background())
	var me *MFAError
	if !errors.As(err, &me) || me.Code != "expired_token" {
		t.Fatalf("undecided push: %v", err)
	}
	for _, d := range c.sleeps {
		if d != 10*time.Second {
			t.Errorf("waited %s after the slow_down, want 10s", d)
		}
	}
}

// TestMFAFlowRecoveryCode: the recovery code needs no challenge request;
// the answer's new recovery code is reported.
func TestMFAFlowRecoveryCode(t *testing.T) {
	s, c := deviceSession(t)
	var steps []MFAStep
	f := mfaStart(t, s, c, &steps)
	ch, err := f.Challenge(context.Background(), pick(t, f, MFAAuthenticator.IsRecoveryCode))
	if err != nil || ch.Need != MFANeedRecoveryCode {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	old := s.Sandbox.MFARecoveryCode()
	r, err := f.VerifyRecoveryCode(context.Background(), strings.ToLower(old))
	if err != nil {
		t.Fatal(err)
	}
	wantTokens(t, r)
	if r.RecoveryCode == "" || r.RecoveryCode == old || r.RecoveryCode != s.Sandbox.MFARecoveryCode() {
		t.Errorf("new recovery code %q (old %q)", r.RecoveryCode, old)
	}
}

// TestMFAFlowBadToken: a made-up mfa_token (Auth0 says "Malformed
// mfa_token"), or one already spent, is one sentence; MFATokenOf knows an
// mfa_required answer from others.
func TestMFAFlowBadToken(t *testing.T) {
	s, c := deviceSession(t)
	f := &MFAFlow{Session: s, MFAToken: "Fe26.2*not-a-token", Now: c.Now, Sleep: c.Sleep}
	_, err := f.ListAuthenticators(context.Background())
	var me *MFAError
	if !errors.As(err, &me) || me.Code != "mfa_token" || !strings.HasPrefix(err.Error(), "the mfa_token was not accepted (invalid_token: Malformed mfa_token)") || strings.Contains(err.Error(), f.MFAToken) {
		t.Errorf("made-up mfa_token: %v", err)
	}
	if _, err := f.VerifyOTP(context.Background(), "123456"); !errors.As(err, &me) || me.Code != "mfa_token" {
		t.Errorf("verify with a made-up mfa_token: %v", err)
	}
	if _, err := f.VerifyOOB(context.Background(), "123456"); !errors.As(err, &me) || me.Code != "no_challenge" {
		t.Errorf("oob verify without a challenge: %v", err)
	}
	// Jane has no MFA: her sign-in answers tokens, not mfa_required.
	ex := s.PasswordGrant(context.Background(), PasswordSignIn{Username: sandbox.SeedEmail, Password: sandbox.SeedPassword, Scope: "openid"})
	if _, ok := MFATokenOf(ex); ok || ex.Err != nil {
		t.Errorf("a user without MFA: %v", ex.Err)
	}
	if _, ok := MFATokenOf(&api.Exchange{Err: &api.Error{Kind: api.ErrHTTP, Code: "invalid_grant"}}); ok {
		t.Error("an invalid_grant taken for mfa_required")
	}
}
