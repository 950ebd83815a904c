package api

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const jwtLike = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"

func TestCleanToken(t *testing.T) {
	for _, c := range []struct {
		in    string
		notes []string // each must appear in one note
	}{
		{jwtLike, nil},
		{jwtLike + "\r", []string{"carriage return"}},
		{"  " + jwtLike + "\n", []string{"surrounding whitespace"}},
		{"Bearer " + jwtLike, []string{`"Bearer "`}},
		{"bearer\t" + jwtLike, []string{`"Bearer "`}},
		{"Authorization: Bearer " + jwtLike, []string{`"Authorization:"`, `"Bearer "`}},
		{`"` + jwtLike + `"`, []string{"quotes"}},
		{"'" + jwtLike + "'", []string{"quotes"}},
		{"\uFEFF" + jwtLike, []string{"byte order mark"}},
		{"id_token=" + jwtLike, []string{`"id_token="`}},
		{"#access_token=" + jwtLike + "&scope=openid&expires_in=7200", []string{`"access_token="`, `"&"`}},
		{"refresh_token=" + jwtLike, []string{`"refresh_token="`}},
		{"\uFEFF'Bearer " + jwtLike + "'\r\n", []string{"byte order mark", "quotes", `"Bearer "`, "carriage return"}},
	} {
		got, notes := CleanToken(c.in)
		if got != jwtLike {
			t.Errorf("CleanToken(%q) = %q", c.in, got)
		}
		if len(notes) != len(c.notes) {
			t.Errorf("CleanToken(%q) notes %q, want %d", c.in, notes, len(c.notes))
		}
		for _, want := range c.notes {
			if !strings.Contains(strings.Join(notes, "|"), want) {
				t.Errorf("CleanToken(%q) notes %q lack %q", c.in, notes, want)
			}
		}
		for _, n := range notes {
			if strings.Contains(n, jwtLike) {
				t.Errorf("a note shows the token: %q", n)
			}
		}
	}
	// Inside the token nothing changes; an opaque token is left alone.
	for _, s := range []string{"ab cd", "a'b", "x\ny", "Bearer"} {
		if got, notes := CleanToken(s); got != s || notes != nil {
			t.Errorf("CleanToken(%q) = %q, %q; want it unchanged", s, got, notes)
		}
	}
}

func buildWith(t *testing.T, op string, v Values) (*Request, error) {
	t.Helper()
	c := &Client{BaseURL: "https://tenant.example.com", ClientID: "cid", ClientSecret: "csecret"}
	o := ByName(op)
	if o == nil {
		t.Fatalf("no operation %s", op)
	}
	return c.Build(o, v)
}

