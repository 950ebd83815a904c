package sandbox_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// The discovery document names every endpoint the sandbox serves, each
// answering (not 404), and the grants its token endpoint takes.
func TestDiscoveryListsServedEndpoints(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.srv.BaseURL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	b := f.srv.BaseURL
	wantEndpoints := map[string]string{
		"device_authorization_endpoint":         b + "/oauth/device/code",
		"backchannel_authentication_endpoint":   b + "/bc-authorize",
		"pushed_authorization_request_endpoint": b + "/oauth/par",
		"mfa_challenge_endpoint":                b + "/mfa/challenge",
		"end_session_endpoint":                  b + "/oidc/logout",
		"revocation_endpoint":                   b + "/oauth/revoke",
	}
	for k, want := range wantEndpoints {
		if got, _ := doc[k].(string); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	strs := func(k string) []string {
		var out []string
		list, _ := doc[k].([]any)
		for _, v := range list {
			s, _ := v.(string)
			out = append(out, s)
		}
		return out
	}
	for _, g := range []string{
		"authorization_code", "client_credentials", "refresh_token", "password",
		"urn:ietf:params:oauth:grant-type:device_code",
		"urn:openid:params:grant-type:ciba",
		"urn:ietf:params:oauth:grant-type:token-exchange",
		"http://auth0.com/oauth/grant-type/mfa-otp",
		"http://auth0.com/oauth/grant-type/mfa-oob",
		"http://auth0.com/oauth/grant-type/mfa-recovery-code",
		"http://auth0.com/oauth/grant-type/passwordless/otp",
	} {
		if !slices.Contains(strs("grant_types_supported"), g) {
			t.Errorf("grant_types_supported lacks %s: %v", g, strs("grant_types_supported"))
		}
	}
	if got := strs("backchannel_token_delivery_modes_supported"); !slices.Equal(got, []string{"poll"}) {
		t.Errorf("backchannel_token_delivery_modes_supported = %v", got)
	}
	if got := strs("code_challenge_methods_supported"); !slices.Equal(got, []string{"S256", "plain"}) {
		t.Errorf("code_challenge_methods_supported = %v", got)
	}
	if got := strs("token_endpoint_auth_methods_supported"); !slices.Contains(got, "private_key_jwt") {
		t.Errorf("token_endpoint_auth_methods_supported lacks private_key_jwt: %v", got)
	}
	// Every advertised endpoint is served: GET or POST answers something
	// other than 404.
	for k, v := range doc {
		u, ok := v.(string)
		if !ok || !(strings.HasSuffix(k, "_endpoint") || k == "jwks_uri") {
			continue
		}
		served := false
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			req, _ := http.NewRequest(method, u, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			r, err := cl.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != http.StatusNotFound {
				served = true
			}
		}
		if !served {
			t.Errorf("%s %s answers 404 to GET and POST", k, u)
		}
	}
}
