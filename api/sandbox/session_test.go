package sandbox_test

import (
	"strings"
	"testing"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// The banner names the seeded user's id, which CIBA's userId and
// `ciba --user-id` need, on its own line and on the CIBA line.
func TestDescribeShowsTheSeededUserID(t *testing.T) {
	f := newFixture(t)
	id := f.janeID()
	if id == "" || f.srv.SeedUserID() != id {
		t.Fatalf("SeedUserID %q, want %q", f.srv.SeedUserID(), id)
	}
	d := f.srv.Describe()
	for _, want := range []string{
		sandbox.SeedEmail + " / " + sandbox.SeedPassword + " on " + sandbox.DatabaseConnection + "\n",
		"  user id         " + id + " (jane's)\n",
		"backchannel.authorize userId=" + id + ";",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("the banner lacks %q:\n%s", want, d)
		}
	}
}

// A refresh keeps the session: the new id_token has the sid of the
// sign-in, through rotations and on a non-rotating client alike; a new
// sign-in gets a new one.
func TestRefreshKeepsTheSessionID(t *testing.T) {
	f := newFixture(t)
	first := f.passwordTokens("openid offline_access")
	sid := decodeClaims(t, first["id_token"].(string))["sid"]
	if s, _ := sid.(string); s == "" {
		t.Fatalf("no sid in the first id_token")
	}
	rt := first["refresh_token"].(string)
	for i := range 2 { // a rotation, then the rotated token
		got := f.ok(f.client, "refreshToken", str("refresh_token", rt))
		if s := decodeClaims(t, got["id_token"].(string))["sid"]; s != sid {
			t.Errorf("refresh %d: sid %v, want the session's %v", i+1, s, sid)
		}
		rt = got["refresh_token"].(string)
	}
	if other := decodeClaims(t, f.passwordTokens("openid offline_access")["id_token"].(string))["sid"]; other == sid {
		t.Errorf("a new sign-in kept the session id %v", sid)
	}

	f.srv.AddClient(sandbox.Client{ID: "nonrotating-client-0001", Secret: "nonrotating-secret-0001", Name: "Non-rotating", NonRotating: true})
	nr, err := api.New(api.Config{Domain: f.srv.BaseURL, ClientID: "nonrotating-client-0001", ClientSecret: "nonrotating-secret-0001"})
	if err != nil {
		t.Fatal(err)
	}
	tok := f.ok(nr, "passwordGrant", str("username", sandbox.SeedEmail), str("password", sandbox.SeedPassword), str("scope", "openid offline_access"))
	sid = decodeClaims(t, tok["id_token"].(string))["sid"]
	for i := range 2 {
		got := f.ok(nr, "refreshToken", str("refresh_token", tok["refresh_token"].(string)))
		if s := decodeClaims(t, got["id_token"].(string))["sid"]; s != sid {
			t.Errorf("non-rotating refresh %d: sid %v, want %v", i+1, s, sid)
		}
	}
}
