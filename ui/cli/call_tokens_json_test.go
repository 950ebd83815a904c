package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"
)

// call --output json against the sandbox: each tokens[] entry carries its
// kind, format and decoded header and payload, the id_token its verdict,
// all without --reveal; no token string, signature or encoded segment
// appears anywhere in the output. A proxy records the answer, so the test
// knows the exact tokens that were sent.
func TestCallJSONShowsDecodedTokensWithoutTheirStrings(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv, err := sandbox.Start(sandbox.Options{Seed: 7, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	target, _ := url.Parse(srv.BaseURL)
	var mu sync.Mutex
	var answer []byte
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/oauth/token" {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		mu.Lock()
		answer = b
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		return nil
	}
	px := httptest.NewServer(proxy)
	defer px.Close()

	call := func(domain string, extra ...string) string {
		t.Helper()
		code, out, errs := runAt(t, now, nil, append([]string{"call", "passwordGrant", "username=" + sandbox.SeedEmail, "password=" + sandbox.SeedPassword,
			"scope=openid profile email offline_access", "audience=" + srv.ManagementAPI(),
			"--domain", domain, "--client-id", srv.Client.ID, "--client-secret", srv.Client.Secret, "--output", "json"}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, errs)
		}
		return out
	}
	// Through the proxy the issuer the discovery document names is not the
	// domain's, so the id_token check is left to the direct call below.
	out := call(px.URL, "--no-id-token-check")
	var sent map[string]any
	mu.Lock()
	if err := json.Unmarshal(answer, &sent); err != nil {
		t.Fatalf("the recorded answer: %v %s", err, answer)
	}
	mu.Unlock()
	for _, f := range []string{"access_token", "id_token", "refresh_token"} {
		v, _ := sent[f].(string)
		if v == "" {
			t.Fatalf("the sandbox sent no %s: %s", f, answer)
		}
		pieces := []string{v}
		if f != "refresh_token" {
			pieces = append(pieces, strings.Split(v, ".")...) // header, payload and signature segments
		}
		for _, p := range pieces {
			if strings.Contains(out, p) {
				t.Errorf("the output shows (part of) the %s: %q", f, p)
			}
		}
	}

	// Directly: the id_token is checked, and its verdict is on its entry.
	direct := call(srv.BaseURL)
	if strings.Contains(direct, "eyJ") {
		t.Errorf("a JWT segment in the output:\n%s", direct)
	}
	for _, o := range []string{out, direct} {
		checkDecodedEntries(t, srv, o, o == direct)
	}
}

func checkDecodedEntries(t *testing.T, srv *sandbox.Server, out string, verified bool) {
	t.Helper()
	var ex struct {
		Tokens []struct {
			Field        string         `json:"field"`
			Kind         string         `json:"kind"`
			Format       string         `json:"format"`
			Value        string         `json:"value"`
			Header       map[string]any `json:"header"`
			Payload      map[string]any `json:"payload"`
			Signature    any            `json:"signature"`
			Verification *verification  `json:"verification"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal([]byte(out), &ex); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	got := map[string]int{}
	for i, tk := range ex.Tokens {
		got[tk.Field] = i
		if tk.Value != "[redacted]" || tk.Signature != nil {
			t.Errorf("%s: value %q, signature %v", tk.Field, tk.Value, tk.Signature)
		}
	}
	at, id, rt := ex.Tokens[got["access_token"]], ex.Tokens[got["id_token"]], ex.Tokens[got["refresh_token"]]
	if at.Kind != "access_token" || at.Format != "JWS" || at.Header["alg"] != "RS256" || at.Payload["scope"] != "openid profile email offline_access" ||
		!strings.Contains(strings.Join(anyStrings(at.Payload["aud"]), " "), srv.ManagementAPI()) || at.Verification != nil {
		t.Errorf("access_token entry %+v", at)
	}
	if id.Kind != "id_token" || id.Format != "JWS" || id.Payload["email"] != sandbox.SeedEmail || id.Payload["aud"] != srv.Client.ID ||
		verified != (id.Verification != nil) || verified && (id.Verification.State != "valid" || id.Verification.Valid == nil || !*id.Verification.Valid) {
		t.Errorf("id_token entry %+v verification %+v", id, id.Verification)
	}
	if rt.Kind != "refresh_token" || rt.Format != "opaque" || rt.Header != nil || rt.Payload != nil {
		t.Errorf("refresh_token entry %+v", rt)
	}
}

func anyStrings(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, e := range a {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}
