package sandbox_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	"github.com/golang-jwt/jwt/v5"
)

// Issue 12's grants in TestEveryOperationAgainstTheSandbox's table.
func init() {
	opCases["oauth.authorizationCodeGrantWithPKCE"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			code := f.authCode(f.srv.Public.ID, url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
			return f.public, []api.Value{str("code", code), str("code_verifier", verifier), str("redirect_uri", "https://app.example.com/cb")}
		},
		wantKeys: []string{"access_token", "id_token", "token_type"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			code := f.authCode(f.srv.Public.ID, url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}})
			return f.public, []api.Value{str("code", code), str("code_verifier", verifier+"-not"), str("redirect_uri", "https://app.example.com/cb")}
		},
		badStatus: 403, badCode: "invalid_grant",
	}
	opCases["passwordless.loginWithEmail"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "requestEmailCode", str("email", "pat@example.com"))
			return f.client, []api.Value{str("email", "pat@example.com"), str("code", f.lastCode("pat@example.com")), str("scope", "openid email")}
		},
		wantKeys: []string{"access_token", "id_token"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "requestEmailCode", str("email", "pat@example.com"))
			return f.client, []api.Value{str("email", "pat@example.com"), str("code", "000000x")}
		},
		badStatus: 403, badCode: "invalid_grant",
	}
	opCases["passwordless.loginWithSMS"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "passwordless.sendSMS", str("phone_number", "+14155550102"))
			return f.client, []api.Value{str("phone_number", "+14155550102"), str("otp", f.lastCode("+14155550102"))}
		},
		wantKeys:  []string{"access_token"},
		bad:       confidential(str("phone_number", "+14155550102"), str("code", "123456")),
		badStatus: 403, badCode: "invalid_grant",
	}
	opCases["oauth.deviceAuthorization"] = opCase{
		good:      confidential(str("scope", "openid profile offline_access")),
		wantKeys:  []string{"device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval"},
		bad:       confidential(str("audience", "https://unknown.example.com/")),
		badStatus: 403, badCode: "access_denied",
	}
	opCases["oauth.deviceCodeGrant"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			dc := f.deviceStart("openid profile")
			f.approveFromOutbox("")
			return f.public, []api.Value{str("device_code", dc)}
		},
		wantKeys: []string{"access_token", "id_token", "token_type"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.public, []api.Value{str("device_code", f.deviceStart("openid"))}
		},
		badStatus: 403, badCode: "authorization_pending",
	}
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// deviceStart starts a device flow for the public client and returns the
// device_code.
func (f *fixture) deviceStart(scope string) string {
	f.t.Helper()
	m := f.ok(f.public, "oauth.deviceAuthorization", str("scope", scope))
	dc, _ := m["device_code"].(string)
	if dc == "" {
		f.t.Fatalf("no device_code: %v", m)
	}
	return dc
}

// approveFromOutbox opens the newest device approval link of the outbox (as
// the user would), with extra appended to it; it returns the page's status.
func (f *fixture) approveFromOutbox(extra string) int {
	f.t.Helper()
	var link string
	for _, m := range f.srv.Outbox() {
		if m.Kind == sandbox.KindDeviceApproval {
			link = m.Link
		}
	}
	if link == "" {
		f.t.Fatal("no device approval in the outbox")
	}
	resp, err := http.Get(link + extra)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// poll sends the device-code grant and returns the status and error code.
func (f *fixture) poll(dc string) (int, string) {
	f.t.Helper()
	ex := f.do(f.public, "oauth.deviceCodeGrant", str("device_code", dc))
	if ex.Response == nil {
		f.t.Fatalf("no answer: %v", ex.Err)
	}
	var m map[string]any
	_ = json.Unmarshal(ex.Response.Body, &m)
	e, _ := m["error"].(string)
	return ex.Response.Status, e
}

// TestDeviceFlow: code → pending → slow_down when polled too fast (the
// interval grows by 5 s) → approve through the outbox link → tokens, once.
func TestDeviceFlow(t *testing.T) {
	f := newFixture(t)
	start := f.ok(f.public, "oauth.deviceAuthorization", str("scope", "openid profile offline_access"))
	dc := start["device_code"].(string)
	uc := start["user_code"].(string)
	if start["verification_uri"] != f.srv.BaseURL+"/activate" || !strings.Contains(start["verification_uri_complete"].(string), "user_code="+uc) {
		t.Errorf("verification URIs: %v", start)
	}
	interval := time.Duration(start["interval"].(float64)) * time.Second
	if interval != 5*time.Second || start["expires_in"].(float64) != 900 {
		t.Errorf("interval %v, expires_in %v", interval, start["expires_in"])
	}
	msg, ok := f.srv.LastMessage(sandbox.SeedEmail)
	if !ok || msg.Kind != sandbox.KindDeviceApproval || msg.Code != uc {
		t.Fatalf("outbox: %+v", msg)
	}

	if st, e := f.poll(dc); st != 403 || e != "authorization_pending" {
		t.Fatalf("first poll: %d %s", st, e)
	}
	f.clock.Add(time.Second)
	if st, e := f.poll(dc); st != 429 || e != "slow_down" {
		t.Fatalf("poll after 1 s: %d %s, want 429 slow_down", st, e)
	}
	// The interval is now 10 s: 5 s later is still too fast.
	f.clock.Add(interval)
	if st, e := f.poll(dc); e != "slow_down" {
		t.Fatalf("poll 5 s after a slow_down: %d %s, want slow_down", st, e)
	}
	f.clock.Add(15 * time.Second)
	if st, e := f.poll(dc); st != 403 || e != "authorization_pending" {
		t.Fatalf("poll honouring the grown interval: %d %s", st, e)
	}

	if st := f.approveFromOutbox(""); st != 200 {
		t.Fatalf("approval link: %d", st)
	}
	if st := f.approveFromOutbox(""); st != 400 {
		t.Errorf("approval link opened twice: %d, want 400", st)
	}
	f.clock.Add(20 * time.Second)
	tok := f.ok(f.public, "oauth.deviceCodeGrant", str("device_code", dc))
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if tok[k] == nil {
			t.Errorf("tokens lack %s: %v", k, tok)
		}
	}
	// The id_token is the approving user's.
	claims := decodeClaims(t, tok["id_token"].(string))
	if claims["email"] != nil || claims["name"] != "Jane Doe" {
		t.Errorf("id_token claims %v, want Jane's profile (no email scope)", claims)
	}
	f.clock.Add(20 * time.Second)
	if st, e := f.poll(dc); st != 403 || e != "invalid_grant" {
		t.Errorf("device code used twice: %d %s", st, e)
	}
}

