package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"auth0-explorer/api/sandbox"
)

// Approved through the outbox after one pending poll: --print prints the
// one token; stderr shows the binding message and one line per step.
func TestCIBACommandApprovedPrintsOneToken(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 2 {
			r.openLink(sandbox.KindCIBAApproval, "")
		}
	}
	uid := r.srv.Users()[0].ID
	code, out, errs := r.runCmd("ciba", nil, "--user-id", uid, "--binding-message", "Order 7421", "--print", "access_token")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	tok := strings.TrimSuffix(out, "\n")
	if len(tok) < 16 || strings.ContainsAny(tok, " \n{}\":") {
		t.Errorf("stdout is not exactly one token: %q", out)
	}
	for _, want := range []string{"\n    Order 7421\n", "waiting for the user: the request expires in 4:55 (checking every 5s)\n", "approved\n"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "\r") {
		t.Error("a countdown rewritten with \\r into a stderr that is not a terminal")
	}
}

// The whole answer as JSON without --print; a denial exits 1 and prints
// nothing on stdout.
func TestCIBACommandJSONAndDenied(t *testing.T) {
	r := newDeviceRig(t)
	r.act = func(n int) {
		if n == 1 {
			r.openLink(sandbox.KindCIBAApproval, "")
		}
	}
	uid := r.srv.Users()[0].ID
	code, out, errs := r.runCmd("ciba", nil, "--user-id", uid, "--binding-message", "Order 1", "--scope", "openid profile offline_access")
	var tokens map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &tokens) != nil || tokens["id_token"] == nil || tokens["refresh_token"] == nil {
		t.Fatalf("exit %d, stdout %s\n%s", code, out, errs)
	}

	r = newDeviceRig(t)
	r.act = func(n int) {
		if n == 1 {
			r.openLink(sandbox.KindCIBAApproval, "&action=deny")
		}
	}
	code, out, errs = r.runCmd("ciba", nil, "--user-id", uid, "--binding-message", "Order 2")
	if code != 1 || out != "" || !strings.Contains(errs, "auth0-explorer: the user denied the request (access_denied") {
		t.Errorf("denied: exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
}

// Nobody decides within --requested-expiry: exit 1, expired.
func TestCIBACommandExpired(t *testing.T) {
	r := newDeviceRig(t)
	code, out, errs := r.runCmd("ciba", nil, "--user-id", r.srv.Users()[0].ID, "--binding-message", "Order 3", "--requested-expiry", "30")
	if code != 1 || out != "" || !strings.Contains(errs, "auth0-explorer: the request expired before the user approved it") || len(r.sleeps) != 6 {
		t.Errorf("exit %d after %d waits\nstdout %q\nstderr %s", code, len(r.sleeps), out, errs)
	}
}

// Ctrl+C while waiting exits 130.
func TestCIBACommandInterrupted(t *testing.T) {
	r := newDeviceRig(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	r.act = func(int) { cancel(ErrInterrupted) }
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"ciba", "--domain", r.srv.BaseURL, "--client-id", r.srv.Client.ID, "--client-secret", r.srv.Client.Secret,
		"--user-id", r.srv.Users()[0].ID, "--binding-message", "x"}, Env{Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
	if code != 130 || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %s", code, out.String(), errb.String())
	}
}

// A command line without the user or the binding message, or with both
// user flags, is refused before anything is sent.
func TestCIBACommandUsage(t *testing.T) {
	r := newDeviceRig(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--binding-message", "x"}, "--user-id (auth0|…) or --login-hint"},
		{[]string{"--user-id", "auth0|1", "--login-hint", "{}", "--binding-message", "x"}, "not both"},
		{[]string{"--user-id", "auth0|1"}, "--binding-message is required"},
		{[]string{"--user-id", "auth0|1", "--binding-message", "x", "--requested-expiry", "1.5s"}, "whole seconds"},
		{[]string{"--user-id", "auth0|1", "--binding-message", "x", "--print", "code"}, "--print must be"},
	} {
		code, _, errs := r.runCmd("ciba", nil, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %s", c.args, code, errs)
		}
	}
	if n := len(r.srv.Outbox()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
