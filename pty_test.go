//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The real binary, on a pseudo-terminal that never answers terminal queries
// (script, expect, ssh -tt relays), must not ask the terminal anything at
// start-up: Lip Gloss's background query writes OSC 11 and a cursor-position
// report, waits 5 s for an answer and swallows what is typed meanwhile.

// stallBound tells a run that waited for termenv's 5 s query timeout from
// one that did not; the commands themselves take milliseconds.
const stallBound = 2500 * time.Millisecond

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// binary builds the command into a temporary directory once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "auth0-explorer-pty-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "auth0-explorer")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// ptyEnv is the environment of a child on an interactive terminal: CI (which
// makes termenv skip its query) and TMUX are dropped and TERM is one termenv
// queries, so the test proves something on CI runners too. The keyring is
// pointed at a bus that does not exist, so secrets go to the profiles file.
func ptyEnv(configDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "CI", name == "TMUX", name == "TERM", name == "DBUS_SESSION_BUS_ADDRESS",
			strings.HasPrefix(name, "AUTH0_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TERM=xterm-256color",
		"AUTH0_EXPLORER_CONFIG="+configDir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(configDir, "no-bus"))
}

type ptyRun struct {
	out     []byte
	elapsed time.Duration
	err     error // from Wait
}

// runOnPty starts the binary with args on a fresh pty that answers nothing,
// types input at once, and collects everything written to the terminal
// until the process exits (killed after 15 s).
func runOnPty(t *testing.T, configDir, input string, args ...string) ptyRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = ptyEnv(configDir)
	start := time.Now()
	master, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatalf("start on a pty: %v", err)
	}
	defer master.Close()
	if input != "" {
		if _, err := io.WriteString(master, input); err != nil {
			t.Fatalf("type %q: %v", input, err)
		}
	}
	var out bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&out, master) // ends with EIO once the child's side closes
		close(read)
	}()
	werr := cmd.Wait()
	elapsed := time.Since(start)
	<-read
	return ptyRun{out: out.Bytes(), elapsed: elapsed, err: werr}
}

func TestCommandsDoNotQueryTheTerminal(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		input string
		code  int
	}{
		{"version", []string{"--version"}, "", 0},
		{"operations", []string{"operations"}, "", 0},
		{"token", []string{"token", "junk.token.here"}, "", 1},
		{"profile add", []string{"profile", "add", "typed", "--domain", "tenant.example.com", "--client-id", "id", "--client-secret-stdin"}, "typed-s3cret\n", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.input != "" && runtime.GOOS != "linux" {
				t.Skip("the secret goes to the profiles file only where the keyring is D-Bus's")
			}
			dir := filepath.Join(t.TempDir(), "config") // created 0700 by the tool
			r := runOnPty(t, dir, c.input, c.args...)
			code := 0
			var ee *exec.ExitError
			if errors.As(r.err, &ee) {
				code = ee.ExitCode()
			} else if r.err != nil {
				t.Fatalf("wait: %v", r.err)
			}
			if code != c.code {
				t.Errorf("exit code %d, want %d; output %q", code, c.code, head(r.out))
			}
			if r.elapsed > stallBound {
				t.Errorf("took %v on a terminal that does not answer queries (termenv waits 5 s); want under %v", r.elapsed.Round(time.Millisecond), stallBound)
			}
			for _, q := range []string{"\x1b]11;?", "\x1b[6n"} {
				if bytes.Contains(r.out, []byte(q)) {
					t.Errorf("wrote the terminal query %q: %q", q, head(r.out))
				}
			}
			if c.input != "" {
				if got := fileSecret(t, dir, "typed"); got != "typed-s3cret" {
					t.Errorf("the secret typed at once was stored as %q, want %q (keys eaten?)", got, "typed-s3cret")
				}
			}
		})
	}
}

// On a terminal the body a server sends is shown with its escape sequences
// escaped (the real binary decides that stdout is a terminal).
func TestCallBodyOnARealTerminalIsEscaped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("hello \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x1b[2J\n"))
	}))
	defer srv.Close()
	r := runOnPty(t, filepath.Join(t.TempDir(), "config"), "", "call", "clientCredentialsGrant", "--domain", srv.URL, "--client-id", "id", "--client-secret", "s")
	// Exit 1: a text body is not the token answer clientCredentialsGrant
	// returns. What matters here is how the body reached the terminal.
	var ee *exec.ExitError
	if !errors.As(r.err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want exit status 1; output %q", r.err, head(r.out))
	}
	if bytes.Contains(r.out, []byte("\x1b")) || !bytes.Contains(r.out, []byte(`hello \x1b]0;pwned\a \x1b]52;c;ZXZpbA==\a \x1b[2J`)) {
		t.Errorf("terminal output %q, want the sequences escaped", r.out)
	}
}

// head is the start of a run's output, for messages.
func head(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// fileSecret is the client secret of profile name in the profiles file.
func fileSecret(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "profiles.json"))
	if err != nil {
		t.Fatalf("profiles file: %v", err)
	}
	var doc struct {
		Profiles map[string]struct {
			ClientSecret string `json:"client_secret"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("profiles file: %v\n%s", err, b)
	}
	return doc.Profiles[name].ClientSecret
}
