package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOperationsJSONSaysWhoseRequestNewOperationsFollow: the operations
// node-auth0 v2 lacks carry an origin in `operations --json` (the newer SDK
// or Auth0's docs); v2's own carry none.
func TestOperationsJSONSaysWhoseRequestNewOperationsFollow(t *testing.T) {
	code, stdout, _ := run(t, nil, "operations", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var ops []struct{ Name, Group, Origin string }
	if err := json.Unmarshal([]byte(stdout), &ops); err != nil {
		t.Fatal(err)
	}
	origin := map[string]string{}
	group := map[string]string{}
	for _, op := range ops {
		origin[op.Name], group[op.Name] = op.Origin, op.Group
	}
	for name, want := range map[string]string{
		"oauth.authorizationCodeGrantWithPKCE": "node-auth0 v4",
		"passwordless.loginWithEmail":          "node-auth0 v4",
		"passwordless.loginWithSMS":            "node-auth0 v4",
		"oauth.deviceAuthorization":            "Auth0's Authentication API docs",
		"oauth.deviceCodeGrant":                "Auth0's Authentication API docs",
	} {
		if !strings.Contains(origin[name], want) {
			t.Errorf("%s: origin %q, want it to name %s", name, origin[name], want)
		}
	}
	if group["oauth.deviceCodeGrant"] != "Device" || group["passwordless.loginWithSMS"] != "Passwordless" {
		t.Errorf("groups: %v", group)
	}
	if origin["passwordGrant"] != "" {
		t.Errorf("passwordGrant has an origin: %q", origin["passwordGrant"])
	}
}
