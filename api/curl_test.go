package api

import (
	"bytes"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

func TestCurlShape(t *testing.T) {
	req := &Request{
		Method: "POST",
		URL:    "https://tenant.example.com/oauth/token",
		Header: http.Header{
			"Content-Type":    {"application/json"},
			"User-Agent":      {"auth0-explorer"},
			"Accept-Encoding": {"gzip"},
			"Accept":          {"application/json"},
		},
		Body:    []byte(`{"grant_type":"client_credentials","client_id":"CID","client_secret":"S3CRET"}`),
		Secrets: []string{"S3CRET"},
	}
	want := `curl -sS -X POST 'https://tenant.example.com/oauth/token' \
  -H 'accept: application/json' \
  -H 'content-type: application/json' \
  --data-raw '{"grant_type":"client_credentials","client_id":"CID","client_secret":"[redacted]"}'`
	if got := req.Curl(false); got != want {
		t.Errorf("Curl(false) =\n%s\nwant\n%s", got, want)
	}
	if got := req.Curl(true); !strings.Contains(got, `"client_secret":"S3CRET"`) {
		t.Errorf("Curl(true) does not show the secret:\n%s", got)
	}
	get := &Request{Method: "GET", URL: "https://tenant.example.com/userinfo", Header: http.Header{"Authorization": {"Bearer AT.x.y"}}, Secrets: []string{"AT.x.y"}}
	wantGet := `curl -sS -X GET 'https://tenant.example.com/userinfo' \
  -H 'authorization: Bearer [redacted]'`
	if got := get.Curl(false); got != wantGet {
		t.Errorf("Curl(false) =\n%s\nwant\n%s", got, wantGet)
	}
	if got := get.Curl(true); !strings.Contains(got, "Bearer AT.x.y") {
		t.Errorf("Curl(true) = %s", got)
	}
}

// shellArgs runs the curl command with curl replaced by a shell function
// that prints each argument NUL-terminated, then standard input, so the test
// sees exactly what a POSIX shell would pass to curl.
func shellArgs(t *testing.T, cmd string) (args []string, stdin string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the command with")
	}
	script := `curl() { for a in "$@"; do printf '%s\0' "$a"; done; printf '\001STDIN\001'; case " $* " in *" @- "*) cat ;; esac; }
` + cmd + "\n"
	out, err := exec.Command(sh, "-c", script).Output()
	if err != nil {
		t.Fatalf("sh failed: %v\n%s", err, cmd)
	}
	a, in, _ := bytes.Cut(out, []byte("\x01STDIN\x01"))
	for _, p := range bytes.Split(bytes.TrimSuffix(a, []byte{0}), []byte{0}) {
		args = append(args, string(p))
	}
	return args, string(in)
}

func TestCurlIsShellSafe(t *testing.T) {
	req := &Request{
		Method: "POST",
		URL:    "http://127.0.0.1:8080/dbconnections/signup?x='y'",
		Header: http.Header{"Content-Type": {"application/json"}, "Auth0-Forwarded-For": {`it's "$(rm -rf /)" ` + "`id`"}},
		Body:   []byte(`{"name":"O'Brien $HOME \\ !x","email":"a@b"}`),
	}
	args, _ := shellArgs(t, req.Curl(true))
	want := []string{"-sS", "-X", "POST", "http://127.0.0.1:8080/dbconnections/signup?x='y'",
		"-H", `auth0-forwarded-for: it's "$(rm -rf /)" ` + "`id`",
		"-H", "content-type: application/json",
		"--data-raw", `{"name":"O'Brien $HOME \\ !x","email":"a@b"}`}
	if strings.Join(args, "\n") != strings.Join(want, "\n") {
		t.Errorf("shell passed\n%q\nwant\n%q", args, want)
	}
}

func TestCurlControlCharactersStayEscaped(t *testing.T) {
	body := "a=\x1b[2J\x00b%s\\n'-\xff\n"
	req := &Request{
		Method: "POST",
		URL:    "http://127.0.0.1:8080/x",
		Header: http.Header{"X-Esc": {"v\x1b]0;title\x07"}},
		Body:   []byte(body),
	}
	cmd := req.Curl(true)
	for _, c := range []byte{0x1b, 0x00, 0x07, 0xff} {
		if strings.IndexByte(cmd, c) >= 0 {
			t.Fatalf("command holds raw byte %#x:\n%q", c, cmd)
		}
	}
	args, stdin := shellArgs(t, cmd)
	if stdin != body {
		t.Errorf("body through printf = %q, want %q", stdin, body)
	}
	if len(args) < 6 || args[5] != "x-esc: v\x1b]0;title\x07" || args[len(args)-1] != "@-" {
		t.Errorf("args = %q", args)
	}
	// A body starting with a dash is not taken as a printf option.
	req.Body = []byte("-\x01")
	if _, stdin := shellArgs(t, req.Curl(true)); stdin != "-\x01" {
		t.Errorf("leading dash body = %q", stdin)
	}
}

func TestCurlFormBodyRedacted(t *testing.T) {
	req := &Request{
		Method:      "POST",
		URL:         "https://tenant.example.com/oauth/token",
		Header:      http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		ContentType: "application/x-www-form-urlencoded",
		Body:        []byte("grant_type=password&username=u%40x&password=p%40ss+w&client_secret=s%2Fs"),
		Secrets:     []string{"p@ss w", "s/s"},
	}
	got := req.Curl(false)
	if strings.Contains(got, "p%40ss") || strings.Contains(got, "s%2Fs") {
		t.Errorf("secret in %s", got)
	}
	if !strings.Contains(got, "username=u%40x&password=[redacted]&client_secret=[redacted]") {
		t.Errorf("Curl(false) = %s", got)
	}
}
