package sandbox_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	"github.com/golang-jwt/jwt/v5"
)

// mfaToken signs the MFA user in with the password grant and returns the
// mfa_token of its mfa_required answer, as api.Error carries it.
func (f *fixture) mfaToken() string {
	f.t.Helper()
	ex := f.do(f.client, "passwordGrant", str("username", sandbox.MFASeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid profile email"))
	var e *api.Error
	if !errors.As(ex.Err, &e) || ex.Response.Status != 403 || e.Code != "mfa_required" || e.MFAToken == "" {
		f.t.Fatalf("password grant of the MFA user: %v %s", ex.Err, ex.Response.Body)
	}
	return e.MFAToken
}

// mfaChallenge asks for a challenge of type typ and returns the answer.
func (f *fixture) mfaChallenge(tok, typ string) map[string]any {
	f.t.Helper()
	return f.ok(f.client, "mfa.challenge", str("mfa_token", tok), str("challenge_type", typ))
}

// authenticators lists the MFA user's authenticators with tok.
func (f *fixture) authenticators(tok string) []map[string]any {
	f.t.Helper()
	ex := f.do(f.client, "mfa.listAuthenticators", str("mfa_token", tok))
	var list []map[string]any
	if ex.Err != nil || json.Unmarshal(ex.Response.Body, &list) != nil {
		f.t.Fatalf("mfa.listAuthenticators: %v", ex.Err)
	}
	return list
}

func authenticatorID(list []map[string]any, prefix string) string {
	for _, a := range list {
		if id, _ := a["id"].(string); strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}

func mfaBearer(f *fixture) []api.Value { return []api.Value{str("mfa_token", f.mfaToken())} }

// The MFA operations' cases of TestEveryOperationAgainstTheSandbox.
var mfaCases = map[string]opCase{
	"mfa.challenge": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("challenge_type", "otp"))
		},
		wantKeys: []string{"challenge_type"},
		verify: func(t *testing.T, f *fixture, _ []api.Value) {
			// The outbox shows what the authenticator app shows now.
			if got, want := f.lastCode(sandbox.MFASeedEmail), sandbox.TOTP(f.srv.MFAOTPSecret(), f.clock.Now()); got != want {
				t.Errorf("outbox code %s, the app shows %s", got, want)
			}
		},
		bad:       confidential(str("mfa_token", "Fe26.2*made-up"), str("challenge_type", "otp")),
		badStatus: 403, badCode: "invalid_grant",
	},
	"mfa.verifyOTP": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("otp", sandbox.TOTP(f.srv.MFAOTPSecret(), f.clock.Now())))
		},
		wantKeys: []string{"access_token", "id_token", "expires_in", "token_type"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("otp", "not-a-code"))
		},
		badStatus: 403, badCode: "invalid_grant",
	},
	"mfa.verifyOOB": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			tok := f.mfaToken()
			ch := f.mfaChallenge(tok, "oob")
			return f.client, []api.Value{str("mfa_token", tok), str("oob_code", ch["oob_code"].(string)), str("binding_code", f.lastCode(sandbox.MFASeedPhone))}
		},
		wantKeys: []string{"access_token", "id_token"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("oob_code", "made-up"), str("binding_code", "123456"))
		},
		badStatus: 403, badCode: "invalid_grant",
	},
	"mfa.verifyRecoveryCode": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("recovery_code", f.srv.MFARecoveryCode()))
		},
		wantKeys: []string{"access_token", "id_token", "recovery_code"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("recovery_code", "WRONGWRONGWRONGWRONGWRON"))
		},
		badStatus: 403, badCode: "invalid_grant",
	},
	"mfa.associate": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), raw("authenticator_types", `["otp"]`))
		},
		wantKeys:  []string{"authenticator_type", "secret", "barcode_uri"},
		bad:       confidential(str("mfa_token", "Fe26.2*made-up"), raw("authenticator_types", `["otp"]`)),
		badStatus: 401, badCode: "invalid_token",
	},
	"mfa.listAuthenticators": {
		good:      func(f *fixture) (*api.Client, []api.Value) { return f.client, mfaBearer(f) },
		wantText:  `"authenticator_type":"otp"`,
		bad:       confidential(str("mfa_token", "Fe26.2*made-up")),
		badStatus: 401, badCode: "invalid_token",
	},
	"mfa.deleteAuthenticator": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			tok := f.mfaToken()
			return f.client, []api.Value{str("mfa_token", tok), str("authenticator_id", authenticatorID(f.authenticators(tok), "sms|"))}
		},
		verify: func(t *testing.T, f *fixture, vals []api.Value) {
			if id := authenticatorID(f.authenticators(mustString(vals[0].Raw)), "sms|"); id != "" {
				t.Errorf("%s is still listed after its deletion", id)
			}
		},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, append(mfaBearer(f), str("authenticator_id", "sms|dev_nosuch"))
		},
		badStatus: 404, badCode: "not_found",
	},
}

