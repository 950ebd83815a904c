package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// CIBA, token exchange and the federated grant in
// TestEveryOperationAgainstTheSandbox's table.
func init() {
	opCases["backchannel.authorize"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("userId", f.janeID()), str("scope", "openid profile"), str("binding_message", "Order 7421")}
		},
		wantKeys:  []string{"auth_req_id", "expires_in", "interval"},
		bad:       confidential(str("userId", "auth0|nobody"), str("scope", "openid"), str("binding_message", "x")),
		badStatus: 400, badCode: "unknown_user_id",
	}
	opCases["backchannel.backchannelGrant"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			id := f.cibaStart()
			f.cibaDecide("")
			return f.client, []api.Value{str("auth_req_id", id)}
		},
		wantKeys: []string{"access_token", "id_token", "token_type"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("auth_req_id", f.cibaStart())}
		},
		badStatus: 400, badCode: "authorization_pending",
	}
	opCases["tokenExchange.exchangeToken"] = opCase{
		good:      confidential(str("subject_token", sandbox.ExternalToken), str("subject_token_type", sandbox.ExternalTokenType), str("scope", "openid profile")),
		wantKeys:  []string{"access_token", "id_token", "token_type"},
		bad:       confidential(str("subject_token", sandbox.ExternalToken), str("subject_token_type", "urn:acme:unknown")),
		badStatus: 400, badCode: "invalid_request",
	}
	opCases["tokenExchange.getTokenForConnection"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			rt, _ := f.passwordTokens("openid offline_access")["refresh_token"].(string)
			return f.client, []api.Value{str("subject_token", rt), str("connection", "google-oauth2")}
		},
		wantKeys: []string{"access_token", "issued_token_type", "expires_in"},
		verify: func(t *testing.T, f *fixture, vals []api.Value) {
			// The refresh token is not spent: it gives another.
			m := f.ok(f.client, "tokenExchange.getTokenForConnection", vals...)
			if tok, _ := m["access_token"].(string); !strings.HasPrefix(tok, "sandbox-google-oauth2-") {
				t.Errorf("provider token %v", m)
			}
		},
		bad:       confidential(str("subject_token", "not-a-refresh-token"), str("connection", "google-oauth2")),
		badStatus: 401, badCode: "invalid_grant",
	}
}

func (f *fixture) janeID() string {
	f.t.Helper()
	for _, u := range f.srv.Users() {
		if u.Email == sandbox.SeedEmail && u.Connection == sandbox.DatabaseConnection {
			return u.ID
		}
	}
	f.t.Fatal("no seeded user")
	return ""
}

// cibaStart asks for a CIBA sign-in of the seeded user and returns its
// auth_req_id.
func (f *fixture) cibaStart() string {
	f.t.Helper()
	m := f.ok(f.client, "backchannel.authorize", str("userId", f.janeID()), str("scope", "openid profile offline_access"), str("binding_message", "Order 7421"))
	id, _ := m["auth_req_id"].(string)
	if id == "" {
		f.t.Fatalf("no auth_req_id: %v", m)
	}
	return id
}

