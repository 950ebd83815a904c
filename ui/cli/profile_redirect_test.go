package cli

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"

	"auth0-explorer/api/sandbox"
)

// TestProfileAddRedirectURI: profile add --redirect-uri saves a loopback
// callback and profile show shows it; one that is not a loopback http URL
// is refused with one sentence and exit 2, nothing saved; --update with
// --redirect-uri "" removes it.
func TestProfileAddRedirectURI(t *testing.T) {
	e := newProfileEnv(t, newMemKeyring())
	const ru = "http://127.0.0.1:8484/callback"
	e.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "id", "--redirect-uri", ru)
	file, _ := os.ReadFile(e.path())
	if !strings.Contains(string(file), `"redirect_uri": "`+ru+`"`) {
		t.Fatalf("profiles.json:\n%s", file)
	}
	out, _ := e.ok("", "profile", "show", "dev")
	if !strings.Contains(out, "redirect uri:") || !strings.Contains(out, ru) {
		t.Errorf("show:\n%s", out)
	}

	for _, bad := range []string{"https://127.0.0.1:8484/callback", "http://localhost:8484/callback", "http://app.example.com/cb",
		"http://127.0.0.1:99999/cb", "127.0.0.1:8484"} {
		for _, args := range [][]string{
			{"profile", "add", "new", "--domain", "t.auth0.com", "--client-id", "i", "--redirect-uri", bad},
			{"profile", "add", "dev", "--update", "--redirect-uri", bad},
		} {
			code, stdout, stderr := e.run("", args...)
			want := "is not a loopback URL (http://127.0.0.1:PORT/PATH): the login listens only on 127.0.0.1 for the callback"
			if code != 2 || stdout != "" || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
			}
		}
	}
	if after, _ := os.ReadFile(e.path()); !bytes.Equal(after, file) {
		t.Errorf("a refused redirect URI changed the file:\n%s", after)
	}

	e.ok("", "profile", "add", "dev", "--update", "--redirect-uri", "")
	if file, _ := os.ReadFile(e.path()); strings.Contains(string(file), "redirect_uri") {
		t.Errorf("--redirect-uri \"\" left it:\n%s", file)
	}
	if out, _ := e.ok("", "profile", "show", "dev"); !strings.Contains(out, "random port") {
		t.Errorf("show without a redirect URI:\n%s", out)
	}
}

// freePort is a loopback port free a moment ago: listened on, then closed.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	return port
}

// TestLoginListensOnTheProfilesRedirectURI: a profile naming
// http://127.0.0.1:PORT/cb makes login listen there and send it; a tenant
// whose application allows exactly that callback (no other port) sends
// the browser back to it and the login succeeds.
func TestLoginListensOnTheProfilesRedirectURI(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 21, Now: loginClock})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ru := "http://127.0.0.1:" + freePort(t) + "/cb"
	srv.AddClient(sandbox.Client{ID: "exact-callback-client", Secret: "exact-callback-secret-0123456789", Callbacks: []string{ru}})

	e := newProfileEnv(t, newMemKeyring())
	e.ok("exact-callback-secret-0123456789\n", "profile", "add", "fixed", "--domain", srv.BaseURL, "--client-id", "exact-callback-client",
		"--client-secret-stdin", "--redirect-uri", ru)

	login := func(args ...string) (int, string, string, []string) {
		var opened []string
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"login", "--profile", "fixed"}, args...), Env{
			Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return e.env[k] }, Keyring: e.kr,
			Now: loginClock, Browser: followingBrowser(t, &opened),
		})
		return code, out.String(), errb.String(), opened
	}
	code, stdout, stderr, opened := login("--print", "access_token")
	if code != 0 || strings.TrimSpace(stdout) == "" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "waiting for the browser to come back to "+ru+"\n") || !strings.Contains(stderr, "id_token: VALID") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}
	u, _ := url.Parse(strings.TrimPrefix(opened[0], "xdg-open "))
	if got := u.Query().Get("redirect_uri"); got != ru {
		t.Errorf("redirect_uri sent %q, want %q", got, ru)
	}

}
