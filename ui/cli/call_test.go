package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

const (
	secret   = "s3cr3t-Client-Secret-0123456789"
	password = "Pa55-word-very-secret"
)

func TestParseFields(t *testing.T) {
	v, _, err := parseFields(&Env{}, []string{"a=b", "eq=x=y", `obj:={"k":[1,2]}`, "empty="})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`a="b"`, `eq="x=y"`, `obj={"k":[1,2]}`, `empty=""`}
	for i, f := range v.Fields {
		if got := f.Name + "=" + string(f.Raw); got != want[i] {
			t.Errorf("field %d = %s, want %s", i, got, want[i])
		}
	}
	for _, bad := range []string{"noequals", "=x", ":=1", "a:=notjson", "a:="} {
		if _, _, err := parseFields(&Env{}, []string{bad}); err == nil {
			t.Errorf("parseFields(%q) accepted", bad)
		}
	}
}

func TestCallCommandLineMistakesExit2(t *testing.T) {
	for _, args := range [][]string{
		{"call"},
		{"call", "passwordGrnt", "--domain", "t.auth0.com"},
		{"call", "passwordGrant", "username", "--domain", "t.auth0.com"},
		{"call", "passwordGrant", "--output", "xml", "--domain", "t.auth0.com"},
		{"call", "passwordGrant", "--bogus-flag"},
		{"call", "clientCredentialsGrant"}, // no domain anywhere
		{"call", "clientCredentialsGrant", "--domain", "http://tenant.auth0.com"},
		{"call", "refreshToken", "refresh_token=r", "--domain", "t.auth0.com", "--forwarded-for", "1.2.3.4"},
		{"call", "database.signUp", "email=a@b.c", "password=x", "connection=c", "--domain", "t.auth0.com", "--form"},
		{"nonsense"},
	} {
		code, stdout, stderr := run(t, nil, args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: want one line on stderr and nothing on stdout, got %q / %q", args, stdout, stderr)
		}
	}
	_, _, stderr := run(t, nil, "call", "passwordGrnt", "--domain", "t.auth0.com")
	if !strings.Contains(stderr, "passwordGrant") {
		t.Errorf("no suggestion for a typo: %q", stderr)
	}
}

