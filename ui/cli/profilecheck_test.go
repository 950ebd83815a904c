package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api/sandbox"
)

// profile check: on the sandbox saved as a profile, every line is green
// and the exit is 0; on a client without the client credentials grant the
// line names unauthorized_client and the exit is 1; a tenant that does not
// answer exits 3.
func TestProfileCheck(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	srv, err := sandbox.Start(sandbox.Options{Seed: 5, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddClient(sandbox.Client{ID: "m2m-no-grant", Secret: "secret-of-the-m2m-client-0123456789", NoClientCredentials: true})
	p := newProfileEnv(t, nil)
	p.ok("", "profile", "add", "sbx", "--domain", srv.BaseURL, "--client-id", srv.Client.ID, "--client-secret", srv.Client.Secret, "--audience", srv.ManagementAPI())
	p.ok("", "profile", "add", "nogrant", "--domain", srv.BaseURL, "--client-id", "m2m-no-grant", "--client-secret", "secret-of-the-m2m-client-0123456789")
	p.ok("", "profile", "add", "gone", "--domain", "http://127.0.0.1:1", "--client-id", "x", "--client-secret", "y")
	run := func(name string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), []string{"profile", "check", name}, Env{Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string { return p.env[k] }, Now: func() time.Time { return now }})
		return code, out.String(), errb.String()
	}

	code, out, errs := run("sbx")
	if code != 0 || strings.Contains(out, "✗") || strings.Contains(out, "!") || strings.Count(out, "✓") != 4 {
		t.Errorf("sbx: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"discovery", "clock", "1 signing key: RS256", "client credentials", "accepted"} {
		if !strings.Contains(out, want) {
			t.Errorf("sbx: no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out+errs, srv.Client.Secret) {
		t.Error("the check printed the client secret")
	}

	code, out, _ = run("nogrant")
	if code != 1 || !strings.Contains(out, "✗ client credentials") || !strings.Contains(out, "unauthorized_client") || !strings.Contains(out, "fix: enable the Client Credentials grant") {
		t.Errorf("nogrant: exit %d\n%s", code, out)
	}

	if code, out, _ = run("gone"); code != 3 || !strings.Contains(out, "✗ discovery") {
		t.Errorf("gone: exit %d\n%s", code, out)
	}
	if code, _, errs = run("nosuch"); code != 2 || !strings.Contains(errs, "no profile") {
		t.Errorf("nosuch: exit %d %s", code, errs)
	}
}
