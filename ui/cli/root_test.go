package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/ui/tui"
)

// startedTUI runs the root command with an interactive terminal and a fake
// UI, and returns the session the UI would have been started on.
func startedTUI(t *testing.T, getenv func(string) string, args ...string) (app *tui.Options, code int, stderr string) {
	t.Helper()
	var got *tui.Options
	var o, e bytes.Buffer
	env := Env{Stdout: &o, Stderr: &e, Getenv: getenv, Interactive: true,
		TUI: func(_ context.Context, opts tui.Options) error {
			got = &opts
			if opts.Session == nil || opts.Session.Client == nil {
				t.Error("the UI was started without a session")
			}
			return nil
		}}
	code = Run(context.Background(), args, env)
	return got, code, e.String()
}

// TestRootWithoutProfileStartsTheTUIOnTheSandbox: on a fresh machine (no
// profile saved) the terminal UI opens on an in-process sandbox tenant.
func TestRootWithoutProfileStartsTheTUIOnTheSandbox(t *testing.T) {
	p := newProfileEnv(t, nil)
	o, code, errs := startedTUI(t, func(k string) string { return p.env[k] })
	if code != 0 || o == nil {
		t.Fatalf("exit %d, UI started: %v\n%s", code, o != nil, errs)
	}
	if !o.Session.IsSandbox() || o.Session.Name != "SANDBOX" {
		t.Errorf("session %q, want the sandbox", o.Session.Name)
	}
	if !strings.HasPrefix(o.Session.Client.BaseURL, "http://127.0.0.1:") {
		t.Errorf("sandbox at %s, want loopback", o.Session.Client.BaseURL)
	}
}

func TestRootWithDefaultProfileOpensIt(t *testing.T) {
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "sec-ret-value", "--default")
	o, code, errs := startedTUI(t, func(k string) string { return p.env[k] })
	if code != 0 || o == nil {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if o.Session.IsSandbox() || o.Session.Name != "dev" || o.Session.Domain() != "dev.eu.auth0.com" || o.Session.Client.ClientID != "cid" {
		t.Errorf("session %q on %s, want profile dev", o.Session.Name, o.Session.Domain())
	}
	if strings.Contains(errs, "sec-ret-value") {
		t.Error("the root printed the profile's secret")
	}
	// --sandbox wins over the default profile; --profile names another.
	if o, _, _ := startedTUI(t, func(k string) string { return p.env[k] }, "--sandbox"); o == nil || !o.Session.IsSandbox() {
		t.Error("--sandbox did not start on the sandbox")
	}
	if _, code, errs := startedTUI(t, func(k string) string { return p.env[k] }, "--profile", "nope"); code != 2 || !strings.Contains(errs, "nope") {
		t.Errorf("--profile nope: exit %d %s", code, errs)
	}
}

// Without a terminal the root says in one sentence what to use instead.
func TestRootNeedsATerminal(t *testing.T) {
	var o, e bytes.Buffer
	code := Run(context.Background(), nil, Env{Stdout: &o, Stderr: &e})
	if code != 2 || o.Len() != 0 {
		t.Fatalf("exit %d, stdout %q", code, o.String())
	}
	for _, w := range []string{"terminal", "call", "token", "operations"} {
		if !strings.Contains(e.String(), w) {
			t.Errorf("the sentence lacks %q: %s", w, e.String())
		}
	}
	if strings.Count(strings.TrimSpace(e.String()), "\n") != 0 {
		t.Errorf("more than one line: %s", e.String())
	}
}

