package api

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestCatalogueEntriesAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, op := range Operations() {
		if names[op.Name] {
			t.Errorf("%s listed twice", op.Name)
		}
		names[op.Name] = true
		if op.Group == "" || op.Summary == "" || op.Method == "" || op.Path == "" || op.Auth == "" {
			t.Errorf("%s lacks group, summary, method, path or auth", op.Name)
		}
		if len(op.Fields) == 0 && op.Group != groupDiscovery {
			t.Errorf("%s has no fields", op.Name)
		}
		endpoints := 0
		for _, r := range op.Rules() {
			if r.Kind == "endpoint" {
				endpoints++
			}
		}
		if endpoints == 0 {
			t.Errorf("%s never picks an endpoint", op.Name)
		}
		if op.Shortcut != "" && ByName(op.Shortcut) == nil {
			t.Errorf("%s is a shortcut for unknown %s", op.Name, op.Shortcut)
		}
		for _, f := range op.Fields {
			if f.Help == "" {
				t.Errorf("%s.%s has no help", op.Name, f.Name)
			}
		}
	}
	if ByName("nope") != nil {
		t.Error("ByName found an operation that does not exist")
	}
}

// fullInput gives every required field of op a value, plus what makes the
// operation's main path complete.
func fullInput(op *Operation) Values {
	var v Values
	extra := map[string]string{
		"getDelegationToken":        "id_token",
		"tokens.getDelegationToken": "id_token",
		"verifySMSCode":             "otp",
		"passwordless.signIn":       "otp",
		"tokens.revokeRefreshToken": "client_id",
		"oauth.buildAuthorizeUrl":   "redirect_uri",
		"backchannel.authorize":     "userId",
	}
	for _, f := range op.Fields {
		if !f.Required && extra[op.Name] != f.Name {
			continue
		}
		if f.JSON {
			v.Fields = append(v.Fields, Value{Name: f.Name, Raw: json.RawMessage(`{"k":"v"}`)})
		} else {
			v.Fields = append(v.Fields, String(f.Name, "value-of-"+f.Name))
		}
	}
	return v
}

func without(v Values, name string) Values {
	out := Values{}
	for _, f := range v.Fields {
		if f.Name != name {
			out.Fields = append(out.Fields, f)
		}
	}
	return out
}

// TestRequiredFieldsAreRefusedByName: the catalogue's Required marks (what
// the form shows) agree with the build steps (what refuses): leaving out any
// required field is refused naming that field, and a full input builds.
func TestRequiredFieldsAreRefusedByName(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com"} // no profile id or secret
	for _, op := range Operations() {
		full := fullInput(op)
		if _, err := c.Build(op, full); err != nil {
			t.Errorf("%s: full input refused: %v", op.Name, err)
			continue
		}
		for _, f := range op.Fields {
			if !f.Required {
				continue
			}
			_, err := c.Build(op, without(full, f.Name))
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("%s without %s: got %v, want an InputError", op.Name, f.Name, err)
				continue
			}
			if ie.Field != f.Name || !strings.Contains(ie.Msg, f.Name) {
				t.Errorf("%s without %s: refusal names %q: %s", op.Name, f.Name, ie.Field, ie.Msg)
			}
		}
	}
}

func TestProfileFillsClientCredentials(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "cid", ClientSecret: "csecret"}
	req, err := c.Build(ByName("clientCredentialsGrant"), Values{Fields: []Value{String("audience", "https://api/")}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"grant_type":"client_credentials","client_id":"cid","client_secret":"csecret","audience":"https://api/"}`
	if string(req.Body) != want {
		t.Errorf("body %s, want %s", req.Body, want)
	}
	if req.URL != "https://tenant.example.com/oauth/token" || req.Method != "POST" {
		t.Errorf("sent to %s %s", req.Method, req.URL)
	}
	if len(req.Secrets) != 1 || req.Secrets[0] != "csecret" {
		t.Errorf("secrets %q, want the client secret", req.Secrets)
	}
}

func TestFormEncodingOnlyForTokenEndpoint(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "cid", ClientSecret: "s"}
	req, err := c.Build(ByName("passwordGrant"), Values{Form: true, Fields: []Value{String("username", "jane@example.com"), String("password", "p&w=1")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(req.Body), "client_id=cid&client_secret=s&grant_type=password&username=jane%40example.com&password=p%26w%3D1"; got != want {
		t.Errorf("form body %s, want %s", got, want)
	}
	if req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("content type %q", req.Header.Get("Content-Type"))
	}
	var ie *InputError
	if _, err := c.Build(ByName("database.signUp"), Values{Form: true}); !errors.As(err, &ie) || ie.Field != "form" {
		t.Errorf("form on /dbconnections: %v, want refusal", err)
	}
	// verifySMSCode with a code goes to /oauth/ro: no form there either.
	_, err = c.Build(ByName("verifySMSCode"), Values{Form: true, Fields: []Value{String("phone_number", "+1555"), String("code", "123")}})
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, "/oauth/ro") {
		t.Errorf("form on /oauth/ro: %v, want refusal naming the endpoint", err)
	}
	if !ByName("refreshToken").FormAllowed() || ByName("tokens.getInfo").FormAllowed() {
		t.Error("FormAllowed is wrong")
	}
}

func TestForwardedForOnlyWhereTheSDKTakesIt(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "cid"}
	req, err := c.Build(ByName("passwordless.sendSMS"), Values{ForwardedFor: "203.0.113.9", Fields: []Value{String("phone_number", "+15555550100")}})
	if err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("auth0-forwarded-for") != "203.0.113.9" {
		t.Errorf("header %q", req.Header.Get("auth0-forwarded-for"))
	}
	_, err = c.Build(ByName("refreshToken"), Values{ForwardedFor: "203.0.113.9", Fields: []Value{String("refresh_token", "r")}})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "forwarded-for" {
		t.Errorf("forwarded-for on refreshToken: %v, want refusal", err)
	}
}

func TestStrictOperationsNoteDroppedFields(t *testing.T) {
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "cid"}
	req, err := c.Build(ByName("requestSMSCode"), Values{Fields: []Value{String("phoneNumber", "+15555550100"), String("scope", "openid")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Notes) != 1 || !strings.Contains(req.Notes[0], `"scope"`) {
		t.Errorf("notes %q, want one naming scope", req.Notes)
	}
	if strings.Contains(string(req.Body), "scope") {
		t.Errorf("body %s sends the dropped field", req.Body)
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"Tenant.EU.auth0.com":          "https://tenant.eu.auth0.com",
		"https://tenant.auth0.com/":    "https://tenant.auth0.com",
		"http://127.0.0.1:8080":        "http://127.0.0.1:8080",
		"http://localhost:3000":        "http://localhost:3000",
		"http://LOCALHOST:3000":        "http://localhost:3000",
		"http://[::1]:8080":            "http://[::1]:8080",
		"http://127.1.2.3:8080":        "http://127.1.2.3:8080",
		" tenant.us.auth0.com \n":      "https://tenant.us.auth0.com",
		"https://login.example.com:44": "https://login.example.com:44",
	} {
		got, err := BaseURL(in)
		if err != nil || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "http://tenant.auth0.com", "http://127.attacker.example", "http://127.0.0.1.nip.io:80", "http://localhost.example.com", "https://tenant.auth0.com/path", "ftp://x", "https://u:p@tenant.auth0.com", "https://t.auth0.com?x=1", "https://"} {
		if _, err := BaseURL(bad); err == nil {
			t.Errorf("BaseURL(%q) accepted", bad)
		}
	}
}
