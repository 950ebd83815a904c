package jwtview

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"auth0-explorer/api"
)

// oidcProvider serves a discovery document whose fields doc fills from the
// server's URL.
func oidcProvider(t *testing.T, doc func(base string) string) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != DiscoveryPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(doc(srv.URL)))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscover(t *testing.T) {
	hc := api.NewHTTPClient(api.TransportOptions{})
	ctx := context.Background()
	// An issuer without a trailing slash, keys at another path.
	srv := oidcProvider(t, func(b string) string {
		return `{"issuer":"` + b + `","jwks_uri":"` + b + `/oauth2/v1/keys","token_endpoint":"` + b + `/token"}`
	})
	d, err := Discover(ctx, hc, srv.URL+"/")
	if err != nil || d.Issuer != srv.URL || d.JWKSURL != srv.URL+"/oauth2/v1/keys" {
		t.Errorf("Discover = %+v, %v", d, err)
	}
	for name, c := range map[string]struct {
		doc  func(string) string
		want string
	}{
		"another issuer": {func(b string) string { return `{"issuer":"https://evil.example.com/","jwks_uri":"` + b + `/keys"}` },
			`names the issuer "https://evil.example.com/", not ` + "http://127.0.0.1"},
		"plain http keys": {func(b string) string { return `{"issuer":"` + b + `/","jwks_uri":"http://keys.example.com/jwks"}` },
			"plain http is allowed for loopback addresses only"},
		"no jwks_uri":  {func(b string) string { return `{"issuer":"` + b + `"}` }, "is not a discovery document"},
		"not JSON":     {func(string) string { return `<html>` }, "is not a discovery document"},
		"escape codes": {func(string) string { return `{"issuer":"\u001b[2J","jwks_uri":"x"}` }, `names the issuer "\x1b[2J"`},
	} {
		srv := oidcProvider(t, c.doc)
		_, err := Discover(ctx, hc, srv.URL)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// No document: the status, in a sentence.
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	if _, err := Discover(ctx, hc, notFound.URL); err == nil || err.Error() != "there is no discovery document at "+notFound.URL+DiscoveryPath+" (the server answered 404 Not Found)" {
		t.Errorf("404: %v", err)
	}
	// Nothing listening: call's sentence.
	notFound.Close()
	_, err = Discover(ctx, hc, notFound.URL)
	if err == nil || !strings.Contains(err.Error(), "connection refused by "+strings.TrimPrefix(notFound.URL, "http://")) {
		t.Errorf("refused: %v", err)
	}
	noRawGo(t, "refused", err.Error())
}
