package sandbox_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
)

// TestTokensVerifyWithAnIndependentOIDCVerifier: id_tokens and JWT access
// tokens verify with go-oidc using nothing but the discovery document.
func TestTokensVerifyWithAnIndependentOIDCVerifier(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	provider, err := oidc.NewProvider(ctx, f.srv.Issuer())
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	tok := f.passwordTokens("openid profile email", str("audience", f.srv.ManagementAPI()), str("nonce", "n-0S6_WzA2Mj"))

	idv := provider.Verifier(&oidc.Config{ClientID: f.srv.Client.ID, Now: f.clock.Now})
	idt, err := idv.Verify(ctx, tok["id_token"].(string))
	if err != nil {
		t.Fatalf("id_token: %v", err)
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil || claims.Email != sandbox.SeedEmail || claims.Name == "" || idt.Nonce != "n-0S6_WzA2Mj" {
		t.Errorf("id_token claims %+v nonce %q (%v)", claims, idt.Nonce, err)
	}

	atv := provider.Verifier(&oidc.Config{ClientID: f.srv.ManagementAPI(), Now: f.clock.Now})
	at, err := atv.Verify(ctx, tok["access_token"].(string))
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	if !slices.Contains(at.Audience, f.srv.BaseURL+"/userinfo") || at.Subject != f.srv.Users()[0].ID {
		t.Errorf("access token aud %v sub %s", at.Audience, at.Subject)
	}

	cc := f.ok(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()), str("scope", "read:users"))
	m2m, err := atv.Verify(ctx, cc["access_token"].(string))
	if err != nil || m2m.Subject != f.srv.Client.ID+"@clients" {
		t.Errorf("client-credentials token: %v, sub %q", err, m2m.Subject)
	}

	// The verifier refuses the token a day later, on the same clock.
	f.clock.Add(25 * time.Hour)
	if _, err := atv.Verify(ctx, tok["access_token"].(string)); err == nil {
		t.Error("an expired access token verified")
	}
}

func TestScopeShapesTokensAsAuth0Does(t *testing.T) {
	f := newFixture(t)
	// No openid: no id_token; no audience: an opaque access token.
	plain := f.passwordTokens("")
	if _, ok := plain["id_token"]; ok {
		t.Error("id_token without the openid scope")
	}
	if strings.Count(plain["access_token"].(string), ".") != 0 {
		t.Errorf("access token without audience is a JWT: %v", plain["access_token"])
	}
	if _, ok := plain["refresh_token"]; ok {
		t.Error("refresh token without offline_access")
	}
	// The opaque token is good for /userinfo, with the claims its scope allows.
	minimal := f.ok(f.client, "getProfile", str("accessToken", plain["access_token"].(string)))
	if _, ok := minimal["email"]; ok || minimal["sub"] == nil {
		t.Errorf("userinfo for no scope: %v", minimal)
	}
	// An unknown audience is refused.
	ex := f.do(f.client, "passwordGrant", str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("audience", "https://unknown.example.com/"))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "Service not found") {
		t.Errorf("unknown audience: %d %s", ex.Response.Status, ex.Response.Body)
	}
	// An added API gets JWT access tokens.
	f.srv.AddAPI(sandbox.API{Identifier: "https://api.example.com/", Name: "Example"})
	tok := f.passwordTokens("openid", str("audience", "https://api.example.com/"))
	if strings.Count(tok["access_token"].(string), ".") != 2 {
		t.Errorf("access token for a registered API is not a JWT")
	}
}

