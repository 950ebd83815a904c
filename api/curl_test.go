package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"reflect"
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
  --data-raw '{"grant_type":"client_credentials","client_id":"CID","client_secret":"'"$AUTH0_CLIENT_SECRET"'"}'`
	got, note := req.CurlCommand(false)
	if got != want {
		t.Errorf("Curl(false) =\n%s\nwant\n%s", got, want)
	}
	if want := "the command reads secrets from AUTH0_CLIENT_SECRET: set it before running it, or add --reveal to print the secrets in the command"; note != want {
		t.Errorf("note = %q, want %q", note, want)
	}
	if got := req.Curl(true); !strings.Contains(got, `"client_secret":"S3CRET"`) {
		t.Errorf("Curl(true) does not show the secret:\n%s", got)
	}
	get := &Request{Method: "GET", URL: "https://tenant.example.com/userinfo", Header: http.Header{"Authorization": {"Bearer AT.x.y"}}, Secrets: []string{"AT.x.y"}}
	wantGet := `curl -sS -X GET 'https://tenant.example.com/userinfo' \
  -H 'authorization: Bearer '"$AUTH0_ACCESS_TOKEN"`
	if got := get.Curl(false); got != wantGet {
		t.Errorf("Curl(false) =\n%s\nwant\n%s", got, wantGet)
	}
	if got, note := get.CurlCommand(true); !strings.Contains(got, "Bearer AT.x.y") || note != "" {
		t.Errorf("Curl(true) = %s, note %q", got, note)
	}
}

// shellArgs runs the curl command with curl replaced by a shell function
// that prints each argument NUL-terminated, then standard input, so the test
// sees exactly what a POSIX shell would pass to curl.
func shellArgs(t *testing.T, cmd string) (args []string, stdin string) {
	t.Helper()
	return shellArgsEnv(t, cmd, nil)
}

// shellArgsEnv is shellArgs with env added to the environment.
func shellArgsEnv(t *testing.T, cmd string, env []string) (args []string, stdin string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the command with")
	}
	script := `curl() { for a in "$@"; do printf '%s\0' "$a"; done; printf '\001STDIN\001'; case " $* " in *" @- "*) cat ;; esac; }
