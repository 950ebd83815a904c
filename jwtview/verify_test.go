package jwtview

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestVerifyEachAlgorithmAgainstTheJWKS(t *testing.T) {
	f := newFixture(t)
	k := f.k
	for _, c := range []struct {
		alg, kid string
		key      any
	}{
		{"RS256", "rsa1", k.rsa},
		{"PS256", "ps1", k.rsa},
		{"ES256", "ec1", k.ec},
		{"EdDSA", "ed1", k.ed},
	} {
		t.Run(c.alg, func(t *testing.T) {
			tok := sign(t, c.alg, c.key, obj("alg", c.alg, "typ", "JWT", "kid", c.kid), stdClaims())
			r := Verify(context.Background(), tok, f.opts())
			if !r.Valid() {
				t.Fatalf("%s: %s", c.alg, r.Summary())
			}
			if sc := check(t, r, "signature"); !strings.Contains(sc.Detail, c.alg+" signature matches key \""+c.kid+"\"") {
				t.Errorf("signature detail %q", sc.Detail)
			}
			// The same token with one payload byte changed fails the signature.
			parts := strings.Split(tok, ".")
			parts[1] = enc(stdClaims("sub", "auth0|other"))
			r = Verify(context.Background(), strings.Join(parts, "."), f.opts())
			if sc := check(t, r, "signature"); sc.OK || r.State != StateInvalid {
				t.Errorf("tampered %s token: %s", c.alg, r.Summary())
			}
		})
	}
}

func TestVerifyHS256WithTheClientSecret(t *testing.T) {
	now := func() time.Time { return t0 }
	secret := []byte("a-client-secret-of-decent-length-0123456789")
	tok := sign(t, "HS256", secret, obj("alg", "HS256", "typ", "JWT"), stdClaims())
	base := Options{Issuer: testIssuer, Audience: testAudience, Now: now}

	o := base
	o.Secret = secret
	if r := Verify(context.Background(), tok, o); !r.Valid() {
		t.Errorf("right secret: %s", r.Summary())
	}
	o.Secret = []byte("another secret")
	r := Verify(context.Background(), tok, o)
	if r.State != StateInvalid || check(t, r, "signature").OK {
		t.Errorf("wrong secret: %s", r.Summary())
	}
	r = Verify(context.Background(), tok, base)
	if sc := check(t, r, "signature"); r.State != StateUnverified || !sc.Skipped || !strings.Contains(sc.Detail, "none was given") {
		t.Errorf("no secret: %s", r.Summary())
	}
	for _, c := range r.Checks {
		if strings.Contains(c.Detail, string(secret)) {
			t.Errorf("a check shows the secret: %+v", c)
		}
	}
}

func TestVerifyHS256LegacyBase64Secret(t *testing.T) {
	raw := []byte{0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0xfe, 0xff, 0x10, 0x20, 0x30, 0x40}
	encoded := base64.StdEncoding.EncodeToString(raw)
	tok := sign(t, "HS256", raw, obj("alg", "HS256"), stdClaims())
	secret, err := SecretFromBase64(encoded)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Issuer: testIssuer, Audience: testAudience, Now: func() time.Time { return t0 }, Secret: secret}
	if r := Verify(context.Background(), tok, o); !r.Valid() {
		t.Errorf("decoded legacy secret: %s", r.Summary())
	}
	o.Secret = []byte(encoded) // the encoded text used as is: no match
	if r := Verify(context.Background(), tok, o); r.Valid() || check(t, r, "signature").OK {
		t.Errorf("undecoded legacy secret verified")
	}
	if _, err := SecretFromBase64("not base64!"); err == nil {
		t.Error("SecretFromBase64 accepted garbage")
	}
	urlForm := base64.RawURLEncoding.EncodeToString(raw)
	if got, err := SecretFromBase64(urlForm); err != nil || string(got) != string(raw) {
		t.Errorf("url-safe form: %v", err)
	}
}

func TestAlgNoneNeverPasses(t *testing.T) {
	f := newFixture(t)
	payload := enc(stdClaims())
	for _, alg := range []string{"none", "None", "NONE", "nOnE", " none"} {
		for _, sig := range []string{"", enc("x")} {
			tok := enc(obj("alg", alg, "kid", "rsa1")) + "." + payload + "." + sig
			o := f.opts()
			o.Algorithms = []string{"RS256", "HS256", alg} // even if someone lists it
			o.Secret = []byte("s")
			r := Verify(context.Background(), tok, o)
			if r.Valid() || r.State != StateInvalid {
				t.Errorf("alg %q sig %q: %s", alg, sig, r.Summary())
			}
			if c := check(t, r, "alg"); c.OK || !strings.Contains(c.Detail, "never accepted") {
				t.Errorf("alg %q: %+v", alg, c)
			}
			if check(t, r, "signature").OK {
				t.Errorf("alg %q: signature passed", alg)
			}
		}
	}
	if _, err := ParseAlgorithms("RS256,none"); err == nil {
		t.Error("ParseAlgorithms allowed none")
	}
}

