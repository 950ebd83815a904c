package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"auth0-explorer/config"
)

const profileSecret = "pr0file-Secret-Value-XYZ-9876543210"

// memKeyring is an in-memory keyring for tests; the real one is never used.
type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func newMemKeyring() *memKeyring { return &memKeyring{m: map[string]string{}} }

func (k *memKeyring) Get(s, u string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[s+"/"+u]
	if !ok {
		return "", config.ErrSecretNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(s, u, v string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[s+"/"+u] = v
	return nil
}

func (k *memKeyring) Delete(s, u string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[s+"/"+u]; !ok {
		return config.ErrSecretNotFound
	}
	delete(k.m, s+"/"+u)
	return nil
}

func (k *memKeyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.m)
}

// profileEnv runs the command line against a configuration directory in
// t.TempDir() and an optional fake keyring.
type profileEnv struct {
	t   *testing.T
	dir string
	kr  config.Keyring
	env map[string]string
}

func newProfileEnv(t *testing.T, kr config.Keyring) *profileEnv {
	dir := filepath.Join(t.TempDir(), "cfg")
	return &profileEnv{t: t, dir: dir, kr: kr, env: map[string]string{config.EnvConfig: dir}}
}

func (p *profileEnv) path() string { return filepath.Join(p.dir, config.FileName) }

func (p *profileEnv) run(stdin string, args ...string) (int, string, string) {
	p.t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv:  func(k string) string { return p.env[k] },
		Keyring: p.kr,
	})
	return code, out.String(), errb.String()
}

func (p *profileEnv) ok(stdin string, args ...string) (string, string) {
	p.t.Helper()
	code, out, errs := p.run(stdin, args...)
	if code != 0 {
		p.t.Fatalf("%q: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
	}
	return out, errs
}

func TestProfileCommands(t *testing.T) {
	kr := newMemKeyring()
	e := newProfileEnv(t, kr)
	out, errs := e.ok(profileSecret+"\n", "profile", "add", "dev", "--domain", "HTTPS://Dev-Tenant.EU.Auth0.com/", "--client-id", "dev-id",
		"--client-secret-stdin", "--audience", "https://api.example.com/", "--scope", "openid email", "--realm", "Username-Password-Authentication",
		"--algorithms", "rs256,HS256", "--organization", "org_1", "--skip-id-token-validation")
	if want := `saved profile "dev" (dev-tenant.eu.auth0.com), the default; client secret: system keyring`; strings.TrimSpace(out) != want {
		t.Errorf("add said %q, want %q", out, want)
	}
	if errs != "" {
		t.Errorf("add with a keyring wrote to stderr: %q", errs)
	}
	if kr.len() != 1 {
		t.Errorf("keyring has %d entries", kr.len())
	}
	if st, err := os.Stat(e.dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("config dir: %v %v", st, err)
	}
	if st, err := os.Stat(e.path()); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("profiles file: %v %v", st, err)
	}
	e.ok("", "profile", "add", "prod", "--domain", "login.example.com", "--client-id", "prod-id", "--client-secret", "prod-secret-0000-WXYZ", "--default")

	out, _ = e.ok("", "profile", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "*") || !strings.Contains(lines[2], "prod") ||
		strings.HasPrefix(lines[1], "*") || !strings.Contains(lines[1], "dev-tenant.eu.auth0.com") || !strings.Contains(lines[1], "system keyring") {
		t.Errorf("list:\n%s", out)
	}

	out, _ = e.ok("", "profile", "show", "dev")
	for _, want := range []string{"name:", "dev\n", "domain:", "dev-tenant.eu.auth0.com", "client id:", "dev-id", "****3210 (system keyring)",
		"https://api.example.com/", "openid email", "Username-Password-Authentication", "RS256, HS256", "org_1", "skipped", e.path()} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	out, _ = e.ok("", "profile", "show", "prod")
	if !strings.Contains(out, "prod (default)") || !strings.Contains(out, "****WXYZ") {
		t.Errorf("show prod:\n%s", out)
	}

	if out, _ := e.ok("", "profile", "default", "dev"); !strings.Contains(out, `"dev"`) {
		t.Errorf("default said %q", out)
	}
	if out, _ := e.ok("", "profile", "list"); !strings.Contains(out, "* ") || !strings.Contains(strings.Split(out, "\n")[1], "*") {
		t.Errorf("list after default dev:\n%s", out)
	}

	// --update changes only what is given and keeps the secret.
	e.ok("", "profile", "add", "dev", "--update", "--scope", "openid")
	out, _ = e.ok("", "profile", "show", "dev")
	if !strings.Contains(out, "openid\n") || !strings.Contains(out, "****3210") || !strings.Contains(out, "dev-id") {
		t.Errorf("after --update:\n%s", out)
	}

	out, errs = e.ok("", "profile", "rm", "dev")
	if !strings.Contains(out, `removed profile "dev"`) || !strings.Contains(errs, "no default") {
		t.Errorf("rm: %q / %q", out, errs)
	}
	if kr.len() != 1 {
		t.Errorf("keyring entry of the removed profile remains (%d entries)", kr.len())
	}
	if out, _ := e.ok("", "profile", "list"); strings.Contains(out, "dev") {
		t.Errorf("dev still listed:\n%s", out)
	}
}

