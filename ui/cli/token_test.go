package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// tokenNow is the fixed time the token tests check at (passed as --now).
var tokenNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var tokenNowFlag = "--now=" + strconv.FormatInt(tokenNow.Unix(), 10)

var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// jwksTenant is a JWKS on 127.0.0.1 that counts its JWKS requests. It has
// no discovery document: a base-URL --domain falls back to the derived
// issuer and JWKS URL.
type jwksTenant struct {
	*httptest.Server
	hits atomic.Int64
}

func newJWKSTenant(t *testing.T) *jwksTenant {
	jwk, err := jwkset.NewJWKFromKey(&rsaKey().PublicKey, jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{KID: "k1", ALG: "RS256", USE: "sig"}})
	if err != nil {
		t.Fatal(err)
	}
	store := jwkset.NewMemoryStorage()
	_ = store.KeyWrite(context.Background(), jwk)
	body, _ := store.JSONPublic(context.Background())
	tn := &jwksTenant{}
	tn.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		tn.hits.Add(1)
		w.Write(body)
	}))
	t.Cleanup(tn.Close)
	return tn
}

func claimsFor(iss string, extra jwt.MapClaims) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": iss, "sub": "auth0|jane", "aud": "client-1",
		"iat": tokenNow.Add(-time.Minute).Unix(), "exp": tokenNow.Add(23*time.Minute + 10*time.Second).Unix(),
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func mintRS(t *testing.T, c jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(rsaKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mintHS(t *testing.T, key []byte, c jwt.MapClaims) string {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tokenRun(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

func TestTokenValidWithDomainDerivesIssuerAndJWKS(t *testing.T) {
	tn := newJWKSTenant(t)
	tok := mintRS(t, claimsFor(tn.URL+"/", nil))
	code, out, errOut := tokenRun(t, nil, "", "token", tok, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	for _, want := range []string{"VALID", "expires in 23m 10s", "✓ signature", `RS256 signature matches key "k1" from ` + tn.URL + "/.well-known/jwks.json", "issuer: who created"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if n := tn.hits.Load(); n != 1 {
		t.Errorf("%d JWKS requests", n)
	}
}

func TestTokenJSON(t *testing.T) {
	tn := newJWKSTenant(t)
	tok := mintRS(t, claimsFor(tn.URL+"/", nil))
	code, out, _ := tokenRun(t, nil, tok+"\n", "token", "-", "--jwks-url", tn.URL+"/.well-known/jwks.json",
		"--issuer", tn.URL+"/", "--audience", "client-1", "--json", tokenNowFlag)
	var got struct {
		Valid   *bool          `json:"valid"`
		State   string         `json:"state"`
		Header  map[string]any `json:"header"`
		Payload map[string]any `json:"payload"`
		Checks  []struct {
			Name   string `json:"name"`
			OK     *bool  `json:"ok"`
			Detail string `json:"detail"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if code != 0 || got.Valid == nil || !*got.Valid || got.State != "valid" || got.Header["alg"] != "RS256" || got.Payload["sub"] != "auth0|jane" {
		t.Errorf("exit %d, %+v", code, got)
	}
	names := []string{}
	for _, c := range got.Checks {
		if c.OK == nil || !*c.OK || c.Detail == "" {
			t.Errorf("check %+v", c)
		}
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "alg,header,signature,iss,sub,aud,exp,iat" {
		t.Errorf("checks %v", names)
	}
}

func TestTokenNotValidExits1(t *testing.T) {
	tn := newJWKSTenant(t)
	expired := mintRS(t, claimsFor(tn.URL+"/", jwt.MapClaims{"exp": tokenNow.Add(-time.Hour).Unix()}))
	code, out, errOut := tokenRun(t, nil, "", "token", expired, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 1 || !strings.HasPrefix(out, "INVALID: exp: expired 1h ago") || !strings.Contains(errOut, "exp failed") {
		t.Errorf("expired: exit %d\n%s\n%s", code, out, errOut)
	}
	// Tampered: the signature is reported first, never just "expired".
	parts := strings.Split(expired, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"` + tn.URL + `/","sub":"auth0|admin","aud":"client-1","iat":1,"exp":2}`))
	code, out, _ = tokenRun(t, nil, "", "token", strings.Join(parts, "."), "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 1 || !strings.HasPrefix(out, "INVALID: signature:") || !strings.Contains(out, "exp: expired") {
		t.Errorf("tampered: exit %d\n%s", code, out)
	}
	// Malformed: exit 1, and JSON says so.
	code, out, errOut = tokenRun(t, nil, "", "token", "abc.def", "--json")
	if code != 1 || !strings.Contains(out, `"valid":false,"state":"malformed"`) || !strings.Contains(out, `"header":null`) || !strings.Contains(errOut, "not a token") {
		t.Errorf("malformed: exit %d\n%s\n%s", code, out, errOut)
	}
	// No key material: decoded, said so, exit 1.
	code, out, _ = tokenRun(t, nil, "", "token", expired, "--audience", "client-1", tokenNowFlag)
	if code != 1 || !strings.Contains(out, "? signature  not verified: no JWKS") {
		t.Errorf("no keys: exit %d\n%s", code, out)
	}
	ok := mintRS(t, claimsFor(tn.URL+"/", nil))
	code, out, errOut = tokenRun(t, nil, "", "token", ok, tokenNowFlag)
	if code != 1 || !strings.HasPrefix(out, "NOT VERIFIED") || !strings.Contains(errOut, "not verified") {
		t.Errorf("unverified: exit %d\n%s\n%s", code, out, errOut)
	}
	// An opaque access token is explained, exit 1.
	code, out, _ = tokenRun(t, nil, "", "token", "8xK2vQ9pL3mN7rT1wY5zA0bC4dE6fG")
	if code != 1 || !strings.Contains(out, "no audience was requested") {
		t.Errorf("opaque: exit %d\n%s", code, out)
	}
}

func TestTokenHS256SecretIsNeverPrinted(t *testing.T) {
	const clientSecret = "hs-Secret-Value-0123456789abcdef"
	tok := mintHS(t, []byte(clientSecret), claimsFor("https://t.example.com/", nil))
	args := []string{"token", tok, "--issuer", "https://t.example.com/", "--audience", "client-1", tokenNowFlag}
	code, out, errOut := tokenRun(t, nil, "", append(args, "--secret", clientSecret)...)
	if code != 0 {
		t.Errorf("right secret: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = tokenRun(t, nil, "", append(args, "--secret", clientSecret+"x", "--json")...)
	if code != 1 || strings.Contains(out+errOut, clientSecret) {
		t.Errorf("wrong secret: exit %d\n%s%s", code, out, errOut)
	}
	// From the environment.
	code, out, errOut = tokenRun(t, map[string]string{"AUTH0_CLIENT_SECRET": clientSecret}, "", args...)
	if code != 0 || strings.Contains(out+errOut, clientSecret) {
		t.Errorf("secret from env: exit %d\n%s%s", code, out, errOut)
	}
	// Legacy base64 secret.
	raw := []byte{1, 2, 3, 250, 251, 252, 9, 8, 7, 6, 5, 4}
	legacy := mintHS(t, raw, claimsFor("https://t.example.com/", nil))
	b64 := base64.StdEncoding.EncodeToString(raw)
	largs := []string{"token", legacy, "--issuer", "https://t.example.com/", "--audience", "client-1", tokenNowFlag, "--secret", b64}
	if code, out, _ := tokenRun(t, nil, "", append(largs, "--secret-base64")...); code != 0 {
		t.Errorf("legacy secret decoded: exit %d\n%s", code, out)
	}
	if code, _, _ := tokenRun(t, nil, "", largs...); code != 1 {
		t.Errorf("legacy secret used raw: exit %d", code)
	}
	code, out, errOut = tokenRun(t, nil, "", "token", legacy, "--secret", "!!"+clientSecret, "--secret-base64")
	if code != 2 || strings.Contains(out+errOut, clientSecret) {
		t.Errorf("bad base64 secret: exit %d\n%s%s", code, out, errOut)
	}
}

func TestTokenEnvironmentDefaults(t *testing.T) {
	tn := newJWKSTenant(t)
	tok := mintRS(t, claimsFor(tn.URL+"/", nil))
	env := map[string]string{"AUTH0_DOMAIN": tn.URL, "AUTH0_CLIENT_ID": "client-1"}
	if code, out, _ := tokenRun(t, env, tok, "token", tokenNowFlag); code != 0 {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestTokenOutputEscapesControlCharacters(t *testing.T) {
	tok := mintRS(t, claimsFor("https://t/", jwt.MapClaims{"name": "x\x1b[2J\x1b]52;c;ZXZpbA==\x07", "https://app/\u009b": "\u202eok"}))
	for _, extra := range []string{"", "--json"} {
		args := []string{"token", tok, tokenNowFlag}
		if extra != "" {
			args = append(args, extra)
		}
		_, out, errOut := tokenRun(t, nil, "", args...)
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
			if strings.Contains(out+errOut, bad) {
				t.Errorf("%s output carries %q raw:\n%q", extra, bad, out)
			}
		}
		if extra == "" && !strings.Contains(out, `\u001b[2J`) {
			t.Errorf("escaped claim not shown:\n%s", out)
		}
	}
}

func TestTokenCommandLineMistakesExit2(t *testing.T) {
	tok := mintRS(t, claimsFor("https://t/", nil))
	for _, args := range [][]string{
		{"token", tok, "--alg", "none"},
		{"token", tok, "--alg", "RS256,NoNe"},
		{"token", tok, "--alg", "RS257"},
		{"token", tok, "--domain", "t.auth0.com", "--jwks-url", "https://t.auth0.com/.well-known/jwks.json"},
		{"token", tok, "--jwks-url", "http://evil.example.com/jwks.json"},
		{"token", tok, "--domain", "http://t.auth0.com"},
		{"token", tok, "--leeway", "soon"},
		{"token", tok, "--max-age", "-5"},
		{"token", tok, "--now", "yesterday"},
		{"token", tok, tok},
		{"token", tok, "--bogus"},
		{"token", "--secret-base64"},
		{"token"},      // empty stdin
		{"token", "-"}, // empty stdin
	} {
		code, out, errOut := tokenRun(t, nil, "", args...)
		if code != 2 || errOut == "" || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args[1:], code, out, errOut)
		}
	}
}

func TestTokenLeewayAndMaxAgeFlags(t *testing.T) {
	tn := newJWKSTenant(t)
	c := claimsFor(tn.URL+"/", jwt.MapClaims{"exp": tokenNow.Add(-90 * time.Second).Unix(), "auth_time": tokenNow.Add(-10 * time.Minute).Unix(), "nonce": "n1", "org_id": "org_1"})
	tok := mintRS(t, c)
	base := []string{"token", tok, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag}
	if code, out, _ := tokenRun(t, nil, "", base...); code != 1 || !strings.Contains(out, "✗ exp") {
		t.Errorf("default leeway: exit %d\n%s", code, out)
	}
	if code, out, _ := tokenRun(t, nil, "", append(base, "--leeway", "120", "--max-age", "15m", "--nonce", "n1", "--org", "org_1")...); code != 0 {
		t.Errorf("leeway 120: exit %d\n%s", code, out)
	}
	if code, out, _ := tokenRun(t, nil, "", append(base, "--leeway", "2m", "--max-age", "300")...); code != 1 || !strings.Contains(out, "✗ auth_time") {
		t.Errorf("max-age 300: exit %d\n%s", code, out)
	}
	if code, out, _ := tokenRun(t, nil, "", append(base, "--leeway", "2m", "--nonce", "n2")...); code != 1 || !strings.Contains(out, "✗ nonce") {
		t.Errorf("nonce: exit %d\n%s", code, out)
	}
	if code, out, _ := tokenRun(t, nil, "", append(base, "--leeway", "2m", "--org", "org_2")...); code != 1 || !strings.Contains(out, "✗ org_id") {
		t.Errorf("org: exit %d\n%s", code, out)
	}
}

// A parser error names the bad byte escaped: stderr never gets a raw ESC or
// C1 CSI from the token.
func TestTokenParserErrorIsEscapedOnStderr(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, bad := range []string{"\x1b[2J", "\x9b2J"} {
		tok := enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(`{"sub":"\`+bad+`"}`)) + "." + enc([]byte("s"))
		for _, extra := range []string{"", "--json"} {
			args := []string{"token", tok, tokenNowFlag}
			if extra != "" {
				args = append(args, extra)
			}
			code, out, errOut := tokenRun(t, nil, "", args...)
			if code != 1 || !strings.Contains(errOut, `invalid escape`) || !strings.Contains(errOut, `\x`) {
				t.Errorf("%q %s: exit %d, stderr %q", bad, extra, code, errOut)
			}
			if strings.ContainsAny(out+errOut, "\x1b\u009b") || strings.Contains(out+errOut, "\x9b") {
				t.Errorf("%q %s: raw byte in output:\nstdout %q\nstderr %q", bad, extra, out, errOut)
			}
		}
	}
}

// A forged, expired RS256 token checked without keys: the verdict and the
// stderr sentence say the signature was never checked.
func TestTokenInvalidWithoutKeysSaysSignatureNotVerified(t *testing.T) {
	tok := mintRS(t, claimsFor("https://t.example.com/", jwt.MapClaims{"exp": tokenNow.Add(-time.Hour).Unix()}))
	tok = tok[:strings.LastIndexByte(tok, '.')+1] + base64.RawURLEncoding.EncodeToString([]byte("forged"))
	code, out, errOut := tokenRun(t, nil, "", "token", tok, "--issuer", "https://t.example.com/", "--audience", "client-1", tokenNowFlag)
	if code != 1 || !strings.HasPrefix(out, "INVALID: exp: expired 1h ago") || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "; signature not verified (no keys)") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if !strings.Contains(errOut, "exp failed; signature not verified (no keys)") {
		t.Errorf("stderr %q", errOut)
	}
}

// Keys that cannot be fetched are a network failure: exit 3, when nothing
// else kept the token from being verified.
func TestTokenKeysUnreachableExits3(t *testing.T) {
	tn := newJWKSTenant(t)
	tn.Close() // connection refused on 127.0.0.1
	tok := mintRS(t, claimsFor(tn.URL+"/", nil))
	code, out, errOut := tokenRun(t, nil, "", "token", tok, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 3 || !strings.HasPrefix(out, "NOT VERIFIED") || !strings.Contains(errOut, "not verified: could not get the keys from "+tn.URL) {
		t.Errorf("unreachable JWKS: exit %d\n%s\n%s", code, out, errOut)
	}
	// A 404 is no key set either.
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	if code, _, errOut := tokenRun(t, nil, "", "token", tok, "--jwks-url", notFound.URL+"/jwks.json", "--issuer", tn.URL+"/", "--audience", "client-1", tokenNowFlag); code != 3 {
		t.Errorf("404 JWKS: exit %d, %s", code, errOut)
	}
	// No audience to compare with: not only the keys, exit 1.
	if code, _, _ := tokenRun(t, nil, "", "token", tok, "--domain", tn.URL, tokenNowFlag); code != 1 {
		t.Errorf("unreachable JWKS, no audience: exit %d", code)
	}
	// Expired as well: invalid, exit 1.
	expired := mintRS(t, claimsFor(tn.URL+"/", jwt.MapClaims{"exp": tokenNow.Add(-time.Hour).Unix()}))
	if code, _, _ := tokenRun(t, nil, "", "token", expired, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag); code != 1 {
		t.Errorf("unreachable JWKS, expired: exit %d", code)
	}
}

// stdin over the read limit is said to be over it, not reported at the
// size it was cut to.
func TestTokenStdinOverTheLimit(t *testing.T) {
	tok := mintRS(t, claimsFor("https://t/", nil))
	big := tok + strings.Repeat(" ", stdinLimit+10-len(tok))
	code, out, errOut := tokenRun(t, nil, big, "token", "-", "--json")
	if code != 1 || !strings.Contains(errOut, "over 131072 bytes") || !strings.Contains(out, `"state":"malformed"`) || strings.Contains(errOut, "131073") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// Exactly at the limit is read whole, and its true size named.
	atLimit := tok + strings.Repeat("\n", stdinLimit-len(tok))
	if code, _, errOut := tokenRun(t, nil, atLimit, "token", "-", tokenNowFlag); code != 1 || !strings.Contains(errOut, "the token is 131072 bytes, over the 64 KiB limit") {
		t.Errorf("at the limit: exit %d\n%s", code, errOut)
	}
}