func TestAllowedAlgorithms(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, "ES256", f.k.ec, obj("alg", "ES256", "kid", "ec1"), stdClaims())
	o := f.opts()
	o.Algorithms = nil // default: RS256 and HS256, as node-auth0
	r := Verify(context.Background(), tok, o)
	if c := check(t, r, "alg"); c.OK || !strings.Contains(c.Detail, `"ES256" is not allowed (allowed: RS256, HS256)`) {
		t.Errorf("ES256 under the default list: %+v", c)
	}
	o.Algorithms = []string{"ES256"}
	if r := Verify(context.Background(), tok, o); !r.Valid() {
		t.Errorf("ES256 allowed: %s", r.Summary())
	}
	for name, hdr := range map[string]string{
		"missing":    obj("kid", "rsa1"),
		"not string": obj("alg", 256, "kid", "rsa1"),
		"unknown":    obj("alg", "XS999", "kid", "rsa1"),
	} {
		r := Verify(context.Background(), enc(hdr)+"."+enc(stdClaims())+"."+enc("s"), f.opts())
		if check(t, r, "alg").OK || r.State != StateInvalid {
			t.Errorf("%s alg: %s", name, r.Summary())
		}
	}
	if algs, err := ParseAlgorithms("rs256, ES256,RS256"); err != nil || strings.Join(algs, ",") != "RS256,ES256" {
		t.Errorf("ParseAlgorithms = %v, %v", algs, err)
	}
	if _, err := ParseAlgorithms("RS257"); err == nil {
		t.Error("unknown algorithm accepted")
	}
}

// A token signed with HMAC using the tenant's public key as the secret (the
// classic RS256→HS256 confusion) never verifies: JWKS keys are never HMAC
// secrets.
func TestAlgorithmConfusionAttack(t *testing.T) {
	f := newFixture(t)
	der, _ := x509.MarshalPKIXPublicKey(&f.k.rsa.PublicKey)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	tok := sign(t, "HS256", pemKey, obj("alg", "HS256", "kid", "rsa1"), stdClaims())
	r := Verify(context.Background(), tok, f.opts())
	if r.Valid() || check(t, r, "signature").OK {
		t.Fatalf("confused token: %s", r.Summary())
	}
	before := f.srv.hits.Load()
	_ = Verify(context.Background(), tok, f.opts())
	if f.srv.hits.Load() != before {
		t.Error("an HS256 token caused a JWKS fetch")
	}
}

func TestHeaderKeyLocationsAreNeverFollowed(t *testing.T) {
	f := newFixture(t)
	var attackerHits atomic.Int64
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attackerHits.Add(1)
		w.Write(jwksJSON(t, jwksKey{"rsa1", "RS256", &f.k.rsa2.PublicKey}))
	}))
	defer attacker.Close()
	// The attacker signs with their own key and points the header at it.
	attackerJWK := json.RawMessage(jwksJSON(t, jwksKey{"rsa1", "RS256", &f.k.rsa2.PublicKey}))
	var set struct{ Keys []json.RawMessage }
	_ = json.Unmarshal(attackerJWK, &set)
	der, _ := x509.MarshalPKIXPublicKey(&f.k.rsa2.PublicKey)
	for name, extra := range map[string][]any{
		"jku": {"jku", attacker.URL + "/jwks.json"},
		"x5u": {"x5u", attacker.URL + "/cert.pem"},
		"jwk": {"jwk", set.Keys[0]},
		"x5c": {"x5c", []string{base64.StdEncoding.EncodeToString(der)}},
	} {
		t.Run(name, func(t *testing.T) {
			h := append([]any{"alg", "RS256", "kid", "rsa1"}, extra...)
			tok := sign(t, "RS256", f.k.rsa2, obj(h...), stdClaims())
			r := Verify(context.Background(), tok, f.opts())
			if r.Valid() || check(t, r, "signature").OK {
				t.Errorf("attacker key accepted: %s", r.Summary())
			}
			kl := check(t, r, "key location")
			if !strings.Contains(kl.Detail, name+" in the header ignored") || !strings.Contains(kl.Detail, f.srv.URL()) {
				t.Errorf("key location check: %+v", kl)
			}
			// A genuine token carrying the same header still verifies with
			// the tenant's key: the header is ignored, not trusted.
			good := sign(t, "RS256", f.k.rsa, obj(h...), stdClaims())
			if r := Verify(context.Background(), good, f.opts()); !r.Valid() {
				t.Errorf("genuine token with %s: %s", name, r.Summary())
			}
		})
	}
	if n := attackerHits.Load(); n != 0 {
		t.Errorf("the attacker's server got %d requests", n)
	}
}