func TestProfileEnvProfileIsShownNotSaved(t *testing.T) {
	e := newProfileEnv(t, nil)
	e.env["AUTH0_DOMAIN"] = "Env.Auth0.com"
	e.env["AUTH0_CLIENT_ID"] = "env-id"
	e.env["AUTH0_CLIENT_SECRET"] = profileSecret
	out, _ := e.ok("", "profile", "list")
	if !strings.Contains(out, "env") || !strings.Contains(out, "env.auth0.com") || !strings.Contains(out, "not saved") {
		t.Errorf("list:\n%s", out)
	}
	out, _ = e.ok("", "profile", "show", "env")
	if !strings.Contains(out, "****3210") || strings.Contains(out, profileSecret) {
		t.Errorf("show env:\n%s", out)
	}
	if code, _, _ := e.run("", "profile", "add", "env", "--domain", "x.auth0.com", "--client-id", "i"); code != 2 {
		t.Errorf("saving a profile named env: exit %d", code)
	}
	if _, err := os.Stat(e.path()); !os.IsNotExist(err) {
		t.Errorf("the env profile was written: %v", err)
	}
}

func TestProfileMistakesExit2(t *testing.T) {
	e := newProfileEnv(t, nil)
	e.ok("", "profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "id")
	before, _ := os.ReadFile(e.path())
	for _, c := range []struct {
		stdin string
		args  []string
		says  string
	}{
		{"", []string{"profile"}, "subcommand"},
		{"", []string{"profile", "bogus"}, "unknown command"},
		{"", []string{"profile", "add"}, "name"},
		{"", []string{"profile", "add", "x", "--client-id", "i"}, "--domain"},
		{"", []string{"profile", "add", "x", "--domain", "t.auth0.com"}, "--client-id"},
		{"", []string{"profile", "add", "x", "--domain", "t.auth0.com/authorize", "--client-id", "i"}, "path (/authorize)"},
		{"", []string{"profile", "add", "x", "--domain", "t.auth0.com?x=1", "--client-id", "i"}, "query"},
		{"", []string{"profile", "add", "x", "--domain", "t .auth0.com", "--client-id", "i"}, "space"},
		{"", []string{"profile", "add", "x", "--domain", "http://t.auth0.com", "--client-id", "i"}, "loopback"},
		{"", []string{"profile", "add", "bad/name", "--domain", "t.auth0.com", "--client-id", "i"}, "letters"},
		{"", []string{"profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "i"}, "already exists"},
		{"", []string{"profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i", "--client-secret-stdin"}, "empty"},
		{"s", []string{"profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i", "--client-secret-stdin", "--client-secret", "y"}, "client-secret"},
		{"", []string{"profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i", "--algorithms", "none"}, "none"},
		{"", []string{"profile", "add", "nope", "--update", "--scope", "s"}, `no profile "nope"`},
		{"", []string{"profile", "show", "nope"}, `no profile "nope" (saved: dev)`},
		{"", []string{"profile", "show"}, "name"},
		{"", []string{"profile", "rm", "nope"}, `no profile "nope"`},
		{"", []string{"profile", "default", "nope"}, `no profile "nope"`},
		{"", []string{"profile", "list", "extra"}, "no arguments"},
		{"", []string{"profile", "move-aside"}, "reads fine"},
	} {
		code, out, errs := e.run(c.stdin, c.args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.says) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line saying %q", c.args, code, out, errs, c.says)
		}
	}
	if after, _ := os.ReadFile(e.path()); !bytes.Equal(before, after) {
		t.Error("refused commands changed the profiles file")
	}
}

func TestProfileCorruptFileIsLeftAndMovedAsideOnRequest(t *testing.T) {
	e := newProfileEnv(t, newMemKeyring())
	os.MkdirAll(e.dir, 0o700)
	bad := "{\n  \"version\": 1,\n  \"profiles\": {\n    \"dev\": {\"domain\": \"t.auth0.com\",}\n  }\n}\n"
	os.WriteFile(e.path(), []byte(bad), 0o600)

	code, out, errs := e.run("", "profile", "list")
	if code != 0 || out != "" || !strings.Contains(errs, e.path()+" line 4") || !strings.Contains(errs, "move-aside") || !strings.Contains(errs, "no profiles") {
		t.Errorf("list on a corrupt file: exit %d, %q, %q", code, out, errs)
	}
	if strings.Contains(errs, "no profile is saved") {
		t.Errorf("list on a corrupt file says nothing is saved: %q", errs)
	}
	code, _, errs = e.run(profileSecret, "profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i", "--client-secret-stdin")
	if code != 1 || !strings.Contains(errs, "line 4") || !strings.Contains(errs, "move-aside") {
		t.Errorf("add on a corrupt file: exit %d, %q", code, errs)
	}
	code, _, errs = e.run("", "call", "clientCredentialsGrant", "--profile", "dev")
	if code != 2 || !strings.Contains(errs, "line 4") {
		t.Errorf("call --profile on a corrupt file: exit %d, %q", code, errs)
	}
	if got, _ := os.ReadFile(e.path()); string(got) != bad {
		t.Fatalf("corrupt file changed:\n%s", got)
	}

	out, _ = e.ok("", "profile", "move-aside")
	matches, _ := filepath.Glob(e.path() + ".corrupt-*")
	if len(matches) != 1 || !strings.Contains(out, matches[0]) {
		t.Fatalf("move-aside said %q; files %q", out, matches)
	}
	if got, _ := os.ReadFile(matches[0]); string(got) != bad {
		t.Error("moved file differs from the corrupt one")
	}
	e.ok(profileSecret, "profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i", "--client-secret-stdin")
}

func TestProfileNewerFileIsNotWritten(t *testing.T) {
	e := newProfileEnv(t, nil)
	os.MkdirAll(e.dir, 0o700)
	newer := `{"version": 2, "profiles": {"dev": {"domain": "t.auth0.com", "client_id": "i", "future": true}}}`
	os.WriteFile(e.path(), []byte(newer), 0o600)
	out, errs := e.ok("", "profile", "list")
	if !strings.Contains(out, "dev") || !strings.Contains(errs, "newer") {
		t.Errorf("list: %q / %q", out, errs)
	}
	for _, args := range [][]string{
		{"profile", "add", "x", "--domain", "t.auth0.com", "--client-id", "i"},
		{"profile", "rm", "dev"},
		{"profile", "default", "dev"},
	} {
		if code, _, errs := e.run("", args...); code != 1 || !strings.Contains(errs, "newer") {
			t.Errorf("%q: exit %d, %q", args, code, errs)
		}
	}
	if got, _ := os.ReadFile(e.path()); string(got) != newer {
		t.Errorf("newer file changed: %s", got)
	}
}

// TestProfileSecretNeverLeaks runs every profile command with a secret and
// looks for it on stdout, stderr and in every file under the configuration
// directory: with a keyring it is in no file; without one, only in the file
// the plain-text notice names.
func TestProfileSecretNeverLeaks(t *testing.T) {
	for _, withKeyring := range []bool{true, false} {
		name := map[bool]string{true: "keyring", false: "no keyring"}[withKeyring]
		t.Run(name, func(t *testing.T) {
			var kr config.Keyring
			if withKeyring {
				kr = newMemKeyring()
			}
			e := newProfileEnv(t, kr)
			other := "An0ther-Secret-Value-abcdefghij-KLMN"
			var stdout, stderr strings.Builder
			// step runs one command, which must exit with want, and
			// returns its stdout.
			step := func(want int, stdin string, args ...string) string {
				t.Helper()
				code, out, errs := e.run(stdin, args...)
				stdout.WriteString(out)
				stderr.WriteString(errs)
				if code != want {
					t.Errorf("%q: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errs)
				}
				return out
			}
			masked := func(out, secret string) {
				t.Helper()
				if want := "****" + secret[len(secret)-4:]; !strings.Contains(out, want) {
					t.Errorf("show does not print the masked secret %s:\n%s", want, out)
				}
			}
			step(0, profileSecret+"\n", "profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
			step(0, "", "profile", "add", "prod", "--domain", "p.auth0.com", "--client-id", "id2", "--client-secret", other, "--default")
			step(2, "", "profile", "add", "prod", "--domain", "p.auth0.com", "--client-id", "id2", "--client-secret", other) // refused: exists
			step(0, "", "profile", "list")
			masked(step(0, "", "profile", "show", "dev"), profileSecret)
			masked(step(0, "", "profile", "show", "prod"), other)
			step(0, "", "profile", "default", "dev")
			step(0, "", "profile", "add", "dev", "--update", "--scope", "openid")
			step(0, other, "profile", "add", "dev", "--update", "--client-secret-stdin")
			masked(step(0, "", "profile", "show", "dev"), other)
			step(0, profileSecret, "profile", "add", "dev", "--update", "--client-secret-stdin")
			masked(step(0, "", "profile", "show", "dev"), profileSecret)
			step(2, "", "profile", "add", "x y", "--domain", "t.auth0.com/p", "--client-id", "i", "--client-secret", profileSecret) // refused
			step(0, "", "profile", "rm", "prod")
			step(0, "", "profile", "list")
			step(2, "", "profile", "move-aside") // refused: the file reads fine
			step(0, "", "call", "clientCredentialsGrant", "--profile", "dev", "--output", "curl")
			rec := newRecorder(t)
			step(0, "", "call", "clientCredentialsGrant", "--profile", "dev", "--output", "json", "--domain", rec.srv.URL)
			if got := rec.take(); len(got) != 1 || !bytes.Contains(got[0].body, []byte(profileSecret)) {
				t.Errorf("the call did not send the profile's secret: %q", got)
			}

			for _, s := range []string{profileSecret, other} {
				for what, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
					if strings.Contains(text, s) || strings.Contains(text, s[:12]) {
						t.Errorf("secret %q on %s:\n%s", s[:6], what, text)
					}
				}
			}
			notice := "stored in plain text in " + e.path()
			if withKeyring == strings.Contains(stderr.String(), notice) {
				t.Errorf("plain-text notice present=%v with keyring=%v:\n%s", !withKeyring, withKeyring, stderr.String())
			}
			err := filepath.WalkDir(e.dir, func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				for _, s := range []string{profileSecret, other} {
					if bytes.Contains(data, []byte(s)) && (withKeyring || path != e.path()) {
						t.Errorf("secret %q in %s", s[:6], path)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !withKeyring {
				data, _ := os.ReadFile(e.path())
				if !bytes.Contains(data, []byte(profileSecret)) {
					t.Error("fallback file does not hold the secret it claims to")
				}
			}
		})
	}
}

// fakeTerminal makes standard input a terminal for the test: the secret
// typed is typed, and reads counts the reads without echo.
func fakeTerminal(t *testing.T, typed string) (reads *int) {
	t.Helper()
	oldTerm, oldRead := stdinTerminal, readPassword
	t.Cleanup(func() { stdinTerminal, readPassword = oldTerm, oldRead })
	n := 0
	stdinTerminal = func(io.Reader) (int, bool) { return 42, true }
	readPassword = func(fd int) ([]byte, error) {
		if fd != 42 {
			t.Errorf("read without echo from fd %d", fd)
		}
		n++
		return []byte(typed), nil
	}
	return &n
}

func TestProfileSecretStdinAtATerminalPromptsWithoutEcho(t *testing.T) {
	kr := newMemKeyring()
	e := newProfileEnv(t, kr)
	reads := fakeTerminal(t, profileSecret)
	out, errs := e.ok("", "profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
	if *reads != 1 {
		t.Errorf("read without echo %d times, want 1", *reads)
	}
	if !strings.Contains(errs, `client secret for profile "dev" (not shown as you type): `) {
		t.Errorf("no prompt on stderr: %q", errs)
	}
	if strings.Contains(out+errs, profileSecret) {
		t.Errorf("secret echoed: %q / %q", out, errs)
	}
	if v, _ := kr.Get(config.KeyringService, "dev@"+e.dir); v != profileSecret {
		t.Errorf("keyring holds %q", v)
	}

	// Too long at a terminal: refused, not cut.
	fakeTerminal(t, strings.Repeat("a", 64<<10+1))
	if code, _, errs := e.run("", "profile", "add", "big", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin"); code != 2 || !strings.Contains(errs, "64 KiB") {
		t.Errorf("long secret at a terminal: exit %d, %q", code, errs)
	}
}

func TestProfileSecretStdinFromAFileIsNotATerminal(t *testing.T) {
	kr := newMemKeyring()
	e := newProfileEnv(t, kr)
	f, err := os.Create(filepath.Join(t.TempDir(), "secret.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString(profileSecret + "\n")
	f.Seek(0, io.SeekStart)
	if _, ok := stdinTerminal(f); ok {
		t.Fatal("a regular file was taken for a terminal")
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin"},
		Env{Stdin: f, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return e.env[k] }, Keyring: kr})
	if code != 0 || errb.String() != "" {
		t.Fatalf("exit %d, %q", code, errb.String())
	}
	if v, _ := kr.Get(config.KeyringService, "dev@"+e.dir); v != profileSecret {
		t.Errorf("keyring holds %q", v)
	}
}

func TestProfileSecretStdinOver64KiBIsRefused(t *testing.T) {
	e := newProfileEnv(t, newMemKeyring())
	e.ok(strings.Repeat("b", 64<<10), "profile", "add", "fits", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
	code, out, errs := e.run(strings.Repeat("a", 64<<10+1), "profile", "add", "big", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
	if code != 2 || out != "" || !strings.Contains(errs, "64 KiB") {
		t.Errorf("exit %d, %q, %q", code, out, errs)
	}
	if out, _ := e.ok("", "profile", "list"); strings.Contains(out, "big") {
		t.Errorf("the cut secret was saved:\n%s", out)
	}
}

func TestProfileListAndShowEscapeControlCharacters(t *testing.T) {
	e := newProfileEnv(t, nil)
	os.MkdirAll(e.dir, 0o700)
	file := `{"version": 1, "default": "evil\u001b]0;owned\u0007", "profiles": {
	  "evil\u001b]0;owned\u0007": {"domain": "t.auth0.com\u001b[2J", "client_id": "id\r\u0085", "audience": "a\tb"}}}`
	os.WriteFile(e.path(), []byte(file), 0o600)
	for _, args := range [][]string{
		{"profile", "list"},
		{"profile", "show", "evil\x1b]0;owned\a"},
		{"call", "clientCredentialsGrant", "--output", "curl"},
	} {
		_, out, errs := e.run("", args...)
		for _, c := range []string{"\x1b", "\a", "\r", "\u0085", "\t"} {
			if strings.Contains(out+errs, c) {
				t.Errorf("%q prints %q raw:\n%s\n%s", args, c, out, errs)
			}
		}
		if args[1] != "clientCredentialsGrant" && !strings.Contains(out, `"evil\x1b]0;owned\a"`) {
			t.Errorf("%q does not show the name escaped:\n%s", args, out)
		}
	}
}

func TestProfileAddPlainTextIsSaidOnce(t *testing.T) {
	e := newProfileEnv(t, nil)
	out, errs := e.ok(profileSecret, "profile", "add", "dev", "--domain", "t.auth0.com", "--client-id", "id", "--client-secret-stdin")
	if n := strings.Count(out+errs, "plain text"); n != 1 {
		t.Errorf("said %d times:\nstdout: %s\nstderr: %s", n, out, errs)
	}
	if !strings.Contains(errs, "stored in plain text in "+e.path()) {
		t.Errorf("stderr %q", errs)
	}
	// Without a new secret there is no notice, so the summary says where.
	out, errs = e.ok("", "profile", "add", "dev", "--update", "--scope", "openid")
	if strings.Count(out+errs, "plain text in "+e.path()) != 1 {
		t.Errorf("update: %q / %q", out, errs)
	}
}

func TestProfileAddHelpWarnsOfTheProcessList(t *testing.T) {
	e := newProfileEnv(t, nil)
	out, _ := e.ok("", "profile", "add", "--help")
	if !strings.Contains(out, "process list") {
		t.Errorf("help:\n%s", out)
	}
}
