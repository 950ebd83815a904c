package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCallA2xxThatIsNotTheAnswerExits1: an HTML page where a token grant's
// JSON belongs is no success: exit 1, one sentence saying so, the body still
// on stdout.
func TestCallA2xxThatIsNotTheAnswerExits1(t *testing.T) {
	const page = "<html><body>Sign in to the hotel wifi</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, nil, "call", "passwordGrant", "username=jane@example.com", "password="+password,
		"--domain", srv.URL, "--client-id", "cid", "--client-secret", secret)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "is not JSON") || !strings.Contains(stderr, "passwordGrant returns a JSON object with an access_token") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one sentence saying the answer is not JSON", stderr)
	}
	if stdout != page+"\n" {
		t.Errorf("stdout %q, want the body", stdout)
	}

	// No access_token in a JSON answer.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token_type":"Bearer"}`)
	}))
	defer srv2.Close()
	code, _, stderr = run(t, nil, "call", "clientCredentialsGrant", "--domain", srv2.URL, "--client-id", "cid", "--client-secret", secret)
	if code != 1 || !strings.Contains(stderr, "has no access_token") {
		t.Errorf("no access_token: exit %d, %q", code, stderr)
	}
}

// TestCallPrintsNothingOfABrokenBody: when the connection breaks in the
// middle of the body, stdout stays empty (a pipe to jq gets nothing rather
// than half a document) and the exit is 3.
func TestCallPrintsNothingOfABrokenBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, `{"access_token":"half`) // then the handler returns: the server closes the connection
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, nil, "call", "clientCredentialsGrant", "--domain", srv.URL, "--client-id", "cid", "--client-secret", secret)
	if code != 3 {
		t.Errorf("exit %d, want 3 (%s)", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing", stdout)
	}
	if !strings.Contains(stderr, "while reading the response body") {
		t.Errorf("stderr %q", stderr)
	}
}

// TestCallInterruptedExits130: a context cancelled with ErrInterrupted (what
// main does on Ctrl+C) ends the call with 130; a context cancelled for
// another reason stays a network-side 3.
func TestCallInterruptedExits130(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	for _, c := range []struct {
		cause error
		want  int
	}{{ErrInterrupted, 130}, {nil, 3}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		go func() {
			<-arrived
			cancel(c.cause)
		}()
		var out, errb bytes.Buffer
		code := Run(ctx, []string{"call", "clientCredentialsGrant", "--domain", srv.URL, "--client-id", "cid", "--client-secret", secret},
			Env{Stdout: &out, Stderr: &errb})
		cancel(nil)
		if code != c.want {
			t.Errorf("cause %v: exit %d, want %d (%s)", c.cause, code, c.want, errb.String())
		}
		if !strings.Contains(errb.String(), "was cancelled") || out.Len() != 0 {
			t.Errorf("cause %v: stdout %q, stderr %q", c.cause, out.String(), errb.String())
		}
	}
}

func TestCallHelpListsTheExitCodes(t *testing.T) {
	_, stdout, _ := run(t, nil, "call", "--help")
	for _, s := range []string{"a 2xx answer", "no access_token from a token grant", "130 interrupted"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("call --help lacks %q", s)
		}
	}
}
