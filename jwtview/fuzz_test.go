package jwtview

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzDecode: Decode never panics, never accepts what it should refuse, and
// what it accepts is consistent.
func FuzzDecode(f *testing.F) {
	f.Add(sampleToken())
	f.Add("Bearer " + sampleToken() + "\n")
	f.Add(enc(`{"alg":"dir","enc":"A256GCM","iss":"https://t.auth0.com/"}`) + "..aXY.Y3Q.dGFn")
	f.Add("a.b.c")
	f.Add(strings.Repeat(".", 100))
	f.Add(enc(`{"alg":"RS256"}`) + "." + enc("{\"sub\":\"\\\x1b[2J\"}") + ".c2ln")
	// U+4D1B is e4 b4 9b: a 0x9b continuation byte that is not a C1 CSI.
	f.Add(enc(`{"alg":"RS256"}`) + "." + enc(`{"name":"\u4d1b","\u4d1b":1}`) + ".c2ln")
	f.Add(enc(`{"alg":"RS256"}`) + ".e30x.c2ln")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := Decode(raw)
		ptok, perr := DecodePartial(raw)
		if (err == nil) != (perr == nil) || err != nil && err.Error() != perr.Error() {
			t.Fatalf("Decode %v, DecodePartial %v", err, perr)
		}
		if perr != nil && ptok != nil && (ptok.Header == nil && ptok.Payload == nil || len(ptok.Broken) == 0 || ptok.Broken[0].Error() != perr.Error() || ptok.Signature != nil) {
			t.Fatalf("partial %+v", ptok)
		}
		if err != nil {
			if tok != nil {
				t.Fatal("token and error")
			}
			// Errors reach a terminal: they name bad bytes escaped.
			if msg := err.Error(); escapeText(msg) != msg {
				t.Fatalf("unescaped error %q", msg)
			}
			return
		}
		if len(tok.Raw) > MaxTokenSize {
			t.Fatalf("accepted %d bytes", len(tok.Raw))
		}
		switch tok.Kind {
		case KindJWS:
			if strings.Count(tok.Raw, ".") != 2 || tok.Header == nil || tok.Payload == nil {
				t.Fatalf("JWS %+v", tok)
			}
			// Whatever we parsed, our re-encoding parses back to the same,
			// and encoding/json agrees it is JSON (up to its own nesting
			// limit of 10,000 levels; a token may nest deeper).
			for _, o := range []Object{tok.Header, tok.Payload} {
				out := appendJSON(nil, o)
				back, err := parseObject(out)
				if err != nil || string(appendJSON(nil, back)) != string(out) {
					t.Fatalf("re-encoded JSON does not round-trip: %v %q", err, out)
				}
				if nesting(out) <= 10000 && !json.Valid(out) {
					t.Fatalf("re-encoded invalid JSON %q", out)
				}
				for _, r := range Rows(o, false, t0, time.UTC) {
					if v := r.Name + r.Value + r.When; strings.ContainsAny(v, "\x1b\x07\u009b") {
						t.Fatalf("unescaped row %+v", r)
					}
				}
			}
		case KindJWE, KindOpaque:
			if tok.Note == "" {
				t.Fatal("no note")
			}
		}
	})
}

// FuzzVerify: Verify never panics, and a report is valid only when every
// check passed.
func FuzzVerify(f *testing.F) {
	secret := []byte("fuzz-secret")
	ok := sign(f, "HS256", secret, obj("alg", "HS256", "typ", "JWT"), stdClaims())
	f.Add(ok)
	f.Add(sign(f, "HS256", secret, obj("alg", "HS256", "crit", []string{"x"}), stdClaims("aud", []string{"a", testAudience})))
	f.Add(enc(`{"alg":"none"}`) + "." + enc(stdClaims()) + ".")
	f.Add(enc(`{"alg":"HS256"}`) + "." + enc(`{"exp":1e999,"iat":-1e308,"aud":[1]}`) + ".")
	f.Add("not a token")
	f.Add(sign(f, "HS256", secret, obj("alg", "HS256"), stdClaims("exp", json.RawMessage("1e300"), "nbf", json.RawMessage("-1e19"))))
	f.Add(" \n ")
	f.Fuzz(func(t *testing.T, raw string) {
		for _, o := range []Options{
			{Issuer: testIssuer, Audience: testAudience, Secret: secret, Now: func() time.Time { return t0 }},
			{Nonce: "n", MaxAge: time.Minute, Organization: "org_1", Leeway: -1, Algorithms: KnownAlgorithms, Now: func() time.Time { return t0 }},
		} {
			r := Verify(context.Background(), raw, o)
			if r == nil || r.State == "" {
				t.Fatal("no report")
			}
			if r.Valid() {
				for _, c := range r.Checks {
					if !c.OK {
						t.Fatalf("valid with %+v", c)
					}
				}
				if r.Token.Alg() != "HS256" || !hasCheck(r, "signature") {
					t.Fatalf("valid without a checked signature: %+v", r.Checks)
				}
			}
			// A time check passes only on a real date.
			for _, c := range r.Checks {
				switch c.Name {
				case "exp", "iat", "nbf", "auth_time":
					if v, _ := r.Token.Payload.Get(c.Name); c.OK {
						if _, bad := dateValue(c.Name, v); bad != "" {
							t.Fatalf("%s passed: %s", c.Name, bad)
						}
					}
				}
			}
			if b, err := r.MarshalJSON(); err != nil || (nesting(b) <= 10000 && !json.Valid(b)) {
				t.Fatalf("JSON %v %q", err, b)
			}
			if s := r.Summary(); r.State == StateInvalid && r.SignatureSkipped() && !strings.HasSuffix(s, NoKeysNote) {
				t.Fatalf("invalid, signature unchecked, and the verdict does not say so: %q", s)
			}
		}
	})
}

// nesting is the deepest bracket nesting of JSON text b (brackets inside
// strings count too: an over-estimate, which is all the caller needs).
func nesting(b []byte) int {
	d, deepest := 0, 0
	for _, c := range b {
		switch c {
		case '[', '{':
			d++
			deepest = max(deepest, d)
		case ']', '}':
			d--
		}
	}
	return deepest
}
