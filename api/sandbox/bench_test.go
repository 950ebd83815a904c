package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"
)

// benchGrant measures password grants per second through the sandbox's
// handler (no network), signing included.
func benchGrant(b *testing.B, scope string) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv, err := sandbox.New(sandbox.Options{Seed: 1, Now: func() time.Time { return now }, RateLimit: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	srv.BaseURL = "http://127.0.0.1:1"
	body := `{"grant_type":"password","client_id":"` + srv.Client.ID + `","client_secret":"` + srv.Client.Secret +
		`","username":"jane@example.com","password":"Passw0rd!","scope":"` + scope + `"}`
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "grants/s")
}

// BenchmarkPasswordGrantIDToken signs one RS256 id_token per grant.
func BenchmarkPasswordGrantIDToken(b *testing.B) { benchGrant(b, "openid profile email") }

// BenchmarkPasswordGrantOpaque is a grant without openid: an opaque access
// token, nothing to sign.
func BenchmarkPasswordGrantOpaque(b *testing.B) { benchGrant(b, "") }
