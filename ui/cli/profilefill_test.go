package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCallProfileScopeIsNotSentWithClientCredentials: a profile's sign-in
// scope (openid profile) is not sent with clientCredentialsGrant, where
// Auth0 refuses it ("Client has not been granted scopes"); the audience is.
// passwordGrant still gets the scope.
func TestCallProfileScopeIsNotSentWithClientCredentials(t *testing.T) {
	rec := newRecorder(t)
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "dev", "--domain", rec.srv.URL, "--client-id", "cid", "--client-secret", "sec-ret-value",
		"--audience", "https://api.example.com/", "--scope", "openid profile", "--realm", "db-conn")

	body := func() map[string]any {
		t.Helper()
		got := rec.take()
		if len(got) != 1 {
			t.Fatalf("%d requests", len(got))
		}
		var m map[string]any
		if err := json.Unmarshal(got[0].body, &m); err != nil {
			t.Fatalf("body %s: %v", got[0].body, err)
		}
		return m
	}

	_, errs := p.ok("", "call", "clientCredentialsGrant", "--profile", "dev")
	b := body()
	if _, ok := b["scope"]; ok {
		t.Errorf("clientCredentialsGrant sent the profile's scope: %v", b)
	}
	if b["audience"] != "https://api.example.com/" || b["realm"] != nil {
		t.Errorf("clientCredentialsGrant body %v: want the profile's audience only", b)
	}
	if strings.Contains(errs, "scope=") {
		t.Errorf("notes %q name a scope", errs)
	}

	_, errs = p.ok("", "call", "passwordGrant", "username=u", "password=p", "--profile", "dev")
	b = body()
	if b["scope"] != "openid profile" || b["realm"] != "db-conn" || b["audience"] != "https://api.example.com/" {
		t.Errorf("passwordGrant body %v: want the profile's scope, realm and audience", b)
	}
	if !strings.Contains(errs, "scope=openid profile from profile dev") {
		t.Errorf("notes %q", errs)
	}

	// A refresh keeps the granted scopes: the profile's is not sent.
	p.ok("", "call", "refreshToken", "refresh_token=rt", "--profile", "dev")
	if b := body(); b["scope"] != nil {
		t.Errorf("refreshToken body %v", b)
	}
}