func TestRefusedHeaders(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]struct {
		extra []any
		want  string
	}{
		"crit":        {[]any{"crit", []string{"exp"}, "exp", 1}, "crit lists extensions"},
		"b64 false":   {[]any{"b64", false, "crit", []string{"b64"}}, `"b64": false`},
		"cty JWT":     {[]any{"cty", "JWT"}, "nested token"},
		"typ at+jwt":  {[]any{"typ", "at+jwt"}, "access token (RFC 9068)"},
		"typ app":     {[]any{"typ", "application/at+JWT"}, "access token"},
		"kid not str": {[]any{"kid", 7}, "kid is not a string"},
	} {
		t.Run(name, func(t *testing.T) {
			h := append([]any{"alg", "RS256", "kid", "rsa1"}, c.extra...)
			if name == "kid not str" {
				h = append([]any{"alg", "RS256"}, c.extra...)
			}
			tok := sign(t, "RS256", f.k.rsa, obj(h...), stdClaims())
			r := Verify(context.Background(), tok, f.opts())
			hc := check(t, r, "header")
			if hc.OK || !strings.Contains(hc.Detail, c.want) || r.State != StateInvalid {
				t.Errorf("%s: %+v (%s)", name, hc, r.Summary())
			}
		})
	}
	tok := f.rs256(t, stdClaims())
	if hc := check(t, Verify(context.Background(), tok, f.opts()), "header"); !hc.OK {
		t.Errorf("plain header refused: %+v", hc)
	}
}

// claimCase is a payload and the check it must pass or fail.
type claimCase struct {
	name    string
	payload string
	opts    func(*Options)
	check   string
	ok      bool
	detail  string
}

