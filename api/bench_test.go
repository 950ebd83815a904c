package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// tokenServer answers every request like /oauth/token does.
func tokenServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "30")
		w.Header().Set("X-RateLimit-Remaining", "29")
		w.Header().Set("X-RateLimit-Reset", "1700000000")
		io.WriteString(w, `{"access_token":"eyJ.access.token","expires_in":86400,"token_type":"Bearer"}`)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkSend builds and sends one small JSON POST to a loopback server
// with a reused client (and so reused connections).
func BenchmarkSend(b *testing.B) {
	srv := tokenServer(b)
	c := testClient(srv.URL, TransportOptions{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req := &Request{
			Operation:   "clientCredentialsGrant",
			Method:      http.MethodPost,
			URL:         srv.URL + "/oauth/token",
			Header:      http.Header{"Content-Type": {"application/json"}},
			Body:        []byte(`{"client_id":"CID","client_secret":"CS","audience":"https://api.example.com/","grant_type":"client_credentials"}`),
			ContentType: "application/json",
			Secrets:     []string{"CS"},
		}
		ex := c.Send(ctx, req)
		if ex.Err != nil {
			b.Fatal(ex.Err)
		}
	}
}

// BenchmarkBuildAndSend does the same through the catalogue and the builder.
func BenchmarkBuildAndSend(b *testing.B) {
	srv := tokenServer(b)
	c := testClient(srv.URL, TransportOptions{})
	c.ClientID, c.ClientSecret = "CID", "CS"
	op := ByName("clientCredentialsGrant")
	if op == nil {
		b.Fatal("no clientCredentialsGrant in the catalogue")
	}
	v := Values{Fields: []Value{String("audience", "https://api.example.com/")}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := c.Build(op, v)
		if err != nil {
			b.Fatal(err)
		}
		if ex := c.Send(ctx, req); ex.Err != nil {
			b.Fatal(ex.Err)
		}
	}
}

// BenchmarkBuild is the builder alone: catalogue steps and JSON body, no
// network. With BenchmarkBuildAndSend it splits call's overhead from the
// round trip.
func BenchmarkBuild(b *testing.B) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "CID", ClientSecret: "CS"}
	op := ByName("passwordGrant")
	v := Values{Fields: []Value{
		String("username", "jane@example.com"), String("password", "Passw0rd!"),
		String("realm", "Username-Password-Authentication"), String("scope", "openid profile email offline_access"),
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(op, v); err != nil {
			b.Fatal(err)
		}
	}
}
