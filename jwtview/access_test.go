package jwtview

import (
	"context"
	"strings"
	"testing"
)

// Checked as an access token, an RFC 9068 token is valid for its API: the
// at+jwt type is welcome and azp names the client without being compared
// with the audience. Checked as an id_token, the same token is refused.
func TestAccessTokenOption(t *testing.T) {
	f := newFixture(t)
	api := "https://api.example.com/"
	raw := sign(t, "RS256", f.k.rsa, obj("alg", "RS256", "typ", "at+jwt", "kid", "rsa1"),
		stdClaims("aud", []any{api, testIssuer + "userinfo"}, "azp", testAudience, "scope", "openid read:things"))

	o := f.opts()
	o.AccessToken, o.Audience = true, api
	r := Verify(context.Background(), raw, o)
	if !r.Valid() {
		t.Fatalf("as an access token: %s %+v", r.State, r.Checks)
	}
	if c := check(t, r, "azp"); !c.OK || !strings.Contains(c.Detail, testAudience) {
		t.Errorf("azp = %+v, want the client named, not compared with the audience", c)
	}

	idr := Verify(context.Background(), raw, f.opts())
	if idr.Valid() || check(t, idr, "header").OK {
		t.Errorf("as an id_token the at+jwt token passed: %+v", idr.Checks)
	}
}
