package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestExchangeJSONShape(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Remaining", "9")
		w.Header().Set("X-RateLimit-Reset", "1700000000")
		io.WriteString(w, `{"zeta":1,"access_token":"AT-value","alpha":{"b":2,"a":1},"token_type":"Bearer"}`)
	}))
	defer srv.Close()
	req := jsonPost(srv.URL+"/oauth/token", `{"z":1,"client_id":"CID","client_secret":"CS-value","a":2}`, "CS-value")
	ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), req)
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	out, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, secret := range []string{"AT-value", "CS-value"} {
		if strings.Contains(s, secret) {
			t.Errorf("JSON(false) shows %q:\n%s", secret, s)
		}
	}
	// Key order of both bodies is kept.
	if !inOrder(s, `"z": 1`, `"client_id": "CID"`, `"client_secret": "[redacted]"`, `"a": 2`) {
		t.Errorf("request body order lost:\n%s", s)
	}
	if !inOrder(s, `"zeta": 1`, `"access_token": "[redacted]"`, `"alpha": {`, `"b": 2`, `"a": 1`) {
		t.Errorf("response body order lost:\n%s", s)
	}
	if !inOrder(s, `"request": {`, `"response": {`, `"duration_ms": `, `"tokens": [`, `"rate_limit": {`) {
		t.Errorf("top-level order:\n%s", s)
	}

	var v struct {
		Request struct {
			Method  string            `json:"method"`
			URL     string            `json:"url"`
			Headers map[string]string `json:"headers"`
			Body    map[string]any    `json:"body"`
		} `json:"request"`
		Response *struct {
			Status    int               `json:"status"`
			Headers   map[string]string `json:"headers"`
			Body      map[string]any    `json:"body"`
			Truncated *bool             `json:"truncated"`
		} `json:"response"`
		DurationMS *float64 `json:"duration_ms"`
		Tokens     []Token  `json:"tokens"`
		RateLimit  *struct {
			Limit     int    `json:"limit"`
			Remaining int    `json:"remaining"`
			Reset     string `json:"reset"`
		} `json:"rate_limit"`
		Error *string `json:"error"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if v.Request.Method != "POST" || v.Request.URL != srv.URL+"/oauth/token" || v.Request.Headers["Content-Type"] != "application/json" || v.Request.Headers["User-Agent"] != "auth0-explorer-test" {
		t.Errorf("request = %+v", v.Request)
	}
	if v.Response == nil || v.Response.Status != 200 || v.Response.Headers["X-Multi"] != "a, b" || v.Response.Truncated == nil || *v.Response.Truncated {
		t.Errorf("response = %+v", v.Response)
	}
	if v.DurationMS == nil || *v.DurationMS <= 0 {
		t.Errorf("duration_ms = %v", v.DurationMS)
	}
	if len(v.Tokens) != 1 || v.Tokens[0] != (Token{"access_token", Redacted}) {
		t.Errorf("tokens = %+v", v.Tokens)
	}
	if v.RateLimit == nil || v.RateLimit.Limit != 10 || v.RateLimit.Remaining != 9 || v.RateLimit.Reset != "2023-11-14T22:13:20Z" {
		t.Errorf("rate_limit = %+v", v.RateLimit)
	}
	if v.Error != nil {
		t.Errorf("error = %q, want it left out", *v.Error)
	}

	revealed, _ := ex.JSON(true)
	for _, secret := range []string{`"access_token": "AT-value"`, `"client_secret": "CS-value"`, `"value": "AT-value"`} {
		if !strings.Contains(string(revealed), secret) {
			t.Errorf("JSON(true) lacks %s:\n%s", secret, revealed)
		}
	}
}

// inOrder reports whether each part occurs in s after the one before.
func inOrder(s string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

func TestExchangeJSONWithoutAnswer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ex := testClient("http://"+addr, TransportOptions{}).Send(context.Background(), &Request{Method: "GET", URL: "http://" + addr + "/x"})
	out, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]json.RawMessage
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if string(v["response"]) != "null" {
		t.Errorf("response = %s, want null", v["response"])
	}
	if _, ok := v["rate_limit"]; ok {
		t.Error("rate_limit present without headers")
	}
	if string(v["tokens"]) != "[]" {
		t.Errorf("tokens = %s, want []", v["tokens"])
	}
	var msg string
	json.Unmarshal(v["error"], &msg)
	if !strings.HasPrefix(msg, "connection refused by "+addr) {
		t.Errorf("error = %q", msg)
	}
	var req map[string]json.RawMessage
	json.Unmarshal(v["request"], &req)
	if string(req["body"]) != "null" {
		t.Errorf("request body = %s, want null", req["body"])
	}
}

func TestExchangeJSONNonJSONBodyIsAString(t *testing.T) {
	ex := &Exchange{
		Request:  &Request{Method: "POST", URL: "http://127.0.0.1/x", Body: []byte("a=1&password=pw"), ContentType: "application/x-www-form-urlencoded"},
		Response: &Response{Status: 502, Body: []byte("<html>\x1b[31mbad</html>"), Header: http.Header{}},
	}
	out, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Request  struct{ Body string } `json:"request"`
		Response struct{ Body string } `json:"response"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v.Request.Body != "a=1&password=[redacted]" || v.Response.Body != "<html>\x1b[31mbad</html>" {
		t.Errorf("bodies = %q, %q", v.Request.Body, v.Response.Body)
	}
	if strings.IndexByte(string(out), 0x1b) >= 0 {
		t.Error("raw escape character in the JSON")
	}
	var nilEx *Exchange
	if _, err := nilEx.JSON(false); err != nil {
		t.Errorf("nil exchange: %v", err)
	}
}