func TestCallUsesEnvironmentAndFlagsWin(t *testing.T) {
	rec := newRecorder(t)
	env := map[string]string{"AUTH0_DOMAIN": rec.srv.URL, "AUTH0_CLIENT_ID": "env-id", "AUTH0_CLIENT_SECRET": "env-secret"}
	if code, _, stderr := run(t, env, "call", "clientCredentialsGrant"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, env, "call", "clientCredentialsGrant", "--client-id", "flag-id"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := rec.take()
	if len(got) != 2 {
		t.Fatalf("%d requests", len(got))
	}
	if want := `{"grant_type":"client_credentials","client_id":"env-id","client_secret":"env-secret"}`; string(got[0].body) != want {
		t.Errorf("body %s, want %s", got[0].body, want)
	}
	if want := `{"grant_type":"client_credentials","client_id":"flag-id","client_secret":"env-secret"}`; string(got[1].body) != want {
		t.Errorf("body %s, want %s", got[1].body, want)
	}
	if ua := got[0].header.Get("User-Agent"); !strings.HasPrefix(ua, "auth0-explorer/") {
		t.Errorf("User-Agent %q does not name the tool", ua)
	}
}

func TestCallOutputs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"at-123456789","id_token":"eyJhbGciOiJIUzI1NiJ9.e30.c2ln","token_type":"Bearer"}`))
	}))
	defer srv.Close()
	// The id_token is a stub: its checks are call_idtoken_test.go's business.
	base := []string{"passwordGrant", "username=jane@example.com", "password=" + password, "--domain", srv.URL, "--client-id", "cid", "--client-secret", secret, "--no-id-token-check"}

	code, stdout, _ := run(t, nil, append([]string{"call"}, base...)...)
	if code != 0 || !strings.Contains(stdout, "\n  \"access_token\": \"at-123456789\"") {
		t.Errorf("body output: exit %d, %q (want the pretty body, tokens and all)", code, stdout)
	}

	code, stdout, _ = run(t, nil, append([]string{"call", "--output", "json"}, base...)...)
	if code != 0 {
		t.Fatalf("json output: exit %d", code)
	}
	var ex struct {
		Request struct {
			Method, URL string
			Body        map[string]any
		}
		Response struct {
			Status int
			Body   map[string]any
		}
		DurationMS *float64 `json:"duration_ms"`
		Tokens     []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, stdout)
	}
	if ex.Request.Method != "POST" || ex.Request.Body["username"] != "jane@example.com" || ex.Response.Status != 200 || ex.DurationMS == nil || len(ex.Tokens) != 2 ||
		ex.Tokens[0]["format"] != "opaque" || ex.Tokens[1]["format"] != "JWS" {
		t.Errorf("json output lacks parts: %+v", ex)
	}
	for _, s := range []string{secret, password, "at-123456789", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"} {
		if strings.Contains(stdout, s) {
			t.Errorf("--output json shows the secret %q", s)
		}
	}
	_, stdout, _ = run(t, nil, append([]string{"call", "--output", "json", "--reveal"}, base...)...)
	for _, s := range []string{secret, password, "at-123456789"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("--output json --reveal hides %q", s)
		}
	}
}

func TestCallCurlSendsNothingAndRedacts(t *testing.T) {
	rec := newRecorder(t)
	args := []string{"call", "passwordGrant", "username=jane@example.com", "password=" + password, "--domain", rec.srv.URL, "--client-id", "cid", "--client-secret", secret, "--output", "curl"}
	code, stdout, stderr := run(t, nil, args...)
	if code != 0 || !strings.HasPrefix(stdout, "curl ") || !strings.Contains(stdout, "/oauth/token") {
		t.Fatalf("curl output: exit %d, %q", code, stdout)
	}
	if strings.Contains(stdout+stderr, secret) || strings.Contains(stdout+stderr, password) {
		t.Errorf("curl output shows a secret: %s\n%s", stdout, stderr)
	}
	// The command reads the secrets from variables, and stderr names them.
	if !strings.Contains(stdout, `"$AUTH0_CLIENT_SECRET"`) || !strings.Contains(stdout, `"$AUTH0_PASSWORD"`) {
		t.Errorf("curl output does not read the secrets from the environment: %s", stdout)
	}
	if want := "auth0-explorer: note: the command reads secrets from AUTH0_CLIENT_SECRET and AUTH0_PASSWORD: set them before running it, or add --reveal to print the secrets in the command\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	_, stdout, stderr = run(t, nil, append(args, "--reveal")...)
	if !strings.Contains(stdout, secret) || !strings.Contains(stdout, password) || stderr != "" {
		t.Errorf("curl --reveal hides the secrets: %s\nstderr: %q", stdout, stderr)
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("--output curl sent %d requests", n)
	}
}

func TestCallErrorsExitCodesAndNoSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		// A server that echoes the secret must not make us print it.
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Wrong email or password for ` + password + `."}`))
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, nil, "call", "passwordGrant", "username=jane@example.com", "password="+password, "--domain", srv.URL, "--client-id", "cid", "--client-secret", secret)
	if code != 1 {
		t.Errorf("403: exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "403") || !strings.Contains(stderr, "invalid_grant") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("403: stderr %q, want one sentence with status and error", stderr)
	}
	if strings.Contains(stderr, password) || strings.Contains(stderr, secret) {
		t.Errorf("error text shows a secret: %q", stderr)
	}
	if !strings.Contains(stdout, "invalid_grant") {
		t.Errorf("403: the error body belongs on stdout for scripts, got %q", stdout)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, _, stderr = run(t, nil, "call", "clientCredentialsGrant", "--domain", "http://"+addr, "--client-id", "cid", "--client-secret", secret)
	if code != 3 || !strings.Contains(stderr, "refused") || strings.Contains(stderr, secret) {
		t.Errorf("refused connection: exit %d, %q", code, stderr)
	}
}

func TestOperationsJSONListsEverySDKMethod(t *testing.T) {
	code, stdout, _ := run(t, nil, "operations", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var ops []struct {
		Name   string
		Method string
		Path   string
		Fields []struct {
			Name     string
			Required bool
		}
		Rules []struct{ Kind, Text string }
	}
	if err := json.Unmarshal([]byte(stdout), &ops); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, op := range ops {
		byName[op.Name] = i
	}
	// node-auth0 2.44.1 AuthenticationClient: top-level methods and members.
	for _, n := range []string{
		"changePassword", "clientCredentialsGrant", "getDelegationToken", "getProfile",
		"passwordGrant", "refreshToken", "requestChangePasswordEmail", "requestEmailCode",
		"requestMagicLink", "requestSMSCode", "verifySMSCode", "verifyEmailCode",
		"database.signIn", "database.signUp", "database.changePassword", "database.requestChangePasswordEmail",
		"oauth.signIn", "oauth.passwordGrant", "oauth.refreshToken", "oauth.socialSignIn",
		"oauth.clientCredentialsGrant", "oauth.authorizationCodeGrant",
		"passwordless.signIn", "passwordless.sendEmail", "passwordless.sendSMS",
		"tokens.getInfo", "tokens.getDelegationToken", "tokens.revokeRefreshToken",
		"users.getInfo", "users.impersonate",
	} {
		i, ok := byName[n]
		if !ok {
			t.Errorf("operations --json lacks %s", n)
			continue
		}
		if len(ops[i].Fields) == 0 || ops[i].Path == "" || len(ops[i].Rules) == 0 {
			t.Errorf("%s listed without fields, path or rules", n)
		}
	}
	pg := ops[byName["passwordGrant"]]
	if pg.Fields[0].Name != "username" || !pg.Fields[0].Required {
		t.Errorf("passwordGrant's first field %+v, want required username", pg.Fields[0])
	}
	found := false
	for _, r := range pg.Rules {
		found = found || strings.Contains(r.Text, "password-realm")
	}
	if !found {
		t.Errorf("passwordGrant rules do not say realm switches the grant: %+v", pg.Rules)
	}

	code, stdout, _ = run(t, nil, "operations")
	if code != 0 || !strings.Contains(stdout, "passwordless.sendEmail") || !strings.Contains(stdout, "† deprecated by Auth0") {
		t.Errorf("operations: exit %d, %q", code, stdout)
	}
}

func TestCompletion(t *testing.T) {
	_, stdout, _ := run(t, nil, "__complete", "call", "passwordl")
	if !strings.Contains(stdout, "passwordless.signIn") || strings.Contains(stdout, "refreshToken") {
		t.Errorf("operation completion: %q", stdout)
	}
	_, stdout, _ = run(t, nil, "__complete", "call", "requestMagicLink", "email=a@b.c", "")
	if !strings.Contains(stdout, "authParams:=") || strings.Contains(stdout, "email=") {
		t.Errorf("field completion: %q", stdout)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := run(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "auth0-explorer ") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
}

func TestWrapWords(t *testing.T) {
	got := wrapWords("username* password* realm scope audience client_id", 20)
	want := []string{"username* password*", "realm scope audience", "client_id"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrapWords = %q, want %q", got, want)
	}
	if got := wrapWords("a b c", 0); len(got) != 1 {
		t.Errorf("width 0 wraps: %q", got)
	}
}
