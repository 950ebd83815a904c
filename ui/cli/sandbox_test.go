package cli

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// watchWriter is a goroutine-safe buffer that signals when a marker appears.
type watchWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	seen   chan struct{}
	once   sync.Once
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestSandboxCommandServesAndStops: `sandbox` prints the base URL, the
// client's id and secret and the seeded user, answers on that URL, and stops
// cleanly when its context ends (main cancels it on Ctrl+C).
func TestSandboxCommandServesAndStops(t *testing.T) {
	out := &watchWriter{marker: "Ctrl+C", seen: make(chan struct{})}
	var errb bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- Run(ctx, []string{"sandbox", "--seed", "3"}, Env{Stdout: out, Stderr: &errb}) }()
	select {
	case <-out.seen:
	case code := <-done:
		t.Fatalf("sandbox exited %d early: %s", code, errb.String())
	}
	text := out.String()
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(text)
	id := regexp.MustCompile(`client id\s+(\S+)`).FindStringSubmatch(text)
	secret := regexp.MustCompile(`client secret\s+(\S+)`).FindStringSubmatch(text)
	if base == "" || id == nil || secret == nil || !strings.Contains(text, "jane@example.com / Passw0rd!") {
		t.Fatalf("banner lacks URL, client or user:\n%s", text)
	}
	resp, err := http.Get(base + "/.well-known/openid-configuration")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("sandbox not answering: %v", err)
	}
	resp.Body.Close()
	code, stdout, stderr := run(t, nil, "call", "clientCredentialsGrant", "audience="+base+"/api/v2/", "--domain", base, "--client-id", id[1], "--client-secret", secret[1])
	if code != 0 || !strings.Contains(stdout, "access_token") {
		t.Errorf("call against the printed credentials: exit %d %s %s", code, stdout, stderr)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after Ctrl+C: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Sandbox stopped.") {
		t.Errorf("no clean stop message:\n%s", out.String())
	}
	if _, err := http.Get(base + "/.well-known/jwks.json"); err == nil {
		t.Error("the sandbox still answers after stopping")
	}
}

func TestSandboxRefusesANonLoopbackAddress(t *testing.T) {
	code, _, stderr := run(t, nil, "sandbox", "--addr", "0.0.0.0:0")
	if code != 2 || !strings.Contains(stderr, "loopback") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// TestSandboxCommandHiddenNowFreezesTheTenantClock: the hidden --now (for
// reproducible screenshots) mints tokens at that instant, so a seeded
// sandbox answers the same passwordGrant with the same id_token every run;
// call's hidden --now checks that id_token as of the same instant and
// measures the exchange on it (duration 0); a bad time is one sentence.
func TestSandboxCommandHiddenNowFreezesTheTenantClock(t *testing.T) {
	at := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)
	addr := freeLoopbackAddr(t) // the issuer names the address
	tokens := make([]string, 2)
	for i := range tokens {
		out := &watchWriter{marker: "Ctrl+C", seen: make(chan struct{})}
		var errb bytes.Buffer
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		go func() {
			done <- Run(ctx, []string{"sandbox", "--seed", "3", "--addr", addr, "--now", at.Format(time.RFC3339)}, Env{Stdout: out, Stderr: &errb})
		}()
		select {
		case <-out.seen:
		case code := <-done:
			t.Fatalf("sandbox exited %d early: %s", code, errb.String())
		}
		text := out.String()
		base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(text)
		id := regexp.MustCompile(`client id\s+(\S+)`).FindStringSubmatch(text)
		secret := regexp.MustCompile(`client secret\s+(\S+)`).FindStringSubmatch(text)
		code, stdout, stderr := run(t, nil, "call", "passwordGrant", "username=jane@example.com", "password=Passw0rd!", "scope=openid",
			"--domain", base, "--client-id", id[1], "--client-secret", secret[1],
			"--now", at.Format(time.RFC3339), "--output", "json", "--reveal")
		cancel()
		<-done
		if code != 0 {
			t.Fatalf("passwordGrant: exit %d %s", code, stderr)
		}
		m := regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]+`).FindString(stdout)
		if m == "" {
			t.Fatalf("no id_token in:\n%s", stdout)
		}
		if iat := claim(t, m, "iat"); iat != strconv.FormatInt(at.Unix(), 10) {
			t.Errorf("iat %s, want the frozen %d", iat, at.Unix())
		}
		tokens[i] = m
		if !strings.Contains(stdout, `"duration_ms": 0,`) {
			t.Errorf("the exchange was not measured on the frozen clock:\n%s", stdout)
		}
	}
	if tokens[0] != tokens[1] {
		t.Errorf("two runs minted different id_tokens")
	}
	for _, cmd := range []string{"sandbox", "call"} {
		args := []string{cmd, "--now", "noon"}
		if cmd == "call" {
			args = append(args, "passwordGrant")
		}
		if code, _, stderr := run(t, nil, args...); code != 2 || !strings.Contains(stderr, "--now") {
			t.Errorf("%s --now noon: exit %d %s", cmd, code, stderr)
		}
	}
}
