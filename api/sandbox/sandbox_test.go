package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// clock is the sandbox's injected clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	t      *testing.T
	srv    *sandbox.Server
	clock  *clock
	client *api.Client // the confidential client
	public *api.Client
	hs     *api.Client
}

func newFixture(t *testing.T, opts ...func(*sandbox.Options)) *fixture {
	t.Helper()
	ck := &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	o := sandbox.Options{Seed: 42, Now: ck.Now}
	for _, f := range opts {
		f(&o)
	}
	srv, err := sandbox.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	mk := func(c sandbox.Client) *api.Client {
		cl, err := api.New(api.Config{Domain: srv.BaseURL, ClientID: c.ID, ClientSecret: c.Secret})
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	return &fixture{t: t, srv: srv, clock: ck, client: mk(srv.Client), public: mk(srv.Public), hs: mk(srv.HSClient)}
}

func str(name, v string) api.Value { return api.String(name, v) }

func raw(name, v string) api.Value { return api.Value{Name: name, Raw: json.RawMessage(v)} }

// do sends op and returns the exchange; Input errors fail the test.
func (f *fixture) do(c *api.Client, op string, vals ...api.Value) *api.Exchange {
	f.t.Helper()
	o := api.ByName(op)
	if o == nil {
		f.t.Fatalf("no operation %s", op)
	}
	ex := c.Do(context.Background(), o, api.Values{Fields: vals})
	if ex.Request == nil {
		f.t.Fatalf("%s refused before sending: %v", op, ex.Err)
	}
	return ex
}

// ok sends op, requires a 2xx, and returns the JSON body (nil for non-JSON).
func (f *fixture) ok(c *api.Client, op string, vals ...api.Value) map[string]any {
	f.t.Helper()
	ex := f.do(c, op, vals...)
	if ex.Err != nil || ex.Response == nil {
		body := ""
		if ex.Response != nil {
			body = string(ex.Response.Body)
		}
		f.t.Fatalf("%s: %v %s", op, ex.Err, body)
	}
	var m map[string]any
	_ = json.Unmarshal(ex.Response.Body, &m)
	return m
}

func (f *fixture) passwordTokens(scope string, extra ...api.Value) map[string]any {
	f.t.Helper()
	vals := append([]api.Value{str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", scope)}, extra...)
	return f.ok(f.client, "passwordGrant", vals...)
}

func (f *fixture) lastCode(to string) string {
	f.t.Helper()
	m, ok := f.srv.LastMessage(to)
	if !ok || m.Code == "" {
		f.t.Fatalf("no code in the outbox for %s", to)
	}
	return m.Code
}

// authCode runs /authorize (as a browser would) and returns the code.
func (f *fixture) authCode(clientID string, extra url.Values) string {
	f.t.Helper()
	q := url.Values{"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {"https://app.example.com/cb"}, "scope": {"openid profile"}}
	for k, v := range extra {
		q[k] = v
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(f.srv.BaseURL + "/authorize?" + q.Encode())
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		f.t.Fatalf("/authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

func keys(m map[string]any, want ...string) []string {
	var miss []string
	for _, k := range want {
		if _, ok := m[k]; !ok {
			miss = append(miss, k)
		}
	}
	return miss
}

// opCase is one catalogue operation against the sandbox: a valid request
// with the keys of Auth0's success shape, and a bad one with Auth0's status
// and error code.
type opCase struct {
	good      func(f *fixture) (*api.Client, []api.Value)
	wantKeys  []string
	wantText  string // for a non-JSON success body
	verify    func(t *testing.T, f *fixture, vals []api.Value)
	bad       func(f *fixture) (*api.Client, []api.Value)
	badStatus int
	badCode   string // the "error" (or /dbconnections "code") of the answer
	// noBad says why the operation has no bad request (a document anyone
	// may read).
	noBad string
	// wantLocation: a browser URL (Operation.URLOnly) is opened as a
	// browser would, and redirects to a Location starting so.
	wantLocation string
}

func confidential(vals ...api.Value) func(*fixture) (*api.Client, []api.Value) {
	return func(f *fixture) (*api.Client, []api.Value) { return f.client, vals }
}

var (
	passwordCase = opCase{
		good:      confidential(str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid profile email"), str("realm", sandbox.DatabaseConnection)),
		wantKeys:  []string{"access_token", "id_token", "expires_in", "token_type"},
		bad:       confidential(str("username", sandbox.SeedEmail), str("password", "wrong")),
		badStatus: 403, badCode: "invalid_grant",
	}
	clientCredentialsCase = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("audience", f.srv.ManagementAPI())}
		},
		wantKeys:  []string{"access_token", "expires_in", "token_type"},
		bad:       func(f *fixture) (*api.Client, []api.Value) { return f.badSecret(), nil },
		badStatus: 401, badCode: "access_denied",
	}
	refreshCase = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("refresh_token", f.passwordTokens("openid offline_access")["refresh_token"].(string))}
		},
		wantKeys:  []string{"access_token", "id_token", "refresh_token"},
		bad:       confidential(str("refresh_token", "not-a-refresh-token")),
		badStatus: 403, badCode: "invalid_grant",
	}
	changePasswordCase = opCase{
		good:      confidential(str("email", sandbox.SeedEmail), str("password", "N3w-Passw0rd"), str("connection", sandbox.DatabaseConnection)),
		wantText:  "We've just sent you an email to reset your password.",
		bad:       confidential(str("email", sandbox.SeedEmail), str("password", "x"), str("connection", "no-such-connection")),
		badStatus: 400, badCode: "connection_not_found",
	}
	resetEmailCase = opCase{
		good:      confidential(str("email", sandbox.SeedEmail), str("connection", sandbox.DatabaseConnection)),
		wantText:  "We've just sent you an email to reset your password.",
		bad:       confidential(str("email", sandbox.SeedEmail), str("connection", "no-such-connection")),
		badStatus: 400, badCode: "connection_not_found",
	}
	emailStartCase = opCase{
		good:     confidential(str("email", "pat@example.com"), raw("authParams", `{"scope":"openid","redirect_uri":"https://app.example.com/cb"}`)),
		wantKeys: []string{"_id", "email", "email_verified"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.badSecret(), []api.Value{str("email", "pat@example.com")}
		},
		badStatus: 401, badCode: "access_denied",
	}
	userinfoCase = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("accessToken", f.passwordTokens("openid profile email")["access_token"].(string))}
		},
		wantKeys:  []string{"sub", "name", "email"},
		bad:       confidential(str("accessToken", "not-a-token")),
		badStatus: 401,
	}
	delegationCase = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			idt := f.passwordTokens("openid")["id_token"].(string)
			return f.client, []api.Value{str("id_token", idt), str("target", f.srv.HSClient.ID), str("api_type", "app"), str("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")}
		},
		wantKeys:  []string{"id_token", "token_type", "expires_in"},
		bad:       confidential(str("id_token", "bad.token.here"), str("target", "x"), str("api_type", "app"), str("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")),
		badStatus: 401, badCode: "invalid_token",
	}
)

