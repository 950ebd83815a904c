package jwtview

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
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
