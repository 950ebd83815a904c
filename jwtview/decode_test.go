package jwtview

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func sampleToken() string {
	return enc(`{"alg":"RS256","typ":"JWT","kid":"k1"}`) + "." +
		enc(`{"zeta":1,"iss":"https://t/","alpha":"a","sub":"s","https://example.com/roles":["admin"]}`) + "." +
		enc("sig-bytes")
}

func TestDecodeKeepsClaimOrderAndSignature(t *testing.T) {
	tok, err := Decode(sampleToken())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range tok.Payload {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, ","); got != "zeta,iss,alpha,sub,https://example.com/roles" {
		t.Errorf("claim order %s", got)
	}
	if tok.Kind != KindJWS || tok.Alg() != "RS256" || string(tok.Signature) != "sig-bytes" {
		t.Errorf("decoded %+v", tok)
	}
	if v, _ := tok.Payload.Get("zeta"); v != json.Number("1") {
		t.Errorf("zeta = %#v", v)
	}
	if !strings.HasSuffix(tok.SigningInput, enc(`{"zeta":1,"iss":"https://t/","alpha":"a","sub":"s","https://example.com/roles":["admin"]}`)) {
		t.Error("signing input is not header.payload")
	}
}

func TestDecodeToleratesWhatPeoplePaste(t *testing.T) {
	raw := sampleToken()
	for _, in := range []string{
		"  " + raw + "\n",
		raw + "\r\n",
		"Bearer " + raw,
		"bearer\t" + raw + "\n",
		"Authorization: Bearer " + raw,
	} {
		tok, err := Decode(in)
		if err != nil {
			t.Errorf("Decode(%q): %v", in, err)
			continue
		}
		if tok.Raw != raw {
			t.Errorf("Raw = %q", tok.Raw)
		}
	}
}

