package sandbox_test

import (
	"net/http"
	"net/url"
	"testing"
)

// authorizeRedirect runs /authorize without following the redirect and
// returns the status and the Location.
func (f *fixture) authorizeRedirect(q url.Values) (int, *url.URL) {
	f.t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(f.srv.BaseURL + "/authorize?" + q.Encode())
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return resp.StatusCode, loc
}

// TestLoopbackCallbackAnyPort: the callback http://127.0.0.1/callback,
// registered without a port, allows any port (RFC 8252 §7.3), for
// /authorize and PAR alike; another path or host stays refused.
func TestLoopbackCallbackAnyPort(t *testing.T) {
	f := newFixture(t)
	q := func(redirect string) url.Values {
		return url.Values{"client_id": {f.srv.Public.ID}, "response_type": {"code"}, "redirect_uri": {redirect}, "state": {"s1"}}
	}
	status, loc := f.authorizeRedirect(q("http://127.0.0.1:49152/callback"))
	if status != http.StatusFound || loc.Host != "127.0.0.1:49152" || loc.Query().Get("code") == "" {
		t.Fatalf("loopback callback on a port: %d %v", status, loc)
	}
	for _, bad := range []string{"http://127.0.0.1:49152/other", "http://127.0.0.2:49152/callback", "https://127.0.0.1:49152/callback", "http://localhost:4000/callback"} {
		if status, _ := f.authorizeRedirect(q(bad)); status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400 (not an allowed callback)", bad, status)
		}
	}
	ex := f.do(f.client, "oauth.pushedAuthorization", str("redirect_uri", "http://127.0.0.1:50000/callback"))
	if ex.Err != nil || ex.Response.Status != http.StatusCreated {
		t.Errorf("PAR with a loopback callback on a port: %v", ex.Err)
	}
}

// TestAuthorizeUnknownConnection: an unknown connection sends the browser
// back to the callback with error and error_description, and the state.
func TestAuthorizeUnknownConnection(t *testing.T) {
	f := newFixture(t)
	status, loc := f.authorizeRedirect(url.Values{"client_id": {f.srv.Public.ID}, "response_type": {"code"},
		"redirect_uri": {"http://127.0.0.1:49152/callback"}, "state": {"s1"}, "connection": {"nope"}})
	if status != http.StatusFound || loc.Query().Get("error") != "invalid_request" ||
		loc.Query().Get("error_description") != "the connection was not found" || loc.Query().Get("state") != "s1" || loc.Query().Get("code") != "" {
		t.Fatalf("unknown connection: %d %v", status, loc)
	}
	status, loc = f.authorizeRedirect(url.Values{"client_id": {f.srv.Public.ID}, "redirect_uri": {"http://127.0.0.1:49152/callback"}, "connection": {"github"}})
	if status != http.StatusFound || loc.Query().Get("code") == "" {
		t.Errorf("a known connection: %d %v", status, loc)
	}
}