func TestClaimRules(t *testing.T) {
	f := newFixture(t)
	h := t0.Add(-time.Hour).Unix()
	cases := []claimCase{
		{"iss ok", stdClaims(), nil, "iss", true, "as expected"},
		{"iss wrong", stdClaims("iss", "https://evil.example/"), nil, "iss", false, `expected "https://tenant.example.auth0.com/"`},
		{"iss missing", stdClaims("iss", nil), nil, "iss", false, "no iss"},
		{"iss not string", stdClaims("iss", 5), nil, "iss", false, "not a string"},
		{"iss trailing slash", stdClaims("iss", "https://tenant.example.auth0.com"), nil, "iss", false, "expected"},
		{"sub ok", stdClaims(), nil, "sub", true, "auth0|user1"},
		{"sub missing", stdClaims("sub", nil), nil, "sub", false, "no sub"},
		{"sub empty", stdClaims("sub", ""), nil, "sub", false, "non-empty"},
		{"aud string", stdClaims(), nil, "aud", true, "meant for"},
		{"aud array", stdClaims("aud", []string{testAudience}), nil, "aud", true, "meant for"},
		{"aud wrong", stdClaims("aud", "someone-else"), nil, "aud", false, `not for "client-123"`},
		{"aud array wrong", stdClaims("aud", []string{"a", "b"}), nil, "aud", false, `"a", "b"`},
		{"aud missing", stdClaims("aud", nil), nil, "aud", false, "no aud"},
		{"aud numbers", stdClaims("aud", []int{1}), nil, "aud", false, "neither a string nor an array of strings"},
		{"aud empty array", stdClaims("aud", []string{}), nil, "aud", false, "neither"},
		{"azp ok", stdClaims("aud", []string{testAudience, "https://api/"}, "azp", testAudience), nil, "azp", true, "as expected"},
		{"azp missing", stdClaims("aud", []string{testAudience, "https://api/"}), nil, "azp", false, "required"},
		{"azp wrong", stdClaims("aud", []string{testAudience, "https://api/"}, "azp", "other"), nil, "azp", false, `expected "client-123"`},
		{"exp ok", stdClaims(), nil, "exp", true, "expires in 1h"},
		{"exp past", stdClaims("exp", h), nil, "exp", false, "expired 1h ago"},
		{"exp within leeway", stdClaims("exp", t0.Add(-30*time.Second).Unix()), nil, "exp", true, "within the 1m leeway"},
		{"exp beyond leeway", stdClaims("exp", t0.Add(-61*time.Second).Unix()), nil, "exp", false, "expired 1m 1s ago"},
		{"exp custom leeway", stdClaims("exp", t0.Add(-61*time.Second).Unix()), func(o *Options) { o.Leeway = 2 * time.Minute }, "exp", true, "within the 2m leeway"},
		{"exp no leeway", stdClaims("exp", t0.Add(-1*time.Second).Unix()), func(o *Options) { o.Leeway = -1 }, "exp", false, "expired 1s ago"},
		{"exp missing", stdClaims("exp", nil), nil, "exp", false, "no exp"},
		{"exp string", stdClaims("exp", "9999999999"), nil, "exp", false, "not a number"},
		{"exp huge", stdClaims("exp", json.RawMessage("1e400")), nil, "exp", false, "exp 1e400 is not a real date (after year 9999)"},
		{"exp 1e300", stdClaims("exp", json.RawMessage("1e300")), nil, "exp", false, "exp 1e300 is not a real date (after year 9999)"},
		{"exp past int64", stdClaims("exp", json.RawMessage("9223372036854775808")), nil, "exp", false, "exp 9223372036854775808 is not a real date (after year 9999)"},
		{"exp year 10000", stdClaims("exp", json.RawMessage("253402300800")), nil, "exp", false, "not a real date (after year 9999)"},
		{"exp year 9999", stdClaims("exp", json.RawMessage("253402300799")), nil, "exp", true, "expires in 7974 years"},
		{"exp long number cut", stdClaims("exp", json.RawMessage("1"+strings.Repeat("0", 40))), nil, "exp", false, "exp 10000000000000000000… is not a real date"},
		{"iat before year 1", stdClaims("iat", json.RawMessage("-1e300")), nil, "iat", false, "iat -1e300 is not a real date (before year 1)"},
		{"nbf huge", stdClaims("nbf", json.RawMessage("1e19")), nil, "nbf", false, "nbf 1e19 is not a real date (after year 9999)"},
		{"auth_time huge", stdClaims("auth_time", json.RawMessage("1e20")), func(o *Options) { o.MaxAge = 10 * time.Minute }, "auth_time", false, "auth_time 1e20 is not a real date"},
		{"exp fractional", stdClaims("exp", json.RawMessage("1748782800.5")), nil, "exp", true, "expires in"},
		{"iat ok", stdClaims(), nil, "iat", true, "issued 1m ago"},
		{"iat missing", stdClaims("iat", nil), nil, "iat", false, "no iat"},
		{"iat future", stdClaims("iat", t0.Add(10*time.Minute).Unix()), nil, "iat", false, "10m in the future"},
		{"iat slightly future", stdClaims("iat", t0.Add(10*time.Second).Unix()), nil, "iat", true, "within the 1m leeway"},
		{"iat string", stdClaims("iat", "x"), nil, "iat", false, "not a number"},
		{"nbf ok", stdClaims("nbf", t0.Add(-time.Minute).Unix()), nil, "nbf", true, "in effect"},
		{"nbf future", stdClaims("nbf", t0.Add(10*time.Minute).Unix()), nil, "nbf", false, "not valid before 10m from now"},
		{"nbf string", stdClaims("nbf", "soon"), nil, "nbf", false, "not a number"},
		{"nonce ok", stdClaims("nonce", "n-1"), func(o *Options) { o.Nonce = "n-1" }, "nonce", true, "matches"},
		{"nonce wrong", stdClaims("nonce", "n-2"), func(o *Options) { o.Nonce = "n-1" }, "nonce", false, "does not match"},
		{"nonce missing", stdClaims(), func(o *Options) { o.Nonce = "n-1" }, "nonce", false, "has none"},
		{"nonce not string", stdClaims("nonce", 1), func(o *Options) { o.Nonce = "n-1" }, "nonce", false, "not a string"},
		{"max_age ok", stdClaims("auth_time", t0.Add(-5*time.Minute).Unix()), func(o *Options) { o.MaxAge = 10 * time.Minute }, "auth_time", true, "signed in 5m ago, within max_age 10m"},
		{"max_age old", stdClaims("auth_time", h), func(o *Options) { o.MaxAge = 10 * time.Minute }, "auth_time", false, "longer than max_age 10m"},
		{"max_age missing", stdClaims(), func(o *Options) { o.MaxAge = 10 * time.Minute }, "auth_time", false, "auth_time is required"},
		{"org_id ok", stdClaims("org_id", "org_abc"), func(o *Options) { o.Organization = "org_abc" }, "org_id", true, "as expected"},
		{"org_id wrong", stdClaims("org_id", "org_xyz"), func(o *Options) { o.Organization = "org_abc" }, "org_id", false, `expected "org_abc"`},
		{"org_id missing", stdClaims(), func(o *Options) { o.Organization = "org_abc" }, "org_id", false, "no org_id"},
		{"org_name ok", stdClaims("org_name", "acme"), func(o *Options) { o.Organization = "Acme" }, "org_name", true, "as expected"},
		{"org_name wrong", stdClaims("org_name", "other"), func(o *Options) { o.Organization = "acme" }, "org_name", false, "expected"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := f.opts()
			if c.opts != nil {
				c.opts(&o)
			}
			r := Verify(context.Background(), f.rs256(t, c.payload), o)
			got := check(t, r, c.check)
			if got.OK != c.ok || !strings.Contains(got.Detail, c.detail) {
				t.Errorf("%s = %+v, want ok=%v with %q", c.check, got, c.ok, c.detail)
			}
			if c.ok && !r.Valid() {
				t.Errorf("report not valid: %s", r.Summary())
			}
			if !c.ok && r.State != StateInvalid {
				t.Errorf("state %s, want invalid", r.State)
			}
		})
	}
}