// TestSecretsNeverShown sends requests carrying secrets in a JSON body, a
// form body, the Authorization header and the URL to a server that echoes
// them back in its error, and checks every display path.
func TestSecretsNeverShown(t *testing.T) {
	const (
		clientSecret = "cs-'quoted'-<&>-secret"
		password     = "pa ss/w+rd é"
		bearer       = "eyJ.bearer.token"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		echo, _ := json.Marshal(map[string]string{
			"error":             "invalid_grant",
			"error_description": "you sent " + string(body) + " with " + r.Header.Get("Authorization") + " to " + r.URL.RawQuery,
			"mfa_token":         "mfa-token-value",
		})
		w.Write(echo)
	}))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{})

	jsonBody, _ := json.Marshal(map[string]string{"client_id": "CID", "client_secret": clientSecret, "password": password})
	requests := map[string]*Request{
		"json": {
			Method: "POST", URL: srv.URL + "/oauth/token?login_hint=" + url.QueryEscape(password),
			Header:      http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + bearer}},
			Body:        jsonBody,
			ContentType: "application/json",
			Secrets:     []string{clientSecret, password, bearer},
		},
		"form": {
			Method: "POST", URL: srv.URL + "/oauth/token",
			Header:      http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:        []byte("client_id=CID&client_secret=" + urlQuery(clientSecret) + "&password=" + urlQuery(password)),
			ContentType: "application/x-www-form-urlencoded",
			Secrets:     []string{clientSecret, password},
		},
	}
	for name, req := range requests {
		t.Run(name, func(t *testing.T) {
			ex := c.Send(context.Background(), req)
			e := asError(t, ex, ErrHTTP)
			if e.MFAToken != "mfa-token-value" {
				t.Errorf("MFAToken = %q", e.MFAToken)
			}
			hidden, _ := ex.JSON(false)
			shown, _ := ex.JSON(true)
			curlHidden := req.Curl(false)
			curlShown := strings.ReplaceAll(req.Curl(true), `'\''`, `'`) // undo the shell quoting
			for _, secret := range append(req.Secrets, "mfa-token-value") {
				for _, form := range secretForms(secret) {
					if strings.Contains(e.Msg, form) {
						t.Errorf("Error() holds %q: %s", form, e.Msg)
					}
					if strings.Contains(string(hidden), form) {
						t.Errorf("JSON(false) holds %q:\n%s", form, hidden)
					}
					if strings.Contains(curlHidden, form) {
						t.Errorf("Curl(false) holds %q:\n%s", form, curlHidden)
					}
				}
				if !containsAnyForm(string(shown), secret) {
					t.Errorf("JSON(true) lacks %q", secret)
				}
			}
			for _, secret := range req.Secrets {
				if !containsAnyForm(curlShown, secret) {
					t.Errorf("Curl(true) lacks %q:\n%s", secret, curlShown)
				}
			}
		})
	}
}

