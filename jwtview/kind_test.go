package jwtview

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
)

// A token with one broken segment: DecodePartial names the segment and
// keeps the others; Decode still refuses it; Verify reports it malformed
// and carries what decoded.
func TestDecodePartialKeepsTheSegmentsThatDecode(t *testing.T) {
	hdr, pay := enc(`{"alg":"RS256","kid":"k1"}`), enc(stdClaims())
	for _, c := range []struct {
		name, tok, part string
		header, payload bool
	}{
		{"payload not base64url", hdr + ".a." + enc("sig"), "payload", true, false},
		{"payload not JSON", hdr + "." + enc("not json") + "." + enc("sig"), "payload", true, false},
		{"header not JSON", enc("{broken") + "." + pay + "." + enc("sig"), "header", false, true},
		{"signature not base64url", hdr + "." + pay + ".a", "signature", true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok, err := DecodePartial(c.tok)
			var de *DecodeError
			if err == nil || !asDecodeError(err, &de) || de.Part != c.part {
				t.Fatalf("err = %v, want a %s error", err, c.part)
			}
			if tok == nil || (tok.Header != nil) != c.header || (tok.Payload != nil) != c.payload {
				t.Fatalf("partial %+v", tok)
			}
			if len(tok.Broken) != 1 || tok.Broken[0].Part != c.part || tok.Signature != nil || tok.SigningInput != "" {
				t.Errorf("broken %v, signature %q", tok.Broken, tok.Signature)
			}
			if !strings.HasPrefix(de.Segment(), "the "+c.part+" segment does not decode: it is ") {
				t.Errorf("Segment() = %q", de.Segment())
			}
			if full, err2 := Decode(c.tok); full != nil || err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Decode = %v, %v", full, err2)
			}
			r := Verify(context.Background(), c.tok, Options{Now: func() time.Time { return t0 }})
			if r.State != StateMalformed || r.Token != nil || r.Partial == nil || r.Err.Error() != err.Error() {
				t.Errorf("report %s token %v partial %v err %v", r.State, r.Token, r.Partial, r.Err)
			}
		})
	}
	// Both header and payload broken: nothing decodes, no partial token;
	// the error is the header's, as before.
	tok, err := DecodePartial(enc("{") + "." + enc("[") + "." + enc("s"))
	if tok != nil || err == nil || !strings.HasPrefix(err.Error(), "the header ") {
		t.Errorf("nothing decodes: %v, %v", tok, err)
	}
	// Not a token at all: no partial token.
	if tok, err := DecodePartial("a.b"); tok != nil || err == nil {
		t.Errorf("two segments: %v, %v", tok, err)
	}
	// A JWE with a broken ciphertext keeps its header.
	jwe := enc(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + "." + enc("k") + "." + enc("iv") + ".a." + enc("tag")
	tok, err = DecodePartial(jwe)
	if err == nil || tok == nil || tok.Kind != KindJWE || tok.Header == nil || tok.Broken[0].Part != "ciphertext" {
		t.Errorf("JWE: %+v, %v", tok, err)
	}
}

func asDecodeError(err error, de **DecodeError) bool {
	d, ok := err.(*DecodeError)
	*de = d
	return ok
}

