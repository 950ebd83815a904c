package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"auth0-explorer/api"
)

// browse opens the URL a browser URL operation builds, without following
// the redirect, and returns the status, Location and body.
func (f *fixture) browse(op string, vals ...api.Value) (int, string, map[string]any) {
	f.t.Helper()
	ex := f.do(f.client, op, vals...)
	if ex.Err != nil || !ex.Request.URLOnly {
		f.t.Fatalf("%s: %v", op, ex.Err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(ex.Request.URL)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, resp.Header.Get("Location"), m
}

// TestPARThenAuthorize: PAR's request_uri signs in through /authorize once,
// within its 30 s lifetime; the code it gives is exchanged for tokens.
func TestPARThenAuthorize(t *testing.T) {
	f := newFixture(t)
	cb := "https://app.example.com/cb"
	push := func() string {
		ex := f.do(f.client, "oauth.pushedAuthorization", str("redirect_uri", cb), str("scope", "openid profile"), str("state", "xyz"))
		if ex.Err != nil || ex.Response.Status != http.StatusCreated {
			t.Fatalf("PAR: %v %v", ex.Err, ex.Response)
		}
		var m map[string]any
		_ = json.Unmarshal(ex.Response.Body, &m)
		if m["expires_in"] != 30.0 {
			t.Errorf("expires_in %v, want 30", m["expires_in"])
		}
		uri, _ := m["request_uri"].(string)
		return uri
	}
	uri := push()
	status, loc, _ := f.browse("oauth.buildAuthorizeUrl", str("request_uri", uri))
	u, err := url.Parse(loc)
	if status != http.StatusFound || err != nil || u.Query().Get("code") == "" || u.Query().Get("state") != "xyz" {
		t.Fatalf("authorize with request_uri: %d, Location %q", status, loc)
	}
	tok := f.ok(f.client, "oauth.authorizationCodeGrant", str("code", u.Query().Get("code")), str("redirect_uri", cb))
	if tok["id_token"] == nil {
		t.Errorf("the code from PAR gave no id_token: %v", tok)
	}

	// Used once.
	status, _, m := f.browse("oauth.buildAuthorizeUrl", str("request_uri", uri))
	if status != http.StatusBadRequest || m["error"] != "invalid_request" {
		t.Errorf("reuse: %d %v, want 400 invalid_request", status, m)
	}
	// Within its lifetime only.
	uri = push()
	f.clock.Add(30 * time.Second)
	status, _, m = f.browse("oauth.buildAuthorizeUrl", str("request_uri", uri))
	if status != http.StatusBadRequest || m["error"] != "invalid_request" {
		t.Errorf("expired: %d %v, want 400 invalid_request", status, m)
	}
	// Only for the client that pushed it.
	uri = push()
	status, _, m = f.browse("oauth.buildAuthorizeUrl", str("request_uri", uri), str("client_id", f.srv.Public.ID))
	if status != http.StatusBadRequest || m["error"] != "invalid_request" {
		t.Errorf("another client: %d %v, want 400 invalid_request", status, m)
	}
	// A public client cannot push.
	ex := f.do(f.public, "oauth.pushedAuthorization", str("redirect_uri", cb))
	if ex.Response == nil || ex.Response.Status != http.StatusUnauthorized {
		t.Errorf("public client PAR: %v, want 401", ex.Err)
	}
}
