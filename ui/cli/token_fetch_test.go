package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// rawGoText are pieces of Go's own error text that must not reach stderr.
var rawGoText = []string{"context deadline", "keyfunc", "Client.Timeout", "awaiting headers"}

func noGoText(t *testing.T, what, s string) {
	t.Helper()
	for _, bad := range rawGoText {
		if strings.Contains(s, bad) {
			t.Errorf("%s carries %q: %s", what, bad, s)
		}
	}
}

// A JWKS server that never answers: --timeout ends the wait, with the
// sentence call gives, and the exit of keys that could not be fetched.
func TestTokenTimeoutOnAJWKSThatNeverAnswers(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; ends when the client gives up
	}))
	defer hang.Close()
	host := strings.TrimPrefix(hang.URL, "http://")
	tok := mintRS(t, claimsFor(hang.URL+"/", nil))
	code, out, errOut := tokenRun(t, nil, "", "token", tok, "--jwks-url", hang.URL+"/.well-known/jwks.json",
		"--issuer", hang.URL+"/", "--audience", "client-1", "--timeout", "200ms", tokenNowFlag)
	if code != 3 || !strings.Contains(errOut, "no answer from "+host+" within 200ms") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	noGoText(t, "stderr", errOut)
	noGoText(t, "stdout", out)
	// With --domain the discovery document is asked first, under the same
	// limit; then the derived JWKS URL.
	code, _, errOut = tokenRun(t, nil, "", "token", tok, "--domain", hang.URL, "--audience", "client-1", "--timeout", "0.1s", tokenNowFlag)
	if code != 3 || !strings.Contains(errOut, "no answer from "+host+" within 100ms") || !strings.Contains(errOut, "could not read the discovery document") {
		t.Errorf("--domain: exit %d\n%s", code, errOut)
	}
	noGoText(t, "stderr", errOut)
}

func TestTokenTimeoutFlag(t *testing.T) {
	def := newTokenCmd(&Env{}).Flags().Lookup("timeout").DefValue
	if d, err := parseSeconds("timeout", def); err != nil || d <= 0 || d > 10*time.Second {
		t.Errorf("default --timeout %q = %v, %v: want at most 10s", def, d, err)
	}
	tok := mintRS(t, claimsFor("https://t/", nil))
	for _, bad := range []string{"0", "0s", "-1", "soon"} {
		if code, out, errOut := tokenRun(t, nil, "", "token", tok, "--timeout", bad); code != 2 || out != "" || errOut == "" {
			t.Errorf("--timeout %s: exit %d, %q, %q", bad, code, out, errOut)
		}
	}
}

// A kid the tenant does not publish: the sentence says the key set has no
// such key, with nothing about refresh windows.
func TestTokenUnknownKid(t *testing.T) {
	tn := newJWKSTenant(t)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claimsFor(tn.URL+"/", nil))
	tok.Header["kid"] = "k9"
	s, err := tok.SignedString(rsaKey())
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := tokenRun(t, nil, "", "token", s, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	want := `the tenant's key set (` + tn.URL + `/.well-known/jwks.json) has no key with kid "k9"`
	if code != 1 || !strings.Contains(out, want) || strings.Contains(out+errOut, "refresh") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	noGoText(t, "output", out+errOut)
}

// oidcIdP is a provider that is not Auth0: its issuer has no trailing
// slash and its keys live at another path than /.well-known/jwks.json.
func oidcIdP(t *testing.T) *httptest.Server {
	jwks := newJWKSTenant(t)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"issuer":"` + srv.URL + `","jwks_uri":"` + jwks.URL + `/.well-known/jwks.json","authorization_endpoint":"` + srv.URL + `/authorize"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// --domain given as a base URL reads the provider's discovery document:
// its issuer and jwks_uri are used, not Auth0's derivation.
func TestTokenDomainBaseURLUsesDiscovery(t *testing.T) {
	idp := oidcIdP(t)
	tok := mintRS(t, claimsFor(idp.URL, nil)) // iss without a trailing slash
	code, out, errOut := tokenRun(t, nil, "", "token", tok, "--domain", idp.URL, "--audience", "client-1", tokenNowFlag)
	if code != 0 || errOut != "" || !strings.Contains(out, `issued by "`+idp.URL+`", as expected`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	// --issuer still wins over the document.
	if code, out, _ := tokenRun(t, nil, "", "token", tok, "--domain", idp.URL, "--issuer", idp.URL+"/", "--audience", "client-1", tokenNowFlag); code != 1 || !strings.Contains(out, "✗ iss") {
		t.Errorf("--issuer: exit %d\n%s", code, out)
	}
	// No discovery document: the derived issuer and JWKS URL are used, and
	// when the token then fails, a note says so and names the flags.
	tn := newJWKSTenant(t)
	tok = mintRS(t, claimsFor(tn.URL, nil))
	code, _, errOut = tokenRun(t, nil, "", "token", tok, "--domain", tn.URL, "--audience", "client-1", tokenNowFlag)
	if code != 1 || !strings.Contains(errOut, "note: there is no discovery document at "+tn.URL+"/.well-known/openid-configuration (the server answered 404 Not Found); used the issuer "+tn.URL+"/") ||
		!strings.Contains(errOut, "give --issuer and --jwks-url if they are wrong") {
		t.Errorf("no discovery: exit %d\n%s", code, errOut)
	}
}

// --json always prints a JSON object, for empty input too.
func TestTokenJSONOnEmptyInput(t *testing.T) {
	for _, args := range [][]string{{"token", "--json"}, {"token", "-", "--json"}, {"token", "  ", "--json"}} {
		code, out, errOut := tokenRun(t, nil, " \n", args...)
		if code != 2 || out != `{"valid":false,"state":"empty","note":"no token given","header":null,"payload":null,"lifetime":null,"checks":[{"name":"format","ok":false,"detail":"no token given"}]}`+"\n" || !strings.Contains(errOut, "no token given") {
			t.Errorf("%v: exit %d\nstdout %q\nstderr %q", args, code, out, errOut)
		}
	}
}