func TestOptionalChecksAppearOnlyWhenAsked(t *testing.T) {
	f := newFixture(t)
	r := Verify(context.Background(), f.rs256(t, stdClaims("nonce", "n")), f.opts())
	for _, name := range []string{"nonce", "auth_time", "org_id", "azp", "nbf"} {
		if hasCheck(r, name) {
			t.Errorf("%s check without an expectation", name)
		}
	}
	if !r.Valid() {
		t.Error(r.Summary())
	}
}

func TestMissingExpectationsLeaveTheTokenUnverified(t *testing.T) {
	f := newFixture(t)
	tok := f.rs256(t, stdClaims())
	for name, mod := range map[string]func(*Options){
		"no issuer":   func(o *Options) { o.Issuer = "" },
		"no audience": func(o *Options) { o.Audience = "" },
		"no JWKS":     func(o *Options) { o.JWKSURL = "" },
	} {
		o := f.opts()
		mod(&o)
		r := Verify(context.Background(), tok, o)
		if r.State != StateUnverified || r.Valid() || !strings.HasPrefix(r.Summary(), "NOT VERIFIED") {
			t.Errorf("%s: %s", name, r.Summary())
		}
	}
}

func TestSeveralFailuresAreAllListedSignatureFirst(t *testing.T) {
	f := newFixture(t)
	// Expired, wrong audience, and signed by a key that is not the tenant's.
	tok := sign(t, "RS256", f.k.rsa2, obj("alg", "RS256", "kid", "rsa1"),
		stdClaims("exp", t0.Add(-time.Hour).Unix(), "aud", "other"))
	r := Verify(context.Background(), tok, f.opts())
	fails := r.Failures()
	var names []string
	for _, c := range fails {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "signature,aud,exp" {
		t.Errorf("failures %v", names)
	}
	if s := r.Summary(); !strings.HasPrefix(s, "INVALID: signature: RS256 signature does not match") || !strings.Contains(s, "exp: expired 1h ago") {
		t.Errorf("summary %q", s)
	}
}

func TestMalformedAndUnsupportedReports(t *testing.T) {
	r := Verify(context.Background(), "a.b", Options{Now: func() time.Time { return t0 }})
	if r.State != StateMalformed || r.Valid() || r.Token != nil || !strings.Contains(r.Summary(), "MALFORMED") {
		t.Errorf("malformed: %+v", r)
	}
	r = Verify(context.Background(), enc(`{"alg":"RSA-OAEP","enc":"A128GCM"}`)+".YQ.Yg.Yw.ZA", Options{})
	if r.State != StateUnsupported || r.Valid() || !strings.Contains(r.Summary(), "encrypted token") {
		t.Errorf("JWE: %s", r.Summary())
	}
}

func TestKeysUnavailableIsUnverifiedNotInvalid(t *testing.T) {
	f := newFixture(t)
	tok := f.rs256(t, stdClaims())
	dead := httptest.NewServer(http.NotFoundHandler())
	o := f.opts()
	o.JWKSURL = dead.URL + "/.well-known/jwks.json"
	r := Verify(context.Background(), tok, o)
	sc := check(t, r, "signature")
	if r.State != StateUnverified || !sc.Skipped || !strings.Contains(sc.Detail, "404") {
		t.Errorf("404 JWKS: %s", r.Summary())
	}
	dead.Close()
	o.Keys = NewKeyCache(KeyCacheOptions{Now: f.clock.Now})
	defer o.Keys.Close()
	r = Verify(context.Background(), tok, o)
	if r.State != StateUnverified || !strings.Contains(check(t, r, "signature").Detail, "could not get the keys") {
		t.Errorf("closed server: %s", r.Summary())
	}
	// The failure is remembered, not retried within the rate limit.
	st := o.Keys.Status(o.JWKSURL)
	if st.Fetches != 1 || st.Err == nil {
		t.Errorf("status %+v", st)
	}
	_ = Verify(context.Background(), tok, o)
	if st := o.Keys.Status(o.JWKSURL); st.Fetches != 1 {
		t.Errorf("retried within the rate limit: %d fetches", st.Fetches)
	}
	// An expired token with unreachable keys is invalid: exp failed.
	r = Verify(context.Background(), f.rs256(t, stdClaims("exp", t0.Add(-time.Hour).Unix())), o)
	if r.State != StateInvalid {
		t.Errorf("expired + no keys: %s", r.Summary())
	}
}

func TestJWKSBodyIsCapped(t *testing.T) {
	f := newFixture(t)
	f.srv.mu.Lock()
	f.srv.body = []byte(`{"keys":[` + strings.Repeat(" ", 2<<20) + `]}`)
	f.srv.mu.Unlock()
	r := Verify(context.Background(), f.rs256(t, stdClaims()), f.opts())
	if sc := check(t, r, "signature"); !sc.Skipped || !strings.Contains(sc.Detail, "larger than 1024 KiB") {
		t.Errorf("big JWKS: %+v", sc)
	}
}

func TestJWKSURLMustBeHTTPSOrLoopback(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://tenant.auth0.com/.well-known/jwks.json": true,
		"http://127.0.0.1:8080/.well-known/jwks.json":    true,
		"http://localhost/.well-known/jwks.json":         true,
		"http://LocalHost:80/jwks.json":                  true,
		"http://127.1.2.3/jwks.json":                     true,
		"http://[::1]:8080/jwks.json":                    true,
		"http://127.attacker.example/jwks.json":          false,
		"http://127.0.0.1.nip.io/jwks.json":              false,
		"http://localhost.attacker.example/jwks.json":    false,
		"http://tenant.auth0.com/.well-known/jwks.json":  false,
		"ftp://x/jwks":                 false,
		"/relative":                    false,
		"https://u:p@tenant.auth0.com": false,
	} {
		if err := CheckJWKSURL(u); (err == nil) != ok {
			t.Errorf("CheckJWKSURL(%q) = %v", u, err)
		}
	}
}

