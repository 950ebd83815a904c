package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRedactorString(t *testing.T) {
	r := NewRedactor([]string{"", "abc", "abcdef", "abc"})
	if got := r.Secrets(); len(got) != 2 {
		t.Errorf("Secrets = %q, want empty and duplicate ignored", got)
	}
	cases := []struct{ in, want string }{
		{"x abcdef y", "x [redacted] y"},    // the longer secret wins, no "[redacted]def"
		{"abc abcabc", "[redacted] abcabc"}, // a short secret inside a longer word stays
		{"abc, (abc).", "[redacted], ([redacted])."},
		{"ab c", "ab c"},
		{"", ""},
	}
	for _, c := range cases {
		if got := r.String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	var nilR *Redactor
	if nilR.String("abc") != "abc" || NewRedactor(nil).String("abc") != "abc" {
		t.Error("a redactor without secrets changed the text")
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
	r := NewRedactor([]string{"tok123"})
	cases := []struct{ name, value, want string }{
		{"Authorization", "Bearer eyJhbGciOi.x.y", "Bearer [redacted]"},
		{"authorization", "Basic dXNlcjpwYXNz", "Basic [redacted]"},
		{"Authorization", "justatoken", "[redacted]"},
		{"Cookie", "a=b", "[redacted]"},
		{"X-Other", "has tok123 inside", "has [redacted] inside"},
		{"Auth0-Forwarded-For", "203.0.113.7", "203.0.113.7"},
	}
	for _, c := range cases {
		if got := r.Header(c.name, c.value); got != c.want {
			t.Errorf("Header(%q, %q) = %q, want %q", c.name, c.value, got, c.want)
		}
	}
}

func TestRequestRedact(t *testing.T) {
	req := &Request{Secrets: []string{"xyz"}}
	if got := req.Redact("a xyz b"); got != "a [redacted] b" {
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

// A short secret is hidden in values but never eats into field names.
func TestShortSecretLeavesKeysAlone(t *testing.T) {
	red := NewRedactor([]string{"sec"})
	got := string(red.RequestBody([]byte(`{"client_secret":"sec","note":"a sec b","section":"x"}`), "application/json"))
	if want := `{"client_secret":"[redacted]","note":"a [redacted] b","section":"x"}`; got != want {
		t.Errorf("JSON body: %s, want %s", got, want)
	}
	got = string(red.RequestBody([]byte(`client_secret=sec&section=sec`), "application/x-www-form-urlencoded"))
	if want := `client_secret=[redacted]&section=[redacted]`; got != want {
		t.Errorf("form body: %s, want %s", got, want)
	}
	if got := NewRedactor([]string{"b"}).String("connection refused by 127.0.0.1"); got != "connection refused by 127.0.0.1" {
		t.Errorf("a one-letter secret mangles a sentence: %q", got)
	}
	if got := NewRedactor([]string{"Long-Secret"}).String("xLong-Secretx"); got != "x[redacted]x" {
		t.Errorf("a long secret is not hidden inside text: %q", got)
	}
	req := &Request{Method: "POST", URL: "https://t.example.com/oauth/token", Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"client_id":"cid","client_secret":"sec"}`), ContentType: "application/json", Secrets: []string{"sec"}}
	if c := req.Curl(false); !strings.Contains(c, `"client_secret":"[redacted]"`) {
		t.Errorf("curl mangles the key: %s", c)
	}
}
