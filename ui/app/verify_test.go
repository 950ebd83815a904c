package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/jwtview"
)

var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func now() time.Time { return clock }

// idToken signs the seeded user in on the session's client and returns the
// id_token of the answer.
func idToken(t *testing.T, s *Session, nonce string) string {
	t.Helper()
	v := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid"),
	}}
	if nonce != "" {
		v.Fields = append(v.Fields, api.String("nonce", nonce))
	}
	ex := s.Client.Do(context.Background(), api.ByName("passwordGrant"), v)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	for _, tk := range ex.Tokens {
		if tk.Field == "id_token" {
			return tk.Value
		}
	}
	t.Fatalf("no id_token in %s", ex.Response.Body)
	return ""
}

// A sandbox session checks its own id_tokens as call does: the issuer and
// keys from the sandbox's discovery document, the client id as audience,
// the session's key cache, the nonce of the request.
func TestVerifyOptionsSandboxSession(t *testing.T) {
	s, err := OpenSandbox(sandbox.Options{Seed: 7, Now: now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw := idToken(t, s, "n-123")
	ctx := context.Background()
	o, notes, err := s.VerifyOptions(ctx, "n-123", now)
	if err != nil || len(notes) != 0 {
		t.Fatalf("VerifyOptions: %q, %v", texts(notes), err)
	}
	if o.Issuer != s.Sandbox.Issuer() || o.Audience != s.Sandbox.Client.ID || o.Keys != s.Keys || o.Nonce != "n-123" {
		t.Errorf("options %+v", o)
	}
	if r := jwtview.Verify(ctx, raw, o); !r.Valid() {
		t.Errorf("the sandbox's id_token is %s: %+v", r.State, r.Failures())
	}
	// The nonce is checked: the token of another request is not valid.
	o, _, _ = s.VerifyOptions(ctx, "other", now)
	if r := jwtview.Verify(ctx, raw, o); r.State != jwtview.StateInvalid {
		t.Errorf("another nonce: %s", r.State)
	}
}

// The sandbox's HS256 client: checked with the client secret.
func TestVerifyOptionsHS256Client(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 7, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, err := Open(Tenant{Domain: srv.BaseURL, ClientID: srv.HSClient.ID, ClientSecret: srv.HSClient.Secret}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw := idToken(t, s, "")
	o, _, err := s.VerifyOptions(context.Background(), "", now)
	if err != nil {
		t.Fatal(err)
	}
	if r := jwtview.Verify(context.Background(), raw, o); !r.Valid() || r.Token.Alg() != "HS256" {
		t.Errorf("HS256 id_token: %s %v %+v", r.State, r.Token.Alg(), r.Failures())
	}
}

// A tenant given as a base URL names its issuer and keys in its discovery
// document; when that cannot be read, the derived ones stay and a note says
// why.
func TestVerifyOptionsDiscovery(t *testing.T) {
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, base+"/", base+"/keys/jwks.json")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base = srv.URL
	open := func(domain string) *Session {
		s, err := Open(Tenant{Domain: domain, ClientID: "cid"}, api.TransportOptions{Timeout: 2 * time.Second}, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	o, notes, err := open(srv.URL).VerifyOptions(context.Background(), "", now)
	if err != nil || len(notes) != 0 || o.JWKSURL != base+"/keys/jwks.json" || o.Issuer != base+"/" {
		t.Errorf("discovered: %+v, %q, %v", o, texts(notes), err)
	}

	gone := httptest.NewServer(http.NotFoundHandler())
	defer gone.Close()
	o, notes, err = open(gone.URL).VerifyOptions(context.Background(), "", now)
	if err != nil || o.JWKSURL != gone.URL+"/.well-known/jwks.json" || o.Issuer != gone.URL+"/" {
		t.Errorf("derived: %+v, %v", o, err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].String(), "there is no discovery document at "+gone.URL) ||
		!strings.HasSuffix(notes[0].Text, "derived from the domain") {
		t.Errorf("notes %q", texts(notes))
	}
}

// The profile's settings apply: algorithms, organization, a base64 secret;
// one that is not base64 is an error, the rest still built.
func TestVerifyOptionsFromTheProfile(t *testing.T) {
	p := &config.Profile{Name: "legacy", Algorithms: []string{"HS256"}, Organization: "org_1", SecretBase64: true}
	open := func(secret string) *Session {
		s, err := Open(Tenant{Name: "legacy", Domain: "legacy.example.com", ClientID: "cid", ClientSecret: secret, Profile: p}, api.TransportOptions{}, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	o, _, err := open("c2VjcmV0").VerifyOptions(context.Background(), "", now)
	if err != nil || string(o.Secret) != "secret" || strings.Join(o.Algorithms, ",") != "HS256" || o.Organization != "org_1" ||
		o.Issuer != "https://legacy.example.com/" {
		t.Errorf("%+v, %v", o, err)
	}
	o, _, err = open("not base64!").VerifyOptions(context.Background(), "", now)
	if err == nil || !strings.Contains(err.Error(), "not valid base64") || o.Secret != nil || o.Issuer != "https://legacy.example.com/" {
		t.Errorf("%+v, %v", o, err)
	}
}
