package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestEveryOperationSaysWhatItReturns(t *testing.T) {
	for _, op := range Operations() {
		if op.Returns == answerUnset {
			t.Errorf("%s has no Returns", op.Name)
		}
	}
}

// answering is a server that answers every request with status, content
// type and body.
func answering(t *testing.T, status int, ctype, body string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// sendOp builds op from fields against srv with client credentials and
// sends it.
func sendOp(t *testing.T, srv *httptest.Server, op string, fields ...Value) *Exchange {
	t.Helper()
	c := testClient(srv.URL, TransportOptions{})
	c.ClientID, c.ClientSecret = "cid", "client-secret-0123456789"
	ex := c.Do(context.Background(), ByName(op), Values{Fields: fields})
	if ex.Request == nil {
		t.Fatalf("not sent: %v", ex.Err)
	}
	return ex
}

var passwordGrantInput = []Value{String("username", "jane@example.com"), String("password", "Pa55-word-very-secret")}

// TestSendSaysWhenA2xxIsNotWhatTheOperationReturns: a 2xx answer that does
// not hold what the operation returns is an ErrAnswer (exit 1) whose
// sentence says what is wrong; the body is kept.
func TestSendSaysWhenA2xxIsNotWhatTheOperationReturns(t *testing.T) {
	const tokens = "passwordGrant returns a JSON object with an access_token"
	cases := []struct {
		name        string
		op          string
		fields      []Value
		ctype, body string
		msg         string // "" means success
	}{
		{"empty 200", "passwordGrant", passwordGrantInput, "application/json", "",
			"the 200 OK answer has an empty body, but " + tokens},
		{"truncated JSON", "passwordGrant", passwordGrantInput, "application/json", `{"access_token":"abc","id_tok`,
			"the 200 OK answer is JSON that stops short, but " + tokens},
		{"HTML page", "passwordGrant", passwordGrantInput, "text/html; charset=utf-8", "<html><body>Welcome to the hotel wifi</body></html>",
			"the 200 OK answer is not JSON (text/html body: <html><body>Welcome to the hotel wifi</body></html>), but " + tokens},
		{"error object", "passwordGrant", passwordGrantInput, "application/json", `{"error":"invalid_grant","error_description":"Wrong email or password."}`,
			"the 200 OK answer is an error object: invalid_grant: Wrong email or password."},
		{"no access_token", "passwordGrant", passwordGrantInput, "application/json", `{"id_token":"x.y.z","token_type":"Bearer"}`,
			"the 200 OK answer has no access_token, but " + tokens},
		{"JSON array", "passwordGrant", passwordGrantInput, "application/json", `[1,2]`,
			"the 200 OK answer is a JSON array, not an object, but " + tokens},
		{"tokens", "passwordGrant", passwordGrantInput, "application/json", `{"access_token":"at","token_type":"Bearer"}`, ""},
		{"userinfo HTML", "getProfile", []Value{String("accessToken", "user-access-token")}, "text/html", "<p>login</p>",
			"the 200 OK answer is not JSON (text/html body: <p>login</p>), but getProfile returns a JSON object"},
		{"userinfo empty", "getProfile", []Value{String("accessToken", "user-access-token")}, "", "",
			"the 200 OK answer has an empty body, but getProfile returns a JSON object"},
		{"userinfo profile", "getProfile", []Value{String("accessToken", "user-access-token")}, "application/json", `{"sub":"auth0|1"}`, ""},
		{"change password text", "changePassword",
			[]Value{String("email", "jane@example.com"), String("password", "N3w-Passw0rd"), String("connection", "db")},
			"text/plain", "We've just sent you an email to reset your password.", ""},
		{"change password empty", "changePassword",
			[]Value{String("email", "jane@example.com"), String("password", "N3w-Passw0rd"), String("connection", "db")},
			"text/plain", "",
			"the 200 OK answer has an empty body, but changePassword returns a text or JSON body"},
		{"revoke empty", "tokens.revokeRefreshToken", []Value{String("token", "refresh-token-value")}, "", "", ""},
		{"revoke error object", "tokens.revokeRefreshToken", []Value{String("token", "refresh-token-value")}, "application/json",
			`{"error":"invalid_request"}`, "the 200 OK answer is an error object: invalid_request"},
		{"secret echoed", "passwordGrant", passwordGrantInput, "text/plain", "password was Pa55-word-very-secret",
			"the 200 OK answer is not JSON (text/plain body: password was [redacted]), but " + tokens},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := answering(t, 200, c.ctype, c.body)
			ex := sendOp(t, srv, c.op, c.fields...)
			if c.msg == "" {
				if ex.Err != nil {
					t.Fatalf("Err = %v, want success", ex.Err)
				}
				return
			}
			e := asError(t, ex, ErrAnswer)
			if e.Msg != c.msg {
				t.Errorf("Msg =\n%q\nwant\n%q", e.Msg, c.msg)
			}
			if ExitCode(ex.Err) != 1 {
				t.Errorf("ExitCode = %d, want 1", ExitCode(ex.Err))
			}
			if ex.Response == nil || string(ex.Response.Body) != c.body || ex.Response.Partial {
				t.Errorf("Response = %+v, want the body kept whole", ex.Response)
			}
		})
	}
}