func mustString(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

func (f *fixture) badSecret() *api.Client {
	c, _ := api.New(api.Config{Domain: f.srv.BaseURL, ClientID: f.srv.Client.ID, ClientSecret: "wrong-secret"})
	return c
}

var opCases = map[string]opCase{
	"discovery.openidConfiguration": {
		good:     confidential(),
		wantKeys: []string{"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"},
		noBad:    "a public document: every GET answers it",
	},
	"discovery.jwks": {
		good:     confidential(),
		wantKeys: []string{"keys"},
		noBad:    "a public document: every GET answers it",
	},
	"oauth.buildAuthorizeUrl": {
		good:         confidential(str("redirect_uri", "https://app.example.com/cb"), str("scope", "openid"), str("state", "st")),
		wantLocation: "https://app.example.com/cb?code=",
		bad:          confidential(str("redirect_uri", "https://evil.example.com/cb")),
		badStatus:    400,
	},
	"oauth.buildLogoutUrl": {
		good:         confidential(str("returnTo", "http://localhost:3000/")),
		wantLocation: "http://localhost:3000/",
		bad:          confidential(str("returnTo", "https://evil.example.com/")),
		badStatus:    400, badCode: "invalid_request",
	},
	"oauth.buildOidcLogoutUrl": {
		good:         confidential(str("post_logout_redirect_uri", "https://app.example.com/"), str("state", "st")),
		wantLocation: "https://app.example.com/?state=st",
		bad:          confidential(str("post_logout_redirect_uri", "https://evil.example.com/")),
		badStatus:    400, badCode: "invalid_request",
	},
	"oauth.pushedAuthorization": {
		good:      confidential(str("redirect_uri", "https://app.example.com/cb"), str("scope", "openid")),
		wantKeys:  []string{"request_uri", "expires_in"},
		bad:       confidential(str("redirect_uri", "https://app.example.com/cb"), str("client_secret", "wrong")),
		badStatus: 401, badCode: "access_denied",
	},
	"passwordGrant":                       passwordCase,
	"oauth.passwordGrant":                 passwordCase,
	"clientCredentialsGrant":              clientCredentialsCase,
	"oauth.clientCredentialsGrant":        clientCredentialsCase,
	"refreshToken":                        refreshCase,
	"oauth.refreshToken":                  refreshCase,
	"changePassword":                      changePasswordCase,
	"database.changePassword":             changePasswordCase,
	"requestChangePasswordEmail":          resetEmailCase,
	"database.requestChangePasswordEmail": resetEmailCase,
	"getProfile":                          userinfoCase,
	"users.getInfo":                       userinfoCase,
	"getDelegationToken":                  delegationCase,
	"tokens.getDelegationToken":           delegationCase,
	"requestEmailCode":                    emailStartCase,
	"requestMagicLink":                    emailStartCase,
	"passwordless.sendEmail": {
		good:      confidential(str("email", "pat@example.com"), str("send", "code")),
		wantKeys:  []string{"_id", "email", "email_verified"},
		bad:       confidential(str("email", "pat@example.com"), str("send", "carrier-pigeon")),
		badStatus: 400, badCode: "bad.send",
	},
	"requestSMSCode": {
		good:      confidential(str("phoneNumber", "+14155550100")),
		wantKeys:  []string{"_id", "phone_number", "phone_verified"},
		bad:       confidential(str("phone_number", "not a number")),
		badStatus: 400, badCode: "bad.phone_number",
	},
	"passwordless.sendSMS": {
		good:      confidential(str("phone_number", "+14155550100")),
		wantKeys:  []string{"_id", "phone_number", "phone_verified"},
		bad:       confidential(str("phone_number", "0800")),
		badStatus: 400, badCode: "bad.phone_number",
	},
	"verifyEmailCode": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "requestEmailCode", str("email", "pat@example.com"))
			return f.client, []api.Value{str("email", "pat@example.com"), str("otp", f.lastCode("pat@example.com"))}
		},
		wantKeys: []string{"access_token", "id_token"},
		bad: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "requestEmailCode", str("email", "pat@example.com"))
			return f.client, []api.Value{str("email", "pat@example.com"), str("otp", "000000x")}
		},
		badStatus: 403, badCode: "invalid_grant",
	},
	"verifySMSCode": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "requestSMSCode", str("phone_number", "+14155550100"))
			return f.client, []api.Value{str("phone_number", "+14155550100"), str("otp", f.lastCode("+14155550100"))}
		},
		wantKeys:  []string{"access_token", "id_token"},
		bad:       confidential(str("phone_number", "+14155550100"), str("otp", "123456")),
		badStatus: 403, badCode: "invalid_grant",
	},
	"passwordless.signIn": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			f.ok(f.client, "passwordless.sendSMS", str("phone_number", "+14155550101"))
			// The legacy /oauth/ro path, with the code as password.
			return f.client, []api.Value{str("username", "+14155550101"), str("password", f.lastCode("+14155550101")), str("connection", "sms")}
		},
		wantKeys:  []string{"access_token", "id_token"},
		bad:       confidential(str("username", "+14155550101"), str("password", "999999"), str("connection", "sms")),
		badStatus: 401, badCode: "invalid_user_password",
	},
	"oauth.signIn": {
		good:      confidential(str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("connection", sandbox.DatabaseConnection)),
		wantKeys:  []string{"access_token", "id_token", "token_type"},
		bad:       confidential(str("username", sandbox.SeedEmail), str("password", "nope"), str("connection", sandbox.DatabaseConnection)),
		badStatus: 401, badCode: "invalid_user_password",
	},
	"database.signIn": {
		good:      confidential(str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword)),
		wantKeys:  []string{"access_token", "id_token", "token_type"},
		bad:       confidential(str("username", "nobody@example.com"), str("password", "nope")),
		badStatus: 401, badCode: "invalid_user_password",
	},
	"oauth.socialSignIn": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("access_token", "facebook-provider-token"), str("connection", "facebook"), str("client_id", f.srv.Client.ID)}
		},
		wantKeys:  []string{"access_token", "id_token"},
		bad:       confidential(str("access_token", "t"), str("connection", "facebook")), // no client_id: the SDK sends none
		badStatus: 400, badCode: "invalid_request",
	},
	"oauth.authorizationCodeGrant": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("code", f.authCode(f.srv.Client.ID, nil)), str("redirect_uri", "https://app.example.com/cb")}
		},
		wantKeys:  []string{"access_token", "id_token"},
		bad:       confidential(str("code", "made-up-code"), str("redirect_uri", "https://app.example.com/cb")),
		badStatus: 403, badCode: "invalid_grant",
	},
	"tokens.revokeRefreshToken": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("token", f.passwordTokens("openid offline_access")["refresh_token"].(string))}
		},
		verify: func(t *testing.T, f *fixture, vals []api.Value) {
			// The revoked token no longer refreshes.
			ex := f.do(f.client, "refreshToken", str("refresh_token", mustString(vals[0].Raw)))
			if ex.Response.Status != 403 {
				t.Errorf("revoked refresh token still works: %d %s", ex.Response.Status, ex.Response.Body)
			}
		},
		bad:       func(f *fixture) (*api.Client, []api.Value) { return f.badSecret(), []api.Value{str("token", "x")} },
		badStatus: 401, badCode: "access_denied",
	},
	"tokens.getInfo": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("idToken", f.passwordTokens("openid")["id_token"].(string))}
		},
		wantKeys:  []string{"user_id", "email", "identities"},
		bad:       confidential(str("idToken", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")),
		badStatus: 401,
	},
	"database.signUp": {
		good:      confidential(str("email", "new.user@example.com"), str("password", "Str0ng-Enough"), str("connection", sandbox.DatabaseConnection), raw("user_metadata", `{"plan":"pro"}`)),
		wantKeys:  []string{"_id", "email", "email_verified", "user_metadata"},
		bad:       confidential(str("email", sandbox.SeedEmail), str("password", "Str0ng-Enough"), str("connection", sandbox.DatabaseConnection)),
		badStatus: 400, badCode: "user_exists",
	},
	"users.impersonate": {
		good: func(f *fixture) (*api.Client, []api.Value) {
			mgmt := f.ok(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()))["access_token"].(string)
			jane := f.srv.Users()[0].ID
			return f.client, []api.Value{str("userId", jane), str("impersonator_id", jane), str("protocol", "oauth2"), str("token", mgmt),
				raw("additionalParameters", `{"scope":"openid"}`)}
		},
		wantText: "/authorize?",
		bad: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("userId", "auth0|x"), str("impersonator_id", "y"), str("protocol", "oauth2"), str("token", "not-a-management-token")}
		},
		badStatus: 401,
	},
}

