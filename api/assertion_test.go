package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// writeKey writes k as a PKCS#8 PEM file and returns its path.
func writeKey(t *testing.T, k any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var assertionNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func assertionClient(t *testing.T, s *AssertionSigner) *Client {
	t.Helper()
	c, err := New(Config{Domain: "tenant.eu.auth0.com", ClientID: "cid123", ClientSecret: "profile-secret", Assertion: s})
	if err != nil {
		t.Fatal(err)
	}
	c.Now = func() time.Time { return assertionNow }
	return c
}

// formPairs reads a JSON body's keys in order with their string values.
func bodyKeys(t *testing.T, body []byte) ([]string, map[string]string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(body)))
	var keys []string
	vals := map[string]string{}
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, _ := dec.Token()
		var v string
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		vals[k.(string)] = v
	}
	return keys, vals
}

// TestClientAssertionReplacesSecret: with a signer, clientCredentialsGrant
// sends client_assertion and its type after the body, no client_secret; the
// JWT is node-auth0 4.x's (alg header, iss=sub=client id, aud the issuer,
// exp = iat + 2 min, a UUID jti) and verifies with the public key.
func TestClientAssertionReplacesSecret(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadAssertionKey(writeKey(t, k), "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := assertionClient(t, s)
	req, err := c.Build(ByName("clientCredentialsGrant"), Values{Fields: []Value{String("audience", "https://api/")}})
	if err != nil {
		t.Fatal(err)
	}
	keys, vals := bodyKeys(t, req.Body)
	if got, want := strings.Join(keys, ","), "grant_type,client_id,audience,client_assertion,client_assertion_type"; got != want {
		t.Errorf("body keys %s, want %s", got, want)
	}
	if vals["client_assertion_type"] != ClientAssertionType {
		t.Errorf("client_assertion_type %q", vals["client_assertion_type"])
	}
	raw := vals["client_assertion"]
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", raw)
	}
	tok, err := jwt.Parse(raw, func(*jwt.Token) (any, error) { return &k.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(func() time.Time { return assertionNow }),
		jwt.WithIssuer("cid123"), jwt.WithSubject("cid123"), jwt.WithAudience("https://tenant.eu.auth0.com/"), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Fatalf("assertion does not verify: %v", err)
	}
	cl := tok.Claims.(jwt.MapClaims)
	if cl["iat"].(float64) != float64(assertionNow.Unix()) || cl["exp"].(float64) != float64(assertionNow.Unix()+120) {
		t.Errorf("iat/exp %v %v", cl["iat"], cl["exp"])
	}
	if jti, _ := cl["jti"].(string); len(jti) != 36 || jti[14] != '4' {
		t.Errorf("jti %q is not a UUID v4", jti)
	}
	if len(tok.Header) != 1 || tok.Header["alg"] != "RS256" {
		t.Errorf("header %v, want only alg RS256 (as the SDK)", tok.Header)
	}
	// A second request has another jti.
	req2, _ := c.Build(ByName("clientCredentialsGrant"), Values{Fields: []Value{String("audience", "https://api/")}})
	if _, v2 := bodyKeys(t, req2.Body); v2["client_assertion"] == raw {
		t.Error("two assertions are the same")
	}
	// It is a secret: redacted on display and in curl.
	found := false
	for _, sec := range req.Secrets {
		found = found || sec == raw
	}
	if !found {
		t.Error("the assertion is not among the request's secrets")
	}
	if cmd := req.Curl(false); strings.Contains(cmd, raw) || strings.Contains(cmd, parts[2]) {
		t.Errorf("curl shows the assertion:\n%s", cmd)
	}
	if strings.Contains(string(NewRedactor(req.Secrets).RequestBody(req.Body, req.ContentType)), parts[2]) {
		t.Error("the redacted body shows the assertion")
	}
}

// TestClientAssertionCallerSecretWins: a client_secret field given by the
// caller is sent as given, and no assertion is made.
func TestClientAssertionCallerSecretWins(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, err := LoadAssertionKey(writeKey(t, k), "es256", "kid-1")
	if err != nil {
		t.Fatal(err)
	}
	c := assertionClient(t, s)
	req, err := c.Build(ByName("clientCredentialsGrant"), Values{Fields: []Value{String("audience", "a"), String("client_secret", "given")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, v := bodyKeys(t, req.Body); v["client_secret"] != "given" || v["client_assertion"] != "" {
		t.Errorf("body %s", req.Body)
	}
	// A refresh token grant (another operation that authenticates the
	// client) gets one, signed ES256 with the kid.
	req, err = c.Build(ByName("refreshToken"), Values{Fields: []Value{String("refresh_token", "rt")}})
	if err != nil {
		t.Fatal(err)
	}
	_, v := bodyKeys(t, req.Body)
	tok, err := jwt.Parse(v["client_assertion"], func(*jwt.Token) (any, error) { return &k.PublicKey, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithTimeFunc(func() time.Time { return assertionNow }))
	if err != nil || tok.Header["kid"] != "kid-1" {
		t.Errorf("ES256 assertion: %v %v (body %s)", err, tok, req.Body)
	}
	if _, ok := v["client_secret"]; ok {
		t.Errorf("client_secret sent beside the assertion: %s", req.Body)
	}
}

// TestLoadAssertionKeyRefusals: each bad key file or algorithm is one
// sentence naming the file or the flag.
func TestLoadAssertionKeyRefusals(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecPath := writeKey(t, ec)
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "x.pem")
	_ = os.WriteFile(notPEM, []byte("hello"), 0o600)
	cert := filepath.Join(dir, "c.pem")
	_ = os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), 0o600)
	broken := filepath.Join(dir, "b.pem")
	_ = os.WriteFile(broken, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}}), 0o600)
	for _, tc := range []struct{ path, alg, want string }{
		{filepath.Join(dir, "missing.pem"), "", "cannot read the client assertion key"},
		{notPEM, "", "is not a PEM file"},
		{cert, "", `holds a "CERTIFICATE" block`},
		{broken, "", "does not parse"},
		{ecPath, "", "is an EC key, which cannot sign RS256 (pass --client-assertion-alg ES256)"},
		{ecPath, "ES384", "which signs ES256, not ES384"},
		{ecPath, "HS256", "--client-assertion-alg HS256 is not one of"},
		{ecPath, "none", "is not one of"},
	} {
		_, err := LoadAssertionKey(tc.path, tc.alg, "")
		var ie *InputError
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %s: %v, want %q", filepath.Base(tc.path), tc.alg, err, tc.want)
		} else if !asInputError(err, &ie) {
			t.Errorf("%v is not an *InputError", err)
		}
	}
}

