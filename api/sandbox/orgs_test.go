package sandbox_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"
)

// TestAuthorizePrompt: prompt=none is sent back with login_required, as
// Auth0 answers a silent sign-in with no session (the sandbox keeps none),
// with the state; prompt=login and prompt=consent sign in.
func TestAuthorizePrompt(t *testing.T) {
	f := newFixture(t)
	q := func(prompt string) url.Values {
		return url.Values{"client_id": {f.srv.Public.ID}, "response_type": {"code"},
			"redirect_uri": {"http://127.0.0.1:49152/callback"}, "state": {"s1"}, "prompt": {prompt}}
	}
	status, loc := f.authorizeRedirect(q("none"))
	if status != http.StatusFound || loc.Host != "127.0.0.1:49152" || loc.Query().Get("error") != "login_required" ||
		loc.Query().Get("error_description") != "Login required" || loc.Query().Get("state") != "s1" || loc.Query().Get("code") != "" {
		t.Fatalf("prompt=none: %d %v", status, loc)
	}
	for _, p := range []string{"login", "consent"} {
		if status, loc := f.authorizeRedirect(q(p)); status != http.StatusFound || loc.Query().Get("code") == "" || loc.Query().Get("error") != "" {
			t.Errorf("prompt=%s: %d %v", p, status, loc)
		}
	}
}

// TestAuthorizeOrganization: an organization named by id or by name (any
// case) is signed in to, and the id_token and the access token carry
// org_id and org_name, through the refresh too; an unknown one is sent
// back with invalid_request.
func TestAuthorizeOrganization(t *testing.T) {
	f := newFixture(t)
	api := "https://api.example.com/"
	f.srv.AddAPI(sandbox.API{Identifier: api, Name: "API"})
	f.srv.AddOrganization(sandbox.Organization{ID: "org_beta0000000001", Name: "beta"})
	for _, c := range []struct{ org, id, name string }{
		{sandbox.SeedOrganizationID, sandbox.SeedOrganizationID, sandbox.SeedOrganizationName},
		{"ACME", sandbox.SeedOrganizationID, sandbox.SeedOrganizationName},
		{"org_beta0000000001", "org_beta0000000001", "beta"},
	} {
		code := f.authCode(f.srv.Client.ID, url.Values{"organization": {c.org}, "scope": {"openid offline_access"}, "audience": {api}})
		tok := f.ok(f.client, "oauth.authorizationCodeGrant", str("code", code), str("redirect_uri", "https://app.example.com/cb"))
		rt, _ := tok["refresh_token"].(string)
		refreshed := f.ok(f.client, "oauth.refreshToken", str("refresh_token", rt))
		for what, raw := range map[string]any{"id_token": tok["id_token"], "access_token": tok["access_token"], "refreshed id_token": refreshed["id_token"]} {
			s, _ := raw.(string)
			cl := decodeClaims(t, s)
			if cl["org_id"] != c.id || cl["org_name"] != c.name {
				t.Errorf("organization %s: %s has org_id %v, org_name %v", c.org, what, cl["org_id"], cl["org_name"])
			}
		}
	}
	// Without an organization the tokens carry none.
	code := f.authCode(f.srv.Client.ID, nil)
	tok := f.ok(f.client, "oauth.authorizationCodeGrant", str("code", code), str("redirect_uri", "https://app.example.com/cb"))
	if cl := decodeClaims(t, tok["id_token"].(string)); cl["org_id"] != nil || cl["org_name"] != nil {
		t.Errorf("no organization asked: %v", cl)
	}
	for _, bad := range []string{"org_nope", "nope", "org_BETA0000000001"} {
		status, loc := f.authorizeRedirect(url.Values{"client_id": {f.srv.Public.ID}, "response_type": {"code"},
			"redirect_uri": {"http://127.0.0.1:49152/callback"}, "state": {"s1"}, "organization": {bad}})
		if status != http.StatusFound || loc.Query().Get("error") != "invalid_request" || loc.Query().Get("code") != "" ||
			!strings.Contains(loc.Query().Get("error_description"), "organization "+bad) || loc.Query().Get("state") != "s1" {
			t.Errorf("unknown organization %s: %d %v", bad, status, loc)
		}
	}
}

// TestDeviceOrganization: the device flow takes an organization too; the
// tokens carry it; an unknown one is refused at once with invalid_request.
func TestDeviceOrganization(t *testing.T) {
	f := newFixture(t)
	m := f.ok(f.public, "oauth.deviceAuthorization", str("scope", "openid"), str("organization", "Acme"))
	dc, _ := m["device_code"].(string)
	if st := f.approveFromOutbox(""); st != 200 {
		t.Fatalf("approval link: %d", st)
	}
	f.clock.Add(10 * time.Second)
	tok := f.ok(f.public, "oauth.deviceCodeGrant", str("device_code", dc))
	if cl := decodeClaims(t, tok["id_token"].(string)); cl["org_id"] != sandbox.SeedOrganizationID || cl["org_name"] != sandbox.SeedOrganizationName {
		t.Errorf("device id_token: %v", cl)
	}
	ex := f.do(f.public, "oauth.deviceAuthorization", str("scope", "openid"), str("organization", "org_nope"))
	if ex.Response == nil || ex.Response.Status != http.StatusBadRequest || !strings.Contains(string(ex.Response.Body), `"invalid_request"`) {
		t.Errorf("unknown organization: %v", ex.Err)
	}
}
