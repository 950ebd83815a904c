package tui

import (
	"testing"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"
)

// The form's profile defaults follow the catalogue's rule (api.ProfileFills),
// the one call applies: the sign-in scope is not offered to the
// application's own token, and a database sign-in's connection takes the
// profile's realm.
func TestFormDefaultsFollowTheCatalogue(t *testing.T) {
	p := &config.Profile{Name: "dev", Audience: "https://api/", Scope: "openid profile", Realm: "Username-Password-Authentication"}
	s, err := app.Open(app.Tenant{Name: "dev", Domain: "dev.example.com", ClientID: "cid", ClientSecret: "csecret", Profile: p}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m := New(Options{Session: s, Now: now})
	fill := func(op, field string) string {
		d, ok := m.defaults(api.ByName(op))[field]
		if !ok {
			return "(none)"
		}
		return d.Value + " from " + d.Source
	}
	for _, c := range []struct{ op, field, want string }{
		{"clientCredentialsGrant", "audience", "https://api/ from profile dev"},
		{"clientCredentialsGrant", "scope", "(none)"},
		{"passwordGrant", "scope", "openid profile from profile dev"},
		{"passwordGrant", "realm", "Username-Password-Authentication from profile dev"},
		{"database.signIn", "connection", "Username-Password-Authentication from profile dev"},
		{"passwordGrant", "client_id", "cid from profile"},
	} {
		if got := fill(c.op, c.field); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.op, c.field, got, c.want)
		}
	}
}