// TestEveryOperationAgainstTheSandbox: each catalogue operation, sent through
// api.Client, gets Auth0's success shape for a valid request and Auth0's
// error status and shape for a representative bad one.
func TestEveryOperationAgainstTheSandbox(t *testing.T) {
	for _, op := range api.Operations() {
		c, ok := opCases[op.Name]
		if !ok {
			t.Errorf("no sandbox case for %s", op.Name)
			continue
		}
		t.Run(op.Name, func(t *testing.T) {
			f := newFixture(t)
			if op.URLOnly {
				browserCase(t, f, op, c)
				return
			}
			cl, vals := c.good(f)
			ex := f.do(cl, op.Name, vals...)
			if ex.Err != nil {
				t.Fatalf("valid request: %v (%s)", ex.Err, ex.Response.Body)
			}
			if ex.RateLimit == nil {
				t.Error("no x-ratelimit-* headers")
			}
			if c.wantKeys != nil {
				var m map[string]any
				if err := json.Unmarshal(ex.Response.Body, &m); err != nil {
					t.Fatalf("success body is not a JSON object: %s", ex.Response.Body)
				}
				if miss := keys(m, c.wantKeys...); len(miss) > 0 {
					t.Errorf("success body lacks %v: %s", miss, ex.Response.Body)
				}
			} else if c.wantText != "" && !strings.Contains(string(ex.Response.Body), c.wantText) {
				t.Errorf("success body %q, want %q", ex.Response.Body, c.wantText)
			}
			if c.verify != nil {
				c.verify(t, f, vals)
			}
			if c.wantKeys == nil && c.wantText == "" && c.verify == nil {
				t.Fatal("the case checks nothing of the success")
			}

			if c.noBad != "" {
				return
			}
			cl, vals = c.bad(f)
			ex = f.do(cl, op.Name, vals...)
			if ex.Response == nil || ex.Response.Status != c.badStatus {
				t.Fatalf("bad request: %v, want status %d", ex.Err, c.badStatus)
			}
			var e *api.Error
			if ex.Err == nil || api.ExitCode(ex.Err) != 1 || !errors.As(ex.Err, &e) || e.Kind != api.ErrHTTP {
				t.Errorf("bad request: Err %v, want an HTTP error", ex.Err)
			}
			if c.badCode != "" {
				var m map[string]any
				_ = json.Unmarshal(ex.Response.Body, &m)
				if m["error"] != c.badCode && m["code"] != c.badCode {
					t.Errorf("error body %s, want code %s", ex.Response.Body, c.badCode)
				}
			}
		})
	}
}