// Token fields are cleaned of what a paste brings, with a note: a trailing
// CR no longer reaches the transport, and "Bearer …" is not sent as
// "Bearer Bearer …".
func TestBuildCleansTokenFields(t *testing.T) {
	req, err := buildWith(t, "getProfile", Values{Fields: []Value{String("accessToken", "Bearer "+jwtLike+"\r")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+jwtLike {
		t.Errorf("Authorization = %q", got)
	}
	if n := strings.Join(req.Notes, "|"); !strings.Contains(n, `accessToken: removed the "Bearer " prefix`) || !strings.Contains(n, "carriage return") {
		t.Errorf("notes %q", req.Notes)
	}
	if len(req.Secrets) == 0 || req.Secrets[0] != jwtLike {
		t.Errorf("secrets %q: want the cleaned token", req.Secrets)
	}

	// Body token fields, by name and by alias.
	req, err = buildWith(t, "refreshToken", Values{Fields: []Value{String("refresh_token", "'"+jwtLike+"'\r\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	if err := json.Unmarshal(req.Body, &body); err != nil || body["refresh_token"] != jwtLike {
		t.Errorf("body %s (%v)", req.Body, err)
	}
	req, err = buildWith(t, "users.getInfo", Values{Fields: []Value{String("access_token", "access_token="+jwtLike+"&scope=openid")}})
	if err != nil || req.Header.Get("Authorization") != "Bearer "+jwtLike {
		t.Errorf("alias: %v, %v", err, req)
	}
	req, err = buildWith(t, "users.impersonate", Values{Fields: []Value{
		String("userId", "auth0|1"), String("impersonator_id", "auth0|2"), String("protocol", "oauth2"), String("token", "Bearer mgmt-token")}})
	if err != nil || req.Header.Get("Authorization") != "Bearer mgmt-token" {
		t.Errorf("impersonate: %v, %v", err, req)
	}

	// A password is not a token: its spaces are its own.
	req, err = buildWith(t, "passwordGrant", Values{Fields: []Value{String("username", "u"), String("password", " pass word ")}})
	if err != nil || !strings.Contains(string(req.Body), `"password":" pass word "`) || len(req.Notes) != 0 {
		t.Errorf("password changed: %v, %s, %q", err, req.Body, req.Notes)
	}
}

// What the transport would refuse is refused by the builder, naming the
// field: exit 2, nothing sent, and no curl command either.
func TestBuildRefusesControlCharactersInHeaders(t *testing.T) {
	for _, c := range []struct {
		op    string
		v     Values
		field string
	}{
		{"getProfile", Values{Fields: []Value{String("accessToken", "abc\r\nX-Injected: 1")}}, "accessToken"},
		{"tokens.getInfo", Values{Fields: []Value{String("idToken", "x")}}, ""},
		{"users.impersonate", Values{Fields: []Value{String("userId", "u"), String("impersonator_id", "i"), String("protocol", "oauth2"), String("token", "a\x00b")}}, "token"},
	} {
		_, err := buildWith(t, c.op, c.v)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.op, err)
			}
			continue
		}
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != c.field || ExitCode(err) != 2 {
			t.Fatalf("%s: err %v, want an InputError for %s", c.op, err, c.field)
		}
		if !strings.Contains(ie.Msg, c.field) || !strings.Contains(ie.Msg, "Authorization header") || strings.Contains(ie.Msg, "\n") {
			t.Errorf("%s: sentence %q", c.op, ie.Msg)
		}
	}
}

func TestBuildForwardedForMustBeAnIP(t *testing.T) {
	base := []Value{String("username", "u"), String("password", "p")}
	for _, ok := range []string{"203.0.113.7", "2001:db8::7", "::ffff:10.0.0.1"} {
		req, err := buildWith(t, "passwordGrant", Values{Fields: base, ForwardedFor: ok})
		if err != nil || req.Header.Get("auth0-forwarded-for") != ok {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"1.2.3.4\r\nX-Injected: 1", "not-an-ip", "1.2.3.4, 5.6.7.8", "fe80::1%eth0", " 1.2.3.4", "1.2.3.4\n"} {
		_, err := buildWith(t, "passwordGrant", Values{Fields: base, ForwardedFor: bad})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != "forwarded-for" {
			t.Errorf("%q: err %v, want a refusal of forwarded-for", bad, err)
			continue
		}
		if !strings.Contains(ie.Msg, "IP address") || strings.ContainsAny(ie.Msg, "\r\n") {
			t.Errorf("%q: sentence %q", bad, ie.Msg)
		}
	}
}

// A field of the wrong type is named with its type, not reported missing.
func TestBuildNamesTheWrongType(t *testing.T) {
	for _, c := range []struct {
		op   string
		v    []Value
		want string
	}{
		{"database.signUp", []Value{{Name: "email", Raw: json.RawMessage("42")}, String("password", "p"), String("connection", "c")}, "email must be a string, not a number"},
		{"verifyEmailCode", []Value{{Name: "email", Raw: json.RawMessage("true")}, String("otp", "1")}, "email must be a string, not a boolean"},
		{"passwordGrant", []Value{String("username", "u"), {Name: "password", Raw: json.RawMessage("null")}}, "password must be a string, not null"},
		{"tokens.getDelegationToken", []Value{{Name: "id_token", Raw: json.RawMessage("{}")}, String("target", "t"), String("api_type", "app"), String("grant_type", "g")}, "id_token must be a string, not an object"},
	} {
		_, err := buildWith(t, c.op, Values{Fields: c.v})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Msg, c.want) {
			t.Errorf("%s: err %v, want %q", c.op, err, c.want)
		}
	}
	// Missing is still missing.
	_, err := buildWith(t, "database.signUp", Values{Fields: []Value{String("password", "p"), String("connection", "c")}})
	if err == nil || !strings.Contains(err.Error(), "email is missing or empty") {
		t.Errorf("missing email: %v", err)
	}
}