func urlQuery(s string) string { return percentEncode(s, "*-._", true) }

func containsAnyForm(s, secret string) bool {
	for _, f := range secretForms(secret) {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// TestServerWordsAreNotRewritten: a short or plain-word secret is never
// looked for in the server's prose, so "Password is too weak" and "Wrong
// email or password." stay as the server wrote them; a long secret the server
// echoes is hidden; fields that are not secret show what was sent, in the JSON
// view and in curl alike.
func TestServerWordsAreNotRewritten(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/dbconnections/signup":
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":"Password is too weak","statusCode":400}`)
		default:
			var body struct {
				ClientSecret string `json:"client_secret"`
			}
			json.NewDecoder(r.Body).Decode(&body)
			w.WriteHeader(http.StatusForbidden)
			desc := "Wrong email or password."
			if body.ClientSecret == "cs-Echoed-Secret-1" {
				desc = "client secret " + body.ClientSecret + " is not allowed"
			}
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": desc})
		}
	}))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{})
	c.ClientID, c.ClientSecret = "CID", "cs-profile-secret"

	cases := []struct {
		name, op  string
		fields    []Value
		secret    string // a client secret to give instead of the profile's
		wantWords string // in Error(), the JSON error and the JSON response body
		hidden    string // never shown without reveal
		shown     []string
	}{
		{name: "weak", op: "database.signUp", fields: []Value{String("email", "a@b.c"), String("password", "weak"), String("connection", "db")},
			wantWords: "Password is too weak", hidden: `"weak"`},
		{name: "or", op: "passwordGrant", fields: []Value{String("username", "or"), String("password", "or"), String("scope", "or"), String("realm", "db")},
			wantWords: "Wrong email or password.", shown: []string{`"username": "or"`, `"scope": "or"`}},
		{name: "password", op: "passwordGrant", fields: []Value{String("username", "u"), String("password", "password")},
			wantWords: "Wrong email or password.", hidden: `"password": "password"`},
		{name: "long and equal", op: "passwordGrant", fields: []Value{String("username", "Passw0rd!"), String("password", "Passw0rd!")},
			wantWords: "Wrong email or password.", shown: []string{`"username": "Passw0rd!"`}},
		{name: "echoed", op: "passwordGrant", secret: "cs-Echoed-Secret-1", fields: []Value{String("username", "u"), String("password", "pw")},
			wantWords: "client secret [redacted] is not allowed", hidden: "cs-Echoed-Secret-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := Values{Fields: tc.fields}
			if tc.secret != "" {
				v.Fields = append(v.Fields, String("client_secret", tc.secret))
			}
			req, err := c.Build(ByName(tc.op), v)
			if err != nil {
				t.Fatal(err)
			}
			ex := c.Send(context.Background(), req)
			if ex.Err == nil || !strings.Contains(ex.Err.Error(), tc.wantWords) {
				t.Errorf("Error() = %v, want it to say %q", ex.Err, tc.wantWords)
			}
			out, err := ex.JSON(false)
			if err != nil {
				t.Fatal(err)
			}
			var view struct {
				Request  struct{ Body map[string]any }
				Response struct{ Body map[string]any }
				Error    string
			}
			if err := json.Unmarshal(out, &view); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(view.Error, tc.wantWords) {
				t.Errorf("JSON error = %q, want it to say %q", view.Error, tc.wantWords)
			}
			if !strings.Contains(fmt.Sprint(view.Response.Body), tc.wantWords) {
				t.Errorf("JSON response body = %v, want it to say %q", view.Response.Body, tc.wantWords)
			}
			if view.Request.Body["password"] != Redacted {
				t.Errorf("JSON request password = %v", view.Request.Body["password"])
			}
			curl := req.Curl(false)
			if tc.hidden != "" && (strings.Contains(string(out), tc.hidden) || strings.Contains(curl, tc.hidden)) {
				t.Errorf("%s shown:\n%s\n%s", tc.hidden, out, curl)
			}
			for _, s := range tc.shown {
				if !strings.Contains(string(out), s) {
					t.Errorf("JSON lacks %s:\n%s", s, out)
				}
				if compact := strings.ReplaceAll(s, ": ", ":"); !strings.Contains(curl, compact) {
					t.Errorf("curl lacks %s:\n%s", compact, curl)
				}
			}
		})
	}
}