` + cmd + "\n"
	c := exec.Command(sh, "-c", script)
	c.Env = append(os.Environ(), env...)
	out, err := c.Output()
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
	want := `curl -sS -X POST 'https://tenant.example.com/oauth/token' \
  -H 'content-type: application/x-www-form-urlencoded' \
  --data-raw 'grant_type=password&username=u%40x' \
  --data-urlencode 'password='"$AUTH0_PASSWORD" \
  --data-urlencode 'client_secret='"$AUTH0_CLIENT_SECRET"`
	if got != want {
		t.Errorf("Curl(false) =\n%s\nwant\n%s", got, want)
	}
}

// received is what a test server got.
type received struct {
	auth string
	body []byte
}

// recordingServer answers 200 and reports each request it gets.
func recordingServer(t *testing.T) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Get("Authorization"), b}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// runCurl runs cmd with sh and the real curl, with only env (and PATH) in
// the environment.
func runCurl(t *testing.T, cmd string, env ...string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the command with")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl to run the command with")
	}
	c := exec.Command(sh, "-c", cmd)
	c.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("the command failed: %v\n%s\n%s", err, out, cmd)
	}
}

// TestCurlCommandRunsWithSecretsFromTheEnvironment runs the command printed
// without --reveal, with its variables set, and checks that the server gets
// what the tool sends.
func TestCurlCommandRunsWithSecretsFromTheEnvironment(t *testing.T) {
	srv, got := recordingServer(t)
	c := testClient(srv.URL, TransportOptions{})
	c.ClientID, c.ClientSecret = "CID", "cs-'q'-$HOME-`id`-é!{{x}}"
	const password = "p@ss&w0rd+%!*'~é$(id)"
	cases := []struct {
		name   string
		op     string
		v      Values
		env    []string
		vars   string // the variables the note names
		spaced bool   // a form value with a space: curl writes %20 where the tool writes +
	}{
		{name: "json", op: "passwordGrant",
			v:   Values{Fields: []Value{String("username", "jane\u202e@example.com"), String("password", password)}},
			env: []string{"AUTH0_CLIENT_SECRET=" + c.ClientSecret, "AUTH0_PASSWORD=" + password}, vars: "AUTH0_CLIENT_SECRET and AUTH0_PASSWORD"},
		{name: "json printable", op: "passwordGrant",
			v:   Values{Fields: []Value{String("username", "jane"), String("password", password)}},
			env: []string{"AUTH0_CLIENT_SECRET=" + c.ClientSecret, "AUTH0_PASSWORD=" + password}, vars: "AUTH0_CLIENT_SECRET and AUTH0_PASSWORD"},
		{name: "json escaped", op: "passwordGrant",
			v:   Values{Fields: []Value{String("username", "jane"), String("password", `a"b\c`)}},
			env: []string{"AUTH0_CLIENT_SECRET=" + c.ClientSecret, `AUTH0_PASSWORD=a\"b\\c`}, vars: "AUTH0_CLIENT_SECRET and AUTH0_PASSWORD (AUTH0_PASSWORD JSON-escaped"},
		{name: "form", op: "passwordGrant",
			v:   Values{Form: true, Fields: []Value{String("username", "jane@example.com"), String("password", password), String("scope", "openid email")}},
			env: []string{"AUTH0_CLIENT_SECRET=" + c.ClientSecret, "AUTH0_PASSWORD=" + password}, vars: "AUTH0_CLIENT_SECRET and AUTH0_PASSWORD"},
		{name: "form with a space", op: "passwordGrant", spaced: true,
			v:   Values{Form: true, Fields: []Value{String("username", "jane@example.com"), String("password", "a b&c")}},
			env: []string{"AUTH0_CLIENT_SECRET=" + c.ClientSecret, "AUTH0_PASSWORD=a b&c"}, vars: "AUTH0_CLIENT_SECRET and AUTH0_PASSWORD"},
		{name: "bearer", op: "users.getInfo",
			v:   Values{Fields: []Value{String("accessToken", "eyJ.at-value.sig")}},
			env: []string{"AUTH0_ACCESS_TOKEN=eyJ.at-value.sig"}, vars: "AUTH0_ACCESS_TOKEN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := c.Build(ByName(tc.op), tc.v)
			if err != nil {
				t.Fatal(err)
			}
			cmd, note := req.CurlCommand(false)
			for _, s := range req.Secrets {
				if strings.Contains(cmd, s) || strings.Contains(note, s) {
					t.Fatalf("the command shows %q:\n%s\n%s", s, cmd, note)
				}
			}
			if !strings.HasPrefix(note, "the command reads secrets from "+tc.vars) {
				t.Errorf("note = %q, want it to name %s", note, tc.vars)
			}
			runCurl(t, cmd, tc.env...)
			r := <-got
			if tc.op == "users.getInfo" {
				if want := req.Header.Get("Authorization"); r.auth != want {
					t.Errorf("Authorization = %q, want %q", r.auth, want)
				}
				return
			}
			if tc.spaced {
				gotQ, err1 := url.ParseQuery(string(r.body))
				wantQ, err2 := url.ParseQuery(string(req.Body))
				if err1 != nil || err2 != nil || !reflect.DeepEqual(gotQ, wantQ) {
					t.Errorf("body = %q, want the same form as %q", r.body, req.Body)
				}
				return
			}
			if !bytes.Equal(r.body, req.Body) {
				t.Errorf("body = %q\nwant   %q\n%s", r.body, req.Body, cmd)
			}
		})
	}
}

