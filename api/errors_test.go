package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&InputError{Field: "domain", Msg: "no domain"}, 2},
		{fmt.Errorf("wrapped: %w", &InputError{Msg: "x"}), 2},
		{&Error{Kind: ErrHTTP}, 1},
		{&Error{Kind: ErrDNS}, 3},
		{&Error{Kind: ErrRefused}, 3},
		{&Error{Kind: ErrTimeout}, 3},
		{&Error{Kind: ErrTLS}, 3},
		{&Error{Kind: ErrRedirect}, 3},
		{&Error{Kind: ErrTooLarge}, 3},
		{&Error{Kind: ErrCanceled}, 3},
		{&Error{Kind: ErrNetwork}, 3},
		{fmt.Errorf("wrapped: %w", &Error{Kind: ErrHTTP}), 1},
		{errors.New("something else"), 1},
	}
	for _, c := range cases {
		if got := ExitCode(c.err); got != c.want {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

func TestErrorUnwrapAndMessage(t *testing.T) {
	inner := errors.New("inner")
	e := &Error{Kind: ErrNetwork, Msg: "one sentence", Err: inner}
	if e.Error() != "one sentence" || !errors.Is(e, inner) {
		t.Errorf("Error() = %q, Is(inner) = %v", e.Error(), errors.Is(e, inner))
	}
	if ErrTLS.String() != "tls" || ErrorKind(99).String() != "ErrorKind(99)" {
		t.Errorf("kind names: %q %q", ErrTLS.String(), ErrorKind(99).String())
	}
}

func TestEscapeText(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"plain text, naïve café", 0, "plain text, naïve café"},
		{"a\n\n  b\tc\r\n", 0, "a b c"},
		{"\x1b[31mred\x1b[0m", 0, `\x1b[31mred\x1b[0m`},
		{"bell\x07 del\x7f", 0, `bell\a del\x7f`},
		{"csi \u009b2J", 0, `csi \u009b2J`},
		{"rtl \u202eevil", 0, `rtl \u202eevil`},
		{"bad \xff\xfe utf8", 0, `bad \xff\xfe utf8`},
		{"abcdef", 3, "abc…"},
		{"ab€", 3, "ab…"}, // the cut falls inside €: drop the partial character
		{"ab€", 5, "ab€"},
	}
	for _, c := range cases {
		if got := escapeText(c.in, c.max); got != c.want {
			t.Errorf("escapeText(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestSubstitute(t *testing.T) {
	raw := func(s ...string) []json.RawMessage {
		var out []json.RawMessage
		for _, x := range s {
			out = append(out, json.RawMessage(x))
		}
		return out
	}
	cases := []struct {
		msg    string
		format []json.RawMessage
		want   string
	}{
		{"At least %d characters in length", raw("8"), "At least 8 characters in length"},
		{"Contain at least %d of the following %d types", raw("3", "4"), "Contain at least 3 of the following 4 types"},
		{"No more than %d identical characters in a row (e.g., \"%s\" not allowed)", raw("2", `"aaa"`), `No more than 2 identical characters in a row (e.g., "aaa" not allowed)`},
		{"100%% sure, %d left", raw("1"), "100% sure, 1 left"},
		{"missing %d value", nil, "missing %d value"},
		{"trailing %", nil, "trailing %"},
	}
	for _, c := range cases {
		if got := substitute(c.msg, c.format); got != c.want {
			t.Errorf("substitute(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

func TestPasswordRulesListsOnlyFailedRules(t *testing.T) {
	desc := `{"rules":[{"message":"Non-empty password required","code":"nonEmpty","verified":true},{"message":"At least %d characters in length","format":[10],"code":"lengthAtLeast","verified":false},{"message":"No more than %d identical characters in a row (e.g., \"%s\" not allowed)","format":[2,"aaa"],"code":"identicalChars","verified":false}],"verified":false}`
	got := passwordRules(json.RawMessage(desc))
	want := `At least 10 characters in length; No more than 2 identical characters in a row (e.g., "aaa" not allowed)`
	if got != want {
		t.Errorf("passwordRules = %q, want %q", got, want)
	}
	if got := passwordRules(json.RawMessage(`"a string"`)); got != "" {
		t.Errorf("string description: %q", got)
	}
}

func TestHTTPErrorRedactsEchoedSecret(t *testing.T) {
	const secret = "hunter2-secret"
	r := &Response{Status: 401, StatusText: "401 Unauthorized",
		Body: []byte(`{"error":"access_denied","error_description":"client_secret hunter2-secret is wrong"}`)}
	e := httpError(r, NewRedactor([]string{secret}))
	if strings.Contains(e.Msg, secret) || strings.Contains(e.Description, secret) {
		t.Errorf("secret in Msg %q / Description %q", e.Msg, e.Description)
	}
	if e.Msg != "401 Unauthorized: access_denied: client_secret [redacted] is wrong" {
		t.Errorf("Msg = %q", e.Msg)
	}
}

// A secret straddling the 512-byte cut of a non-JSON body, or holding runs
// of white space that the sentence collapses, is still hidden.
func TestHTTPErrorRedactsBeforeCutting(t *testing.T) {
	secret := "SuperSecretClientSecretValue-0123456789"
	body := strings.Repeat("x", 500) + secret + " tail"
	e := httpError(&Response{Status: 400, StatusText: "400 Bad Request", Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte(body)}, NewRedactor([]string{secret}))
	if strings.Contains(e.Msg, secret[:8]) {
		t.Errorf("a cut secret shows: %q", e.Msg[len(e.Msg)-60:])
	}
	spaced := "pass  word\twith   spaces-long"
	e = httpError(&Response{Status: 403, StatusText: "403 Forbidden",
		Body: []byte(`{"error":"invalid_grant","error_description":"bad password pass  word\twith   spaces-long"}`)}, NewRedactor([]string{spaced}))
	if strings.Contains(e.Msg, "spaces-long") {
		t.Errorf("a secret with white space shows: %q", e.Msg)
	}
}

// FuzzHTTPError checks that any answer gives a sentence without raw control
// characters and without panicking.
func FuzzHTTPError(f *testing.F) {
	f.Add(403, `{"error":"invalid_grant","error_description":"Wrong email or password."}`)
	f.Add(400, `{"code":"invalid_password","message":"weak","description":{"rules":[{"message":"%d%s%","format":[1],"items":[{"message":"x","verified":false}]}]}}`)
	f.Add(502, "<html>\x1b[31m\xff\u202e</html>")
	f.Add(429, `{"statusCode":429,"error":null,"message":5}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := httpError(&Response{Status: status, StatusText: body, Body: []byte(body)}, NewRedactor([]string{"x"}))
		if e.Kind != ErrHTTP {
			t.Fatalf("Kind = %v", e.Kind)
		}
		for _, r := range e.Msg {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("raw control character %U in %q", r, e.Msg)
			}
		}
	})
}

// Auth0's common refusals get the setting that fixes them, after Auth0's
// own words.
func TestSettingsHints(t *testing.T) {
	for _, c := range []struct {
		status     int
		body, want string
	}{
		{403, `{"error":"unauthorized_client","error_description":"Grant type 'password' not allowed for the client."}`, "Grant type 'password' not allowed for the client.; enable that grant for the application"},
		{403, `{"error":"access_denied","error_description":"No audience parameter was provided, and no default audience has been configured"}`, "set a Default Audience"},
		{500, `{"error":"server_error","error_description":"Authorization server not configured with default connection."}`, "Auth0 may be down"},
		{400, `{"error":"invalid_request","error_description":"Authorization server not configured with default connection."}`, "set a Default Directory"},
		{403, `{"error":"access_denied","error_description":"Client has not been granted scopes: read:users"}`, "ask only for scopes"},
		{400, `{"error":"invalid_request","error_description":"Missing required parameter: client_id"}`, "give client_id=… yourself"},
		{400, `{"error":"invalid_grant","error_description":"Wrong email or password."}`, "invalid_grant: Wrong email or password."},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(c.status)
			_, _ = w.Write([]byte(c.body))
		}))
		ex := testClient(srv.URL, TransportOptions{}).Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{"grant_type":"password"}`))
		srv.Close()
		if ex.Err == nil || !strings.Contains(ex.Err.Error(), c.want) {
			t.Errorf("%s: %v, want it to contain %q", c.body, ex.Err, c.want)
		}
		if strings.HasSuffix(c.want, "password.") && strings.Contains(ex.Err.Error(), ";") {
			t.Errorf("a wrong password got a hint: %v", ex.Err)
		}
	}
}
