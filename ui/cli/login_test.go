package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/ui/browser"
)

func loginClock() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }

// followingBrowser is an opener whose "browser" fetches the URL and
// follows its redirects, as curl -sSL would: to the loopback listener.
func followingBrowser(t *testing.T, opened *[]string) *browser.Opener {
	return &browser.Opener{GOOS: "linux",
		Getenv: func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] },
		Run: func(_ context.Context, name string, a ...string) error {
			*opened = append(*opened, name+" "+a[0])
			resp, err := http.Get(a[0])
			if err != nil {
				t.Errorf("the browser: %v", err)
				return nil
			}
			resp.Body.Close()
			return nil
		}}
}

func runLoginCmd(t *testing.T, o *browser.Opener, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), append([]string{"login"}, args...), Env{
		Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Now: loginClock, Browser: o,
	})
	return code, out.String(), errb.String()
}

// TestLoginSandboxPrintsTokens: login --sandbox opens the browser on the
// /authorize URL, and prints the token answer as JSON on stdout, progress
// on stderr.
func TestLoginSandboxPrintsTokens(t *testing.T) {
	var opened []string
	code, stdout, stderr := runLoginCmd(t, followingBrowser(t, &opened), "--sandbox")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if len(opened) != 1 || !strings.HasPrefix(opened[0], "xdg-open http://127.0.0.1:") || !strings.Contains(opened[0], "/authorize?") {
		t.Errorf("opened %v", opened)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("stdout is not JSON: %q", stdout)
	}
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if s, _ := m[k].(string); s == "" {
			t.Errorf("no %s in %s", k, stdout)
		}
	}
	for _, want := range []string{"built the /authorize URL", "waiting for the browser", "exchanged the code", "id_token: VALID"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestLoginPrintOneToken: --print access_token prints the token and
// nothing else on stdout; with PAR too.
func TestLoginPrintOneToken(t *testing.T) {
	var opened []string
	for _, extra := range [][]string{nil, {"--par"}} {
		code, stdout, stderr := runLoginCmd(t, followingBrowser(t, &opened), append([]string{"--sandbox", "--print", "access_token"}, extra...)...)
		if code != 0 || !regexp.MustCompile(`^[A-Za-z0-9_\-.]+\n$`).MatchString(stdout) {
			t.Errorf("%v: exit %d, stdout %q, stderr %s", extra, code, stdout, stderr)
		}
	}
}

// urlPlayer is a stderr that plays the browser for the URL printed on it,
// as a person over SSH would open it.
type urlPlayer struct {
	mu sync.Mutex
	b  bytes.Buffer
	wg sync.WaitGroup
}

var authorizeLine = regexp.MustCompile(`(?m)^(http://127\.0\.0\.1:\d+/authorize\?\S+)$`)

func (p *urlPlayer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m := authorizeLine.FindSubmatch(b); m != nil {
		u := string(m[1])
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
	}
	return p.b.Write(b)
}

// TestLoginNoDisplayPrintsURL: with no display the URL goes to stderr with
// the reason, and the login finishes when it is opened elsewhere.
func TestLoginNoDisplayPrintsURL(t *testing.T) {
	var out bytes.Buffer
	p := &urlPlayer{}
	noDisplay := &browser.Opener{GOOS: "linux", Getenv: func(k string) string { return map[string]string{"SSH_CONNECTION": "1 2 3 4"}[k] },
		Run: func(context.Context, string, ...string) error {
			t.Error("an opener was run with no display")
			return nil
		}}
	code := Run(context.Background(), []string{"login", "--sandbox", "--print", "id_token"}, Env{
		Stdout: &out, Stderr: p, Getenv: func(string) string { return "" }, Now: loginClock, Browser: noDisplay})
	p.wg.Wait()
	if code != 0 || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out.String(), p.b.String())
	}
	if !strings.Contains(p.b.String(), "could not open a browser: no display") || !strings.Contains(p.b.String(), "open this URL to sign in") {
		t.Errorf("stderr %s", p.b.String())
	}
}

// TestLoginErrorRedirectExits1: an error redirect is one sentence on
// stderr, exit 1, nothing on stdout.
func TestLoginErrorRedirectExits1(t *testing.T) {
	var opened []string
	code, stdout, stderr := runLoginCmd(t, followingBrowser(t, &opened), "--sandbox", "--connection", "nope")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "auth0-explorer: the sign-in was refused: the connection was not found (invalid_request)\n") {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
}

