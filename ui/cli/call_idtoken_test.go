package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"

	"github.com/golang-jwt/jwt/v5"
)

// runAt runs the command line with the token clock fixed at now.
func runAt(t *testing.T, now time.Time, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return now },
	})
	return code, out.String(), errb.String()
}

// verification is the verdict of the id_token entry in call --output json.
type verification struct {
	Valid  *bool  `json:"valid"`
	State  string `json:"state"`
	Checks []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"checks"`
}

func idTokenVerification(t *testing.T, stdout string) *verification {
	t.Helper()
	var ex struct {
		Tokens []struct {
			Field        string        `json:"field"`
			Verification *verification `json:"verification"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	for _, tk := range ex.Tokens {
		if tk.Field == "id_token" {
			return tk.Verification
		}
	}
	t.Fatalf("no id_token entry:\n%s", stdout)
	return nil
}

// The sandbox's id_tokens pass the checks node-auth0 makes, RS256 (keys
// from the sandbox's discovery document and JWKS) and HS256 (the client
// secret) alike; --output json says so.
func TestCallChecksTheSandboxIDToken(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv, err := sandbox.Start(sandbox.Options{Seed: 7, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, c := range []sandbox.Client{srv.Client, srv.HSClient} {
		args := []string{"call", "passwordGrant", "username=" + sandbox.SeedEmail, "password=" + sandbox.SeedPassword, "scope=openid",
			"--domain", srv.BaseURL, "--client-id", c.ID, "--client-secret", c.Secret}
		code, out, errs := runAt(t, now, nil, args...)
		if code != 0 || !strings.Contains(out, `"id_token"`) || errs != "" {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", c.Alg, code, out, errs)
		}
		code, out, _ = runAt(t, now, nil, append(args, "--output", "json")...)
		v := idTokenVerification(t, out)
		if code != 0 || v == nil || v.Valid == nil || !*v.Valid || v.State != "valid" || len(v.Checks) == 0 {
			t.Errorf("%s json: exit %d, verification %+v", c.Alg, code, v)
		}
		// An hour and a day later the same answer's token has expired.
		code, _, errs = runAt(t, now.Add(25*time.Hour), nil, args...)
		if code != 1 || !strings.Contains(errs, "id_token: exp: expired") {
			t.Errorf("%s a day later: exit %d\n%s", c.Alg, code, errs)
		}
	}
}

// fakeTenant answers /oauth/token with whatever id_token is set, and
// serves a discovery document and the JWKS of rsaKey (kid k1).
type fakeTenant struct {
	*httptest.Server
	idToken string
}

func newFakeTenant(t *testing.T) *fakeTenant {
	jwks := newJWKSTenant(t)
	ft := &fakeTenant{}
	ft.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			w.Write([]byte(`{"issuer":"` + ft.URL + `/","jwks_uri":"` + jwks.URL + `/.well-known/jwks.json"}`))
		case "/oauth/token":
			w.Write([]byte(`{"access_token":"at-1","id_token":"` + ft.idToken + `","token_type":"Bearer"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ft.Close)
	return ft
}

// An id_token that fails a check: exit 1, one sentence per failed check on
// stderr, the body still on stdout; --output json carries the verdict.
func TestCallRefusesAnInvalidIDToken(t *testing.T) {
	const clientSecret = "the-client-secret-0123456789"
	ft := newFakeTenant(t)
	iss := ft.URL + "/"
	good := mintRS(t, claimsFor(iss, nil))
	parts := strings.Split(good, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + iss + `","sub":"auth0|admin","aud":"client-1","iat":1748779140,"exp":1748781790}`))
	tampered := strings.Join(parts, ".")
	base := []string{"call", "passwordGrant", "username=jane@example.com", "password=Passw0rd!", "--domain", ft.URL, "--client-id", "client-1", "--client-secret", clientSecret}

	ft.idToken = good
	if code, out, errs := runAt(t, tokenNow, nil, base...); code != 0 || errs != "" || !strings.Contains(out, good) {
		t.Fatalf("a valid id_token: exit %d\n%s\n%s", code, out, errs)
	}
	for _, c := range []struct {
		name, token string
		check, want string
	}{
		{"tampered", tampered, "signature", `RS256 signature does not match the tenant's key "k1"`},
		{"wrong audience", mintRS(t, claimsFor(iss, jwt.MapClaims{"aud": "another-client"})), "aud", `meant for "another-client", not for "client-1"`},
		{"HS256 with another secret", mintHS(t, []byte("not-"+clientSecret), claimsFor(iss, nil)), "signature", "HS256 signature does not match the client secret"},
		{"expired", mintRS(t, claimsFor(iss, jwt.MapClaims{"exp": tokenNow.Add(-time.Hour).Unix()})), "exp", "expired 1h ago"},
		{"another issuer", mintRS(t, claimsFor("https://evil.example.com/", nil)), "iss", `issued by "https://evil.example.com/", expected "` + iss + `"`},
		{"unknown kid", func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claimsFor(iss, nil))
			tok.Header["kid"] = "k9"
			s, _ := tok.SignedString(rsaKey())
			return s
		}(), "signature", `has no key with kid "k9"`},
	} {
		ft.idToken = c.token
		code, out, errs := runAt(t, tokenNow, nil, base...)
		if code != 1 || !strings.Contains(out, `"access_token": "at-1"`) {
			t.Errorf("%s: exit %d, stdout %q", c.name, code, out)
		}
		said := false
		for _, l := range strings.Split(errs, "\n") {
			said = said || (strings.HasPrefix(l, "auth0-explorer: id_token: "+c.check+": ") && strings.Contains(l, c.want))
		}
		if !said || !strings.Contains(errs, "the id_token in the answer is not valid ("+c.check) {
			t.Errorf("%s: stderr %q", c.name, errs)
		}
		if strings.Contains(errs, clientSecret) || strings.Contains(errs, c.token) {
			t.Errorf("%s: stderr shows a secret: %q", c.name, errs)
		}
		code, out, _ = runAt(t, tokenNow, nil, append(base, "--output", "json")...)
		v := idTokenVerification(t, out)
		if v == nil {
			t.Errorf("%s json: exit %d, no verification", c.name, code)
			continue
		}
		found := false
		for _, ch := range v.Checks {
			found = found || (ch.Name == c.check && !ch.OK && strings.Contains(ch.Detail, c.want))
		}
		if code != 1 || v.Valid == nil || *v.Valid || v.State != "invalid" || !found {
			t.Errorf("%s json: exit %d, %+v", c.name, code, v)
		}
		if strings.Contains(out, c.token) {
			t.Errorf("%s json shows the token unredacted", c.name)
		}
		// --no-id-token-check skips the check, and says so.
		code, _, errs = runAt(t, tokenNow, nil, append(base, "--no-id-token-check")...)
		if code != 0 || !strings.Contains(errs, "not checked (--no-id-token-check)") {
			t.Errorf("%s skipped: exit %d, %q", c.name, code, errs)
		}
	}
	// A nonce in the request must come back.
	ft.idToken = mintRS(t, claimsFor(iss, jwt.MapClaims{"nonce": "n-2"}))
	if code, _, errs := runAt(t, tokenNow, nil, append(base, "nonce=n-1")...); code != 1 || !strings.Contains(errs, `id_token: nonce: nonce "n-2" does not match the expected "n-1"`) {
		t.Errorf("nonce: exit %d, %q", code, errs)
	}
	if code, _, errs := runAt(t, tokenNow, nil, append(base, "nonce=n-2")...); code != 0 {
		t.Errorf("matching nonce: exit %d, %q", code, errs)
	}
	// Operations node-auth0 does not check are not checked.
	ft.idToken = tampered
	if code, _, errs := runAt(t, tokenNow, nil, "call", "refreshToken", "refresh_token=rt", "--domain", ft.URL, "--client-id", "client-1", "--client-secret", clientSecret); code != 0 {
		t.Errorf("refreshToken: exit %d, %q", code, errs)
	}
}

// A profile whose id token checks are off skips them, as node-auth0's
// __bypassIdTokenValidation.
func TestCallProfileSkipsIDTokenChecks(t *testing.T) {
	ft := newFakeTenant(t)
	ft.idToken = mintRS(t, claimsFor(ft.URL+"/", jwt.MapClaims{"aud": "another-client"}))
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "lax", "--domain", ft.URL, "--client-id", "client-1", "--client-secret", "s3cret-value", "--skip-id-token-validation")
	p.ok("", "profile", "add", "strict", "--domain", ft.URL, "--client-id", "client-1", "--client-secret", "s3cret-value")
	args := []string{"call", "passwordGrant", "username=u", "password=p"}
	if code, _, errs := p.run("", append(args, "--profile", "lax")...); code != 0 || !strings.Contains(errs, "not checked: profile lax skips id token checks") {
		t.Errorf("lax: exit %d, %q", code, errs)
	}
	if code, _, errs := p.run("", append(args, "--profile", "strict")...); code != 1 || !strings.Contains(errs, "id_token: aud:") {
		t.Errorf("strict: exit %d, %q", code, errs)
	}
}
