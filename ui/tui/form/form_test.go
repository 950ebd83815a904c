package form

import (
	"strings"
	"testing"

	"auth0-explorer/api"
)

// The header says which generation the form sends as: nothing under v2;
// under v4 "as node-auth0 v4 sends it" for an operation with a v4 wire
// format, and that v4 has no such method for a v2 method it lacks.
func TestHeaderSaysTheGeneration(t *testing.T) {
	for _, tc := range []struct {
		op, gen, want string
	}{
		{"oauth.clientCredentialsGrant", "v4", "as node-auth0 v4 sends it"},
		{"oauth.refreshToken", "v4", "as node-auth0 v4 sends it (its oauth.refreshTokenGrant)"},
		{"tokens.getInfo", "v4", "node-auth0 v4 has no such method: sent as node-auth0 v2 sends it"},
		{"oauth.clientCredentialsGrant", "v2", ""},
		{"tokens.getInfo", "v2", ""},
		{"tokens.getInfo", "", ""},
		{"mfa.challenge", "v4", ""}, // neither generation's: the switch does not change it
	} {
		op := api.ByName(tc.op)
		if op == nil {
			t.Fatalf("no operation %s", tc.op)
		}
		m := New(op, nil, nil, DefaultStyles(), DefaultKeyMap())
		m.SetSize(120, 30)
		m.SetGeneration(tc.gen)
		v := m.View()
		switch {
		case tc.want != "" && !strings.Contains(v, tc.want):
			t.Errorf("%s under %q: header lacks %q:\n%s", tc.op, tc.gen, tc.want, v)
		case tc.want == "" && strings.Contains(v, "node-auth0 v4"):
			t.Errorf("%s under %q: header speaks of v4:\n%s", tc.op, tc.gen, v)
		}
	}
}

// A field required unless another is given counts as required while the
// other is empty: enter on the operation lands there.
func TestFocusFirstEmptyRequiredUnless(t *testing.T) {
	defaults := map[string]Default{"client_id": {Value: "cid", Source: "sandbox", Placeholder: true}}
	m := New(api.ByName("oauth.buildAuthorizeUrl"), defaults, nil, DefaultStyles(), DefaultKeyMap())
	m.SetSize(100, 30)
	m.Focus()
	m.FocusFirstEmptyRequired()
	if got := m.FocusedField(); got != "redirect_uri" {
		t.Fatalf("focus on %q, want redirect_uri", got)
	}
}
