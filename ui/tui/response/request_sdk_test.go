package response

import (
	"context"
	"strings"
	"testing"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// TestRequestTabShowsTheOtherSDKGeneration: for an operation both node-auth0
// generations send, each its own way, the Request tab ends with the request
// as the generation not used would send it, built from the same values and
// redacted as the tab redacts; its refusal when it refuses them; nothing for
// an operation only one generation has.
func TestRequestTabShowsTheOtherSDKGeneration(t *testing.T) {
	s := sandboxSession(t)
	shown := func(op string, values api.Values) string {
		t.Helper()
		req, err := s.Client.Build(api.ByName(op), values)
		if err != nil {
			t.Fatal(err)
		}
		m := newPane(s, context.Background())
		m.Show(1, op, &api.Exchange{Request: req}, values)
		return m.requestText()
	}
	pw := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail),
		api.String("password", sandbox.SeedPassword),
		api.String("realm", "Username-Password-Authentication"),
	}}

	txt := shown("oauth.passwordGrant", pw)
	_, other, ok := strings.Cut(txt, "As node-auth0 v4 would send it (g switches; not sent):\n")
	if !ok {
		t.Fatalf("no v4 section:\n%s", txt)
	}
	if !strings.HasPrefix(other, "POST "+s.Client.BaseURL+"/oauth/token\ncontent-type: application/x-www-form-urlencoded\n") ||
		!strings.Contains(other, "username="+strings.ReplaceAll(sandbox.SeedEmail, "@", "%40")) {
		t.Errorf("v4 section:\n%s", other)
	}
	if strings.Contains(txt, sandbox.SeedPassword) || strings.Contains(txt, s.Client.ClientSecret) {
		t.Errorf("a secret is shown:\n%s", txt)
	}

	v4 := pw
	v4.SDK = api.SDKv4
	txt = shown("oauth.passwordGrant", v4)
	if _, other, ok = strings.Cut(txt, "As node-auth0 v2 would send it (g switches; not sent):\n"); !ok ||
		!strings.Contains(other, "content-type: application/json\n") {
		t.Errorf("sent as v4, the v2 section:\n%s", txt)
	}

	// v4 refuses client credentials without an audience.
	txt = shown("oauth.clientCredentialsGrant", api.Values{})
	if !strings.Contains(txt, "As node-auth0 v4 would send it (g switches; not sent):\nrefused, nothing would be sent: ") || !strings.Contains(txt, "audience") {
		t.Errorf("no refusal:\n%s", txt)
	}

	// Only one generation has it: no section.
	txt = shown("oauth.authorizationCodeGrantWithPKCE", api.Values{Fields: []api.Value{api.String("code", "c"), api.String("code_verifier", "v")}})
	if strings.Contains(txt, "would send it") {
		t.Errorf("a section for an operation only one generation has:\n%s", txt)
	}
}