func TestClassify(t *testing.T) {
	at := func(header, payload string) *Token {
		tok, err := Decode(enc(header) + "." + enc(payload) + "." + enc("sig"))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	jws := `{"alg":"RS256"}`
	for _, c := range []struct {
		name     string
		tok      *Token
		clientID string
		use      Use
		audType  string
		atjwt    bool
		scopes   []string
		perms    []string
	}{
		{"id token by aud", at(jws, stdClaims("nonce", "n")), testAudience, UseIDToken, AudienceClient, false, nil, nil},
		{"id token without client id", at(jws, stdClaims("email", "a@b")), "", UseIDToken, AudienceClient, false, nil, nil},
		{"at+jwt", at(`{"alg":"RS256","typ":"at+jwt"}`, stdClaims("aud", "https://api.example.com/", "scope", "read:a  write:a", "client_id", testAudience)), testAudience,
			UseAccessToken, AudienceAPI, true, []string{"read:a", "write:a"}, nil},
		{"application/at+jwt, aud not the client", at(`{"alg":"RS256","typ":"application/AT+JWT"}`, stdClaims("aud", "billing")), testAudience, UseAccessToken, AudienceAPI, true, nil, nil},
		{"Auth0 access token with permissions", at(jws, stdClaims("aud", []string{"https://api.example.com/", "https://t/userinfo"}, "scope", "openid profile",
			"permissions", []string{"read:reports", "write:reports"}, "azp", testAudience)), "", UseAccessToken, AudienceAPI, false,
			[]string{"openid", "profile"}, []string{"read:reports", "write:reports"}},
		{"client credentials (gty)", at(jws, stdClaims("aud", "https://api.example.com/", "gty", "client-credentials")), testAudience, UseAccessToken, AudienceAPI, false, nil, nil},
		{"nothing to go by", at(jws, stdClaims("aud", "someone-else")), testAudience, UseUnknown, AudienceAPI, false, nil, nil},
		{"nothing to go by, no client id", at(jws, stdClaims()), "", UseUnknown, "", false, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Classify(c.tok, c.clientID)
			if got.Use != c.use || got.AudienceType != c.audType || got.ATJWT != c.atjwt ||
				!slices.Equal(got.Scopes, c.scopes) || !slices.Equal(got.Permissions, c.perms) {
				t.Errorf("got %+v", got)
			}
			if c.use != UseUnknown && len(got.Why) == 0 {
				t.Error("no evidence given")
			}
		})
	}
	jwe, _ := Decode(enc(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + "." + enc("k") + "." + enc("iv") + "." + enc("c") + "." + enc("t"))
	opaque, _ := Decode("8xK2vQ9pL3mN7rT1wY5zA0bC4dE6fG")
	if Classify(jwe, "").Use != UseEncrypted || Classify(opaque, "").Use != UseOpaque || Classify(nil, "").Use != UseUnknown {
		t.Error("JWE, opaque or nil misclassified")
	}
	for field, want := range map[string]Use{"id_token": UseIDToken, "access_token": UseAccessToken, "refresh_token": UseRefreshToken, "mfa_token": UseMFAToken, "code": ""} {
		if got := UseOfField(field); got != want {
			t.Errorf("UseOfField(%q) = %q", field, got)
		}
	}
}

func TestLifetimeBar(t *testing.T) {
	for _, c := range []struct {
		width int
		f     float64
		want  string
	}{
		{10, 0, "●─────────"},
		{10, 0.5, "━━━━━●────"}, // 0.5 × 9 cells = 4.5, rounded half away from zero
		{10, 1, "━━━━━━━━━●"},
		{10, 7, "━━━━━━━━━●"},
		{10, -1, "●─────────"},
		{5, 0.62, "━━●──"},
		{1, 0.5, "●"},
		{0, 0.5, ""},
		{-3, 0.5, ""},
	} {
		got := LifetimeBar(c.width, c.f)
		if got != c.want {
			t.Errorf("LifetimeBar(%d, %v) = %q, want %q", c.width, c.f, got, c.want)
		}
	}
	var nan float64
	nan = nan / nan
	if got := LifetimeBar(4, nan); got != "●───" {
		t.Errorf("NaN: %q", got)
	}
}

func TestLifetime(t *testing.T) {
	tok, err := Decode(enc(`{"alg":"RS256"}`) + "." + enc(stdClaims("iat", t0.Add(-10*time.Minute).Unix(), "exp", t0.Add(30*time.Minute).Unix())) + "." + enc("s"))
	if err != nil {
		t.Fatal(err)
	}
	l, ok := LifetimeOf(tok, t0)
	if !ok || l.SecondsTotal() != 2400 || l.SecondsLeft() != 1800 || l.Used() != 0.25 || l.Expired() || l.Text() != "25% used, expires in 30m" {
		t.Errorf("at t0: %+v %v %q", l, ok, l.Text())
	}
	l.Now = t0.Add(35 * time.Minute)
	if l.Used() != 1 || !l.Expired() || l.SecondsLeft() != -300 || l.Text() != "expired 5m ago" {
		t.Errorf("expired: %v %q", l.Used(), l.Text())
	}
	l.Now = t0.Add(-12 * time.Minute)
	if l.Used() != 0 || l.Text() != "issued 2m in the future" {
		t.Errorf("before iat: %v %q", l.Used(), l.Text())
	}
	for _, p := range []string{stdClaims("iat", nil), stdClaims("exp", t0.Add(-time.Hour).Unix()), stdClaims("exp", "soon"), stdClaims("exp", json.RawMessage("1e300"))} {
		tok, _ := Decode(enc(`{"alg":"RS256"}`) + "." + enc(p) + "." + enc("s"))
		if _, ok := LifetimeOf(tok, t0); ok {
			t.Errorf("lifetime of %s", p)
		}
	}
	if _, ok := LifetimeOf(nil, t0); ok {
		t.Error("lifetime of nil")
	}
}

// token --json's additions: kind, format, audience_type, lifetime; a
// malformed token's broken segments and what decoded.
func TestReportJSONKindAndLifetime(t *testing.T) {
	c := newClock()
	r := viewReport(t, c, stdClaims("nonce", "n"), Options{})
	var got struct {
		Kind         string `json:"kind"`
		Format       string `json:"format"`
		AudienceType string `json:"audience_type"`
		Lifetime     *struct {
			IssuedAt     string  `json:"issued_at"`
			ExpiresAt    string  `json:"expires_at"`
			SecondsTotal float64 `json:"seconds_total"`
			SecondsLeft  float64 `json:"seconds_left"`
			FractionUsed float64 `json:"fraction_used"`
			Expired      bool    `json:"expired"`
		}
	}
	b, _ := r.MarshalJSON()
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	l := got.Lifetime
	if got.Kind != "id_token" || got.Format != "JWS" || got.AudienceType != "client" || l == nil ||
		l.IssuedAt != "2025-06-01T11:59:00Z" || l.ExpiresAt != "2025-06-01T13:00:00Z" || l.SecondsTotal != 3660 || l.SecondsLeft != 3600 ||
		l.FractionUsed != 0.0164 || l.Expired {
		t.Errorf("%s", b)
	}
	// Later (Report.At): the lifetime follows the clock.
	b, _ = r.At(t0.Add(2 * time.Hour)).MarshalJSON()
	if !strings.Contains(string(b), `"seconds_left":-3600,"fraction_used":1,"expired":true}`) {
		t.Errorf("expired: %s", b)
	}
	// Malformed, payload broken: the header that decoded and which part broke.
	m := Verify(context.Background(), enc(`{"alg":"RS256"}`)+"."+enc("nope")+"."+enc("s"), Options{})
	b, _ = m.MarshalJSON()
	if !strings.Contains(string(b), `"broken":[{"part":"payload","detail":"the payload is not a JSON object`) ||
		!strings.Contains(string(b), `"header":{"alg":"RS256"},"payload":null,"lifetime":null`) {
		t.Errorf("malformed: %s", b)
	}
}

// The view of a token with a broken payload shows the header under the
// line that names the segment; an access token lists audience, scopes and
// permissions and explains at+jwt; a JWE says it is encrypted and shows its
// header; an expired token's bar is full.
func TestViewGoldenKinds(t *testing.T) {
	c := newClock()
	vo := ViewOptions{Now: c.Now, Location: time.UTC}
	opts := Options{Now: c.Now, Issuer: testIssuer, Audience: testAudience}
	cases := map[string]string{
		"malformed": enc(`{"alg":"RS256","typ":"JWT","kid":"k1"}`) + "." + enc(`{"sub":"auth0|1",`) + "." + enc("s"),
		"access": sign(t, "HS256", viewSecret, obj("alg", "HS256", "typ", "at+jwt"), stdClaims(
			"aud", []string{"https://api.example.com/", testIssuer + "userinfo"}, "exp", t0.Add(23*time.Minute).Unix(), "iat", t0.Add(-37*time.Minute).Unix(),
			"scope", "openid profile read:reports", "client_id", testAudience, "permissions", []string{"read:reports", "write:reports"},
			"https://example.com/tenant", "acme")),
		"jwe":     enc(`{"alg":"RSA-OAEP","enc":"A256GCM","kid":"enc-1"}`) + "." + enc("k") + "." + enc("iv") + "." + enc("c") + "." + enc("t"),
		"expired": sign(t, "HS256", viewSecret, obj("alg", "HS256"), stdClaims("exp", t0.Add(-5*time.Minute).Unix(), "iat", t0.Add(-65*time.Minute).Unix(), "nonce", "n")),
	}
	for _, name := range []string{"malformed", "access", "jwe", "expired"} {
		t.Run(name, func(t *testing.T) {
			o := opts
			o.Secret = viewSecret
			m := sized(NewModel(Verify(context.Background(), cases[name], o), vo), 80, 0)
			golden.RequireEqual(t, m.View())
		})
	}
}

// The lifetime bar moves with the injected clock on ticks, which do not
// verify again; a tick that changes nothing shown renders nothing.
func TestViewLifetimeBarMovesOnTicks(t *testing.T) {
	c := newClock()
	tok := sign(t, "HS256", viewSecret, obj("alg", "HS256"), stdClaims("iat", t0.Add(-2*24*time.Hour-30*time.Minute).Unix(), "exp", t0.Add(98*24*time.Hour+30*time.Minute).Unix()))
	verifies := 0
	now := func() time.Time { verifies++; return c.Now() }
	r := Verify(context.Background(), tok, Options{Now: now, Secret: viewSecret})
	m := sized(NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC}), 80, 0)
	verifies = 0
	if !strings.Contains(m.View(), "iat ━●─────") || !strings.Contains(m.View(), "2% used, expires in 98d") {
		t.Fatalf("at the start:\n%s", m.View())
	}
	renders := m.renders
	c.Advance(time.Second) // nothing shown changes
	m, _ = m.Update(TickMsg{id: m.id})
	if m.renders != renders {
		t.Errorf("a tick that changes nothing shown rendered (%d)", m.renders-renders)
	}
	c.Advance(48*24*time.Hour - time.Second)
	m, _ = m.Update(TickMsg{id: m.id})
	if !strings.Contains(m.View(), "50% used, expires in 50d") || !strings.Contains(m.View(), "iat ━━━━━━━━━━━━━●") || m.renders != renders+1 {
		t.Errorf("half way (%d renders):\n%s", m.renders-renders, m.View())
	}
	c.Advance(51 * 24 * time.Hour)
	m, _ = m.Update(TickMsg{id: m.id})
	if !strings.Contains(m.View(), "━━━━━━━━━━━━━━━━━━━━━━━━━● exp  expired 23h 30m ago") {
		t.Errorf("expired:\n%s", m.View())
	}
	if verifies != 0 {
		t.Errorf("ticks verified again (%d clock reads by Verify)", verifies)
	}
}

// What decoded of a malformed token has a lifetime too, and it follows the
// clock; the verdict stays malformed.
func TestPartialLifetimeFollowsAt(t *testing.T) {
	tok := enc(`{"alg":"RS256"}`) + "." + enc(stdClaims()) + ".a" // broken signature
	r := Verify(context.Background(), tok, Options{Now: func() time.Time { return t0 }})
	later := r.At(t0.Add(2 * time.Hour))
	l, ok := later.Lifetime()
	if r.State != StateMalformed || later.State != StateMalformed || !ok || !l.Expired() || r.Now != t0 {
		t.Errorf("state %s/%s lifetime %+v %v", r.State, later.State, l, ok)
	}
}
