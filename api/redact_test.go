package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRedactorString(t *testing.T) {
	r := NewRedactor([]string{"", "abc", "abc-12345", "abc-1234567", "abc"})
	if got := r.Secrets(); len(got) != 3 {
		t.Errorf("Secrets = %q, want empty and duplicate ignored", got)
	}
	cases := []struct{ in, want string }{
		{"x abc-1234567 y", "x [redacted] y"}, // the longer secret wins, no "[redacted]67"
		{"xabc-12345x", "x[redacted]x"},       // a long secret is hidden inside a word too
		{"abc abcabc", "abc abcabc"},          // a short secret is never looked for in text
		{"", ""},
	}
	for _, c := range cases {
		if got := r.String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	var nilR *Redactor
	if nilR.String("abc-12345") != "abc-12345" || NewRedactor(nil).String("abc-12345") != "abc-12345" {
		t.Error("a redactor without secrets changed the text")
	}
}

// Only secrets that cannot be ordinary words are looked for in text: 8
// characters with one that is not a letter, or 16 characters.
func TestRedactorLooksInTextOnlyForLongSecrets(t *testing.T) {
	for secret, want := range map[string]bool{
		"or": false, "weak": false, "Passw0r": false, // short
		"password": false, "Connection": false, "authorization": false, // plain words
		"Passw0rd!": true, "pass word": true, "Long-Secret": true, "abcdefghijklmnop": true,
		"éééééééé": false, "éééééé-é": true, // characters, not bytes
	} {
		got := NewRedactor([]string{secret}).String("<" + secret + ">")
		if hidden := got == "<"+Redacted+">"; hidden != want {
			t.Errorf("secret %q: String = %q, hidden %v, want %v", secret, got, hidden, want)
		}
	}
}

func TestRedactorEscapedForms(t *testing.T) {
	const secret = `p"a ss\w<&>rd+/é*~` + "\n"
	r := NewRedactor([]string{secret})
	jsonBody, _ := json.Marshal(map[string]string{"pw": secret})
	forms := map[string]string{
		"json":               string(jsonBody),
		"json no html":       `{"pw":"p\"a ss\\w<&>rd+/é*~\n"}`,
		"query escape":       "pw=" + url.QueryEscape(secret),
		"path escape":        "/x/" + url.PathEscape(secret),
		"URLSearchParams":    "pw=p%22a+ss%5Cw%3C%26%3Erd%2B%2F%C3%A9*%7E%0A",
		"encodeURIComponent": "pw=p%22a%20ss%5Cw%3C%26%3Erd%2B%2F%C3%A9*~%0A",
		"raw":                "pw=" + secret,
	}
	for name, s := range forms {
		got := r.String(s)
		if !strings.Contains(got, Redacted) || strings.Contains(got, "ss") {
			t.Errorf("%s: String(%q) = %q, want the secret redacted", name, s, got)
		}
	}
}

func TestRedactJSONFields(t *testing.T) {
	in := `{ "client_id" : "CID", "client_secret":"S1",
  "nested": {"password": "P\"w", "keep": [1, {"otp": 123456}], "code":{"a":[1,2]}},
  "username":"u", "email":"e@x", "list":["password","code"], "token" : null ,"note":"the code is 1"}`
	want := `{ "client_id" : "CID", "client_secret":"[redacted]",
  "nested": {"password": "[redacted]", "keep": [1, {"otp": "[redacted]"}], "code":"[redacted]"},
  "username":"u", "email":"e@x", "list":["password","code"], "token" : "[redacted]" ,"note":"the code is 1"}`
	got := string(RedactJSONFields([]byte(in)))
	if got != want {
		t.Errorf("RedactJSONFields =\n%s\nwant\n%s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Error("result is not valid JSON")
	}
	// An escaped key is still the key.
	if got := string(RedactJSONFields([]byte(`{"pass\u0077ord":"x"}`))); got != `{"pass\u0077ord":"[redacted]"}` {
		t.Errorf("escaped key: %s", got)
	}
	for _, s := range []string{`{"password":`, `not json password`, ``, `"password"`, `[{"a":1}]`} {
		if got := string(RedactJSONFields([]byte(s))); got != s {
			t.Errorf("RedactJSONFields(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestResponseBodyKeepsErrorCode(t *testing.T) {
	body := `{"code":"invalid_password","access_token":"AT","secret":"TOTP","recovery_codes":["a","b"]}`
	got := string(NewRedactor(nil).ResponseBody([]byte(body), "application/json"))
	want := `{"code":"invalid_password","access_token":"[redacted]","secret":"[redacted]","recovery_codes":"[redacted]"}`
	if got != want {
		t.Errorf("ResponseBody = %s, want %s", got, want)
	}
}

func TestRedactFormFields(t *testing.T) {
	in := "grant_type=password&client_id=CID&client_secret=S%26S&username=u&password=pw&otp&code="
	want := "grant_type=password&client_id=CID&client_secret=[redacted]&username=u&password=[redacted]&otp&code=[redacted]"
	if got := string(RedactFormFields([]byte(in))); got != want {
		t.Errorf("RedactFormFields = %q, want %q", got, want)
	}
	if got := string(NewRedactor(nil).RequestBody([]byte(in), "application/x-www-form-urlencoded; charset=utf-8")); got != want {
		t.Errorf("RequestBody(form) = %q", got)
	}
}

func TestRedactorHeader(t *testing.T) {
	r := NewRedactor([]string{"tok-123456"})
	cases := []struct{ name, value, want string }{
		{"Authorization", "Bearer eyJhbGciOi.x.y", "Bearer [redacted]"},
		{"authorization", "Basic dXNlcjpwYXNz", "Basic [redacted]"},
		{"Authorization", "justatoken", "[redacted]"},
		{"Cookie", "a=b", "[redacted]"},
		{"X-Other", "has tok-123456 inside", "has [redacted] inside"},
		{"X-Short", "has tok inside", "has tok inside"},
		{"Auth0-Forwarded-For", "203.0.113.7", "203.0.113.7"},
	}
	for _, c := range cases {
		if got := r.Header(c.name, c.value); got != c.want {
			t.Errorf("Header(%q, %q) = %q, want %q", c.name, c.value, got, c.want)
		}
	}
}

func TestRequestRedact(t *testing.T) {
	req := &Request{Secrets: []string{"xyz-12345"}}
	if got := req.Redact("a xyz-12345 b"); got != "a [redacted] b" {
		t.Errorf("Redact = %q", got)
	}
	var nilReq *Request
	if nilReq.Redact("xyz") != "xyz" {
		t.Error("nil request changed the text")
	}
}

// FuzzRedactJSONFields checks that valid JSON stays valid and anything else
// is left alone.
func FuzzRedactJSONFields(f *testing.F) {
	f.Add(`{"password":"x","a":[{"otp":1}],"code":{"b":null}}`)
	f.Add(`[1,{"token":"t"}]`)
	f.Add(`{"password":`)
	f.Fuzz(func(t *testing.T, body string) {
		out := RedactJSONFields([]byte(body))
		if !json.Valid([]byte(body)) {
			if string(out) != body {
				t.Fatalf("invalid JSON changed: %q -> %q", body, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("valid JSON became invalid: %q -> %q", body, out)
		}
	})
}

// A request body is redacted by field name only: a field that is not secret
// shows what was sent, even when its value equals a secret, and a short
// secret never eats into field names.
func TestRequestBodyRedactsSecretFieldsOnly(t *testing.T) {
	red := NewRedactor([]string{"sec", "Long-Secret-1"})
	got := string(red.RequestBody([]byte(`{"client_secret":"sec","note":"a sec b","section":"x","scope":"Long-Secret-1"}`), "application/json"))
	if want := `{"client_secret":"[redacted]","note":"a sec b","section":"x","scope":"Long-Secret-1"}`; got != want {
		t.Errorf("JSON body: %s, want %s", got, want)
	}
	got = string(red.RequestBody([]byte(`client_secret=sec&section=sec&scope=Long-Secret-1`), "application/x-www-form-urlencoded"))
	if want := `client_secret=[redacted]&section=sec&scope=Long-Secret-1`; got != want {
		t.Errorf("form body: %s, want %s", got, want)
	}
	// Neither JSON nor a form: text, long secrets only.
	got = string(red.RequestBody([]byte(`sec Long-Secret-1`), "text/plain"))
	if want := `sec [redacted]`; got != want {
		t.Errorf("text body: %s, want %s", got, want)
	}
	if got := NewRedactor([]string{"b"}).String("connection refused by 127.0.0.1"); got != "connection refused by 127.0.0.1" {
		t.Errorf("a one-letter secret mangles a sentence: %q", got)
	}
	req := &Request{Method: "POST", URL: "https://t.example.com/oauth/token", Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"client_id":"cid","client_secret":"sec"}`), ContentType: "application/json", Secrets: []string{"sec"}}
	if c := req.Curl(false); !strings.Contains(c, `{"client_id":"cid","client_secret":"'"$AUTH0_CLIENT_SECRET"'"}`) {
		t.Errorf("curl mangles the body: %s", c)
	}
}