func TestUnknownKidRefreshIsRateLimited(t *testing.T) {
	f := newFixture(t)
	o := f.opts()
	if r := Verify(context.Background(), f.rs256(t, stdClaims()), o); !r.Valid() {
		t.Fatal(r.Summary())
	}
	if n := f.srv.hits.Load(); n != 1 {
		t.Fatalf("%d fetches after the first verify", n)
	}
	// A new key appears at the tenant; a token signed by it arrives within
	// 30 s of the last fetch: no refresh, the kid is unknown.
	f.srv.setKeys(jwksKey{"rsa1", "RS256", &f.k.rsa.PublicKey}, jwksKey{"rsa2", "RS256", &f.k.rsa2.PublicKey})
	rotated := sign(t, "RS256", f.k.rsa2, obj("alg", "RS256", "kid", "rsa2"), stdClaims())
	f.clock.Advance(10 * time.Second)
	r := Verify(context.Background(), rotated, o)
	if sc := check(t, r, "signature"); sc.OK || !strings.Contains(sc.Detail, `the tenant's key set (`+f.srv.URL()+`) has no key with kid "rsa2"`) || strings.Contains(sc.Detail, "refresh") {
		t.Errorf("within the limit: %+v", sc)
	}
	if n := f.srv.hits.Load(); n != 1 {
		t.Fatalf("%d fetches within the rate limit", n)
	}
	// 35 s on: a burst of tokens with unknown kids causes one refresh,
	// however the goroutines interleave. Each one misses on the old key set
	// and is held there; one is let through and refreshes; the others go on
	// only once that refresh has landed, so they must see it rather than
	// judge the rate limit by what they read before it.
	f.clock.Advance(25 * time.Second)
	const n = 20
	toks := make([]string, n)
	for i := range toks {
		kid := "unknown-" + string(rune('a'+i))
		if i%2 == 0 {
			kid = "rsa2"
		}
		toks[i] = sign(t, "RS256", f.k.rsa2, obj("alg", "RS256", "kid", kid), stdClaims())
	}
	missed := make(chan struct{}, 2*n)
	release := make(chan struct{})
	f.keys.testHookMiss = func() { missed <- struct{}{}; <-release }
	finished := make(chan *Report, n)
	for _, tok := range toks {
		go func() { finished <- Verify(context.Background(), tok, o) }()
	}
	for range n {
		<-missed
	}
	release <- struct{}{} // one goes on and refreshes
	reports := []*Report{<-finished}
	close(release) // the rest go on after the refresh landed
	for range n - 1 {
		reports = append(reports, <-finished)
	}
	f.keys.testHookMiss = nil
	if got := f.srv.hits.Load(); got != 2 {
		t.Fatalf("%d fetches after the burst, want 2 (one refresh)", got)
	}
	for _, r := range reports {
		kid, _ := r.Token.Header.String("kid")
		sc := check(t, r, "signature")
		switch {
		case kid == "rsa2" && !r.Valid():
			t.Errorf("rsa2 after the refresh: %s", r.Summary())
		case kid != "rsa2" && (sc.OK || !strings.Contains(sc.Detail, "has no key with kid "+strconv.Quote(kid)) || strings.Contains(sc.Detail, "refresh")):
			t.Errorf("%s: %+v", kid, sc)
		}
	}
	// The refresh brought the rotated key.
	if r := Verify(context.Background(), rotated, o); !r.Valid() {
		t.Errorf("rotated key after refresh: %s", r.Summary())
	}
	if n := f.srv.hits.Load(); n != 2 {
		t.Errorf("%d fetches", n)
	}
}

