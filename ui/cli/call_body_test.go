package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"auth0-explorer/ui/app"
)

// A server's body is data: on a terminal `call` shows its control
// characters escaped, for every status and content type; into a pipe it
// writes the exact body.
func TestCallBodyOnATerminalShowsControlsEscaped(t *testing.T) {
	seqs := []struct{ name, raw, shown string }{
		{"window title", "\x1b]0;pwned\x07", `\x1b]0;pwned\a`},
		{"clipboard write", "\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\a`},
		{"clear screen", "\x1b[2J", `\x1b[2J`},
		{"bare CR", "ok\rFAIL", `ok\rFAIL`},
		{"C1 CSI", "\u009b2J", `\u009b2J`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"bidi override", "\u202egnp.exe", `\u202egnp.exe`},
	}
	bodies := []struct{ kind, contentType, format string }{
		{"json", "application/json", `{"error":"invalid_grant","error_description":"%s"}`},
		{"text", "text/plain; charset=utf-8", "Bad things %s\nsecond line\n"},
	}
	for _, status := range []int{200, 400} {
		for _, b := range bodies {
			for _, s := range seqs {
				body := strings.Replace(b.format, "%s", s.raw, 1)
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", b.contentType)
					w.WriteHeader(status)
					w.Write([]byte(body))
				}))
				args := []string{"call", "clientCredentialsGrant", "--domain", srv.URL, "--client-id", "id", "--client-secret", secret}
				// 1 for the 200s too: none of these bodies is the token
				// answer clientCredentialsGrant returns.
				wantCode := 1
				name := b.kind + " " + http.StatusText(status) + " " + s.name

				code, out, errOut := runOut(t, true, args...)
				if code != wantCode {
					t.Errorf("%s: exit %d, want %d (%s)", name, code, wantCode, errOut)
				}
				for _, bad := range []string{"\x1b", "\x07", "\x7f", "\u009b", "\u202e"} {
					if strings.Contains(out+errOut, bad) {
						t.Errorf("%s: %q reached the terminal: %q / %q", name, bad, out, errOut)
					}
				}
				if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\r") {
					t.Errorf("%s: a bare CR reached the terminal: %q", name, out)
				}
				if !strings.Contains(out, s.shown) || !strings.HasSuffix(out, "\n") {
					t.Errorf("%s: stdout %q, want it to show %s and end a line", name, out, s.shown)
				}
				if b.kind == "text" && !strings.Contains(out, "\nsecond line\n") {
					t.Errorf("%s: lines were not kept: %q", name, out)
				}

				// Piped: the exact body (JSON indented as before).
				code, out, _ = runOut(t, false, args...)
				if code != wantCode {
					t.Errorf("%s piped: exit %d, want %d", name, code, wantCode)
				}
				if want := string(app.Prettify([]byte(body))); out != want {
					t.Errorf("%s piped: stdout %q, want %q", name, out, want)
				}
				if !strings.Contains(out, s.raw) {
					t.Errorf("%s piped: the body's bytes were changed: %q", name, out)
				}
				srv.Close()
			}
		}
	}
}

// A body that is clean, multi-line and not ASCII reads the same on a
// terminal as in a pipe.
func TestCallCleanBodyIsTheSameOnATerminal(t *testing.T) {
	body := "{\"name\":\"Zoë 東京 👩\u200d💻\",\"note\":\"tab\\there\"}"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	args := []string{"call", "clientCredentialsGrant", "--domain", srv.URL, "--client-id", "id", "--client-secret", secret}
	_, term, _ := runOut(t, true, args...)
	_, pipe, _ := runOut(t, false, args...)
	if term != pipe || term != string(app.Prettify([]byte(body))) || !utf8.ValidString(term) {
		t.Errorf("terminal %q, pipe %q", term, pipe)
	}
}

// runOut runs the command line with stdout a terminal or not.
func runOut(t *testing.T, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errb, StdoutTerminal: terminal,
		Getenv: func(string) string { return "" },
	})
	return code, out.String(), errb.String()
}
