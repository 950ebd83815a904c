package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"

	"github.com/golang-jwt/jwt/v5"
)

// serveUntilReady runs the command line in the background until marker
// shows on out, returns what was printed, then stops it.
func serveUntilReady(t *testing.T, env Env, args ...string) (stdout, stderr string) {
	t.Helper()
	out := &watchWriter{marker: "Ctrl+C", seen: make(chan struct{})}
	errw := &watchWriter{marker: "Ctrl+C", seen: make(chan struct{})}
	env.Stdout, env.Stderr = out, errw
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- Run(ctx, args, env) }()
	select {
	case <-out.seen:
	case <-errw.seen:
	case code := <-done:
		cancel()
		t.Fatalf("%v exited %d without serving:\n%s%s", args, code, out.String(), errw.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("%v: exit %d after Ctrl+C", args, code)
	}
	return out.String(), errw.String()
}

// The sandbox's hint runs the binary by the path it was started with and
// puts the credentials in an export command (one variable a line, so that
// it fits a terminal and pastes as one command), not on the call's command
// line; it lists the public client's callbacks.
func TestSandboxHintUsesTheProgramPathAndExportLine(t *testing.T) {
	out, _ := serveUntilReady(t, Env{Program: "./bin/auth0-explorer"}, "sandbox", "--seed", "5")
	export := regexp.MustCompile(`(?m)^  export AUTH0_DOMAIN='http://127\.0\.0\.1:\d+' \\\n      AUTH0_CLIENT_ID='sbx\w+' \\\n      AUTH0_CLIENT_SECRET='\w+'$`)
	if !export.MatchString(out) {
		t.Errorf("no export line:\n%s", out)
	}
	if !strings.Contains(out, "\n  ./bin/auth0-explorer call passwordGrant username=jane@example.com password='Passw0rd!' scope=openid\n") {
		t.Errorf("the call hint does not run ./bin/auth0-explorer:\n%s", out)
	}
	if strings.Contains(out, "--client-secret") {
		t.Errorf("the hint puts the secret on the call's command line:\n%s", out)
	}
	if !regexp.MustCompile(`PKCE callbacks\s+http://127\.0\.0\.1/callback`).MatchString(out) {
		t.Errorf("no PKCE callback:\n%s", out)
	}
	// Run from PATH, or by 'go run': the plain name.
	for _, prog := range []string{"", "auth0-explorer", filepath.Join(os.TempDir(), "go-build123", "b001", "exe", "auth0-explorer")} {
		if got := program(&Env{Program: prog}); got != "auth0-explorer" {
			t.Errorf("program(%q) = %q", prog, got)
		}
	}
	if got := program(&Env{Program: "/opt/my tools/auth0-explorer"}); got != "'/opt/my tools/auth0-explorer'" {
		t.Errorf("a path with a space: %q", got)
	}
}

// sandbox --env prints only the export line on stdout, and the line works:
// the AUTH0_* it sets reach the sandbox.
func TestSandboxEnvPrintsOnlyTheExportLine(t *testing.T) {
	out, errs := serveUntilReady(t, Env{}, "sandbox", "--env", "--seed", "7")
	m := regexp.MustCompile(`^export AUTH0_DOMAIN='([^']+)' AUTH0_CLIENT_ID='([^']+)' AUTH0_CLIENT_SECRET='([^']+)'\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout %q: want one export line", out)
	}
	if !strings.Contains(errs, "client secret") || !strings.Contains(errs, "Sandbox stopped.") {
		t.Errorf("the banner is not on stderr:\n%s", errs)
	}
	// The same seed gives the same tenant: start it again and use the line.
	srv, err := sandbox.Start(sandbox.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.Client.ID != m[2] || srv.Client.Secret != m[3] {
		t.Fatalf("export line %q is not the seeded client", out)
	}
	env := map[string]string{"AUTH0_DOMAIN": srv.BaseURL, "AUTH0_CLIENT_ID": m[2], "AUTH0_CLIENT_SECRET": m[3]}
	if code, stdout, stderr := run(t, env, "call", "clientCredentialsGrant", "audience="+srv.ManagementAPI()); code != 0 || !strings.Contains(stdout, "access_token") {
		t.Errorf("call with the exported credentials: exit %d %s %s", code, stdout, stderr)
	}
}

// --seed 0 is a seed like any other: the same tenant twice.
func TestSandboxSeedZeroIsDeterministic(t *testing.T) {
	id := func() string {
		out, _ := serveUntilReady(t, Env{}, "sandbox", "--seed", "0")
		m := regexp.MustCompile(`client id\s+(\S+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no client id:\n%s", out)
		}
		return m[1]
	}
	if a, b := id(), id(); a != b {
		t.Errorf("--seed 0 gave clients %s and %s", a, b)
	}
}