func asInputError(err error, ie **InputError) bool {
	e, ok := err.(*InputError)
	*ie = e
	return ok
}

// TestRevokeRefreshTokenV4: oauth.revokeRefreshToken is node-auth0 4.x's:
// JSON to /oauth/revoke, {client_id, ...fields, client_secret}; with a
// client assertion key, the assertion and its type in place of the secret;
// a missing token refused, an empty one sent.
func TestRevokeRefreshTokenV4(t *testing.T) {
	op := ByName("oauth.revokeRefreshToken")
	if op == nil {
		t.Fatal("no oauth.revokeRefreshToken")
	}
	c, _ := New(Config{Domain: "tenant.eu.auth0.com", ClientID: "cid", ClientSecret: "csecret"})
	req, err := c.Build(op, Values{Fields: []Value{String("token", "rt")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(req.Body), `{"client_id":"cid","token":"rt","client_secret":"csecret"}`; got != want || req.URL != "https://tenant.eu.auth0.com/oauth/revoke" || req.ContentType != "application/json" {
		t.Errorf("body %s to %s (%s), want %s", got, req.URL, req.ContentType, want)
	}
	req, err = c.Build(op, Values{Fields: []Value{String("client_secret", "given"), String("token", "")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(req.Body), `{"client_id":"cid","client_secret":"given","token":""}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
	if _, err := c.Build(op, Values{}); err == nil || !strings.Contains(err.Error(), "requestParameters.token") {
		t.Errorf("missing token: %v", err)
	}
	noSecret, _ := New(Config{Domain: "tenant.eu.auth0.com"})
	if req, _ := noSecret.Build(op, Values{Fields: []Value{String("token", "rt")}}); req == nil || string(req.Body) != `{"token":"rt"}` {
		t.Errorf("no client: %v", req)
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, _ := LoadAssertionKey(writeKey(t, k), "ES256", "")
	req, err = assertionClient(t, s).Build(op, Values{Fields: []Value{String("token", "rt")}})
	if err != nil {
		t.Fatal(err)
	}
	if keys, _ := bodyKeys(t, req.Body); strings.Join(keys, ",") != "client_id,token,client_assertion,client_assertion_type" {
		t.Errorf("with an assertion: %s", req.Body)
	}
}