func TestPrefetchAndReload(t *testing.T) {
	f := newFixture(t)
	f.keys.Prefetch(f.srv.URL())
	f.keys.Prefetch(f.srv.URL()) // joins the fetch in flight or finds it cached
	r := Verify(context.Background(), f.rs256(t, stdClaims()), f.opts())
	if !r.Valid() {
		t.Fatal(r.Summary())
	}
	if n := f.srv.hits.Load(); n != 1 {
		t.Errorf("%d fetches after prefetch and verify", n)
	}
	// Reload ignores the rate limit.
	if err := f.keys.Reload(context.Background(), f.srv.URL()); err != nil {
		t.Fatal(err)
	}
	if n := f.srv.hits.Load(); n != 2 {
		t.Errorf("%d fetches after reload", n)
	}
	st := f.keys.Status(f.srv.URL())
	if st.Keys != 4 || st.Err != nil || !st.FetchedAt.Equal(t0) {
		t.Errorf("status %+v", st)
	}
	if err := f.keys.Reload(context.Background(), "http://example.com/jwks"); err == nil {
		t.Error("reload of a plain http non-loopback URL")
	}
}

func TestVerifyWaitsNoLongerThanItsContext(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer slow.Close()
	defer close(release)
	f := newFixture(t)
	o := f.opts()
	o.JWKSURL = slow.URL + "/jwks.json"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Verify(ctx, f.rs256(t, stdClaims()), o)
	if sc := check(t, r, "signature"); !sc.Skipped || !strings.Contains(sc.Detail, "did not arrive") {
		t.Errorf("cancelled: %+v", sc)
	}
	if st := f.keys.Status(o.JWKSURL); !st.Fetching {
		t.Errorf("the fetch should continue in the background: %+v", st)
	}
}

func TestReportAtReevaluatesTimes(t *testing.T) {
	f := newFixture(t)
	r := Verify(context.Background(), f.rs256(t, stdClaims("exp", t0.Add(2*time.Minute).Unix())), f.opts())
	if !r.Valid() {
		t.Fatal(r.Summary())
	}
	later := r.At(t0.Add(4 * time.Minute))
	if later.Valid() || !strings.Contains(check(t, later, "exp").Detail, "expired 2m ago") {
		t.Errorf("later: %s", later.Summary())
	}
	if !r.Valid() {
		t.Error("At changed the original report")
	}
}