// browserCase builds a browser URL operation's URL (nothing is sent), then
// opens it as a browser would: the good one redirects to c.wantLocation,
// the bad one gets c.badStatus (and c.badCode).
func browserCase(t *testing.T, f *fixture, op *api.Operation, c opCase) {
	t.Helper()
	open := func(mk func(*fixture) (*api.Client, []api.Value)) (*http.Response, []byte) {
		cl, vals := mk(f)
		ex := f.do(cl, op.Name, vals...)
		if ex.Err != nil || ex.Response != nil || !ex.Request.URLOnly {
			t.Fatalf("building the URL: %v, response %v: want the URL only", ex.Err, ex.Response)
		}
		hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := hc.Get(ex.Request.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp, []byte(b.String())
	}
	resp, body := open(c.good)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || c.wantLocation == "" || !strings.HasPrefix(loc, c.wantLocation) {
		t.Fatalf("good URL: %d, Location %q (%s), want a redirect to %s…", resp.StatusCode, loc, body, c.wantLocation)
	}
	resp, body = open(c.bad)
	if resp.StatusCode != c.badStatus {
		t.Fatalf("bad URL: %d %s, want %d", resp.StatusCode, body, c.badStatus)
	}
	if c.badCode != "" {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		if m["error"] != c.badCode {
			t.Errorf("error body %s, want error %s", body, c.badCode)
		}
	}
}
