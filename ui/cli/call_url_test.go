package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"auth0-explorer/ui/browser"
)

// A browser URL operation prints its URL and sends nothing, in every
// output; json is {"url": …}, an id_token_hint redacted unless --reveal.
func TestCallPrintsBrowserURLWithoutSending(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	base := []string{"--domain", srv.URL, "--client-id", "CID", "--client-secret", secret}
	authorize := srv.URL + "/authorize?response_type=code&client_id=CID&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid+profile&code_challenge=abc&code_challenge_method=S256"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "oauth.buildAuthorizeUrl", "redirect_uri=https://app.example.com/cb", "scope=openid profile", "code_challenge=abc"}, authorize + "\n"},
		{[]string{"call", "oauth.buildAuthorizeUrl", "redirect_uri=https://app.example.com/cb", "scope=openid profile", "code_challenge=abc", "--output", "curl"}, authorize + "\n"},
		{[]string{"call", "oauth.buildLogoutUrl", "returnTo=http://localhost:3000/", "federated:=true"}, srv.URL + "/v2/logout?client_id=CID&returnTo=http%3A%2F%2Flocalhost%3A3000%2F&federated\n"},
		{[]string{"call", "oauth.buildOidcLogoutUrl", "id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "--output", "json"}, `{"url":"` + srv.URL + `/oidc/logout?client_id=CID&id_token_hint=[redacted]"}` + "\n"},
		{[]string{"call", "oauth.buildOidcLogoutUrl", "id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "--output", "json", "--reveal"}, `{"url":"` + srv.URL + `/oidc/logout?client_id=CID&id_token_hint=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}` + "\n"},
	} {
		code, stdout, stderr := run(t, nil, append(c.args, base...)...)
		if code != 0 || stdout != c.want {
			t.Errorf("%s: exit %d, stdout %q (stderr %q), want %q", strings.Join(c.args, " "), code, stdout, stderr, c.want)
		}
	}
	if code, _, stderr := run(t, nil, append([]string{"call", "oauth.buildAuthorizeUrl", "scope=openid"}, base...)...); code != 2 || !strings.Contains(stderr, "redirect_uri") {
		t.Errorf("authorize without redirect_uri: exit %d, %q; want 2 naming redirect_uri", code, stderr)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the tenant got %d requests, want none", n)
	}
}

// --open prints the URL and opens it with the system's opener (recorded
// here); without a display nothing is run, a sentence on stderr says so,
// and the exit code is 0 either way. --open on an operation that sends is
// a usage error.
func TestCallOpenOpensBrowserURL(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	args := []string{"call", "oauth.buildLogoutUrl", "returnTo=http://localhost:3000/", "--open", "--domain", srv.URL, "--client-id", "CID", "--client-secret", secret}
	want := srv.URL + "/v2/logout?client_id=CID&returnTo=http%3A%2F%2Flocalhost%3A3000%2F"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantRun bool
	}{
		{"display", map[string]string{"DISPLAY": ":0"}, true},
		{"no display", map[string]string{"SSH_TTY": "/dev/pts/3"}, false},
	} {
		var ran []string
		var out, errb bytes.Buffer
		getenv := func(k string) string { return tc.env[k] }
		code := Run(context.Background(), args, Env{
			Stdout: &out, Stderr: &errb, Getenv: getenv,
			Browser: &browser.Opener{GOOS: "linux", Getenv: getenv, Run: func(_ context.Context, name string, a ...string) error {
				ran = append([]string{name}, a...)
				return nil
			}},
		})
		if code != 0 || out.String() != want+"\n" {
			t.Errorf("%s: exit %d, stdout %q, want 0 and the URL", tc.name, code, out.String())
		}
		switch {
		case tc.wantRun && !slices.Equal(ran, []string{"xdg-open", want}):
			t.Errorf("%s: ran %q, want xdg-open %s", tc.name, ran, want)
		case tc.wantRun && errb.Len() != 0:
			t.Errorf("%s: stderr %q, want nothing", tc.name, errb.String())
		case !tc.wantRun && ran != nil:
			t.Errorf("%s: ran %q without a display", tc.name, ran)
		case !tc.wantRun && !strings.Contains(errb.String(), "could not open a browser: no display"):
			t.Errorf("%s: stderr %q, want a sentence saying no display", tc.name, errb.String())
		}
	}
	code, _, stderr := run(t, nil, "call", "clientCredentialsGrant", "audience=x", "--open", "--domain", srv.URL, "--client-id", "CID", "--client-secret", secret)
	if code != 2 || !strings.Contains(stderr, "--open") {
		t.Errorf("--open on a grant: exit %d, %q; want 2 naming --open", code, stderr)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the tenant got %d requests, want none", n)
	}
}