// TestSendSaysWhenTheRateLimitResets: a 429's sentence keeps Auth0's words
// first and ends with when the limit resets, on the client's clock.
func TestSendSaysWhenTheRateLimitResets(t *testing.T) {
	now := time.Date(2025, 3, 1, 15, 3, 23, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/retry-after" {
			w.Header().Set("Retry-After", "125")
		} else {
			w.Header().Set("X-RateLimit-Limit", "10")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", "1740841445") // 2025-03-01 15:04:05 UTC
		}
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":"too_many_requests","error_description":"Global limit has been reached"}`)
	}))
	defer srv.Close()
	c := testClient(srv.URL, TransportOptions{})
	c.Now = func() time.Time { return now }

	ex := c.Send(context.Background(), jsonPost(srv.URL+"/oauth/token", `{}`))
	e := asError(t, ex, ErrHTTP)
	want := "429 Too Many Requests: too_many_requests: Global limit has been reached; rate limited; the limit resets at 15:04:05 (in 42 s)"
	if e.Msg != want {
		t.Errorf("Msg =\n%q\nwant\n%q", e.Msg, want)
	}

	ex = c.Send(context.Background(), jsonPost(srv.URL+"/retry-after", `{}`))
	e = asError(t, ex, ErrHTTP)
	if !strings.HasSuffix(e.Msg, "; rate limited; the limit resets at 15:05:28 (in 2 min 5 s)") {
		t.Errorf("Msg = %q, want the Retry-After time", e.Msg)
	}
}

// TestSendHintsAfterAuth0sWords: a 401 refusing the credentials says what to
// check, by what the request carried; a 5xx points at Auth0's status page;
// other errors get no hint.
func TestSendHintsAfterAuth0sWords(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		ctype, body string
		op          string
		fields      []Value
		msg         string
	}{
		{"access_denied with a secret", 401, "application/json", `{"error":"access_denied","error_description":"Unauthorized"}`,
			"passwordGrant", passwordGrantInput,
			"401 Unauthorized: access_denied: Unauthorized; check the client id and client secret"},
		{"invalid_client", 401, "application/json", `{"error":"invalid_client","error_description":"Client is not authorized"}`,
			"clientCredentialsGrant", nil,
			"401 Unauthorized: invalid_client: Client is not authorized; check the client id and client secret"},
		{"bare Unauthorized with a bearer token", 401, "text/plain", "Unauthorized",
			"getProfile", []Value{String("accessToken", "user-access-token")},
			"401 Unauthorized: text/plain body: Unauthorized; check the access token: it may have expired, been revoked, or be for another tenant or API"},
		{"client id only", 401, "application/json", `{"error":"access_denied","error_description":"Unauthorized"}`,
			"requestChangePasswordEmail", []Value{String("email", "jane@example.com"), String("connection", "db")},
			"401 Unauthorized: access_denied: Unauthorized; check the client id"},
		{"wrong user password: no hint", 401, "application/json", `{"error":"invalid_user_password","error_description":"Wrong email or password."}`,
			"oauth.signIn", []Value{String("username", "jane"), String("password", "x"), String("connection", "db")},
			"401 Unauthorized: invalid_user_password: Wrong email or password."},
		{"5xx", 503, "application/json", `{"error":"temporarily_unavailable","error_description":"Try later"}`,
			"passwordGrant", passwordGrantInput,
			"503 Service Unavailable: temporarily_unavailable: Try later; Auth0 may be down or the tenant misconfigured (see https://status.auth0.com)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := answering(t, c.status, c.ctype, c.body)
			ex := sendOp(t, srv, c.op, c.fields...)
			e := asError(t, ex, ErrHTTP)
			if e.Msg != c.msg {
				t.Errorf("Msg =\n%q\nwant\n%q", e.Msg, c.msg)
			}
		})
	}
}

