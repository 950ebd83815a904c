package jwtview

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
)

// An exp no real token can carry (1e300, past an int64 of seconds) fails
// its check, and the view says the same thing as the check: no "expires in
// 292 years" next to "beyond year 9999".
func TestOutOfRangeDatesAreInvalidAndSaidOnce(t *testing.T) {
	secret := []byte("s3cret-s3cret-s3cret")
	now := func() time.Time { return t0 }
	for _, exp := range []string{"1e300", "9223372036854775808", "1e999"} {
		tok := sign(t, "HS256", secret, obj("alg", "HS256"), stdClaims("exp", json.RawMessage(exp)))
		r := Verify(context.Background(), tok, Options{Issuer: testIssuer, Audience: testAudience, Secret: secret, Now: now})
		if r.Valid() || r.State != StateInvalid {
			t.Errorf("exp %s: %s", exp, r.Summary())
		}
		var b strings.Builder
		_ = r.WriteText(&b, time.UTC)
		out := b.String()
		if !strings.Contains(out, "not a real date (after year 9999)") {
			t.Errorf("exp %s: the view does not say so:\n%s", exp, out)
		}
		for _, bad := range []string{"expires in", "292 years", "beyond year 9999", "not a number"} {
			if strings.Contains(out, bad) {
				t.Errorf("exp %s: the view says %q:\n%s", exp, bad, out)
			}
		}
	}
	// The last second of year 9999 is a real date, and its distance is not
	// cut at what a time.Duration holds.
	if got := When("exp", json.Number("253402300799"), t0, time.UTC); got != "9999-12-31 23:59:59 UTC, expires in 7974 years" {
		t.Errorf("When = %q", got)
	}
	if got := When("iat", json.Number("-1e300"), t0, time.UTC); got != "not a real date (before year 1)" {
		t.Errorf("When = %q", got)
	}
}

// deepPayload is a valid payload whose custom claim nests depth arrays.
func deepPayload(depth int) string {
	return stdClaims("https://app/deep", json.RawMessage(strings.Repeat("[", depth)+strings.Repeat("]", depth)))
}

// A deeply nested custom claim is legal JSON: a token under the size cap is
// decoded, verified, shown and written as JSON whatever its nesting. The
// size cap bounds the nesting (two bytes a level).
func TestDeepNestingUnderTheSizeCapIsNotMalformed(t *testing.T) {
	secret := []byte("s3cret-s3cret-s3cret")
	now := func() time.Time { return t0 }
	// The deepest nesting a token under the cap can hold.
	depth := MaxTokenSize * 3 / 8
	for len(sign(t, "HS256", secret, obj("alg", "HS256"), deepPayload(depth))) > MaxTokenSize {
		depth -= 16
	}
	for _, d := range []int{65, 1000, depth} {
		tok := sign(t, "HS256", secret, obj("alg", "HS256"), deepPayload(d))
		if len(tok) > MaxTokenSize {
			t.Fatalf("depth %d: token of %d bytes is over the cap", d, len(tok))
		}
		r := Verify(context.Background(), tok, Options{Issuer: testIssuer, Audience: testAudience, Secret: secret, Now: now})
		if !r.Valid() {
			t.Fatalf("depth %d: %s", d, r.Summary())
		}
		var b strings.Builder
		if err := r.WriteText(&b, time.UTC); err != nil || !strings.Contains(b.String(), strings.Repeat("[", d)) {
			t.Errorf("depth %d: text view lacks the claim (%v)", d, err)
		}
		js, err := r.MarshalJSON()
		if err != nil || !strings.Contains(string(js), strings.Repeat("[", d)+strings.Repeat("]", d)) {
			t.Errorf("depth %d: JSON lacks the claim (%v)", d, err)
		}
	}
	// Over the cap it is refused for its size, before any parsing.
	tok := sign(t, "HS256", secret, obj("alg", "HS256"), deepPayload(MaxTokenSize))
	if _, err := Decode(tok); err == nil || !strings.Contains(err.Error(), "over the 64 KiB limit") {
		t.Errorf("over the cap: %v", err)
	}
}