// TestTokenWithProfileVerifiesSandboxTokens: `token --profile` takes the
// issuer, JWKS, audience and HS256 secret from a saved profile.
func TestTokenWithProfileVerifiesSandboxTokens(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv, err := sandbox.Start(sandbox.Options{Seed: 9, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "sbx", "--domain", srv.BaseURL, "--client-id", srv.Client.ID, "--client-secret", srv.Client.Secret)
	p.ok("", "profile", "add", "legacy", "--domain", srv.BaseURL, "--client-id", srv.HSClient.ID, "--client-secret", srv.HSClient.Secret)

	mint := func(c sandbox.Client) string {
		cl, _ := api.New(api.Config{Domain: srv.BaseURL, ClientID: c.ID, ClientSecret: c.Secret})
		ex := cl.Do(context.Background(), api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
			api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid")}})
		if ex.Err != nil {
			t.Fatal(ex.Err)
		}
		return ex.Tokens[1].Value // access_token, id_token
	}
	at := "--now=" + now.Format(time.RFC3339)
	if code, out, errs := p.run("", "token", mint(srv.Client), "--profile", "sbx", at); code != 0 {
		t.Errorf("RS256 id_token with --profile: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := p.run("", "token", mint(srv.HSClient), "--profile", "legacy", at); code != 0 {
		t.Errorf("HS256 id_token with --profile: exit %d\n%s%s", code, out, errs)
	}
	// The RS256 client's token is not for the HS256 client's profile.
	if code, _, _ := p.run("", "token", mint(srv.Client), "--profile", "legacy", at); code != 1 {
		t.Errorf("a token for another audience: exit %d, want 1", code)
	}
}

// call --profile fills audience, scope and realm from the profile when the
// operation takes them and the caller did not give them.
func TestCallUsesProfileDefaults(t *testing.T) {
	rec := newRecorder(t)
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", rec.srv.URL, "--client-id", "cid", "--client-secret", "sec-ret-value",
		"--audience", "https://api.example.com/", "--scope", "openid profile", "--realm", "db-conn")
	_, errs := p.ok("", "call", "passwordGrant", "username=u", "password=p", "scope=openid", "--profile", "dev")
	got := rec.take()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	want := `{"client_id":"cid","client_secret":"sec-ret-value","grant_type":"http://auth0.com/oauth/grant-type/password-realm","username":"u","password":"p","scope":"openid","audience":"https://api.example.com/","realm":"db-conn"}`
	if string(got[0].body) != want {
		t.Errorf("body %s\nwant %s", got[0].body, want)
	}
	if !strings.Contains(errs, "audience=https://api.example.com/ from profile dev") || strings.Contains(errs, "scope=openid profile") {
		t.Errorf("notes %q: want the audience named, the given scope kept", errs)
	}
	// Passwordless operations take no realm from a database profile.
	p.ok("", "call", "requestSMSCode", "phone_number=+15555550100", "--profile", "dev")
	if got := rec.take(); len(got) != 1 || strings.Contains(string(got[0].body), "db-conn") {
		t.Errorf("passwordless body %s", got[0].body)
	}
}

func TestCallNotesUnknownFieldsAndRefusesBadTimeouts(t *testing.T) {
	rec := newRecorder(t)
	code, _, stderr := run(t, nil, "call", "passwordGrant", "username=u", "password=p", "scpoe=openid", "--domain", rec.srv.URL, "--client-id", "c")
	if code != 0 || !strings.Contains(stderr, `"scpoe" is not one of passwordGrant's fields`) {
		t.Errorf("typo'd field: exit %d, %q", code, stderr)
	}
	if got := rec.take(); len(got) != 1 || !strings.Contains(string(got[0].body), `"scpoe":"openid"`) {
		t.Errorf("the extra field is passed on as the SDK does: %v", got)
	}
	for _, bad := range []string{"--timeout=0s", "--connect-timeout=-1s"} {
		if code, _, _ := run(t, nil, "call", "clientCredentialsGrant", "--domain", rec.srv.URL, bad); code != 2 {
			t.Errorf("%s: exit %d, want 2", bad, code)
		}
	}
	env := map[string]string{"AUTH0_DOMAIN": "tenant.eu.auth0.com", "AUTH0_CLIENT_ID": "i", "AUTH0_CLIENT_SECRET": "s"}
	_, _, stderr = run(t, env, "call", "clientCredentialsGrant", "--domain", rec.srv.URL)
	if !strings.Contains(stderr, "are for AUTH0_DOMAIN (tenant.eu.auth0.com)") {
		t.Errorf("no word on the dropped environment credentials: %q", stderr)
	}
}

func TestRootClearClipboardFlag(t *testing.T) {
	p := newProfileEnv(t, nil)
	o, code, errs := startedTUI(t, func(k string) string { return p.env[k] }, "--clear-clipboard", "30")
	if code != 0 || o == nil || o.ClearClipboardAfter != 30*time.Second {
		t.Fatalf("exit %d, options %+v\n%s", code, o, errs)
	}
	if _, code, _ := startedTUI(t, func(k string) string { return p.env[k] }, "--clear-clipboard", "soon"); code != 2 {
		t.Errorf("--clear-clipboard soon: exit %d, want 2", code)
	}
}

// The root gives the UI what its tenant picker needs: the profiles of the
// configuration directory and the sandbox it started.
func TestRootGivesTheUIItsTenants(t *testing.T) {
	p := newProfileEnv(t, nil)
	var entries []string
	env := Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return p.env[k] }, Interactive: true,
		TUI: func(_ context.Context, o tui.Options) error {
			if o.Tenants == nil || o.Tenants.Sandbox != o.Session {
				t.Fatal("no tenants, or not the started sandbox")
			}
			p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "sec")
			es, _, err := o.Tenants.List()
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				entries = append(entries, e.Name)
			}
			return nil
		}}
	if code := Run(context.Background(), []string{"--sandbox"}, env); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Join(entries, ",") != "SANDBOX,dev" {
		t.Errorf("entries %q", entries)
	}
}

// The UI keeps its history next to the configuration named by
// AUTH0_EXPLORER_CONFIG (else in the XDG state directory); --no-history
// gives it none; without a place to keep it, the UI says why.
func TestRootHistory(t *testing.T) {
	p := newProfileEnv(t, nil)
	getenv := func(k string) string { return p.env[k] }
	o, code, errs := startedTUI(t, getenv)
	if code != 0 || o == nil || o.History == nil || o.History.Dir() != filepath.Join(p.dir, "history") {
		t.Fatalf("exit %d, history %+v\n%s", code, o, errs)
	}
	o, code, _ = startedTUI(t, getenv, "--no-history")
	if code != 0 || o == nil || o.History != nil || o.HistoryNote != "" {
		t.Fatalf("--no-history: exit %d, history %+v", code, o)
	}
	o, code, _ = startedTUI(t, func(k string) string { return map[string]string{"XDG_STATE_HOME": "/s"}[k] })
	if code != 0 || o == nil || o.History == nil || o.History.Dir() != "/s/auth0-explorer/history" {
		t.Fatalf("XDG_STATE_HOME: exit %d, %+v", code, o)
	}
	o, code, _ = startedTUI(t, func(string) string { return "" })
	if code != 0 || o == nil || o.History != nil || !strings.Contains(o.HistoryNote, "$HOME") {
		t.Fatalf("no HOME: exit %d, %+v", code, o)
	}
}