// TestExchangeJSONKeepsTheServersText: numbers stay as sent, nothing is
// HTML-escaped, and characters a terminal must not get raw (a bidi override,
// C1 controls, invalid UTF-8) are \u escapes wherever they come from.
func TestExchangeJSONKeepsTheServersText(t *testing.T) {
	const respBody = "{\"big\":12345678901234567890123,\"huge\":1E400,\"tiny\":-0.000000000000000000001e-400," +
		"\"url\":\"https://x.example/cb?a=1&b=<2>\",\"rlo\":\"a\u202eb\",\"esc\":\"c\\u202ed\",\"c1\":\"e\u0085f\",\"bad\":\"g\xffh\"}"
	ex := &Exchange{
		Request: &Request{Method: "GET", URL: "https://t.example/authorize?a=1&b=2\u202e", Header: http.Header{"X-Rlo": {"v\u202e"}},
			Body: []byte("not json & \u202e")},
		Response: &Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}, "X-Amp": {"a&b"}}, Body: []byte(respBody)},
		Err:      errors.New("server said a&b \u202e"),
	}
	out, err := ex.JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		`"big": 12345678901234567890123`, `"huge": 1E400`, `"tiny": -0.000000000000000000001e-400`,
		`"url": "https://x.example/cb?a=1&b=<2>"`, `"rlo": "a\u202eb"`, `"esc": "c\u202ed"`, `"c1": "e\u0085f"`, `"bad": "g\ufffdh"`,
		`"url": "https://t.example/authorize?a=1&b=2\u202e"`, `"X-Rlo": "v\u202e"`, `"body": "not json & \u202e"`,
		`"X-Amp": "a&b"`, `"error": "server said a&b \u202e"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	for _, bad := range []string{"\u202e", "\u0085", "\xff", `\u0026`, `\u003c`} {
		if strings.Contains(s, bad) {
			t.Errorf("JSON holds %q:\n%s", bad, s)
		}
	}
	if !json.Valid(out) || bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("not valid JSON, or a trailing newline:\n%q", s)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var v struct{ Response struct{ Body map[string]any } }
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if b := v.Response.Body; b["big"] != json.Number("12345678901234567890123") || b["rlo"] != "a\u202eb" || b["url"] != "https://x.example/cb?a=1&b=<2>" {
		t.Errorf("the JSON does not mean what the server sent: %v", b)
	}
}

// The JSON view hides in the request what curl hides, no more: a token in
// the answer that equals a field sent does not hide that field.
func TestJSONRequestHidesWhatCurlHides(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"jane-at-12345","token_type":"Bearer"}`)
	}))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{})
	c.ClientID, c.ClientSecret = "CID", "cs-value-12345"
	req, err := c.Build(ByName("passwordGrant"), Values{Fields: []Value{String("username", "jane-at-12345"), String("password", "pw")}})
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Send(context.Background(), req)
	out, _ := ex.JSON(false)
	if !strings.Contains(string(out), `"username": "jane-at-12345"`) || !strings.Contains(req.Curl(false), `"username":"jane-at-12345"`) {
		t.Errorf("username hidden:\n%s\n%s", out, req.Curl(false))
	}
	if !strings.Contains(string(out), `"access_token": "[redacted]"`) {
		t.Errorf("token shown:\n%s", out)
	}
}