func TestHS256ClientGetsHS256IDTokens(t *testing.T) {
	f := newFixture(t)
	tok := f.ok(f.hs, "passwordGrant", str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid"))
	parsed, err := jwt.Parse(tok["id_token"].(string), func(tk *jwt.Token) (any, error) { return []byte(f.srv.HSClient.Secret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(f.srv.HSClient.ID), jwt.WithIssuer(f.srv.Issuer()), jwt.WithTimeFunc(f.clock.Now))
	if err != nil || !parsed.Valid {
		t.Fatalf("HS256 id_token: %v", err)
	}
}

// TestPasswordlessFlow: start, read the code from the outbox, otp grant,
// tokens; the code works once.
func TestPasswordlessFlow(t *testing.T) {
	f := newFixture(t)
	f.ok(f.client, "requestEmailCode", str("email", "Pat@Example.com"))
	msgs := f.srv.Outbox()
	if len(msgs) != 1 || msgs[0].Kind != sandbox.KindCode || msgs[0].To != "pat@example.com" || len(msgs[0].Code) != 6 {
		t.Fatalf("outbox %+v", msgs)
	}
	// The outbox is also served over HTTP, for other tools.
	resp, err := http.Get(f.srv.BaseURL + "/sandbox/outbox?to=pat@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var served []sandbox.Message
	_ = json.NewDecoder(resp.Body).Decode(&served)
	resp.Body.Close()
	if len(served) != 1 || served[0].Code != msgs[0].Code {
		t.Errorf("outbox over HTTP: %+v", served)
	}

	tok := f.ok(f.client, "verifyEmailCode", str("email", "pat@example.com"), str("otp", msgs[0].Code))
	idv, _ := oidc.NewProvider(context.Background(), f.srv.Issuer())
	idt, err := idv.Verifier(&oidc.Config{ClientID: f.srv.Client.ID, Now: f.clock.Now}).Verify(context.Background(), tok["id_token"].(string))
	if err != nil || !strings.HasPrefix(idt.Subject, "email|") {
		t.Fatalf("id_token of the new passwordless user: %v %v", err, idt)
	}
	ex := f.do(f.client, "verifyEmailCode", str("email", "pat@example.com"), str("otp", msgs[0].Code))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "invalid_grant") {
		t.Errorf("reused code: %d %s", ex.Response.Status, ex.Response.Body)
	}

	// An expired code is refused with Auth0's sentence.
	f.ok(f.client, "requestSMSCode", str("phone_number", "+14155550100"))
	code := f.lastCode("+14155550100")
	f.clock.Add(4 * time.Minute)
	ex = f.do(f.client, "verifySMSCode", str("phone_number", "+14155550100"), str("otp", code))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "expired") {
		t.Errorf("expired code: %d %s", ex.Response.Status, ex.Response.Body)
	}
}

// TestMagicLinkFlow: the link in the outbox signs in and redirects to the
// application with a code that the authorization-code grant exchanges.
func TestMagicLinkFlow(t *testing.T) {
	f := newFixture(t)
	f.ok(f.client, "requestMagicLink", str("email", "pat@example.com"), raw("authParams", `{"redirect_uri":"https://app.example.com/cb","state":"xyz","scope":"openid email"}`))
	m, _ := f.srv.LastMessage("pat@example.com")
	if m.Kind != sandbox.KindMagicLink || !strings.HasPrefix(m.Link, f.srv.BaseURL+"/passwordless/verify_redirect?") {
		t.Fatalf("message %+v", m)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(m.Link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Host != "app.example.com" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("magic link answered %d to %s", resp.StatusCode, loc)
	}
	tok := f.ok(f.client, "oauth.authorizationCodeGrant", str("code", loc.Query().Get("code")), str("redirect_uri", "https://app.example.com/cb"))
	if tok["id_token"] == nil {
		t.Errorf("no id_token: %v", tok)
	}
}

// TestRefreshFlow: refresh, rotate (the old token is refused), revoke (the
// new one is refused).
func TestRefreshFlow(t *testing.T) {
	f := newFixture(t)
	first := f.passwordTokens("openid offline_access")["refresh_token"].(string)
	second := f.ok(f.client, "refreshToken", str("refresh_token", first))["refresh_token"].(string)
	if second == "" || second == first {
		t.Fatalf("no rotated refresh token: %q", second)
	}
	third := f.ok(f.client, "refreshToken", str("refresh_token", second))["refresh_token"].(string)

	f.ok(f.client, "tokens.revokeRefreshToken", str("token", third))
	ex := f.do(f.client, "refreshToken", str("refresh_token", third))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "Unknown or invalid refresh token.") {
		t.Errorf("revoked token: %d %s", ex.Response.Status, ex.Response.Body)
	}
	ex = f.do(f.client, "refreshToken", str("refresh_token", first))
	if ex.Response.Status != 403 {
		t.Errorf("rotated token accepted: %d %s", ex.Response.Status, ex.Response.Body)
	}
	// Another client cannot use the token.
	other := f.passwordTokens("openid offline_access")["refresh_token"].(string)
	ex = f.do(f.hs, "refreshToken", str("refresh_token", other))
	if ex.Response.Status != 403 {
		t.Errorf("another client's refresh token accepted: %d", ex.Response.Status)
	}
}

func TestPKCEWithAPublicClient(t *testing.T) {
	f := newFixture(t)
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	code := f.authCode(f.srv.Public.ID, url.Values{"code_challenge": {challenge}, "code_challenge_method": {"S256"}})
	ex := f.do(f.public, "oauth.authorizationCodeGrant", str("code", code), str("redirect_uri", "https://app.example.com/cb"), str("code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier"))
	if ex.Response.Status != 403 {
		t.Errorf("wrong verifier: %d %s", ex.Response.Status, ex.Response.Body)
	}
	code = f.authCode(f.srv.Public.ID, url.Values{"code_challenge": {challenge}, "code_challenge_method": {"S256"}})
	tok := f.ok(f.public, "oauth.authorizationCodeGrant", str("code", code), str("redirect_uri", "https://app.example.com/cb"), str("code_verifier", verifier))
	if tok["access_token"] == nil {
		t.Errorf("PKCE exchange: %v", tok)
	}
	// The code is single-use.
	ex = f.do(f.public, "oauth.authorizationCodeGrant", str("code", code), str("redirect_uri", "https://app.example.com/cb"), str("code_verifier", verifier))
	if ex.Response.Status != 403 {
		t.Errorf("reused code: %d", ex.Response.Status)
	}
}

func TestAuth0ErrorShapes(t *testing.T) {
	f := newFixture(t)
	check := func(name string, ex *api.Exchange, status int, want string) {
		t.Helper()
		if ex.Response == nil || ex.Response.Status != status || !strings.Contains(string(ex.Response.Body), want) {
			body := ""
			if ex.Response != nil {
				body = string(ex.Response.Body)
			}
			t.Errorf("%s: %v %s, want %d with %s", name, ex.Err, body, status, want)
		}
	}
	check("wrong password", f.do(f.client, "passwordGrant", str("username", sandbox.SeedEmail), str("password", "x")),
		403, `{"error":"invalid_grant","error_description":"Wrong email or password."}`)
	unknown, _ := api.New(api.Config{Domain: f.srv.BaseURL, ClientID: "no-such-client", ClientSecret: "s"})
	check("unknown client", f.do(unknown, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI())),
		401, `"error":"access_denied"`)
	check("missing field", f.do(f.client, "passwordGrant", str("username", ""), str("password", "p")),
		400, `"error":"invalid_request","error_description":"Missing required parameter: username"`)
	weak := f.do(f.client, "database.signUp", str("email", "weak@example.com"), str("password", "short"), str("connection", sandbox.DatabaseConnection))
	check("weak password", weak, 400, `"name":"PasswordStrengthError"`)
	var e *api.Error
	if !errors.As(weak.Err, &e) || e == nil || !strings.Contains(e.Msg, "8 characters") {
		t.Errorf("weak password sentence: %v", weak.Err)
	}
	check("sign-up exists", f.do(f.client, "database.signUp", str("email", sandbox.SeedEmail), str("password", "Str0ng-Enough"), str("connection", sandbox.DatabaseConnection)),
		400, `"code":"user_exists"`)
	check("no audience", f.do(f.client, "clientCredentialsGrant"), 403, "No audience parameter was provided")

	// An unsupported grant type, sent by hand.
	resp, err := http.Post(f.srv.BaseURL+"/oauth/token", "application/json", strings.NewReader(`{"grant_type":"urn:example:nope","client_id":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "unsupported_grant_type") {
		t.Errorf("unsupported grant: %d %s", resp.StatusCode, body)
	}
}

func TestFormEncodedBodiesAreAccepted(t *testing.T) {
	f := newFixture(t)
	o := api.ByName("passwordGrant")
	ex := f.client.Do(context.Background(), o, api.Values{Form: true, Fields: []api.Value{
		str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid")}})
	if ex.Err != nil || !strings.Contains(string(ex.Response.Body), "id_token") {
		t.Fatalf("form-encoded grant: %v", ex.Err)
	}
	if ex.Request.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("sent as %s", ex.Request.Header.Get("Content-Type"))
	}
}

func TestRateLimitHeadersAnd429(t *testing.T) {
	f := newFixture(t, func(o *sandbox.Options) { o.RateLimit = 2 })
	for i, wantRemaining := range []int{1, 0} {
		ex := f.do(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()))
		if ex.Err != nil || ex.RateLimit == nil || ex.RateLimit.Limit != 2 || ex.RateLimit.Remaining != wantRemaining {
			t.Fatalf("request %d: %v %+v", i, ex.Err, ex.RateLimit)
		}
		if !ex.RateLimit.Reset.Equal(f.clock.Now().Add(time.Minute)) {
			t.Errorf("reset %v", ex.RateLimit.Reset)
		}
	}
	ex := f.do(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()))
	if ex.Response.Status != 429 || !strings.Contains(string(ex.Response.Body), "too_many_requests") {
		t.Errorf("past the limit: %d %s", ex.Response.Status, ex.Response.Body)
	}
	f.clock.Add(time.Minute)
	if ex := f.do(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI())); ex.Err != nil {
		t.Errorf("a new window: %v", ex.Err)
	}
}

func TestDeterministicWhenSeeded(t *testing.T) {
	a, b := newFixture(t), newFixture(t)
	if a.srv.Client.ID != b.srv.Client.ID || a.srv.Client.Secret != b.srv.Client.Secret || a.srv.KeyID() != b.srv.KeyID() {
		t.Error("two sandboxes with one seed differ in clients or key")
	}
	ta := a.passwordTokens("openid")["access_token"]
	tb := b.passwordTokens("openid")["access_token"]
	if ta != tb {
		t.Errorf("same seed, same clock, different tokens: %v %v", ta, tb)
	}
	c := newFixture(t, func(o *sandbox.Options) { o.Seed = 7 })
	if c.srv.Client.ID == a.srv.Client.ID {
		t.Error("another seed gives the same client id")
	}
}

func TestBindsLoopbackOnly(t *testing.T) {
	if _, err := sandbox.Start(sandbox.Options{Addr: "0.0.0.0:0", Seed: 1}); err == nil {
		t.Error("the sandbox listened on every interface without being told")
	}
}

func TestChangePasswordMailResetsThePassword(t *testing.T) {
	f := newFixture(t)
	f.ok(f.client, "requestChangePasswordEmail", str("email", sandbox.SeedEmail), str("connection", sandbox.DatabaseConnection))
	m, ok := f.srv.LastMessage(sandbox.SeedEmail)
	if !ok || m.Kind != sandbox.KindChangePassword {
		t.Fatalf("no reset mail: %+v", m)
	}
	link, _ := url.Parse(m.Link)
	resp, err := http.PostForm(f.srv.BaseURL+link.Path, url.Values{"ticket": {link.Query().Get("ticket")}, "password": {"Brand-N3w-pass"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v %v", err, resp)
	}
	resp.Body.Close()
	if ex := f.do(f.client, "passwordGrant", str("username", sandbox.SeedEmail), str("password", "Brand-N3w-pass")); ex.Err != nil {
		t.Errorf("new password refused: %v", ex.Err)
	}
}

// A refresh may narrow the granted scope but never widen it.
func TestRefreshCannotWidenScope(t *testing.T) {
	f := newFixture(t)
	rt := f.passwordTokens("openid offline_access")["refresh_token"].(string)
	ex := f.do(f.client, "refreshToken", str("refresh_token", rt), str("scope", "openid profile email"))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "invalid_scope") {
		t.Errorf("widened scope: %d %s", ex.Response.Status, ex.Response.Body)
	}
	if tok := f.ok(f.client, "refreshToken", str("refresh_token", rt), str("scope", "openid")); tok["scope"] != "openid" {
		t.Errorf("narrowed scope: %v", tok["scope"])
	}
}

// Anyone can read the HS256 client's secret from the banner; a token signed
// with it must not pass as an access token.
func TestHS256SignedAccessTokenIsRefused(t *testing.T) {
	f := newFixture(t)
	now := f.clock.Now()
	forged := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": f.srv.Issuer(), "sub": f.srv.Users()[0].ID, "aud": []string{f.srv.HSClient.ID, f.srv.BaseURL + "/userinfo", f.srv.ManagementAPI()},
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "scope": "openid profile email",
	})
	tok, err := forged.SignedString([]byte(f.srv.HSClient.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if ex := f.do(f.client, "getProfile", str("accessToken", tok)); ex.Response.Status != 401 {
		t.Errorf("/userinfo took an HS256 access token: %d %s", ex.Response.Status, ex.Response.Body)
	}
	jane := f.srv.Users()[0].ID
	if ex := f.do(f.client, "users.impersonate", str("userId", jane), str("impersonator_id", jane), str("protocol", "oauth2"), str("token", tok)); ex.Response.Status != 401 {
		t.Errorf("impersonate took an HS256 token: %d %s", ex.Response.Status, ex.Response.Body)
	}
}

func TestMagicLinkRedirectMustBeACallback(t *testing.T) {
	f := newFixture(t)
	f.ok(f.client, "requestMagicLink", str("email", "pat@example.com"), raw("authParams", `{"redirect_uri":"https://evil.example/steal"}`))
	m, _ := f.srv.LastMessage("pat@example.com")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(m.Link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("magic link to an unregistered redirect: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestClientCredentialsScopesAreTheAPIs(t *testing.T) {
	f := newFixture(t)
	ex := f.do(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()), str("scope", "read:users delete:everything"))
	if ex.Response.Status != 403 || !strings.Contains(string(ex.Response.Body), "delete:everything") {
		t.Errorf("ungranted scope: %d %s", ex.Response.Status, ex.Response.Body)
	}
	tok := f.ok(f.client, "clientCredentialsGrant", str("audience", f.srv.ManagementAPI()))
	if !strings.Contains(tok["scope"].(string), "read:users") {
		t.Errorf("no scope asked: got %v, want the API's scopes", tok["scope"])
	}
}

func TestSignUpRefusesADisplayNameAddress(t *testing.T) {
	f := newFixture(t)
	ex := f.do(f.client, "database.signUp", str("email", "Mallory <jane@example.com>"), str("password", "Str0ng-Enough"), str("connection", sandbox.DatabaseConnection))
	if ex.Response.Status != 400 {
		t.Errorf("display-name address: %d %s", ex.Response.Status, ex.Response.Body)
	}
}

// Grants and password resets at once (run with -race): every reset and
// every grant succeeds, and the password they all set still works.
func TestConcurrentGrantsAndResets(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 8; i++ {
		f.ok(f.client, "requestChangePasswordEmail", str("email", sandbox.SeedEmail), str("connection", sandbox.DatabaseConnection))
	}
	outbox := f.srv.Outbox()
	if len(outbox) != 8 {
		t.Fatalf("%d reset mails, want 8", len(outbox))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	fail := func(format string, a ...any) {
		mu.Lock()
		errs = append(errs, fmt.Sprintf(format, a...))
		mu.Unlock()
	}
	for _, m := range outbox {
		link, err := url.Parse(m.Link)
		if err != nil || link.Query().Get("ticket") == "" {
			t.Fatalf("reset link %q", m.Link)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			resp, err := http.PostForm(f.srv.BaseURL+link.Path, url.Values{"ticket": {link.Query().Get("ticket")}, "password": {sandbox.SeedPassword}})
			if err != nil {
				fail("reset: %v", err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), "Your password has been changed.") {
				fail("reset: %d %s", resp.StatusCode, body)
			}
		}()
		go func() {
			defer wg.Done()
			ex := f.client.Do(context.Background(), api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
				str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid")}})
			if ex.Err != nil || ex.Response == nil || !strings.Contains(string(ex.Response.Body), `"id_token"`) {
				fail("grant: %v", ex.Err)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		t.Error(e)
	}
	// Every ticket was used once: none is left.
	resp, err := http.PostForm(f.srv.BaseURL+"/lo/reset", url.Values{"ticket": {mustTicket(t, outbox[0].Link)}, "password": {"An0ther-Pass"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("a used ticket answered %d, want 400", resp.StatusCode)
	}
	f.passwordTokens("openid")
}

func mustTicket(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("ticket") == "" {
		t.Fatalf("reset link %q", link)
	}
	return u.Query().Get("ticket")
}

// TestDelegationTakesARefreshToken: /delegation takes a refresh token as
// the subject instead of an id_token, with the jwt-bearer grant type, as
// Auth0's does and as getDelegationToken sends it.
func TestDelegationTakesARefreshToken(t *testing.T) {
	f := newFixture(t)
	jane := f.srv.Users()[0].ID
	for _, op := range []string{"getDelegationToken", "tokens.getDelegationToken"} {
		rt := f.passwordTokens("openid offline_access")["refresh_token"].(string)
		vals := []api.Value{str("refresh_token", rt), str("target", f.srv.HSClient.ID), str("api_type", "app"),
			str("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")}
		m := f.ok(f.client, op, vals...)
		idt, _ := m["id_token"].(string)
		parsed, err := jwt.Parse(idt, func(*jwt.Token) (any, error) { return []byte(f.srv.HSClient.Secret), nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(f.srv.HSClient.ID), jwt.WithIssuer(f.srv.Issuer()), jwt.WithTimeFunc(f.clock.Now))
		if err != nil {
			t.Fatalf("%s: delegated id_token: %v", op, err)
		}
		if sub, _ := parsed.Claims.GetSubject(); sub != jane {
			t.Errorf("%s: delegated id_token is for %q, want %q", op, sub, jane)
		}
	}
	bad := f.do(f.client, "getDelegationToken", str("refresh_token", "not-a-refresh-token"), str("target", f.srv.HSClient.ID),
		str("api_type", "app"), str("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"))
	if bad.Response.Status != 401 || !strings.Contains(string(bad.Response.Body), `"error":"invalid_token"`) {
		t.Errorf("unknown refresh token: %d %s", bad.Response.Status, bad.Response.Body)
	}
	// Both at once (sent by hand: the tool refuses it) is refused.
	rt := f.passwordTokens("openid offline_access")
	body := fmt.Sprintf(`{"client_id":%q,"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","target":%q,"api_type":"app","id_token":%q,"refresh_token":%q}`,
		f.srv.Client.ID, f.srv.HSClient.ID, rt["id_token"], rt["refresh_token"])
	resp, err := http.Post(f.srv.BaseURL+"/delegation", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(got), "not both") {
		t.Errorf("id_token and refresh_token: %d %s", resp.StatusCode, got)
	}
}

// TestJSONIsNotHTMLEscaped: & < > come back as they were sent, in bodies and
// in token claims, not as \u0026 \u003c \u003e.
func TestJSONIsNotHTMLEscaped(t *testing.T) {
	f := newFixture(t)
	const odd = "Tom & Jerry <tj>"
	ex := f.do(f.client, "database.signUp", str("email", "tj@example.com"), str("password", "Str0ng-Enough"),
		str("connection", sandbox.DatabaseConnection), str("name", odd), raw("user_metadata", `{"note":"a&b<c>"}`))
	if ex.Err != nil {
		t.Fatalf("sign-up: %v", ex.Err)
	}
	body := string(ex.Response.Body)
	if !strings.Contains(body, `"name":"`+odd+`"`) || !strings.Contains(body, `"note":"a&b<c>"`) || strings.Contains(body, `\u00`) {
		t.Errorf("sign-up body %s, want & < > unescaped", body)
	}
	tok := f.ok(f.client, "passwordGrant", str("username", "tj@example.com"), str("password", "Str0ng-Enough"), str("scope", "openid profile"))
	parts := strings.Split(tok["id_token"].(string), ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || !strings.Contains(string(payload), `"name":"`+odd+`"`) {
		t.Errorf("id_token payload %s (%v), want the name unescaped", payload, err)
	}
	// An error sentence that echoes the request.
	ex = f.do(f.client, "passwordGrant", str("username", "x"), str("password", "y"), str("realm", "a&b"))
	if !strings.Contains(string(ex.Response.Body), "Unknown realm: a&b") {
		t.Errorf("error body %s, want the realm unescaped", ex.Response.Body)
	}
}

// TestSocialSignInWithoutClientIDSaysSo: node-auth0's socialSignIn adds no
// client_id, so a call without client_id= reaches the tenant without one;
// the answer names the missing parameter.
func TestSocialSignInWithoutClientIDSaysSo(t *testing.T) {
	f := newFixture(t)
	ex := f.do(f.client, "oauth.socialSignIn", str("access_token", "t"), str("connection", "facebook"))
	if !strings.Contains(string(ex.Request.Body), "facebook") || strings.Contains(string(ex.Request.Body), "client_id") {
		t.Fatalf("sent %s, want no client_id", ex.Request.Body)
	}
	want := `{"error":"invalid_request","error_description":"Missing required parameter: client_id"}`
	if ex.Response.Status != 400 || string(ex.Response.Body) != want {
		t.Errorf("answer %d %s, want 400 %s", ex.Response.Status, ex.Response.Body, want)
	}
}

// TestCloseDoesNotWaitForSilentConnections: a client that connected but sent
// nothing (as an HTTP client's spare connection) does not hold Close for
// net/http's 5 s: Close gives requests a 1 s grace, then closes all.
func TestCloseDoesNotWaitForSilentConnections(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.BaseURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A request on another connection shows the server has accepted the
	// silent one before Close (it accepts in order).
	if resp, err := http.Get(srv.BaseURL + "/.well-known/jwks.json"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Close still waiting after 4 s for a connection that sent nothing")
	}
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Error("the silent connection is still open after Close")
	}
}