// The root with a default profile prints the profiles file's warnings
// once.
func TestRootWarnsOnce(t *testing.T) {
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "sec-ret-value", "--default")
	getenv := func(k string) string { return p.env[k] }

	// A file from a newer version is read but never written: a warning on
	// every open.
	b, err := os.ReadFile(p.path())
	if err != nil {
		t.Fatal(err)
	}
	newer := regexp.MustCompile(`"version":\s*1`).ReplaceAll(b, []byte(`"version": 99`))
	if err := os.WriteFile(p.path(), newer, 0o600); err != nil {
		t.Fatal(err)
	}
	o, code, errs := startedTUI(t, getenv)
	if code != 0 || o == nil || o.Session.Name != "dev" {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	lines := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		lines[l]++
	}
	for l, n := range lines {
		if n > 1 {
			t.Errorf("said %d times: %s", n, l)
		}
	}
	if !strings.Contains(errs, "warning") {
		t.Errorf("no warning to count:\n%s", errs)
	}
}

func TestSuggestPutsTheCaseInsensitiveMatchFirstAndCutsLongNames(t *testing.T) {
	if got := suggest("passwordgrant"); !strings.HasPrefix(got, " (did you mean passwordGrant, oauth.passwordGrant") {
		t.Errorf("suggest(passwordgrant) = %q", got)
	}
	if got := suggest("CLIENTCREDENTIALSGRANT"); !strings.HasPrefix(got, " (did you mean clientCredentialsGrant,") {
		t.Errorf("suggest(CLIENTCREDENTIALSGRANT) = %q", got)
	}
	long := strings.Repeat("x", 100000) + "\x1b[31m"
	code, _, stderr := run(t, nil, "call", long)
	if code != 2 || len(stderr) > 300 || strings.ContainsRune(stderr, 0x1b) || !strings.Contains(stderr, "100005 bytes") {
		t.Errorf("exit %d, %d-byte message: %.300q", code, len(stderr), stderr)
	}
	// A cut never splits a character.
	if got := quoteCut(strings.Repeat("é", 40), 63); got != `"`+strings.Repeat("é", 31)+`"… (80 bytes)` {
		t.Errorf("quoteCut = %s", got)
	}
}

func TestProfileFlagCompletesProfileNames(t *testing.T) {
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "x")
	p.ok("", "profile", "add", "prod", "--domain", "prod.eu.auth0.com", "--client-id", "cid", "--client-secret", "x")
	for _, args := range [][]string{
		{"__complete", "call", "passwordGrant", "--profile", "d"},
		{"__complete", "token", "--profile", "d"},
		{"__complete", "--profile", "d"},
	} {
		out, _ := p.ok("", args...)
		if !strings.Contains(out, "dev\tdev.eu.auth0.com") || strings.Contains(out, "prod") {
			t.Errorf("%v:\n%s", args[1:], out)
		}
	}
}

// max_age=0 is legal: --max-age 0 asks for auth_time no older than the
// leeway.
func TestTokenMaxAgeZero(t *testing.T) {
	tn := newJWKSTenant(t)
	mint := func(ago time.Duration) string {
		return mintRS(t, claimsFor(tn.URL+"/", jwt.MapClaims{"auth_time": tokenNow.Add(-ago).Unix()}))
	}
	base := []string{"--domain", tn.URL, "--audience", "client-1", tokenNowFlag, "--max-age", "0"}
	if code, out, errs := tokenRun(t, nil, "", append([]string{"token", mint(30 * time.Second)}, base...)...); code != 0 {
		t.Errorf("signed in 30s ago, leeway 60s: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := tokenRun(t, nil, "", append([]string{"token", mint(5 * time.Minute)}, base...)...); code != 1 || !strings.Contains(out, "✗ auth_time") {
		t.Errorf("signed in 5m ago: exit %d\n%s", code, out)
	}
}
