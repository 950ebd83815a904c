package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/ui/tui"
)

// seededStart is what the UI was started with under the hidden sandbox
// flags: the session's tenant, the UI's clock, and an id_token the sandbox
// minted while the UI ran.
type seededStart struct {
	sandbox          bool
	baseURL          string
	clientID, secret string
	now              time.Time
	idToken          string
	// duration is how long the passwordGrant took on the session's clock.
	duration time.Duration
}

func startSeeded(t *testing.T, getenv func(string) string, args ...string) (seededStart, int, string) {
	t.Helper()
	var got seededStart
	var o, e bytes.Buffer
	env := Env{Stdout: &o, Stderr: &e, Getenv: getenv, Interactive: true,
		TUI: func(ctx context.Context, opts tui.Options) error {
			s := opts.Session
			got = seededStart{sandbox: s.IsSandbox(), baseURL: s.Client.BaseURL,
				clientID: s.Client.ClientID, secret: s.Client.ClientSecret}
			if opts.Now != nil {
				got.now = opts.Now()
			}
			ex := s.Client.Do(ctx, api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
				api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid")}})
			if ex.Err != nil {
				t.Errorf("passwordGrant on the UI's sandbox: %v", ex.Err)
				return nil
			}
			got.duration = ex.Duration
			for _, tok := range ex.Tokens {
				if tok.Field == "id_token" {
					got.idToken = tok.Value
				}
			}
			return nil
		}}
	code := Run(context.Background(), args, env)
	return got, code, e.String()
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// TestRootHiddenSandboxFlagsMakeItReproducible: --seed, --sandbox-addr and
// --now (hidden, for screenshots) start the UI on a seeded sandbox at that
// address with a frozen clock, so two starts give the same tenant and the
// same tokens; they imply --sandbox even when a default profile is saved.
func TestRootHiddenSandboxFlagsMakeItReproducible(t *testing.T) {
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "sec-ret-value", "--default")
	getenv := func(k string) string { return p.env[k] }
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	addr := freeLoopbackAddr(t)
	args := []string{"--seed", "4", "--sandbox-addr", addr, "--now", at.Format(time.RFC3339)}

	a, code, errs := startSeeded(t, getenv, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	want, err := sandbox.Start(sandbox.Options{Seed: 4, Seeded: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = want.Close()
	if !a.sandbox || a.baseURL != "http://"+addr {
		t.Errorf("sandbox %v at %s, want the sandbox at http://%s", a.sandbox, a.baseURL, addr)
	}
	if a.clientID != want.Client.ID || a.secret != want.Client.Secret {
		t.Errorf("client %s, want the seed-4 client %s", a.clientID, want.Client.ID)
	}
	if !a.now.Equal(at) {
		t.Errorf("the UI's clock reads %v, want %v", a.now, at)
	}
	if iat := claim(t, a.idToken, "iat"); iat != strconv.FormatInt(at.Unix(), 10) {
		t.Errorf("id_token iat %s, want the frozen %d", iat, at.Unix())
	}
	// The session's client measures on the same frozen clock, so the
	// exchange's duration (shown in the answer and the status bar) is the
	// same on every run.
	if a.duration != 0 {
		t.Errorf("the exchange took %v on the frozen clock, want 0", a.duration)
	}
	b, code, errs := startSeeded(t, getenv, args...)
	if code != 0 {
		t.Fatalf("second start: exit %d\n%s", code, errs)
	}
	if a.idToken == "" || b.idToken != a.idToken {
		t.Errorf("two starts minted different id_tokens:\n%s\n%s", a.idToken, b.idToken)
	}

	// The flags name the sandbox, so a profile beside them is a usage error;
	// a bad time is one sentence; --help does not list them.
	if _, code, errs := startSeeded(t, getenv, "--seed", "4", "--profile", "dev"); code != 2 || !strings.Contains(errs, "--profile") {
		t.Errorf("--seed with --profile: exit %d %s", code, errs)
	}
	if _, code, errs := startSeeded(t, getenv, "--sandbox", "--now", "noon"); code != 2 || !strings.Contains(errs, "--now") {
		t.Errorf("--now noon: exit %d %s", code, errs)
	}
	code, out, _ := p.run("", "--help")
	if code != 0 || !strings.Contains(out, "--sandbox") {
		t.Fatalf("--help: exit %d\n%s", code, out)
	}
	for _, f := range []string{"--seed", "--sandbox-addr", "--now"} {
		if strings.Contains(out, f) {
			t.Errorf("--help lists the hidden %s", f)
		}
	}
}

// claim is one claim of a JWT's payload, as JSON text.
func claim(t *testing.T, jwt, name string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]json.RawMessage
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return string(c[name])
}
