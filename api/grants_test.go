package api

import (
	"errors"
	"strings"
	"testing"
)

// TestIssue12GrantBodies: the bodies of the PKCE exchange, the passwordless
// otp logins and the device flow, as Auth0 documents them and node-auth0 v4
// names their inputs.
func TestIssue12GrantBodies(t *testing.T) {
	conf := &Client{BaseURL: "https://t.example.com", ClientID: "cid", ClientSecret: "csecret"}
	public := &Client{BaseURL: "https://t.example.com", ClientID: "pub"}
	for _, c := range []struct {
		client *Client
		op     string
		in     []Value
		path   string
		body   string
	}{
		{public, "oauth.authorizationCodeGrantWithPKCE", []Value{String("code", "C"), String("code_verifier", "V")},
			"/oauth/token", `{"grant_type":"authorization_code","client_id":"pub","code":"C","code_verifier":"V"}`},
		{conf, "oauth.authorizationCodeGrantWithPKCE", []Value{String("code", "C"), String("code_verifier", "V"), String("redirect_uri", "https://app/cb")},
			"/oauth/token", `{"grant_type":"authorization_code","client_id":"cid","client_secret":"csecret","code":"C","code_verifier":"V","redirect_uri":"https://app/cb"}`},
		{conf, "passwordless.loginWithEmail", []Value{String("email", "a@b.c"), String("code", "123456"), String("scope", "openid")},
			"/oauth/token", `{"client_id":"cid","client_secret":"csecret","scope":"openid","username":"a@b.c","otp":"123456","realm":"email","grant_type":"http://auth0.com/oauth/grant-type/passwordless/otp"}`},
		// The body names work as aliases; a realm given is overridden.
		{conf, "passwordless.loginWithSMS", []Value{String("username", "+14155550100"), String("otp", "654321"), String("realm", "email")},
			"/oauth/token", `{"client_id":"cid","client_secret":"csecret","username":"+14155550100","otp":"654321","realm":"sms","grant_type":"http://auth0.com/oauth/grant-type/passwordless/otp"}`},
		{public, "oauth.deviceAuthorization", []Value{String("scope", "openid offline_access"), String("audience", "https://api/")},
			"/oauth/device/code", `{"client_id":"pub","scope":"openid offline_access","audience":"https://api/"}`},
		{conf, "oauth.deviceCodeGrant", []Value{String("device_code", "DC")},
			"/oauth/token", `{"grant_type":"urn:ietf:params:oauth:grant-type:device_code","client_id":"cid","device_code":"DC"}`},
	} {
		op := ByName(c.op)
		if op == nil {
			t.Fatalf("no operation %s", c.op)
		}
		if op.Origin == "" {
			t.Errorf("%s: no Origin (it has no node-auth0 v2 fixture)", c.op)
		}
		req, err := c.client.Build(op, Values{Fields: c.in})
		if err != nil {
			t.Errorf("%s: %v", c.op, err)
			continue
		}
		if req.URL != c.client.BaseURL+c.path || string(req.Body) != c.body {
			t.Errorf("%s: %s %s\n want %s %s", c.op, req.URL, req.Body, c.path, c.body)
		}
	}
}

// TestIssue12GrantsRefuseNamingTheField: a missing code is refused naming
// the field as the caller knows it, quoting no node-auth0 v2 message (v2
// has no such method), and the code is a secret of the request.
func TestIssue12GrantsRefuseNamingTheField(t *testing.T) {
	c := &Client{BaseURL: "https://t.example.com", ClientID: "cid"}
	_, err := c.Build(ByName("passwordless.loginWithEmail"), Values{Fields: []Value{String("email", "a@b.c")}})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "code" || strings.Contains(ie.Msg, "node-auth0") {
		t.Errorf("missing code: %v", err)
	}
	_, err = c.Build(ByName("passwordless.loginWithSMS"), Values{Fields: []Value{String("code", "1"), {Name: "phone_number", Raw: []byte("42")}}})
	if !errors.As(err, &ie) || ie.Field != "phone_number" || !strings.Contains(ie.Msg, "must be a string, not a number") {
		t.Errorf("phone_number:=42: %v", err)
	}
	req, err := c.Build(ByName("oauth.authorizationCodeGrantWithPKCE"), Values{Fields: []Value{String("code", "the-code"), String("code_verifier", "the-verifier")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"the-code", "the-verifier"} {
		if !strings.Contains(strings.Join(req.Secrets, " "), s) {
			t.Errorf("%s is not among the request's secrets %q", s, req.Secrets)
		}
	}
}