func init() {
	for k, v := range mfaCases {
		opCases[k] = v
	}
}

// TestTOTPMatchesRFC6238: the sandbox's authenticator codes are RFC 6238's
// (SHA-1 test vectors, the last 6 of their 8 digits).
func TestTOTPMatchesRFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		if got := sandbox.TOTP(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP at %d = %s, want %s", unix, got, want)
		}
	}
	if sandbox.TOTP("not base32!", time.Unix(59, 0)) != "" {
		t.Error("a secret that is not base32 gave a code")
	}
}

// TestMFAFlowEndToEnd: password grant → mfa_required with an mfa_token →
// otp challenge → the code from the outbox → tokens for the MFA user; the
// mfa_token is then spent, and one past its 10 minutes is refused as Auth0
// refuses it.
func TestMFAFlowEndToEnd(t *testing.T) {
	f := newFixture(t)
	ex := f.do(f.client, "passwordGrant", str("username", sandbox.MFASeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid profile email"))
	var e *api.Error
	if !errors.As(ex.Err, &e) || e.Code != "mfa_required" || e.MFAToken == "" || ex.Response.Status != 403 {
		t.Fatalf("password grant: %v %s", ex.Err, ex.Response.Body)
	}
	if strings.Contains(e.Msg, e.MFAToken) {
		t.Error("the error sentence prints the mfa_token")
	}
	// The Tokens tab lists the mfa_token of the error, so u offers it.
	if len(ex.Tokens) != 1 || ex.Tokens[0].Field != api.TokenMFA || ex.Tokens[0].Value != e.MFAToken {
		t.Errorf("tokens of the mfa_required answer: %v", ex.Tokens)
	}
	if ch := f.mfaChallenge(e.MFAToken, "otp oob"); ch["challenge_type"] != "otp" {
		t.Errorf("challenge %v, want the enrolled app (otp) first", ch)
	}
	code := f.lastCode(sandbox.MFASeedEmail)
	tok := f.ok(f.client, "mfa.verifyOTP", str("mfa_token", e.MFAToken), str("otp", code))
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok["id_token"].(string), claims); err != nil {
		t.Fatal(err)
	}
	if claims["email"] != sandbox.MFASeedEmail {
		t.Errorf("id_token email %v, want %s", claims["email"], sandbox.MFASeedEmail)
	}
	// Spent: the same mfa_token no longer verifies.
	again := f.do(f.client, "mfa.verifyOTP", str("mfa_token", e.MFAToken), str("otp", code))
	if !errors.As(again.Err, &e) || again.Response.Status != 403 || e.Code != "invalid_grant" || e.Description != "Malformed mfa_token" {
		t.Errorf("spent mfa_token: %v %s", again.Err, again.Response.Body)
	}
	// Expired: 10 minutes on the sandbox's clock.
	old := f.mfaToken()
	f.clock.Add(10*time.Minute + time.Second)
	late := f.do(f.client, "mfa.verifyOTP", str("mfa_token", old), str("otp", sandbox.TOTP(f.srv.MFAOTPSecret(), f.clock.Now())))
	if !errors.As(late.Err, &e) || late.Response.Status != 403 || e.Description != "Malformed mfa_token" {
		t.Errorf("expired mfa_token: %v %s", late.Err, late.Response.Body)
	}
	// Jane has no MFA: her password grant still gives tokens.
	f.passwordTokens("openid")
}

// TestMFARecoveryCodeWorksOnce: a recovery code signs in once, and the
// answer carries the next one, which works in its turn.
func TestMFARecoveryCodeWorksOnce(t *testing.T) {
	f := newFixture(t)
	first := f.srv.MFARecoveryCode()
	if !strings.Contains(f.srv.Describe(), first) {
		t.Error("the banner does not show the recovery code")
	}
	tok := f.ok(f.client, "mfa.verifyRecoveryCode", str("mfa_token", f.mfaToken()), str("recovery_code", first))
	next, _ := tok["recovery_code"].(string)
	if tok["access_token"] == nil || next == "" || next == first || next != f.srv.MFARecoveryCode() {
		t.Fatalf("answer %v: want tokens and a new recovery code", tok)
	}
	reused := f.do(f.client, "mfa.verifyRecoveryCode", str("mfa_token", f.mfaToken()), str("recovery_code", first))
	if reused.Response.Status != 403 {
		t.Errorf("a used recovery code answered %d", reused.Response.Status)
	}
	f.ok(f.client, "mfa.verifyRecoveryCode", str("mfa_token", f.mfaToken()), str("recovery_code", next))
}

// TestMFAAssociateThenVerify: an otp enrolment is inactive until a code of
// its secret verifies; an sms enrolment's code lands in the outbox and
// verifies with mfa.verifyOOB.
func TestMFAAssociateThenVerify(t *testing.T) {
	f := newFixture(t)
	tok := f.mfaToken()
	as := f.ok(f.client, "mfa.associate", str("mfa_token", tok), raw("authenticator_types", `["otp"]`))
	secret, _ := as["secret"].(string)
	if uri, _ := as["barcode_uri"].(string); !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("barcode_uri %q", uri)
	}
	inactive := 0
	for _, a := range f.authenticators(tok) {
		if a["active"] == false {
			inactive++
		}
	}
	if inactive != 1 {
		t.Errorf("%d inactive authenticators after associate, want 1", inactive)
	}
	f.ok(f.client, "mfa.verifyOTP", str("mfa_token", tok), str("otp", sandbox.TOTP(secret, f.clock.Now())))

	tok = f.mfaToken()
	sms := f.ok(f.client, "mfa.associate", str("mfa_token", tok), raw("authenticator_types", `["oob"]`), raw("oob_channels", `["sms"]`), str("phone_number", "+14155550199"))
	oob, _ := sms["oob_code"].(string)
	wrong := f.do(f.client, "mfa.verifyOOB", str("mfa_token", tok), str("oob_code", oob), str("binding_code", "x"))
	if wrong.Response.Status != 403 {
		t.Errorf("wrong binding_code answered %d", wrong.Response.Status)
	}
	f.ok(f.client, "mfa.verifyOOB", str("mfa_token", tok), str("oob_code", oob), str("binding_code", f.lastCode("+14155550199")))
}