func TestReportJSON(t *testing.T) {
	f := newFixture(t)
	tok := f.rs256(t, stdClaims("name", "evil\u001b]0;title\u0007\u0085"))
	b, err := Verify(context.Background(), tok, f.opts()).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b", "\x07", "\u0085"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("JSON carries %q raw", bad)
		}
	}
	var got struct {
		Valid   bool                       `json:"valid"`
		State   string                     `json:"state"`
		Header  map[string]any             `json:"header"`
		Payload map[string]json.RawMessage `json:"payload"`
		Checks  []Check                    `json:"checks"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	if !got.Valid || got.State != "valid" || got.Header["kid"] != "rsa1" || len(got.Checks) < 7 {
		t.Errorf("decoded %+v", got)
	}
	var name string
	_ = json.Unmarshal(got.Payload["name"], &name)
	if name != "evil\u001b]0;title\u0007\u0085" {
		t.Errorf("name round trip: %q", name)
	}
	// Payload order is the token's.
	if !strings.Contains(string(b), `"payload":{"iss":`) {
		t.Errorf("payload order: %s", b)
	}
}

// node-auth0 refuses a falsy iat or auth_time (`!payload.iat`): 0 too.
func TestZeroIatAndAuthTimeAreRefusedLikeTheSDK(t *testing.T) {
	f := newFixture(t)
	for _, zero := range []string{"0", "0.0", "-0"} {
		r := Verify(context.Background(), f.rs256(t, stdClaims("iat", json.RawMessage(zero))), f.opts())
		if c := check(t, r, "iat"); c.OK || r.State != StateInvalid || !strings.Contains(c.Detail, "iat is 0") {
			t.Errorf("iat %s: %+v", zero, c)
		}
		o := f.opts()
		o.MaxAge = 100 * 365 * 24 * time.Hour // would cover 1970
		r = Verify(context.Background(), f.rs256(t, stdClaims("auth_time", json.RawMessage(zero))), o)
		if c := check(t, r, "auth_time"); c.OK || r.State != StateInvalid || !strings.Contains(c.Detail, "auth_time is 0") {
			t.Errorf("auth_time %s: %+v", zero, c)
		}
	}
}

// A forged RS256 token checked without keys is invalid because it expired,
// and the verdict says the signature was never checked.
func TestInvalidWithoutKeysSaysTheSignatureWasNotVerified(t *testing.T) {
	f := newFixture(t)
	forged := f.rs256(t, stdClaims("exp", t0.Add(-time.Hour).Unix()))
	forged = forged[:strings.LastIndexByte(forged, '.')+1] + enc("forged")
	o := f.opts()
	o.JWKSURL = ""
	r := Verify(context.Background(), forged, o)
	if s := r.Summary(); r.State != StateInvalid || !strings.HasPrefix(s, "INVALID: exp: expired 1h ago") || !strings.HasSuffix(s, "; signature not verified (no keys)") {
		t.Errorf("summary %q", s)
	}
	// With the keys the signature failure leads and no note is added.
	r = Verify(context.Background(), forged, f.opts())
	if s := r.Summary(); !strings.HasPrefix(s, "INVALID: signature:") || strings.Contains(s, "no keys") {
		t.Errorf("with keys: %q", s)
	}
}

// A token without kid is checked only against JWKS keys that may sign with
// its alg.
func TestNoKidHonoursTheJWKAlgAndUse(t *testing.T) {
	k := keysOnce()
	noKid := sign(t, "RS256", k.rsa, obj("alg", "RS256", "typ", "JWT"), stdClaims())
	for name, c := range map[string]struct {
		keys []jwksKey
		body string
		ok   bool
		want string
	}{
		"declared PS256 only": {keys: []jwksKey{{"ps1", "PS256", &k.rsa.PublicKey}}, want: "declared for PS256 only"},
		"declared RS256":      {keys: []jwksKey{{"ps1", "PS256", &k.rsa.PublicKey}, {"rs1", "RS256", &k.rsa.PublicKey}}, ok: true, want: "matches a key from"},
		"other RS256 key":     {keys: []jwksKey{{"rs2", "RS256", &k.rsa2.PublicKey}}, want: "matches none of the 1 RS256 keys"},
		"only an EC key":      {keys: []jwksKey{{"ec1", "ES256", &k.ec.PublicKey}}, want: "declared for ES256 only"},
		"enc use":             {body: strings.Replace(string(jwksJSON(t, jwksKey{"rs1", "", &k.rsa.PublicKey})), `"use":"sig"`, `"use":"enc"`, 1), want: "no usable signing key"},
		"no alg, no use":      {body: strings.Replace(string(jwksJSON(t, jwksKey{"rs1", "", &k.rsa.PublicKey})), `"use":"sig",`, ``, 1), ok: true, want: "matches a key from"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newJWKSServer(t, c.keys...)
			if c.body != "" {
				srv.body = []byte(c.body)
			}
			f := newFixture(t)
			o := f.opts()
			o.JWKSURL = srv.URL()
			r := Verify(context.Background(), noKid, o)
			sc := check(t, r, "signature")
			if r.Valid() != c.ok || sc.OK != c.ok || !strings.Contains(sc.Detail, c.want) {
				t.Errorf("%s: %+v", r.State, sc)
			}
		})
	}
}

// A refused algorithm leads the verdict: it is why the signature was not
// checked.
func TestRefusedAlgLeadsTheVerdict(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, "ES256", f.k.ec, obj("alg", "ES256", "kid", "ec1"), stdClaims("exp", t0.Add(-time.Hour).Unix()))
	o := f.opts()
	o.Algorithms = nil
	r := Verify(context.Background(), tok, o)
	var names []string
	for _, c := range r.Failures() {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "alg,signature,exp" || !strings.HasPrefix(r.Summary(), `INVALID: alg: alg "ES256" is not allowed`) {
		t.Errorf("failures %v, summary %q", names, r.Summary())
	}
}

// Values in check details are escaped once: a NUL shows as \x00, not \\x00.
func TestDetailsEscapeOnce(t *testing.T) {
	f := newFixture(t)
	r := Verify(context.Background(), enc(obj("alg", "none\x00"))+"."+enc(stdClaims("sub", "a\u202eb", "iss", "evil\x00"))+".", f.opts())
	for name, want := range map[string]string{
		"alg": `alg "none\x00": an unsigned token`,
		"iss": `issued by "evil\x00", expected`,
		"sub": `subject "a\u202eb"`,
	} {
		if d := check(t, r, name).Detail; !strings.Contains(d, want) {
			t.Errorf("%s detail %q lacks %q", name, d, want)
		}
	}
}

// quote alone leaves nothing unsafe for a terminal.
func TestQuoteEscapesEveryUnsafeRune(t *testing.T) {
	for r := rune(0); r <= 0xffff; r++ {
		if !unsafeRune(r) {
			continue
		}
		if q := quote("a" + string(r)); escapeText(q) != q {
			t.Errorf("quote(%U) = %q", r, q)
		}
	}
	if q := quote("a\xff\x9b"); escapeText(q) != q {
		t.Errorf("invalid UTF-8: %q", q)
	}
}
