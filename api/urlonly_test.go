package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The browser URLs are built, in the order given, encoded as Auth0 reads a
// query, and never sent.
func TestURLOnlyOperationsBuildGoldenURLs(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "CID", ClientSecret: "shh"}
	for _, tc := range []struct {
		op   string
		in   []Value
		want string
	}{
		{"oauth.buildAuthorizeUrl", []Value{
			String("redirect_uri", "https://app.example.com/cb"), String("scope", "openid profile"),
			String("audience", "https://api.example.com/"), String("state", "s t&"), String("nonce", "n1"),
			String("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), String("connection", "github"),
			String("organization", "org_1"), String("invitation", "inv1"), String("prompt", "login"), String("screen_hint", "signup")},
			"https://tenant.example.com/authorize?response_type=code&client_id=CID&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid+profile&audience=https%3A%2F%2Fapi.example.com%2F&state=s+t%26&nonce=n1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&connection=github&organization=org_1&invitation=inv1&prompt=login&screen_hint=signup&code_challenge_method=S256"},
		{"oauth.buildAuthorizeUrl", []Value{String("request_uri", "urn:ietf:params:oauth:request_uri:abc")},
			"https://tenant.example.com/authorize?response_type=code&client_id=CID&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc"},
		{"oauth.buildLogoutUrl", []Value{String("returnTo", "http://localhost:3000/"), {Name: "federated", Raw: []byte("true")}},
			"https://tenant.example.com/v2/logout?client_id=CID&returnTo=http%3A%2F%2Flocalhost%3A3000%2F&federated"},
		{"oauth.buildLogoutUrl", []Value{{Name: "federated", Raw: []byte("false")}},
			"https://tenant.example.com/v2/logout?client_id=CID"},
		{"oauth.buildOidcLogoutUrl", []Value{String("id_token_hint", "a.b.c"), String("post_logout_redirect_uri", "https://app.example.com/"), String("logout_hint", "sid1"), String("state", "x")},
			"https://tenant.example.com/oidc/logout?client_id=CID&id_token_hint=a.b.c&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F&logout_hint=sid1&state=x"},
	} {
		req, err := c.Build(ByName(tc.op), Values{Fields: tc.in})
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		if req.URL != tc.want || req.Method != http.MethodGet || !req.URLOnly || req.Body != nil || len(req.Header) != 0 {
			t.Errorf("%s:\n got %s %s (url only %v, body %q, headers %v)\nwant GET %s", tc.op, req.Method, req.URL, req.URLOnly, req.Body, req.Header, tc.want)
		}
	}
	_, err := c.Build(ByName("oauth.buildAuthorizeUrl"), Values{Fields: []Value{String("scope", "openid")}})
	if ie, ok := err.(*InputError); !ok || ie.Field != "redirect_uri" {
		t.Errorf("authorize without redirect_uri or request_uri: %v, want a refusal naming redirect_uri", err)
	}
}

func TestURLOnlyIsNeverSent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, ClientID: "CID"}
	ex := c.Do(context.Background(), ByName("oauth.buildLogoutUrl"), Values{})
	if ex.Err != nil || ex.Response != nil || ex.Request == nil || ex.Request.URL != srv.URL+"/v2/logout?client_id=CID" {
		t.Fatalf("exchange %+v, want the URL and no response", ex)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests, want 0", n)
	}
}

func TestPushedAuthorizationIsFormEncoded(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "CID", ClientSecret: "shh"}
	req, err := c.Build(ByName("oauth.pushedAuthorization"), Values{Fields: []Value{String("redirect_uri", "https://app.example.com/cb"), String("scope", "openid")}})
	if err != nil {
		t.Fatal(err)
	}
	want := "client_id=CID&client_secret=shh&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid"
	if string(req.Body) != want || req.ContentType != "application/x-www-form-urlencoded" || req.URL != "https://tenant.example.com/oauth/par" {
		t.Errorf("got %s %s %q, want %s", req.ContentType, req.URL, req.Body, want)
	}
}