func TestDecodeIsStrict(t *testing.T) {
	h := enc(`{"alg":"RS256"}`)
	p := enc(`{"sub":"x"}`)
	s := enc("sig")
	cases := map[string]struct {
		in, want string
	}{
		"two segments":        {h + "." + p, "2 segments"},
		"four segments":       {h + "." + p + "." + s + "." + s, "4 segments"},
		"six segments":        {strings.Repeat(h+".", 5) + h, "6 segments"},
		"no dots":             {"abc", "no dots"},
		"padding":             {enc(`{"alg":"RS256"}`) + "=." + p + "." + s, "padding"},
		"standard base64":     {h + "." + p + "." + "ab+/", "standard base64"},
		"trailing bits":       {h + "." + p + ".AB", "signature is not valid"},
		"inner space":         {h + ". " + p + "." + s, "whitespace"},
		"header not JSON":     {enc("hello") + "." + p + "." + s, "header is not a JSON object"},
		"header array":        {enc(`["alg"]`) + "." + p + "." + s, "an array, not an object"},
		"payload string":      {h + "." + enc(`"sub"`) + "." + s, "payload is not a JSON object: it is JSON a string"},
		"payload trailing":    {h + "." + enc(`{"a":1} x`) + "." + s, "after the object"},
		"duplicate claim":     {h + "." + enc(`{"sub":"a","sub":"b"}`) + "." + s, `"sub" appears twice`},
		"duplicate nested":    {h + "." + enc(`{"x":{"a":1,"a":2}}`) + "." + s, `"a" appears twice`},
		"duplicate far apart": {h + "." + enc(`{"a":0,`+manyMembers(100)+`,"a":1}`) + "." + s, `"a" appears twice`},
		"duplicate late":      {h + "." + enc(`{`+manyMembers(100)+`,"m99":1}`) + "." + s, `"m99" appears twice`},
		"invalid utf-8":       {h + "." + enc("{\"sub\":\"\xff\"}") + "." + s, "not valid UTF-8"},
		"control in string":   {h + "." + enc("{\"sub\":\"a\x01\"}") + "." + s, "control character"},
		"lone surrogate":      {h + "." + enc(`{"sub":"\ud800"}`) + "." + s, "surrogate"},
		"deep unclosed":       {h + "." + enc(`{"a":`+strings.Repeat("[", 100)+`}`) + "." + s, "invalid character '}'"},
		"empty header":        {"." + p + "." + s, "header is empty"},
		"bad number":          {h + "." + enc(`{"exp":01}`) + "." + s, "expected ','"},
		"empty":               {"  \n", "no token"},
		"nested cty payload":  {enc(`{"alg":"RS256","cty":"JWT"}`) + ".a." + s, "nested token"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(c.in)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode: err = %v, want a DecodeError", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func manyMembers(n int) string {
	m := make([]string, n)
	for i := range m {
		m[i] = fmt.Sprintf(`"m%d":%d`, i, i)
	}
	return strings.Join(m, ",")
}

func TestDecodeRefusesLargeTokenBeforeDecoding(t *testing.T) {
	big := enc(`{"alg":"RS256"}`) + "." + strings.Repeat("A", MaxTokenSize) + ".x"
	_, err := Decode(big)
	if err == nil || !strings.Contains(err.Error(), "64 KiB") {
		t.Fatalf("err = %v", err)
	}
	// Just under the limit decodes (the payload is then judged on its own).
	ok := enc(`{"alg":"RS256"}`) + "." + enc(`{"x":"`+strings.Repeat("a", 40000)+`"}`) + "." + enc("s")
	if _, err := Decode(ok); err != nil {
		t.Fatalf("a 53 KiB token: %v", err)
	}
}

func TestDecodeThousandsOfDotsIsBounded(t *testing.T) {
	in := strings.Repeat("a.", 30000)
	allocs := testing.AllocsPerRun(10, func() { _, _ = Decode(in) })
	if allocs > 10 {
		t.Errorf("%v allocations for a dotted string", allocs)
	}
	if _, err := Decode(in); err == nil || !strings.Contains(err.Error(), "30001 segments") {
		t.Errorf("err = %v", err)
	}
}

func TestDecodeRecognisesJWEAndOpaqueTokens(t *testing.T) {
	jwe := enc(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + "." + enc("key") + "." + enc("iv") + "." + enc("ciphertext") + "." + enc("tag")
	tok, err := Decode(jwe)
	if err != nil || tok.Kind != KindJWE || !strings.Contains(tok.Note, "encrypted token (JWE") {
		t.Errorf("JWE: %+v, %v", tok, err)
	}
	auth0 := enc(`{"alg":"dir","enc":"A256GCM","iss":"https://tenant.auth0.com/"}`) + ".." + enc("iv") + "." + enc("cipher") + "." + enc("tag")
	tok, err = Decode(auth0)
	if err != nil || tok.Kind != KindOpaque || !strings.Contains(tok.Note, "no audience was requested") {
		t.Errorf("Auth0 opaque JWE: %+v, %v", tok, err)
	}
	tok, err = Decode("8xK2vQ9pL3mN7rT1wY5zA0bC4dE6fG")
	if err != nil || tok.Kind != KindOpaque || !strings.Contains(tok.Note, "no audience was requested") {
		t.Errorf("legacy opaque: %+v, %v", tok, err)
	}
	if _, err := Decode(enc("nope") + ".a.b.c.d"); err == nil {
		t.Error("a five-segment token with a broken header decoded")
	}
	// The segments after the header are base64url too.
	hdr := enc(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)
	for part, in := range map[string]string{
		"encrypted key":         hdr + ".a.Yg.Yw.ZA",
		"initialization vector": hdr + ".YQ.Y.Yw.ZA",
		"ciphertext":            hdr + ".YQ.Yg.AB.ZA",
		"authentication tag":    hdr + ".YQ.Yg.Yw.Z",
	} {
		if _, err := Decode(in); err == nil || !strings.Contains(err.Error(), "the "+part+" is not valid") {
			t.Errorf("bad %s: %v", part, err)
		}
	}
	// A JWE's alg is key management, not signing.
	rows := Rows(tok0(t, jwe).Header, true, t0, time.UTC)
	if rows[0].Name != "alg" || !strings.Contains(rows[0].Explain, "key management") {
		t.Errorf("JWE alg row %+v", rows[0])
	}
	jws, _ := Decode(sampleToken())
	if rows := Rows(jws.Header, true, t0, time.UTC); !strings.Contains(rows[0].Explain, "signing algorithm") {
		t.Errorf("JWS alg row %+v", rows[0])
	}
}

func tok0(t *testing.T, raw string) *Token {
	t.Helper()
	tok, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRowsEscapeControlCharacters(t *testing.T) {
	payload := `{"name":"evil\u001b[31mred\u0007","https://x.com/\u009b2J":"a\u202eb","exp":1748782800}`
	tok, err := Decode(enc(`{"alg":"RS256"}`) + "." + enc(payload) + "." + enc("s"))
	if err != nil {
		t.Fatal(err)
	}
	rows := Rows(tok.Payload, false, t0, time.UTC)
	all := ""
	for _, r := range rows {
		all += r.Name + r.Value + r.When + r.Explain
	}
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(all, bad) {
			t.Errorf("row text carries %q raw: %q", bad, all)
		}
	}
	if !strings.Contains(rows[0].Value, `\u001b[31mred\u0007`) {
		t.Errorf("name value = %s", rows[0].Value)
	}
	if !strings.Contains(rows[1].Name, `\u009b2J`) || !rows[1].Custom || !strings.Contains(rows[1].Explain, "namespaced") {
		t.Errorf("custom claim row = %+v", rows[1])
	}
	if rows[2].When != "2025-06-01 13:00:00 UTC, expires in 1h" {
		t.Errorf("exp When = %q", rows[2].When)
	}
}

func TestExplainCoversRegisteredAndAuth0Claims(t *testing.T) {
	for _, name := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "auth_time", "nonce", "acr", "amr",
		"azp", "at_hash", "sid", "email", "email_verified", "updated_at", "org_id", "org_name", "permissions", "scope"} {
		if text, custom := Explain(name, false); custom || text == "" {
			t.Errorf("%s: %q custom=%v", name, text, custom)
		}
	}
	if text, custom := Explain("https://myapp.example.com/roles", false); !custom || !strings.Contains(text, "namespaced") {
		t.Errorf("namespaced: %q", text)
	}
	if text, custom := Explain("favourite_colour", false); !custom || !strings.Contains(text, "not namespaced") {
		t.Errorf("plain custom: %q", text)
	}
	if text, _ := Explain("jku", true); !strings.Contains(text, "never followed") {
		t.Errorf("jku: %q", text)
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Second:                 "5s",
		23*time.Minute + 10*time.Second: "23m 10s",
		2 * time.Hour:                   "2h",
		2*time.Hour + 5*time.Minute:     "2h 5m",
		-(3*24*time.Hour + 4*time.Hour): "3d 4h",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

// A bad escape followed by ESC or a 0x9b byte is named escaped: the error
// text goes to a terminal.
func TestParserErrorsEscapeRawBytes(t *testing.T) {
	h := enc(`{"alg":"RS256"}`)
	for _, c := range []struct{ bad, want string }{
		{"\x1b[2J", `invalid escape "\\\x1b"`},
		{"\x9b2J", `invalid escape "\\\x9b"`},
	} {
		_, err := Decode(h + "." + enc(`{"sub":"\`+c.bad+`"}`) + "." + enc("s"))
		if err == nil {
			t.Fatalf("%q accepted", c.bad)
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\x1b\u009b") || strings.Contains(msg, "\x9b") || !utf8.ValidString(msg) || !strings.Contains(msg, c.want) {
			t.Errorf("error %q, want %q", msg, c.want)
		}
	}
}