// TestRefusedRedirectSaysWhatTheRequestCarries: the refusal names what the
// request carries, not always a client secret.
func TestRefusedRedirectSaysWhatTheRequestCarries(t *testing.T) {
	b, bHits := countingServer(t, false)
	a := httptest.NewServer(redirectTo(b.URL + "/elsewhere"))
	defer a.Close()
	prefix := "refused to follow a redirect from " + a.URL + " to " + b.URL + ": "
	cases := []struct {
		name string
		req  *Request
		why  string
	}{
		{"bearer GET", &Request{Method: "GET", URL: a.URL + "/userinfo", Header: http.Header{"Authorization": {"Bearer user-access-token"}}},
			"the request carries a bearer token"},
		{"no secret", jsonPost(a.URL+"/dbconnections/change_password", `{"client_id":"cid","email":"jane@example.com","connection":"db"}`),
			"it goes to another origin, and this tool never follows such a redirect (the request carries nothing secret)"},
		{"secret and password, form", &Request{Method: "POST", URL: a.URL + "/oauth/token", ContentType: "application/x-www-form-urlencoded",
			Body: []byte("grant_type=password&client_secret=s3cr3t&password=pw&username=jane")},
			"the request carries a client secret and a password"},
		{"empty secret is no secret", jsonPost(a.URL+"/oauth/token", `{"client_secret":"","otp":null}`),
			"it goes to another origin, and this tool never follows such a redirect (the request carries nothing secret)"},
		{"refresh token", jsonPost(a.URL+"/oauth/token", `{"refresh_token":"rt"}`), "the request carries a token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := testClient(a.URL, TransportOptions{}).Send(context.Background(), c.req)
			e := asError(t, ex, ErrRedirect)
			if e.Msg != prefix+c.why {
				t.Errorf("Msg =\n%q\nwant\n%q", e.Msg, prefix+c.why)
			}
		})
	}
	if bHits.Load() != 0 {
		t.Errorf("the other origin got %d requests", bHits.Load())
	}

	// https to http with nothing secret still says why.
	d := newTLSServer(redirectTo(b.URL + "/x"))
	defer d.Close()
	ex := testClient(d.URL, trusting(d)).Send(context.Background(), &Request{Method: "GET", URL: d.URL + "/.well-known/jwks.json"})
	e := asError(t, ex, ErrRedirect)
	if want := "refused to follow a redirect from " + d.URL + " to " + b.URL + ": it goes from https to plain http"; e.Msg != want {
		t.Errorf("Msg = %q, want %q", e.Msg, want)
	}
}

func TestRoughDuration(t *testing.T) {
	cases := map[time.Duration]string{
		time.Millisecond:                 "1 s",
		42 * time.Second:                 "42 s",
		60 * time.Second:                 "1 min",
		125 * time.Second:                "2 min 5 s",
		time.Hour:                        "1 h",
		time.Hour + 30*time.Second:       "1 h 1 min",
		2*time.Hour + 59*time.Minute + 1: "3 h",
	}
	for d, want := range cases {
		if got := roughDuration(d); got != want {
			t.Errorf("roughDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
