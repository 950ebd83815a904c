package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"
)

// deviceRig is a sandbox on a clock that only the command's waiting moves:
// each Sleep advances it and then runs act (the user at the browser).
type deviceRig struct {
	t      *testing.T
	srv    *sandbox.Server
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	act    func(n int)
}

func newDeviceRig(t *testing.T) *deviceRig {
	r := &deviceRig{t: t, now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	srv, err := sandbox.Start(sandbox.Options{Seed: 7, Now: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	r.srv = srv
	return r
}

func (r *deviceRig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *deviceRig) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.now = r.now.Add(d)
	r.sleeps = append(r.sleeps, d)
	n := len(r.sleeps)
	r.mu.Unlock()
	if r.act != nil {
		r.act(n)
	}
	return ctx.Err()
}

// openLink GETs the newest outbox link of kind (a device, CIBA or MFA push
// approval) plus extra ("&action=deny" denies).
func (r *deviceRig) openLink(kind, extra string) {
	var link string
	for _, m := range r.srv.Outbox() {
		if m.Kind == kind {
			link = m.Link
		}
	}
	resp, err := http.Get(link + extra)
	if err != nil {
		r.t.Error(err)
		return
	}
	resp.Body.Close()
}

func (r *deviceRig) open(extra string) { r.openLink(sandbox.KindDeviceApproval, extra) }

// runCmd runs the flow command cmd on the rig's sandbox, with stdin.
func (r *deviceRig) runCmd(cmd string, stdin io.Reader, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	args = append([]string{cmd, "--domain", r.srv.BaseURL, "--client-id", r.srv.Client.ID, "--client-secret", r.srv.Client.Secret}, args...)
	code := Run(context.Background(), args, Env{Stdin: stdin, Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
	return code, out.String(), errb.String()
}

func (r *deviceRig) run(args ...string) (int, string, string) {
	return r.runCmd("device", nil, args...)
}

// Approved through the outbox link after one pending poll: the tokens as
// JSON on stdout; the code, both URLs, the QR code and the countdown on
// stderr.
func TestDeviceCommandApproved(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 2 {
			r.open("")
		}
	}
	code, out, errs := r.run()
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var tokens map[string]any
	if err := json.Unmarshal([]byte(out), &tokens); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"access_token", "id_token", "refresh_token"} {
		if s, _ := tokens[k].(string); s == "" {
			t.Errorf("no %s in %s", k, out)
		}
	}
	m := r.srv.Outbox()[0]
	for _, want := range []string{m.Code, r.srv.BaseURL + "/activate", "/activate?user_code=" + m.Code, "█▀", "▄",
		"waiting for approval: the code expires in 14:55 (checking every 5s)", "approved"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "\r") {
		t.Error("a countdown rewritten with \\r into a stderr that is not a terminal")
	}
}

func TestDeviceCommandPrintsOneToken(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 1 {
			r.open("")
		}
	}
	code, out, errs := r.run("--print", "access_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	tok := strings.TrimSuffix(out, "\n")
	if len(tok) < 16 || strings.ContainsAny(tok, " \n{}\":") {
		t.Errorf("stdout is not exactly one token: %q", out)
	}
	if code, _, errs := r.run("--print", "password"); code != 2 || !strings.Contains(errs, "--print must be") {
		t.Errorf("--print password: exit %d %s", code, errs)
	}
}

// The tenant says slow_down (the test's second wait is cut short): a line
// says so, and the next wait is 10 s.
func TestDeviceCommandSlowDown(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		switch n {
		case 2:
			r.mu.Lock()
			r.now = r.now.Add(-3 * time.Second) // this poll comes 2 s after the first
			r.mu.Unlock()
		case 3:
			r.open("")
		}
	}
	code, _, errs := r.run("--print", "id_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "poll less often: every 10s") || !strings.Contains(errs, "checking every 10s") {
		t.Errorf("stderr:\n%s", errs)
	}
	if len(r.sleeps) != 3 || r.sleeps[2] != 10*time.Second {
		t.Errorf("waits %v, want the third 10s", r.sleeps)
	}
}

func TestDeviceCommandDenied(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 1 {
			r.open("&action=deny")
		}
	}
	code, out, errs := r.run()
	if code != 1 || out != "" || !strings.Contains(errs, "auth0-explorer: the sign-in of the device was denied (access_denied") {
		t.Errorf("exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
}

func TestDeviceCommandExpired(t *testing.T) {
	r := newDeviceRig(t)
	code, out, errs := r.run()
	m := r.srv.Outbox()[0]
	if code != 1 || out != "" || !strings.Contains(errs, "auth0-explorer: the user code "+m.Code+" expired before the device was approved") {
		t.Errorf("exit %d\nstdout %q\nstderr %s", code, out, errs[max(0, len(errs)-400):])
	}
	code, _, errs = newDeviceRig(t).run("--timeout", "1m")
	if code != 1 || !strings.Contains(errs, "not approved within 1m0s") {
		t.Errorf("--timeout 1m: exit %d\n%s", code, errs[max(0, len(errs)-400):])
	}
}

// Ctrl+C while waiting exits 130.
func TestDeviceCommandInterrupted(t *testing.T) {
	r := newDeviceRig(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	r.act = func(int) { cancel(ErrInterrupted) }
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"device", "--domain", r.srv.BaseURL, "--client-id", r.srv.Client.ID}, Env{Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
	if code != 130 || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %s", code, out.String(), errb.String())
	}
}

// A tenant that cannot be reached: exit 3.
func TestDeviceCommandNetwork(t *testing.T) {
	r := newDeviceRig(t)
	base := r.srv.BaseURL
	_ = r.srv.Close()
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"device", "--domain", base, "--client-id", "x"}, Env{Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
	if code != 3 {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
}

// TestDeviceCommandOrganization: --organization is asked for and its claim
// checked in the id_token; an unknown organization exits 1 with the
// tenant's sentence, nothing on stdout.
func TestDeviceCommandOrganization(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 1 {
			r.open("")
		}
	}
	code, out, errs := r.run("--organization", "ACME", "--print", "id_token")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, errs)
	}
	r = newDeviceRig(t)
	code, out, errs = r.run("--organization", "org_nope")
	if code != 1 || out != "" || !strings.Contains(errs, "organization org_nope") {
		t.Errorf("unknown organization: exit %d, stdout %q, stderr %s", code, out, errs)
	}
}
