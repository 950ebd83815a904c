package sandbox_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// keyClient is an api.Client for the sandbox's KeyClient, signing its
// assertions with the PEM in pemBytes, on the fixture's clock shifted by
// skew.
func (f *fixture) keyClient(id string, pemBytes []byte, alg string, skew time.Duration) *api.Client {
	f.t.Helper()
	path := filepath.Join(f.t.TempDir(), "key.pem")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		f.t.Fatal(err)
	}
	s, err := api.LoadAssertionKey(path, alg, "")
	if err != nil {
		f.t.Fatal(err)
	}
	c, err := api.New(api.Config{Domain: f.srv.BaseURL, ClientID: id, Assertion: s})
	if err != nil {
		f.t.Fatal(err)
	}
	c.Now = func() time.Time { return f.clock.Now().Add(skew) }
	return c
}

func (f *fixture) wantInvalidClient(ex *api.Exchange, what, desc string) {
	f.t.Helper()
	var m map[string]string
	if ex.Response == nil {
		f.t.Fatalf("%s: %v", what, ex.Err)
	}
	_ = json.Unmarshal(ex.Response.Body, &m)
	if ex.Response.Status != 401 || m["error"] != "invalid_client" || !strings.Contains(m["error_description"], desc) {
		f.t.Errorf("%s: %d %s, want 401 invalid_client", what, ex.Response.Status, ex.Response.Body)
	}
}

// TestClientAssertionEndToEnd: the key client gets tokens with a client
// assertion from its private key; a wrong key, an expired assertion, one
// for another audience and a replayed one are refused with invalid_client;
// the key client without an assertion is refused too.
func TestClientAssertionEndToEnd(t *testing.T) {
	f := newFixture(t)
	pemBytes, err := f.srv.KeyClientPEM()
	if err != nil {
		t.Fatal(err)
	}
	id := f.srv.KeyClient.ID
	cc := api.ByName("clientCredentialsGrant")
	aud := str("audience", f.srv.ManagementAPI())

	good := f.keyClient(id, pemBytes, "", 0)
	m := f.ok(good, "clientCredentialsGrant", aud)
	if m["access_token"] == nil || m["token_type"] != "Bearer" {
		t.Fatalf("clientCredentialsGrant with an assertion: %v", m)
	}
	// Another operation that authenticates the client: the password grant.
	if m := f.ok(good, "oauth.passwordGrant", str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword)); m["access_token"] == nil {
		t.Errorf("password grant with an assertion: %v", m)
	}

	// Replayed: the same request, sent twice.
	req, err := good.Build(cc, api.Values{Fields: []api.Value{aud}})
	if err != nil {
		t.Fatal(err)
	}
	if ex := good.Send(context.Background(), req); ex.Response == nil || ex.Response.Status != 200 {
		t.Fatalf("first use: %v", ex.Err)
	}
	f.wantInvalidClient(good.Send(context.Background(), req), "replayed assertion", "already been used")

	// Wrong key.
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(other)
	f.wantInvalidClient(f.do(f.keyClient(id, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), "ES256", 0), "clientCredentialsGrant", aud), "wrong key", "Invalid")

	// Expired: signed three minutes before the sandbox's now.
	f.wantInvalidClient(f.do(f.keyClient(id, pemBytes, "", -3*time.Minute), "clientCredentialsGrant", aud), "expired assertion", "expired")

	// For another tenant: the same key, signed for another audience.
	elsewhere := f.keyClient(id, pemBytes, "", 0)
	elsewhere.BaseURL = "https://other.example.com"
	req, err = elsewhere.Build(cc, api.Values{Fields: []api.Value{aud}})
	if err != nil {
		t.Fatal(err)
	}
	req.URL = f.srv.BaseURL + "/oauth/token"
	f.wantInvalidClient(good.Send(context.Background(), req), "assertion for another audience", "aud must be")

	// An assertion from a client with no key registered (the secret client).
	f.wantInvalidClient(f.do(f.keyClient(f.srv.Client.ID, pemBytes, "", 0), "clientCredentialsGrant", aud), "client without a key", "no public key")

	// The key client with no credentials at all.
	bare, _ := api.New(api.Config{Domain: f.srv.BaseURL, ClientID: id})
	ex := bare.Do(context.Background(), api.ByName("oauth.passwordGrant"), api.Values{Fields: []api.Value{str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword)}})
	f.wantInvalidClient(ex, "key client without an assertion", "private_key_jwt")
}

// TestKeyClientSeeded: a seeded sandbox has the same key client key on
// every run, so scripts can use it.
func TestKeyClientSeeded(t *testing.T) {
	a, b := newFixture(t), newFixture(t)
	pa, _ := a.srv.KeyClientPEM()
	pb, _ := b.srv.KeyClientPEM()
	if string(pa) != string(pb) || a.srv.KeyClient.ID != b.srv.KeyClient.ID {
		t.Error("seeded sandboxes differ in their key client")
	}
}

func init() {
	opCases["oauth.revokeRefreshToken"] = opCase{
		good: func(f *fixture) (*api.Client, []api.Value) {
			return f.client, []api.Value{str("token", f.passwordTokens("openid offline_access")["refresh_token"].(string))}
		},
		verify: func(t *testing.T, f *fixture, vals []api.Value) {
			ex := f.do(f.client, "oauth.refreshToken", str("refresh_token", mustString(vals[0].Raw)))
			if ex.Response.Status != 403 {
				t.Errorf("revoked refresh token still works: %d %s", ex.Response.Status, ex.Response.Body)
			}
		},
		bad:       func(f *fixture) (*api.Client, []api.Value) { return f.badSecret(), []api.Value{str("token", "x")} },
		badStatus: 401, badCode: "access_denied",
	}
}

// TestRevokeWithAssertion: the key client revokes its refresh token with a
// client assertion (oauth.revokeRefreshToken, node-auth0 4.x's).
func TestRevokeWithAssertion(t *testing.T) {
	f := newFixture(t)
	pemBytes, _ := f.srv.KeyClientPEM()
	kc := f.keyClient(f.srv.KeyClient.ID, pemBytes, "", 0)
	rt, _ := f.ok(kc, "oauth.passwordGrant", str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid offline_access"))["refresh_token"].(string)
	if rt == "" {
		t.Fatal("no refresh token for the key client")
	}
	if ex := f.do(kc, "oauth.revokeRefreshToken", str("token", rt)); ex.Response.Status != 200 {
		t.Fatalf("revoke: %d %s", ex.Response.Status, ex.Response.Body)
	}
	if ex := f.do(kc, "oauth.refreshToken", str("refresh_token", rt)); ex.Response.Status != 403 {
		t.Errorf("revoked token still refreshes: %d %s", ex.Response.Status, ex.Response.Body)
	}
}