// The nesting bound still stops parseObject on more than a token's worth.
func TestParseObjectNestingBound(t *testing.T) {
	deep := `{"a":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`
	if _, err := parseObject([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nested deeper than") {
		t.Errorf("err = %v", err)
	}
}

// rawGo are pieces of Go's own error text that must never reach a person.
var rawGo = []string{"context deadline", "Client.Timeout", "keyfunc", "context canceled", "awaiting headers"}

func noRawGo(t *testing.T, what, s string) {
	t.Helper()
	for _, bad := range rawGo {
		if strings.Contains(s, bad) {
			t.Errorf("%s carries Go's %q: %s", what, bad, s)
		}
	}
}

// A JWKS server that never answers: the fetch gives up after the HTTP
// client's timeout with call's sentence, naming the host and the limit.
func TestJWKSThatNeverAnswersTimesOutWithASentence(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; ends when the client gives up
	}))
	defer srv.Close()
	kc := NewKeyCache(KeyCacheOptions{HTTP: api.NewHTTPClient(api.TransportOptions{Timeout: 100 * time.Millisecond})})
	defer kc.Close()
	f := newFixture(t)
	o := f.opts()
	o.JWKSURL, o.Keys = srv.URL+"/.well-known/jwks.json", kc
	r := Verify(context.Background(), f.rs256(t, stdClaims()), o)
	sc := check(t, r, "signature")
	host := strings.TrimPrefix(srv.URL, "http://")
	if !sc.Skipped || !r.KeysUnavailable() || !strings.Contains(sc.Detail, "no answer from "+host+" within 100ms") {
		t.Errorf("signature %+v", sc)
	}
	noRawGo(t, "the detail", sc.Detail)
}

// The caller's deadline or cancellation ends the wait for keys with a
// sentence too.
func TestKeyWaitEndsWithASentence(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	f := newFixture(t)
	for _, c := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want string
	}{
		{"deadline", func() (context.Context, context.CancelFunc) { return context.WithDeadline(context.Background(), t0) }, "the time allowed ran out"},
		{"cancelled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, "the check was cancelled"},
	} {
		kc := NewKeyCache(KeyCacheOptions{})
		o := f.opts()
		o.JWKSURL, o.Keys = srv.URL+"/jwks.json", kc
		ctx, cancel := c.ctx()
		r := Verify(ctx, f.rs256(t, stdClaims()), o)
		cancel()
		sc := check(t, r, "signature")
		if !sc.Skipped || !strings.Contains(sc.Detail, "did not arrive: "+c.want) {
			t.Errorf("%s: %+v", c.name, sc)
		}
		noRawGo(t, c.name, sc.Detail)
		err := kc.Reload(ctx, o.JWKSURL)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Reload: %v", c.name, err)
		}
		noRawGo(t, c.name+" Reload", err.Error())
		kc.Close()
	}
}

// A kid whose JWK is declared for another algorithm is refused in a
// sentence, not with keyfunc's error text.
func TestKidDeclaredForAnotherAlgorithm(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, "RS256", f.k.rsa, obj("alg", "RS256", "kid", "ps1"), stdClaims())
	r := Verify(context.Background(), tok, f.opts())
	sc := check(t, r, "signature")
	if sc.OK || r.State != StateInvalid || sc.Detail != `the tenant's key "ps1" is declared for PS256, so it cannot verify an RS256 signature` {
		t.Errorf("signature %+v", sc)
	}
	noRawGo(t, "the detail", sc.Detail)
}

// Blank input is no token: its own state, and the JSON says so.
func TestEmptyInputReport(t *testing.T) {
	for _, raw := range []string{"", " \n\t"} {
		r := Verify(context.Background(), raw, Options{Now: func() time.Time { return t0 }})
		b, _ := r.MarshalJSON()
		if r.State != StateEmpty || r.Valid() || !strings.HasPrefix(string(b), `{"valid":false,"state":"empty","note":"no token given","header":null,"payload":null,"lifetime":null,"checks":[`) {
			t.Errorf("%q: %s %s", raw, r.State, b)
		}
		if r.Summary() != "EMPTY: no token given" {
			t.Errorf("%q: %s", raw, r.Summary())
		}
	}
}
