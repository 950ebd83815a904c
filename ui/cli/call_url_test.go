package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
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