// TestLoginUsage: bad flags exit 2 before anything listens or is opened.
func TestLoginUsage(t *testing.T) {
	var opened []string
	for _, args := range [][]string{
		{"--sandbox", "--print", "code"},
		{"--sandbox", "--domain", "tenant.auth0.com"},
		{"--sandbox", "--timeout", "0"},
		{"--sandbox", "--redirect-uri", "https://app.example.com/cb"},
		{"extra"},
	} {
		if code, _, stderr := runLoginCmd(t, followingBrowser(t, &opened), args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
	if len(opened) != 0 {
		t.Errorf("opened %v", opened)
	}
}

// BROWSER is honoured as other tools honour it: with `curl -sSL` standing
// in for the browser, login --sandbox --print access_token prints one token
// and nothing else on stdout.
func TestLoginWithBROWSERCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"login", "--sandbox", "--print", "access_token", "--timeout", "30"}, Env{
		Stdout: &out, Stderr: &errb, Now: loginClock,
		Getenv: func(k string) string {
			if k == "BROWSER" {
				return "curl -sSL"
			}
			return ""
		},
	})
	if code != 0 || !regexp.MustCompile(`^[A-Za-z0-9_\-.]+\n$`).MatchString(out.String()) {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out.String(), errb.String())
	}
}

// tamperingBrowser is a browser that opens, instead of the /authorize URL
// it is given, what change makes of it.
func tamperingBrowser(t *testing.T, change func(*url.URL)) *browser.Opener {
	return &browser.Opener{GOOS: "linux",
		Getenv: func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] },
		Run: func(_ context.Context, _ string, a ...string) error {
			u, err := url.Parse(a[0])
			if err != nil {
				t.Error(err)
				return nil
			}
			change(u)
			resp, err := http.Get(u.String())
			if err != nil {
				t.Errorf("the browser: %v", err)
				return nil
			}
			resp.Body.Close()
			return nil
		}}
}

// TestLoginWrongStateExits1: a callback whose state is not the one sent
// ends the login: one sentence, exit 1, no tokens.
func TestLoginWrongStateExits1(t *testing.T) {
	forge := tamperingBrowser(t, func(u *url.URL) {
		cb, _ := url.Parse(u.Query().Get("redirect_uri"))
		cb.RawQuery = url.Values{"code": {"forged"}, "state": {"forged"}}.Encode()
		*u = *cb
	})
	code, stdout, stderr := runLoginCmd(t, forge, "--sandbox")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "auth0-explorer: the callback's state does not match the one sent to /authorize") {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
}

// TestLoginPromptNoneExits1: --prompt none with no session at the tenant
// is the error redirect login_required: one sentence, exit 1.
func TestLoginPromptNoneExits1(t *testing.T) {
	var opened []string
	code, stdout, stderr := runLoginCmd(t, followingBrowser(t, &opened), "--sandbox", "--prompt", "none")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "auth0-explorer: the sign-in was refused: Login required (login_required)\n") {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
}

// TestLoginOrganization: --organization is sent and its claim required: a
// token for the organization passes; one brought back without it (the
// browser dropped the parameter) exits 1 naming the organization.
func TestLoginOrganization(t *testing.T) {
	var opened []string
	code, stdout, stderr := runLoginCmd(t, followingBrowser(t, &opened), "--sandbox", "--organization", "acme", "--print", "id_token")
	if code != 0 || strings.Count(stdout, "\n") != 1 || !strings.Contains(stderr, "id_token: VALID") || !strings.Contains(opened[0], "organization=acme") {
		t.Fatalf("exit %d, stdout %q, stderr %s, opened %v", code, stdout, stderr, opened)
	}
	drop := tamperingBrowser(t, func(u *url.URL) {
		q := u.Query()
		q.Del("organization")
		u.RawQuery = q.Encode()
	})
	code, stdout, stderr = runLoginCmd(t, drop, "--sandbox", "--organization", "org_sbxAcme0000001", "--print", "id_token")
	if code != 1 || stdout != "" || !strings.Contains(stderr, `organization "org_sbxAcme0000001" was expected and the token has no org_id`) {
		t.Errorf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
}

// TestLoginOpenerFailsPrintsURL: when the opener fails (xdg-open exits
// non-zero, or is not installed) the URL goes to stderr with the reason,
// the listener keeps waiting, and the login finishes when the URL is
// opened elsewhere.
func TestLoginOpenerFailsPrintsURL(t *testing.T) {
	var out bytes.Buffer
	p := &urlPlayer{}
	failing := &browser.Opener{GOOS: "linux", Getenv: func(k string) string { return map[string]string{"DISPLAY": ":0"}[k] },
		Run: func(context.Context, string, ...string) error { return errors.New("exit status 3") }}
	code := Run(context.Background(), []string{"login", "--sandbox", "--print", "access_token"}, Env{
		Stdout: &out, Stderr: p, Getenv: func(string) string { return "" }, Now: loginClock, Browser: failing})
	p.wg.Wait()
	if code != 0 || !regexp.MustCompile(`^[A-Za-z0-9_\-.]+\n$`).MatchString(out.String()) {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out.String(), p.b.String())
	}
	if !strings.Contains(p.b.String(), "could not open a browser: xdg-open: exit status 3; open this URL to sign in:\nhttp://127.0.0.1:") ||
		strings.Contains(p.b.String(), "opened the browser") {
		t.Errorf("stderr %s", p.b.String())
	}
}
