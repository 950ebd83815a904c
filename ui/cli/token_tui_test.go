package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"auth0-explorer/ui/tui"
)

// `token` with no argument, and no flag but --profile, on a terminal opens
// the terminal UI on its token inspector, on the tenant the root would
// open; stdin is not read.
func TestTokenWithoutArgumentOnATerminalOpensTheInspector(t *testing.T) {
	p := newProfileEnv(t, nil)
	o, code, errs := startedTUI(t, func(k string) string { return p.env[k] }, "token")
	if code != 0 || o == nil {
		t.Fatalf("exit %d, UI started: %v\n%s", code, o != nil, errs)
	}
	if !o.OpenTokenPane || !o.Session.IsSandbox() {
		t.Fatalf("OpenTokenPane %v, sandbox %v; want the inspector on the sandbox", o.OpenTokenPane, o.Session.IsSandbox())
	}
	if strings.Contains(errs, "paste the token") {
		t.Error("the stdin prompt was printed")
	}
	p.ok("", "profile", "add", "dev", "--domain", "dev.eu.auth0.com", "--client-id", "cid", "--client-secret", "sec-ret-value")
	o, code, errs = startedTUI(t, func(k string) string { return p.env[k] }, "token", "--profile", "dev")
	if code != 0 || o == nil || !o.OpenTokenPane || o.Session.Name != "dev" {
		t.Fatalf("--profile dev: exit %d, options %+v\n%s", code, o, errs)
	}
	// The root itself starts without the inspector.
	if o, _, _ := startedTUI(t, func(k string) string { return p.env[k] }); o == nil || o.OpenTokenPane {
		t.Error("the root opened the inspector")
	}
}

// `token -`, a token flag, --json, or no terminal: stdin is read as before
// and the UI is not started.
func TestTokenWithoutArgumentKeepsStdinOtherwise(t *testing.T) {
	p := newProfileEnv(t, nil)
	for _, tc := range []struct {
		name        string
		interactive bool
		args        []string
	}{
		{"dash", true, []string{"token", "-"}},
		{"json", true, []string{"token", "--json"}},
		{"a flag", true, []string{"token", "--nonce", "n"}},
		{"piped", false, []string{"token"}},
	} {
		started := false
		var out, e bytes.Buffer
		env := Env{Stdin: strings.NewReader("   \n"), Stdout: &out, Stderr: &e, Interactive: tc.interactive,
			Getenv: func(k string) string { return p.env[k] },
			TUI:    func(context.Context, tui.Options) error { started = true; return nil }}
		code := Run(context.Background(), tc.args, env)
		if started || code != 2 || !strings.Contains(e.String(), "no token given") {
			t.Errorf("%s: UI started %v, exit %d, stderr %q; want stdin read (no token: exit 2)", tc.name, started, code, e.String())
		}
	}
}
