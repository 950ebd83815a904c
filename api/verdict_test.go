package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// A verdict the caller filled in appears on its token's entry, in the
// token command's shape; tokens without one have no verification member.
func TestExchangeJSONCarriesTokenVerdicts(t *testing.T) {
	ex := &Exchange{
		Request: &Request{Method: "POST", URL: "https://t.example.com/oauth/token", Secrets: []string{"the-client-secret"}},
		Tokens:  []Token{{Field: "access_token", Value: "AT"}, {Field: "id_token", Value: "IDT"}},
		Verdicts: map[string]*TokenVerdict{"id_token": {State: "invalid", Checks: []TokenCheck{
			{Name: "signature", OK: false, Detail: "does not match the-client-secret"},
			{Name: "iss", Skipped: true, Detail: "not compared"},
		}}},
	}
	b, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Tokens []struct {
			Field        string          `json:"field"`
			Verification json.RawMessage `json:"verification"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Tokens) != 2 {
		t.Fatalf("%v\n%s", err, b)
	}
	if v.Tokens[0].Verification != nil {
		t.Errorf("access_token has a verification: %s", v.Tokens[0].Verification)
	}
	var got struct {
		Valid  *bool  `json:"valid"`
		State  string `json:"state"`
		Checks []struct {
			Name    string `json:"name"`
			OK      *bool  `json:"ok"`
			Detail  string `json:"detail"`
			Skipped bool   `json:"skipped"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(v.Tokens[1].Verification, &got); err != nil {
		t.Fatalf("%v: %s", err, v.Tokens[1].Verification)
	}
	if got.Valid == nil || *got.Valid || got.State != "invalid" || len(got.Checks) != 2 || got.Checks[0].Name != "signature" ||
		got.Checks[0].OK == nil || *got.Checks[0].OK || !got.Checks[1].Skipped {
		t.Errorf("verification %s", v.Tokens[1].Verification)
	}
	if strings.Contains(string(b), "the-client-secret") {
		t.Errorf("a secret in a check detail is not redacted:\n%s", b)
	}
}

// What the caller decoded of a token appears on its entry: kind, format,
// header and payload in the token's order, without reveal; the token string
// stays redacted, and a secret in a claim is hidden as in a body.
func TestExchangeJSONCarriesDecodedTokens(t *testing.T) {
	ex := &Exchange{
		Request: &Request{Method: "POST", URL: "https://t.example.com/oauth/token", Secrets: []string{"the-password-1"}},
		Tokens:  []Token{{Field: "id_token", Value: "eyJ.IDT.sig"}, {Field: "refresh_token", Value: "RT-opaque-value"}},
		Decoded: map[string]*DecodedToken{
			"id_token": {Kind: "id_token", Format: "JWS", Header: json.RawMessage(`{"alg":"RS256","kid":"k"}`),
				Payload: json.RawMessage(`{"sub":"auth0|1","aud":"cid","leak":"the-password-1"}`)},
			"refresh_token": {Kind: "refresh_token", Format: "opaque"},
		},
	}
	b, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, bad := range []string{"eyJ.IDT.sig", "RT-opaque-value", "the-password-1"} {
		if strings.Contains(s, bad) {
			t.Errorf("JSON(false) shows %q:\n%s", bad, s)
		}
	}
	if !inOrder(s, `"field": "id_token"`, `"kind": "id_token"`, `"format": "JWS"`, `"value": "[redacted]"`, `"header": {`, `"alg": "RS256"`, `"kid": "k"`,
		`"payload": {`, `"sub": "auth0|1"`, `"aud": "cid"`, `"field": "refresh_token"`, `"kind": "refresh_token"`, `"format": "opaque"`) {
		t.Errorf("entries:\n%s", s)
	}
	if strings.Count(s, `"header"`) != 1 {
		t.Errorf("an opaque token has a header:\n%s", s)
	}
	// With reveal the value is shown, the claims as they are.
	b, _ = ex.JSON(true)
	if !strings.Contains(string(b), `"value": "eyJ.IDT.sig"`) || !strings.Contains(string(b), `"leak": "the-password-1"`) {
		t.Errorf("reveal:\n%s", b)
	}
}