// cibaDecide opens the newest CIBA approval link of the outbox, with extra
// appended (&action=deny denies), and returns the page's status.
func (f *fixture) cibaDecide(extra string) int {
	f.t.Helper()
	var link string
	for _, m := range f.srv.Outbox() {
		if m.Kind == sandbox.KindCIBAApproval {
			link = m.Link
		}
	}
	if link == "" {
		f.t.Fatal("no CIBA approval in the outbox")
	}
	resp, err := http.Get(link + extra)
	if err != nil {
		f.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func (f *fixture) cibaPoll(id string) (int, string) {
	f.t.Helper()
	ex := f.do(f.client, "backchannel.backchannelGrant", str("auth_req_id", id))
	if ex.Response == nil {
		f.t.Fatalf("no answer: %v", ex.Err)
	}
	var m map[string]any
	_ = json.Unmarshal(ex.Response.Body, &m)
	e, _ := m["error"].(string)
	return ex.Response.Status, e
}

// TestCIBAFlow: initiate → the binding message in the outbox → pending →
// slow_down when polled too fast → approve through the link → tokens, once.
func TestCIBAFlow(t *testing.T) {
	f := newFixture(t)
	id := f.cibaStart()
	msg, ok := f.srv.LastMessage(sandbox.SeedEmail)
	if !ok || msg.Kind != sandbox.KindCIBAApproval || !strings.Contains(msg.Subject, "Order 7421") || msg.Link == "" {
		t.Fatalf("outbox: %+v", msg)
	}
	if st, e := f.cibaPoll(id); st != 400 || e != "authorization_pending" {
		t.Fatalf("first poll: %d %s, want 400 authorization_pending", st, e)
	}
	if st, e := f.cibaPoll(id); st != 429 || e != "slow_down" {
		t.Fatalf("poll at once: %d %s, want 429 slow_down", st, e)
	}
	f.clock.Add(10 * time.Second)
	if st := f.cibaDecide(""); st != 200 {
		t.Fatalf("approval link: %d", st)
	}
	if st := f.cibaDecide(""); st != 400 {
		t.Errorf("approval link used twice: %d, want 400", st)
	}
	tok := f.ok(f.client, "backchannel.backchannelGrant", str("auth_req_id", id))
	if claims := decodeClaims(t, tok["id_token"].(string)); claims["sub"] != f.janeID() {
		t.Errorf("id_token sub %v, want the approving user", claims["sub"])
	}
	if tok["refresh_token"] == nil {
		t.Errorf("no refresh_token for offline_access: %v", tok)
	}
	if st, e := f.cibaPoll(id); st != 400 || e != "invalid_grant" {
		t.Errorf("second use: %d %s, want invalid_grant", st, e)
	}
}

// TestCIBADenyAndExpiry: a denied request answers access_denied; an
// unanswered one expired_token after requested_expiry.
func TestCIBADenyAndExpiry(t *testing.T) {
	f := newFixture(t)
	id := f.cibaStart()
	if st := f.cibaDecide("&action=deny"); st != 200 {
		t.Fatalf("deny link: %d", st)
	}
	if st, e := f.cibaPoll(id); st != 400 || e != "access_denied" {
		t.Fatalf("after deny: %d %s, want access_denied", st, e)
	}
	m := f.ok(f.client, "backchannel.authorize", str("userId", f.janeID()), str("scope", "openid"), str("binding_message", "m"), str("requested_expiry", "60"))
	if m["expires_in"].(float64) != 60 {
		t.Errorf("expires_in %v, want 60", m["expires_in"])
	}
	f.clock.Add(61 * time.Second)
	if st, e := f.cibaPoll(m["auth_req_id"].(string)); e != "expired_token" {
		t.Errorf("after expiry: %d %s, want expired_token", st, e)
	}
}

// TestCIBARefusals: Auth0's refusals of /bc-authorize.
func TestCIBARefusals(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name string
		vals []api.Value
		code string
	}{
		{"no openid", []api.Value{str("userId", f.janeID()), str("scope", "profile"), str("binding_message", "m")}, "invalid_request"},
		{"other issuer", []api.Value{str("login_hint", `{"format":"iss_sub","iss":"https://other.example.com/","sub":"`+f.janeID()+`"}`), str("scope", "openid"), str("binding_message", "m")}, "invalid_request"},
		{"not JSON", []api.Value{str("login_hint", "jane@example.com"), str("scope", "openid"), str("binding_message", "m")}, "invalid_request"},
		{"expiry too long", []api.Value{str("userId", f.janeID()), str("scope", "openid"), str("binding_message", "m"), str("requested_expiry", "301")}, "invalid_request"},
	} {
		ex := f.do(f.client, "backchannel.authorize", c.vals...)
		var m map[string]any
		if ex.Response != nil {
			_ = json.Unmarshal(ex.Response.Body, &m)
		}
		if ex.Response == nil || ex.Response.Status != 400 || m["error"] != c.code {
			t.Errorf("%s: %v, want 400 %s", c.name, ex.Err, c.code)
		}
	}
}

// TestTokenExchangeRefusesUnknownToken: the known type with another token
// is invalid_grant, and the federated grant refuses a non-social connection.
func TestTokenExchangeRefusals(t *testing.T) {
	f := newFixture(t)
	ex := f.do(f.client, "tokenExchange.exchangeToken", str("subject_token", "forged"), str("subject_token_type", sandbox.ExternalTokenType))
	if ex.Response == nil || ex.Response.Status != 401 || !strings.Contains(string(ex.Response.Body), "invalid_grant") {
		t.Errorf("forged subject token: %v", ex.Err)
	}
	rt, _ := f.passwordTokens("openid offline_access")["refresh_token"].(string)
	ex = f.do(f.client, "tokenExchange.getTokenForConnection", str("refresh_token", rt), str("connection", sandbox.DatabaseConnection))
	if ex.Response == nil || ex.Response.Status != 400 || !strings.Contains(string(ex.Response.Body), "invalid_request") {
		t.Errorf("database connection: %v", ex.Err)
	}
}
