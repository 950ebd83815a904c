package jwtview

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// clock is an injectable, manually advanced clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testKeys are generated once per test binary.
type testKeys struct {
	rsa, rsa2 *rsa.PrivateKey
	ec        *ecdsa.PrivateKey
	ec384     *ecdsa.PrivateKey
	ed        ed25519.PrivateKey
}

var keysOnce = sync.OnceValue(func() *testKeys {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	k := &testKeys{}
	var err error
	k.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.rsa2, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	k.ec384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	_, k.ed, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	return k
})

// jwksKey is one public key served by a jwksServer.
type jwksKey struct {
	kid, alg string
	pub      crypto.PublicKey
}

// jwksServer serves a JWKS on 127.0.0.1 and counts its requests.
type jwksServer struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	keys []jwksKey
	body []byte // when set, served instead of the keys
}

func newJWKSServer(t testing.TB, keys ...jwksKey) *jwksServer {
	s := &jwksServer{keys: keys}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		body := s.body
		keys := s.keys
		s.mu.Unlock()
		if body == nil {
			body = jwksJSON(t, keys...)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) URL() string { return s.Server.URL + "/.well-known/jwks.json" }

func (s *jwksServer) setKeys(keys ...jwksKey) {
	s.mu.Lock()
	s.keys = keys
	s.mu.Unlock()
}

func jwksJSON(t testing.TB, keys ...jwksKey) []byte {
	store := jwkset.NewMemoryStorage()
	for _, k := range keys {
		jwk, err := jwkset.NewJWKFromKey(k.pub, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
			KID: k.kid, ALG: jwkset.ALG(k.alg), USE: jwkset.UseSig,
		}})
		if err != nil {
			t.Fatalf("jwk: %v", err)
		}
		if err := store.KeyWrite(context.Background(), jwk); err != nil {
			t.Fatal(err)
		}
	}
	b, err := store.JSONPublic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hdr and claims are written in the given order: pairs of name, value.
func obj(pairs ...any) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(pairs[i])
		v, ok := pairs[i+1].(json.RawMessage)
		if !ok {
			v, _ = json.Marshal(pairs[i+1])
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// sign makes a compact JWS of the given header and payload JSON, signed
// with key by alg.
func sign(t testing.TB, alg string, key any, header, payload string) string {
	in := enc(header) + "." + enc(payload)
	m := jwt.GetSigningMethod(alg)
	if m == nil {
		t.Fatalf("no method %s", alg)
	}
	sig, err := m.Sign(in, key)
	if err != nil {
		t.Fatalf("sign %s: %v", alg, err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

const (
	testIssuer   = "https://tenant.example.auth0.com/"
	testAudience = "client-123"
)

// stdClaims are a valid id_token's claims at t0, in Auth0's order, with
// extra pairs appended (or replacing a claim of the same name; a nil value
// removes it).
func stdClaims(extra ...any) string {
	base := []any{
		"iss", testIssuer,
		"sub", "auth0|user1",
		"aud", testAudience,
		"iat", t0.Add(-time.Minute).Unix(),
		"exp", t0.Add(time.Hour).Unix(),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		replaced := false
		for j := 0; j+1 < len(base); j += 2 {
			if base[j] == extra[i] {
				base[j+1] = extra[i+1]
				replaced = true
			}
		}
		if !replaced {
			base = append(base, extra[i], extra[i+1])
		}
	}
	var out []any
	for i := 0; i+1 < len(base); i += 2 {
		if base[i+1] == nil {
			continue
		}
		out = append(out, base[i], base[i+1])
	}
	return obj(out...)
}

// fixture is a JWKS server with every asymmetric test key and options that
// verify tokens against it at t0.
type fixture struct {
	srv   *jwksServer
	clock *clock
	keys  *KeyCache
	k     *testKeys
}

func newFixture(t testing.TB) *fixture {
	k := keysOnce()
	srv := newJWKSServer(t,
		jwksKey{"rsa1", "RS256", &k.rsa.PublicKey},
		jwksKey{"ps1", "PS256", &k.rsa.PublicKey},
		jwksKey{"ec1", "ES256", &k.ec.PublicKey},
		jwksKey{"ed1", "EdDSA", k.ed.Public()},
	)
	c := newClock()
	kc := NewKeyCache(KeyCacheOptions{Now: c.Now})
	t.Cleanup(kc.Close)
	return &fixture{srv: srv, clock: c, keys: kc, k: k}
}

func (f *fixture) opts() Options {
	return Options{
		Issuer:     testIssuer,
		Audience:   testAudience,
		JWKSURL:    f.srv.URL(),
		Keys:       f.keys,
		Now:        f.clock.Now,
		Algorithms: KnownAlgorithms,
	}
}

// rs256 signs a token with the tenant's RSA key, kid rsa1.
func (f *fixture) rs256(t testing.TB, payload string, hdrExtra ...any) string {
	h := append([]any{"alg", "RS256", "typ", "JWT", "kid", "rsa1"}, hdrExtra...)
	return sign(t, "RS256", f.k.rsa, obj(h...), payload)
}

func check(t testing.TB, r *Report, name string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %q check in %+v", name, r.Checks)
	return Check{}
}

func hasCheck(r *Report, name string) bool {
	for _, c := range r.Checks {
		if c.Name == name {
			return true
		}
	}
	return false
}
