package jwtview

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// benchTokens are a realistic Auth0 id_token signed RS256 and ES256.
func benchTokens(b *testing.B, f *fixture) map[string]string {
	claims := stdClaims("nickname", "jane", "name", "jane@example.com",
		"picture", "https://s.gravatar.com/avatar/abc.png", "updated_at", "2025-05-30T10:00:00.000Z",
		"email", "jane@example.com", "email_verified", true, "sid", "x7Yq2sQm", "nonce", "n-0S6_WzA2Mj")
	return map[string]string{
		"RS256": f.rs256(b, claims),
		"ES256": sign(b, "ES256", f.k.ec, obj("alg", "ES256", "typ", "JWT", "kid", "ec1"), claims),
	}
}

func BenchmarkDecode(b *testing.B) {
	f := newFixture(b)
	for _, alg := range []string{"RS256", "ES256"} {
		tok := benchTokens(b, f)[alg]
		b.Run(alg, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify verifies with a warm key cache: every check, as Verify
// always runs them.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	o := f.opts()
	o.Nonce = "n-0S6_WzA2Mj"
	for _, alg := range []string{"RS256", "ES256"} {
		tok := benchTokens(b, f)[alg]
		if r := Verify(context.Background(), tok, o); !r.Valid() { // warms the cache
			b.Fatal(r.Summary())
		}
		b.Run(alg, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := Verify(context.Background(), tok, o); !r.Valid() {
					b.Fatal(r.Summary())
				}
			}
		})
	}
}

// BenchmarkGolangJWT is the comparison: a bare golang-jwt parse-and-verify
// of the same tokens with the key at hand and the same claim checks it
// offers (issuer, audience, expiry, leeway).
func BenchmarkGolangJWT(b *testing.B) {
	f := newFixture(b)
	keys := map[string]any{"RS256": &f.k.rsa.PublicKey, "ES256": &f.k.ec.PublicKey}
	for _, alg := range []string{"RS256", "ES256"} {
		tok := benchTokens(b, f)[alg]
		key := keys[alg]
		p := jwt.NewParser(jwt.WithValidMethods([]string{alg}), jwt.WithIssuer(testIssuer), jwt.WithAudience(testAudience),
			jwt.WithLeeway(time.Minute), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(func() time.Time { return t0 }))
		kf := func(*jwt.Token) (any, error) { return key, nil }
		b.Run(alg, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Parse(tok, kf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeManyMembers: a payload with as many members as fit under
// the size limit; duplicate detection must stay linear.
func BenchmarkDecodeManyMembers(b *testing.B) {
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range 5400 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"%03s":0`, strconv.FormatInt(int64(i), 36))
	}
	sb.WriteByte('}')
	tok := enc(`{"alg":"HS256"}`) + "." + enc(sb.String()) + "." + enc("s")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModelTick is one second of a token on screen: a tick (the time
// checks re-evaluated with Report.At, no verifying) and View. The clock
// steps a second forth and back, so "expires in …" and the lifetime text
// change and every tick renders again: the worst case (most ticks of a
// token that expires in more than an hour render nothing).
func BenchmarkModelTick(b *testing.B) {
	c := newClock()
	tok := sign(b, "HS256", viewSecret, obj("alg", "HS256", "typ", "JWT"), goldenPayload())
	r := Verify(context.Background(), tok, Options{Now: c.Now, Secret: viewSecret, Issuer: testIssuer, Audience: testAudience})
	for _, w := range []int{80, 140} {
		b.Run(strconv.Itoa(w), func(b *testing.B) {
			m := NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC})
			m.SetSize(w, 40)
			b.ReportAllocs()
			step := time.Second
			for b.Loop() {
				c.Advance(step)
				step = -step
				m, _ = m.Update(TickMsg{id: m.id})
				if m.View() == "" {
					b.Fatal("empty view")
				}
			}
		})
	}
}