// pushDecide opens the newest push approval link of the outbox, with extra
// appended (&action=deny denies), and returns the page's status.
func (f *fixture) pushDecide(extra string) int {
	f.t.Helper()
	var link string
	for _, m := range f.srv.Outbox() {
		if m.Kind == sandbox.KindMFAPush {
			link = m.Link
		}
	}
	if link == "" {
		f.t.Fatal("no push approval in the outbox")
	}
	resp, err := http.Get(link + extra)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// pushPoll polls the mfa-oob grant without a binding_code.
func (f *fixture) pushPoll(tok, oob string) (int, string, string) {
	f.t.Helper()
	ex := f.do(f.client, "mfa.verifyOOB", str("mfa_token", tok), str("oob_code", oob))
	if ex.Response == nil {
		f.t.Fatalf("no answer: %v", ex.Err)
	}
	var m map[string]any
	_ = json.Unmarshal(ex.Response.Body, &m)
	e, _ := m["error"].(string)
	d, _ := m["error_description"].(string)
	return ex.Response.Status, e, d
}

// pushChallenge lists the authenticators, checks the push one, and
// challenges it: Auth0 answers an oob_code and no binding_method.
func (f *fixture) pushChallenge() (tok, oob string) {
	f.t.Helper()
	tok = f.mfaToken()
	var id string
	for _, a := range f.authenticators(tok) {
		if a["oob_channel"] == "auth0" {
			id, _ = a["id"].(string)
			if a["authenticator_type"] != "oob" || a["active"] != true || a["name"] != sandbox.MFAPushDevice || !strings.HasPrefix(id, "push|dev_") {
				f.t.Errorf("push authenticator %v", a)
			}
		}
	}
	if id == "" {
		f.t.Fatal("the MFA user lists no push authenticator")
	}
	ch := f.ok(f.client, "mfa.challenge", str("mfa_token", tok), str("challenge_type", "oob"), str("authenticator_id", id))
	oob, _ = ch["oob_code"].(string)
	if _, has := ch["binding_method"]; has || ch["challenge_type"] != "oob" || oob == "" {
		f.t.Fatalf("push challenge %v: want an oob_code and no binding_method", ch)
	}
	return tok, oob
}

// TestMFAPushApproved: a push challenge polls authorization_pending (400,
// Auth0's sentence), slow_down when polled too fast, then tokens once the
// outbox link approves; the oob_code is then spent, the link used.
func TestMFAPushApproved(t *testing.T) {
	f := newFixture(t)
	tok, oob := f.pushChallenge()
	if msg, ok := f.srv.LastMessage(sandbox.MFASeedEmail); !ok || msg.Kind != sandbox.KindMFAPush || msg.Link == "" {
		t.Fatalf("outbox: %+v", msg)
	}
	if st, e, d := f.pushPoll(tok, oob); st != 400 || e != "authorization_pending" || d != "Authorization pending: please repeat the request in a few seconds." {
		t.Fatalf("first poll: %d %s %q", st, e, d)
	}
	if st, e, d := f.pushPoll(tok, oob); st != 429 || e != "slow_down" || !strings.Contains(d, "10 seconds") {
		t.Errorf("poll at once: %d %s %q, want 429 slow_down with 10 seconds", st, e, d)
	}
	f.clock.Add(10 * time.Second)
	if st := f.pushDecide(""); st != 200 {
		t.Fatalf("approval link answered %d", st)
	}
	ex := f.do(f.client, "mfa.verifyOOB", str("mfa_token", tok), str("oob_code", oob))
	if ex.Err != nil || len(ex.Tokens) == 0 {
		t.Fatalf("after approval: %v", ex.Err)
	}
	if st := f.pushDecide(""); st != 400 {
		t.Errorf("the used link answered %d, want 400", st)
	}
	if st, e, _ := f.pushPoll(tok, oob); st != 403 || e != "invalid_grant" {
		t.Errorf("spent oob_code: %d %s", st, e)
	}
}

// TestMFAPushDeniedAndExpired: a denied push answers Auth0's final
// invalid_grant "MFA Authorization rejected."; one not decided within the
// oob_code's 5 minutes expired_token.
func TestMFAPushDeniedAndExpired(t *testing.T) {
	f := newFixture(t)
	tok, oob := f.pushChallenge()
	if st := f.pushDecide("&action=deny"); st != 200 {
		t.Fatalf("deny link answered %d", st)
	}
	if st, e, d := f.pushPoll(tok, oob); st != 400 || e != "invalid_grant" || d != "MFA Authorization rejected." {
		t.Errorf("denied: %d %s %q", st, e, d)
	}
	tok, oob = f.pushChallenge()
	f.clock.Add(5 * time.Minute)
	if st, e, _ := f.pushPoll(tok, oob); st != 400 || e != "expired_token" {
		t.Errorf("expired: %d %s", st, e)
	}
}

// The seeded MFA user's recovery code and TOTP secret for seed 42, as they
// were before the push authenticator was added.
const (
	mfaSeed42Recovery = "5DWRATXRJDPEW6HK2Z448PP4"
	mfaSeed42Secret   = "MFDGOR3FGNIUY5KZMVLEQV22IRBTAVKH"
)

// TestMFASeedStable: the push authenticator comes after the values drawn
// before it, so a seed's recovery code and TOTP secret stay what they were.
func TestMFASeedStable(t *testing.T) {
	f := newFixture(t)
	if got, want := f.srv.MFARecoveryCode(), mfaSeed42Recovery; got != want {
		t.Errorf("recovery code %s, want %s", got, want)
	}
	if got, want := f.srv.MFAOTPSecret(), mfaSeed42Secret; got != want {
		t.Errorf("TOTP secret %s, want %s", got, want)
	}
	if !strings.Contains(f.srv.Describe(), sandbox.MFAPushDevice) {
		t.Error("the banner does not mention the push authenticator")
	}
}
