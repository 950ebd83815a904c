package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"auth0-explorer/config"
)

func runStdin(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

const pastedToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"

// A token with a trailing CR (from a CRLF file) was sent to the transport,
// which refused it: exit 3 "could not reach". "Bearer …" went out as
// "Bearer Bearer …". Both are now cleaned, with a note, and sent.
func TestCallCleansPastedTokens(t *testing.T) {
	rec := newRecorder(t)
	for _, in := range []string{pastedToken + "\r", "Bearer " + pastedToken, `"` + pastedToken + `"`} {
		code, _, stderr := run(t, nil, "call", "getProfile", "accessToken="+in, "--domain", rec.srv.URL)
		if code != 0 {
			t.Fatalf("%q: exit %d, %q", in, code, stderr)
		}
		if !strings.Contains(stderr, "note: accessToken: removed") || strings.Contains(stderr, pastedToken) {
			t.Errorf("%q: stderr %q, want a note without the token", in, stderr)
		}
		got := rec.take()
		if len(got) != 1 || got[0].header.Get("Authorization") != "Bearer "+pastedToken {
			t.Errorf("%q: sent %v", in, got)
		}
	}
}

// Header values the transport would refuse are refused up front (exit 2,
// one sentence naming the field, nothing sent), and --output curl does not
// print a command that sends the injected header.
func TestCallRefusesHeaderInjectionForSendAndCurl(t *testing.T) {
	rec := newRecorder(t)
	cases := [][]string{
		{"call", "getProfile", "accessToken=abc\r\nX-Injected: 1"},
		{"call", "passwordGrant", "username=u", "password=p", "--forwarded-for", "1.2.3.4\r\nX-Injected: 1"},
		{"call", "passwordGrant", "username=u", "password=p", "--forwarded-for", "not-an-ip"},
	}
	for _, args := range cases {
		for _, output := range []string{"body", "curl"} {
			a := append(append([]string{}, args...), "--domain", rec.srv.URL, "--client-id", "c", "--output", output)
			code, stdout, stderr := run(t, nil, a...)
			if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, one sentence, no output", a, code, stdout, stderr)
			}
			if !strings.Contains(stderr, "accessToken") && !strings.Contains(stderr, "--forwarded-for") {
				t.Errorf("%q: the sentence names no field: %q", a, stderr)
			}
		}
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	code, stdout, _ := run(t, nil, "call", "passwordGrant", "username=u", "password=p", "--forwarded-for", "203.0.113.7", "--domain", rec.srv.URL, "--client-id", "c", "-o", "curl")
	if code != 0 || !strings.Contains(stdout, "auth0-forwarded-for: 203.0.113.7") {
		t.Errorf("a valid IP: exit %d, %q", code, stdout)
	}
}

func TestCallFieldsFromFilesAndStdin(t *testing.T) {
	rec := newRecorder(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pw := write("pw.txt", password+"\r\n")
	meta := write("meta.json", `{"plan": "pro"}`+"\n")
	base := []string{"--domain", rec.srv.URL, "--client-id", "c"}

	code, stdout, stderr := run(t, nil, append([]string{"call", "database.signUp", "email=a@b.c", "password=@" + pw, "connection=db", "user_metadata:=@" + meta}, base...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := rec.take()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	var body map[string]any
	_ = json.Unmarshal(got[0].body, &body)
	if body["password"] != password || body["user_metadata"].(map[string]any)["plan"] != "pro" {
		t.Errorf("body %s", got[0].body)
	}
	if !strings.Contains(stderr, "note: password: the final line ending of the file") || strings.Contains(stdout+stderr, password) {
		t.Errorf("stderr %q: want a note, never the password", stderr)
	}

	// Standard input, for one field; a literal @ and - with httpie's escape.
	code, _, stderr = runStdin(t, nil, password+"\n", append([]string{"call", "passwordGrant", "username=\\@jane", "password=-", "scope=\\-"}, base...)...)
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, stderr)
	}
	got = rec.take()
	if len(got) != 1 || !strings.Contains(string(got[0].body), `"username":"@jane","password":"`+password+`","scope":"-"`) {
		t.Errorf("stdin body %s", got[0].body)
	}
	code, _, _ = runStdin(t, nil, "x", append([]string{"call", "passwordGrant", "username=@-", "password=-"}, base...)...)
	if code != 2 {
		t.Errorf("two fields from stdin: exit %d, want 2", code)
	}

	for name, args := range map[string][]string{
		"missing file":  {"call", "passwordGrant", "username=u", "password=@" + filepath.Join(dir, "nope")},
		"not JSON":      {"call", "database.signUp", "email=a@b.c", "password=p", "connection=db", "user_metadata:=@" + pw},
		"not UTF-8":     {"call", "passwordGrant", "username=u", "password=@" + write("bin", "\xff\xfe")},
		"directory":     {"call", "passwordGrant", "username=u", "password=@" + dir},
		"given twice":   {"call", "passwordGrant", "username=u", "password=a", "password=b"},
		"empty path":    {"call", "passwordGrant", "username=u", "password=@"},
		"twice as JSON": {"call", "passwordGrant", "username=u", "password=a", `password:="b"`},
	} {
		code, stdout, stderr := run(t, nil, append(args, base...)...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "password") && !strings.Contains(stderr, "user_metadata") {
			t.Errorf("%s: exit %d, %q, %q; want exit 2 and a sentence naming the field", name, code, stdout, stderr)
		}
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("refused input sent %d requests", n)
	}
}

// At a terminal, name=- prompts on stderr and reads without echo.
func TestCallFieldFromTerminalIsNotEchoed(t *testing.T) {
	rec := newRecorder(t)
	reads := fakeTerminal(t, password)
	code, stdout, stderr := run(t, nil, "call", "passwordGrant", "username=u", "password=-", "--domain", rec.srv.URL, "--client-id", "c")
	if code != 0 || *reads != 1 || !strings.Contains(stderr, "password (not shown as you type): ") || strings.Contains(stdout+stderr, password) {
		t.Errorf("exit %d, %d reads, stderr %q", code, *reads, stderr)
	}
	if got := rec.take(); len(got) != 1 || !strings.Contains(string(got[0].body), `"password":"`+password+`"`) {
		t.Errorf("sent %v", got)
	}
}

func TestCallTimeoutInSecondsAndOutputAnyCase(t *testing.T) {
	rec := newRecorder(t)
	for _, args := range [][]string{
		{"--timeout", "100", "--connect-timeout", "5"},
		{"--timeout", "1m", "--connect-timeout", "500ms"},
		{"-o", "JSON"},
	} {
		code, stdout, stderr := run(t, nil, append([]string{"call", "clientCredentialsGrant", "--domain", rec.srv.URL, "--client-id", "c", "--client-secret", "s"}, args...)...)
		if code != 0 {
			t.Errorf("%q: exit %d, %q", args, code, stderr)
		}
		if args[0] == "-o" && !strings.HasPrefix(stdout, `{"request"`) && !strings.HasPrefix(stdout, "{\n") {
			t.Errorf("-o JSON printed %q", stdout)
		}
	}
	for _, bad := range []string{"--timeout=0", "--timeout=abc", "--connect-timeout=-5"} {
		if code, _, _ := run(t, nil, "call", "clientCredentialsGrant", "--domain", rec.srv.URL, bad); code != 2 {
			t.Errorf("%s: exit %d, want 2", bad, code)
		}
	}
}

// AUTH0_CLIENT_SECRET with a trailing CR was sent as is, and Auth0 said a
// bare 401. It is trimmed with a note; a control character inside is
// refused with a sentence that does not show the secret.
func TestCallEnvironmentCredentialsAreCleaned(t *testing.T) {
	rec := newRecorder(t)
	env := map[string]string{"AUTH0_DOMAIN": rec.srv.URL, "AUTH0_CLIENT_ID": "env-id\r", "AUTH0_CLIENT_SECRET": secret + "\r"}
	code, _, stderr := run(t, env, "call", "clientCredentialsGrant")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := rec.take()
	if len(got) != 1 || !strings.Contains(string(got[0].body), `"client_id":"env-id","client_secret":"`+secret+`"`) {
		t.Errorf("sent %v", got)
	}
	if !strings.Contains(stderr, "whitespace from AUTH0_CLIENT_SECRET") || !strings.Contains(stderr, "whitespace from AUTH0_CLIENT_ID") || strings.Contains(stderr, secret) {
		t.Errorf("stderr %q", stderr)
	}
	// The env profile too.
	code, _, stderr = run(t, env, "call", "clientCredentialsGrant", "--profile", "env")
	if got := rec.take(); code != 0 || len(got) != 1 || !strings.Contains(string(got[0].body), `"client_secret":"`+secret+`"`) {
		t.Errorf("--profile env: exit %d, %q, %v", code, stderr, got)
	}

	env["AUTH0_CLIENT_SECRET"] = "abc\ndef" + secret
	code, stdout, stderr := run(t, env, "call", "clientCredentialsGrant")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "AUTH0_CLIENT_SECRET holds a line feed") || strings.Contains(stderr, secret) || strings.Count(stderr, "\n") != 2 {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	// A flag with a CR is cleaned the same way.
	code, _, stderr = run(t, nil, "call", "clientCredentialsGrant", "--domain", rec.srv.URL, "--client-id", "c", "--client-secret", secret+"\r")
	if got := rec.take(); code != 0 || len(got) != 1 || !strings.Contains(string(got[0].body), `"client_secret":"`+secret+`"`) || !strings.Contains(stderr, "--client-secret") {
		t.Errorf("flag: exit %d, %q, %v", code, stderr, got)
	}
}

func TestProfileSecretStdinIsOneLine(t *testing.T) {
	e := newProfileEnv(t, nil)
	for i, in := range []string{profileSecret + "\r\n", profileSecret + "\n\n\n", "  " + profileSecret + "\n"} {
		args := []string{"profile", "add", "dev", "--client-secret-stdin"}
		if i == 0 {
			args = append(args, "--domain", "t.auth0.com", "--client-id", "id")
		} else {
			args = append(args, "--update")
		}
		e.ok(in, args...)
		store, err := config.Open(config.Options{Dir: e.dir, Keyring: config.NoKeyring()})
		if err != nil {
			t.Fatal(err)
		}
		p, err := store.Load("dev")
		if err != nil || p.ClientSecret != profileSecret {
			t.Errorf("%q: saved %q (%v)", in, p.ClientSecret, err)
		}
	}
	for _, in := range []string{profileSecret + "\nsecond line\n", "a\x1bb"} {
		code, out, errs := e.run(in, "profile", "add", "bad", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
		if code != 2 || out != "" || !strings.Contains(errs, "no secret was saved") || strings.Contains(errs, profileSecret) {
			t.Errorf("%q: exit %d, %q", in, code, errs)
		}
	}
	if out, _ := e.ok("", "profile", "list"); strings.Contains(out, "bad") {
		t.Errorf("a refused secret was saved:\n%s", out)
	}
}

// token reads pastes the same way call's token fields do: quotes, a byte
// order mark, an id_token= prefix from a URL fragment.
func TestTokenCleansPastes(t *testing.T) {
	tn := newJWKSTenant(t)
	tok := mintRS(t, claimsFor(tn.URL+"/", nil))
	for _, in := range []string{"'" + tok + "'", "\uFEFF" + tok, "#id_token=" + tok + "&state=xyz", tok + "\r\n"} {
		code, out, errOut := tokenRun(t, nil, in, "token", "-", "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
		if code != 0 || !strings.Contains(errOut, "note: token: removed") {
			t.Errorf("%q: exit %d, stderr %q\n%s", in, code, errOut, out)
		}
	}
	// A plain newline from echo is expected and not remarked on.
	code, _, errOut := tokenRun(t, nil, tok+"\n", "token", "-", "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 0 || errOut != "" {
		t.Errorf("echo's newline: exit %d, %q", code, errOut)
	}
}