// TestDeviceFlowDeniedExpiredAndActivatePage: a denial answers
// access_denied; a code past its 15 minutes answers expired_token; the
// /activate page approves with the user's credentials and refuses wrong ones.
func TestDeviceFlowDeniedExpiredAndActivatePage(t *testing.T) {
	f := newFixture(t)
	dc := f.deviceStart("openid")
	if st := f.approveFromOutbox("&action=deny"); st != 200 {
		t.Fatalf("deny link: %d", st)
	}
	if st, e := f.poll(dc); st != 403 || e != "access_denied" {
		t.Errorf("denied: %d %s", st, e)
	}

	dc = f.deviceStart("openid")
	f.clock.Add(15 * time.Minute)
	if st, e := f.poll(dc); st != 403 || e != "expired_token" {
		t.Errorf("expired: %d %s", st, e)
	}

	start := f.ok(f.public, "oauth.deviceAuthorization", str("scope", "openid"))
	dc = start["device_code"].(string)
	uc := strings.ToLower(strings.ReplaceAll(start["user_code"].(string), "-", "")) // as typed
	page, err := http.Get(start["verification_uri_complete"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(body), start["user_code"].(string)) {
		t.Errorf("/activate page %d: %s", page.StatusCode, body)
	}
	post := func(pw string) int {
		resp, err := http.PostForm(f.srv.BaseURL+"/activate", url.Values{"user_code": {uc}, "username": {sandbox.SeedEmail}, "password": {pw}, "action": {"approve"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := post("wrong"); st != 403 {
		t.Errorf("wrong password: %d", st)
	}
	if st, e := f.poll(dc); e != "authorization_pending" {
		t.Errorf("after a wrong password: %d %s", st, e)
	}
	if st := post(sandbox.SeedPassword); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	f.clock.Add(6 * time.Second)
	f.ok(f.public, "oauth.deviceCodeGrant", str("device_code", dc))
}

// TestPasswordlessLoginCodesWorkOnce: the otp grant as the newer SDKs send
// it takes the outbox's code once.
func TestPasswordlessLoginCodesWorkOnce(t *testing.T) {
	f := newFixture(t)
	f.ok(f.client, "passwordless.sendEmail", str("email", "lee@example.com"), str("send", "code"))
	code := f.lastCode("lee@example.com")
	f.ok(f.client, "passwordless.loginWithEmail", str("email", "lee@example.com"), str("code", code))
	ex := f.do(f.client, "passwordless.loginWithEmail", str("email", "lee@example.com"), str("code", code))
	if ex.Response.Status != 403 {
		t.Errorf("code used twice: %d %s", ex.Response.Status, ex.Response.Body)
	}
	// An sms code does not sign in on the email realm.
	f.ok(f.client, "passwordless.sendSMS", str("phone_number", "+14155550103"))
	ex = f.do(f.client, "passwordless.loginWithEmail", str("email", "+14155550103"), str("code", f.lastCode("+14155550103")))
	if ex.Response.Status != 403 {
		t.Errorf("sms code on the email realm: %d", ex.Response.Status)
	}
	f.ok(f.client, "passwordless.loginWithSMS", str("phone_number", "+14155550103"), str("code", f.lastCode("+14155550103")))
}

// decodeClaims reads a JWT's claims without verifying it (the flow tests
// verify signatures elsewhere).
func decodeClaims(t *testing.T, raw string) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		t.Fatalf("id_token: %v", err)
	}
	return claims
}