// TestCurlAndJSONAgree builds every operation with every field given (the
// ones that are not secret equal to the password) and checks that the JSON view shows
// exactly what the curl command sends once every variable holds
// "[redacted]": the same fields hidden, the same fields shown.
func TestCurlAndJSONAgree(t *testing.T) {
	const password = "Pw-Equal-1"
	c := testClient("https://t.example.com", TransportOptions{})
	c.ClientID, c.ClientSecret = "CID", "profile-secret-1"
	showsPassword := 0
	for _, op := range Operations() {
		if op.URLOnly {
			continue // never sent: call prints the URL (call_url_test.go)
		}
		for _, form := range []bool{false, true} {
			if form && op.Path != "/oauth/token" {
				continue
			}
			v := Values{Form: form}
			form := form || op.FormBody
			for _, f := range op.Fields {
				switch {
				case f.JSON:
					v.Fields = append(v.Fields, Value{Name: f.Name, Raw: json.RawMessage(`{"scope":"` + password + `"}`)})
				case f.Name == "password":
					v.Fields = append(v.Fields, String(f.Name, password))
				case f.Secret:
					v.Fields = append(v.Fields, String(f.Name, "secret-"+f.Name+"-1"))
				default:
					v.Fields = append(v.Fields, String(f.Name, password))
				}
			}
			req, err := c.Build(op, v)
			for tries := 0; err != nil && tries < 5; tries++ {
				// id_token or refresh_token, not both; drop what is refused.
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("%s: %v", op.Name, err)
				}
				v = without(v, ie.Field)
				req, err = c.Build(op, v)
			}
			if err != nil {
				t.Fatalf("%s: %v", op.Name, err)
			}
			name := op.Name
			if form {
				name += " form"
			}
			t.Run(name, func(t *testing.T) {
				shown := checkAgreement(t, req, password)
				// A field that is not secret shows its value, though it
				// equals the password.
				sent, ok := bodyFields(req.Body, form)
				if !ok {
					t.Fatalf("cannot read the body %q", req.Body)
				}
				got, _ := bodyFields([]byte(shown), form)
				for k, v := range sent {
					if requestSecretFields[k] {
						if got[k] != Redacted {
							t.Errorf("secret field %s shown as %q", k, got[k])
						}
					} else if got[k] != v {
						t.Errorf("field %s: sent %q, shown %q", k, v, got[k])
					} else if v == password {
						showsPassword++
					}
				}
			})
		}
	}
	if showsPassword == 0 {
		t.Error("no field that is not secret was given the password's value")
	}
}

// bodyFields reads the top-level string fields of a JSON or form body.
func bodyFields(body []byte, form bool) (map[string]string, bool) {
	out := map[string]string{}
	if len(body) == 0 {
		return out, true
	}
	if form {
		q, err := url.ParseQuery(string(body))
		for k, v := range q {
			out[k] = v[0]
		}
		return out, err == nil
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, false
	}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out, true
}

// checkAgreement compares the JSON view of req with its curl command, and
// returns the body shown. Only shownSecret may be shown, as the value of
// fields that are not secret.
func checkAgreement(t *testing.T, req *Request, shownSecret string) (shown string) {
	out, err := (&Exchange{Request: req}).JSON(false)
	if err != nil {
		t.Fatal(err)
	}
	var view struct{ Request RequestView }
	if err := json.Unmarshal(out, &view); err != nil {
		t.Fatal(err)
	}
	cmd, note := req.CurlCommand(false)
	var env []string
	for _, f := range strings.Fields(note) {
		if name := strings.Trim(f, ",:;()"); strings.HasPrefix(name, "AUTH0_") {
			env = append(env, name+"="+Redacted)
		}
	}
	args, _ := shellArgsEnv(t, cmd, env)
	var data []string
	headers := map[string]string{}
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-H":
			k, v, _ := strings.Cut(args[i+1], ": ")
			headers[k] = v
		case "--data-raw", "--data-urlencode":
			data = append(data, args[i+1])
		}
	}
	// The body as sent by curl (form parts joined as curl joins them, the
	// variables left unencoded) and as the JSON view shows it.
	sent := strings.Join(data, "&")
	if err := json.Unmarshal(view.Request.Body, &shown); err != nil {
		var b bytes.Buffer
		if len(view.Request.Body) > 0 {
			if err := json.Compact(&b, view.Request.Body); err != nil {
				t.Fatal(err)
			}
		}
		shown = b.String()
	}
	if sent != shown {
		t.Errorf("curl sends\n%s\nthe JSON view shows\n%s", sent, shown)
	}
	if !strings.Contains(shown, Redacted) && len(req.Secrets) > 0 && req.Header.Get("Authorization") == "" {
		t.Errorf("nothing hidden in %s", shown)
	}
	for k, v := range view.Request.Headers {
		if curlSkipHeaders[k] {
			continue
		}
		if headers[strings.ToLower(k)] != v {
			t.Errorf("header %s: curl sends %q, the JSON view shows %q", k, headers[strings.ToLower(k)], v)
		}
	}
	for _, s := range req.Secrets {
		if s != shownSecret && (strings.Contains(string(out), s) || strings.Contains(cmd, s)) {
			t.Errorf("secret %q shown", s)
		}
	}
	return shown
}

