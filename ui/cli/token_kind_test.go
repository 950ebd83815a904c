package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// token --json says what the token is for (kind), its format, who its
// audience is (audience_type against --audience) and its lifetime at --now;
// a token with a broken payload says which part broke and shows its header.
func TestTokenJSONKindAudienceTypeLifetime(t *testing.T) {
	tn := newJWKSTenant(t)
	iss := tn.URL + "/"
	type out struct {
		Valid        bool           `json:"valid"`
		State        string         `json:"state"`
		Kind         string         `json:"kind"`
		Format       string         `json:"format"`
		AudienceType string         `json:"audience_type"`
		Header       map[string]any `json:"header"`
		Broken       []struct {
			Part   string `json:"part"`
			Detail string `json:"detail"`
		} `json:"broken"`
		Lifetime *struct {
			IssuedAt     string  `json:"issued_at"`
			ExpiresAt    string  `json:"expires_at"`
			SecondsTotal float64 `json:"seconds_total"`
			SecondsLeft  float64 `json:"seconds_left"`
			FractionUsed float64 `json:"fraction_used"`
			Expired      bool    `json:"expired"`
		} `json:"lifetime"`
	}
	run := func(tok string) out {
		t.Helper()
		_, stdout, _ := tokenRun(t, nil, "", "token", tok, "--jwks-url", tn.URL+"/.well-known/jwks.json", "--issuer", iss, "--audience", "client-1", "--json", tokenNowFlag)
		var o out
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		return o
	}
	id := run(mintRS(t, claimsFor(iss, jwt.MapClaims{"nonce": "n1"})))
	l := id.Lifetime
	if !id.Valid || id.Kind != "id_token" || id.Format != "JWS" || id.AudienceType != "client" || l == nil ||
		l.SecondsTotal != 24*60+10 || l.SecondsLeft != 23*60+10 || l.FractionUsed != 0.0414 || l.Expired ||
		l.IssuedAt != tokenNow.Add(-60e9).UTC().Format("2006-01-02T15:04:05Z07:00") {
		t.Errorf("id_token: %+v %+v", id, l)
	}
	access := run(mintRS(t, claimsFor(iss, jwt.MapClaims{"aud": []string{"https://api.example.com/"}, "scope": "read:reports", "gty": "client-credentials"})))
	if access.Valid || access.Kind != "access_token" || access.AudienceType != "api" || access.Lifetime == nil {
		t.Errorf("access token: %+v", access)
	}
	opaque := run("8xK2vQ9pL3mN7rT1wY5zA0bC4dE6fG")
	if opaque.Kind != "opaque" || opaque.Format != "opaque" || opaque.Lifetime != nil || opaque.AudienceType != "" {
		t.Errorf("opaque: %+v", opaque)
	}
	broken := run(strings.Split(mintRS(t, claimsFor(iss, nil)), ".")[0] + ".bm9wZQ.c2ln") // payload "nope"
	if broken.State != "malformed" || broken.Header["alg"] != "RS256" || len(broken.Broken) != 1 || broken.Broken[0].Part != "payload" {
		t.Errorf("broken: %+v", broken)
	}
}
