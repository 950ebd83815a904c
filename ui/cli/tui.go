package cli

import (
	"context"
	"fmt"
	"os"

	sbx "auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui"
	"auth0-explorer/ui/tui/clipboard"

	"golang.org/x/term"
)

// runTUI starts the terminal UI on the named profile, the default one, or
// an in-process sandbox when asked or when no profile is saved.
func runTUI(ctx context.Context, env *Env, profile string, sandbox bool, debugFile string) error {
	in, inOK := env.Stdin.(*os.File)
	out, outOK := env.Stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		return usageErr("the terminal UI needs a terminal on stdin and stdout; for scripts use 'auth0-explorer call', 'auth0-explorer token' or 'auth0-explorer operations' (see --help)")
	}
	if sandbox && profile != "" {
		return usageErr("--sandbox and --profile exclude each other")
	}
	sess, err := openSession(env, profile, sandbox)
	if err != nil {
		return err
	}
	defer sess.Close()

	o := tui.Options{
		Session:   sess,
		Clipboard: &clipboard.System{Getenv: env.Getenv, Out: out},
		Escape:    jwtview.EscapeText,
	}
	if debugFile != "" {
		f, err := os.OpenFile(debugFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return usageErr("--debug: %v", err)
		}
		defer f.Close()
		o.Debug = f
	}
	if err := tui.Run(ctx, o, in, out); err != nil {
		return &exitError{code: 1, msg: "the terminal UI stopped: " + err.Error()}
	}
	return nil
}

// openSession resolves the tenant the UI starts on.
func openSession(env *Env, profile string, sandbox bool) (*app.Session, error) {
	ua := "auth0-explorer/" + Version()
	if !sandbox {
		name := profile
		if name == "" {
			if store, err := openStore(env); err == nil {
				warnStore(env, store)
				name = store.Default()
			}
		}
		if name != "" {
			t, err := resolveTenant(env, name, tenantFlags{})
			if err != nil {
				return nil, err
			}
			s, err := app.Open(app.Tenant{Name: name, Domain: t.Domain, ClientID: t.ClientID, ClientSecret: t.ClientSecret, Profile: t.Profile}, env.Transport, ua)
			if err != nil {
				return nil, usageErr("profile %s: %v", name, err)
			}
			return s, nil
		}
	}
	s, err := app.OpenSandbox(sbx.Options{}, env.Transport, ua)
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("could not start the sandbox tenant: %v", err)}
	}
	return s, nil
}