// A secret outside the body's secret fields and the Authorization header
// stays [redacted], and the note says the command will not run as it is.
func TestCurlNoteForRedactedValues(t *testing.T) {
	req := &Request{Method: "GET", URL: "https://t.example.com/x?hint=Secret-12345", Header: http.Header{"Cookie": {"a=b"}}, Secrets: []string{"Secret-12345"}}
	cmd, note := req.CurlCommand(false)
	if strings.Contains(cmd, "Secret-12345") || strings.Contains(cmd, "a=b") {
		t.Errorf("secret shown: %s", cmd)
	}
	if want := "secrets are shown as [redacted]; add --reveal to print a command that runs"; note != want {
		t.Errorf("note = %q, want %q", note, want)
	}
	req.Method, req.Body, req.ContentType = "POST", []byte(`{"password":"pw","otp":123456}`), "application/json"
	cmd, note = req.CurlCommand(false)
	if want := "the command reads secrets from AUTH0_PASSWORD and AUTH0_OTP and shows others as [redacted]; set them, or add --reveal to print a command that runs"; note != want {
		t.Errorf("note = %q, want %q", note, want)
	}
	if !strings.Contains(cmd, `'{"password":"'"$AUTH0_PASSWORD"'","otp":'"$AUTH0_OTP"'}'`) {
		t.Errorf("cmd = %s", cmd)
	}
	if cmd, note := (&Request{Method: "GET", URL: "https://t.example.com/x"}).CurlCommand(false); note != "" || cmd != `curl -sS -X GET 'https://t.example.com/x'` {
		t.Errorf("no secrets: %q, note %q", cmd, note)
	}
	var nilReq *Request
	if cmd, note := nilReq.CurlCommand(false); cmd != "" || note != "" {
		t.Errorf("nil request: %q %q", cmd, note)
	}
}

// Curl, like the JSON view, shows every field that is not secret as it was
// sent, even when no secret field is in the body.
func TestCurlShowsFieldsThatAreNotSecret(t *testing.T) {
	for ct, body := range map[string]string{
		"application/json":                  `{"scope":"Long-Secret-1"}`,
		"application/x-www-form-urlencoded": `scope=Long-Secret-1`,
	} {
		req := &Request{Method: "POST", URL: "https://t.example.com/x", Body: []byte(body), ContentType: ct, Secrets: []string{"Long-Secret-1"}}
		cmd, note := req.CurlCommand(false)
		if !strings.Contains(cmd, "--data-raw '"+body+"'") || note != "" {
			t.Errorf("%s: %s\nnote %q", ct, cmd, note)
		}
		out, _ := (&Exchange{Request: req}).JSON(false)
		if !strings.Contains(string(out), "Long-Secret-1") {
			t.Errorf("%s: JSON view hides the field:\n%s", ct, out)
		}
	}
}
