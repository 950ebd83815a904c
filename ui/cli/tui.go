package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"auth0-explorer/api/safetext"
	sbx "auth0-explorer/api/sandbox"
	"auth0-explorer/config/history"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui"
	"auth0-explorer/ui/tui/clipboard"
)

// tuiFlags are the root command's flags.
type tuiFlags struct {
	profile, debugFile string
	sandbox            bool
	// clearClipboard: seconds after a copy to clear the clipboard (if it
	// still holds what was copied); "" or 0 never.
	clearClipboard string
	// Hidden, for reproducible screenshots: seed (when seeded) and
	// sandboxAddr make the sandbox deterministic and imply it; now freezes
	// the clock of the UI and of the sandbox.
	seed        uint64
	seeded      bool
	sandboxAddr string
	now         string
	// tokenPane starts with the token inspector open (`token` with no
	// argument on a terminal).
	tokenPane bool
	// noHistory keeps no history on disk.
	noHistory bool
}

// runTUI starts the terminal UI on the named profile, the default one, or
// an in-process sandbox when asked or when no profile is saved.
func runTUI(ctx context.Context, env *Env, fl tuiFlags) error {
	if !env.Interactive {
		return usageErr("the terminal UI needs a terminal on stdin and stdout; for scripts use 'auth0-explorer call', 'auth0-explorer token' or 'auth0-explorer operations' (see --help)")
	}
	if fl.seeded || fl.sandboxAddr != "" {
		fl.sandbox = true
	}
	if fl.sandbox && fl.profile != "" {
		return usageErr("--sandbox and --profile exclude each other")
	}
	var clearAfter time.Duration
	if fl.clearClipboard != "" {
		d, err := parseSeconds("clear-clipboard", fl.clearClipboard)
		if err != nil {
			return err
		}
		clearAfter = d
	}
	now := env.Now
	if fl.now != "" {
		t, err := parseNow(fl.now)
		if err != nil {
			return err
		}
		now = func() time.Time { return t }
	}
	sopts := sbx.Options{Addr: fl.sandboxAddr, Seed: fl.seed, Seeded: fl.seeded, Now: now}
	sess, err := openSession(env, fl.profile, fl.sandbox, sopts)
	if err != nil {
		return err
	}
	defer sess.Close()
	if now != nil {
		// The exchanges' durations, rate-limit sentences and client
		// assertions follow the UI's clock (frozen under --now).
		sess.Client.Now = now
	}
	tenants := &app.Tenants{Getenv: env.Getenv, Keyring: env.Keyring, Transport: env.Transport, UserAgent: "auth0-explorer/" + Version()}
	if sess.IsSandbox() {
		tenants.Sandbox = sess
	}
	defer tenants.Close()

	o := tui.Options{
		Session:   sess,
		Tenants:   tenants,
		Clipboard: &clipboard.System{Getenv: env.Getenv, Out: os.Stdout},
		Escape:    safetext.Escape,
		Now:       now,

		ClearClipboardAfter: clearAfter,
		OpenTokenPane:       fl.tokenPane,
	}
	o.History, o.HistoryNote = openHistory(env, fl.noHistory)
	if fl.debugFile != "" {
		f, err := os.OpenFile(fl.debugFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return usageErr("--debug: %v", err)
		}
		// An existing file keeps its mode: make it private, as the log
		// names operations, fields and servers.
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return usageErr("--debug: %v", err)
		}
		defer f.Close()
		o.Debug = f
	}
	run := env.TUI
	if run == nil {
		run = func(ctx context.Context, o tui.Options) error { return tui.Run(ctx, o, os.Stdin, os.Stdout) }
	}
	if err := run(ctx, o); err != nil {
		return &exitError{code: 1, msg: "the terminal UI stopped: " + err.Error()}
	}
	return nil
}

// openSession resolves the tenant the UI starts on (app.StartTenant: the
// named profile, the default one, or none), printing the notes once. A
// sandbox starts with sopts.
func openSession(env *Env, profile string, sandbox bool, sopts sbx.Options) (*app.Session, error) {
	ua := "auth0-explorer/" + Version()
	if !sandbox {
		t, notes, err := app.StartTenant(env.resolveInput(profile, tenantFlags{}))
		printNotes(env, notes)
		if err != nil {
			return nil, exitOf(err)
		}
		if t.Profile != nil {
			s, err := app.Open(t, env.Transport, ua)
			if err != nil {
				return nil, usageErr("profile %s: %v", printable(t.Name), err)
			}
			return s, nil
		}
	}
	s, err := app.OpenSandbox(sopts, env.Transport, ua)
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("could not start the sandbox tenant: %v", err)}
	}
	return s, nil
}

// openHistory is the history store of the TUI (see config/history), or
// nil with the reason: --no-history, or no state directory to keep it in.
func openHistory(env *Env, off bool) (*history.Store, string) {
	if off {
		return nil, ""
	}
	dir, err := history.DefaultDir(env.Getenv)
	if err == nil {
		var s *history.Store
		if s, err = history.Open(history.Options{Dir: dir}); err == nil {
			return s, ""
		}
	}
	return nil, "Nothing is saved: " + err.Error() + "; only this run's exchanges are listed."
}
