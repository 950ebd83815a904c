// Package cli is auth0-explorer's command line: the cobra command tree, the
// headless subcommands, and the root that starts the TUI.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/config"
	"auth0-explorer/ui/browser"
	"auth0-explorer/ui/tui"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// version is set at build time (-ldflags "-X auth0-explorer/ui/cli.version=…");
// otherwise it comes from the build info.
var version string

// Version is the tool's version string.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// Env is what a run of the command line talks to. Tests fill it with buffers
// and a fake environment.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdoutTerminal says that Stdout is a terminal: text from a server is
	// then shown with its control characters escaped (safetext); written to
	// a pipe or file it stays exact.
	StdoutTerminal bool
	// Interactive: stdin and stdout are both a terminal, so the root may
	// start the terminal UI.
	Interactive bool
	// TUI runs the terminal UI; nil runs it on the process's terminal.
	// Tests replace it to see what the UI would be started with.
	TUI    func(ctx context.Context, o tui.Options) error
	Getenv func(string) string
	// Transport overrides the network settings (tests use it to inject a
	// resolver or trust a test certificate).
	Transport api.TransportOptions
	// Keyring stores profiles' client secrets; nil means none (secrets stay
	// in the 0600 profiles file), which is what tests get.
	Keyring config.Keyring
	// Program is the command as it was run (os.Args[0]), for the hints that
	// show how to run it again; empty means "auth0-explorer".
	Program string
	// Now is the clock tokens are checked with; nil means time.Now.
	Now func() time.Time
	// Browser opens URLs for call --open; nil means the system's opener
	// (reading the environment through Getenv). Tests record with it.
	Browser *browser.Opener
	// Sleep waits d or until ctx ends, for the device flow's polling; nil
	// waits for real. Tests advance a clock with it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Keyring: config.OSKeyring(),
		StdoutTerminal: term.IsTerminal(int(os.Stdout.Fd())), Program: os.Args[0],
		Interactive: term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stdout.Fd()))}
}

// shown is b (text from a server) as it is written to Stdout: with its
// control characters escaped on a terminal, exact into a pipe or file.
func (e *Env) shown(b []byte) []byte {
	if e.StdoutTerminal {
		return safetext.Body(b)
	}
	return b
}

// program is how a hint names this tool: the path it was run by when that
// was a path (./bin/auth0-explorer after make build), else its name (run
// from PATH, or a 'go run' build in a temporary directory).
func program(env *Env) string {
	const name = "auth0-explorer"
	p := env.Program
	if !strings.ContainsRune(p, '/') && !strings.ContainsRune(p, filepath.Separator) {
		return name
	}
	if strings.Contains(p, "go-build") {
		return name
	}
	if strings.ContainsFunc(p, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == filepath.Separator ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) {
		return api.ShellQuote(p)
	}
	return p
}

// exitError carries an exit code and a sentence already printed (or to print).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(format string, a ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, a...)}
}

// ErrInterrupted is the cause main gives the context it cancels on Ctrl+C
// (context.WithCancelCause): a command that fails because of it exits 130,
// as shells expect of a program stopped by SIGINT.
var ErrInterrupted = errors.New("interrupted")

// Run runs the command line with args (without the program name) and returns
// the exit code: 0 success, 1 the server said no or a token failed a check,
// 2 the command line or input was wrong, 3 network failure, 130 when ctx was
// cancelled with ErrInterrupted and the command did not finish.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	root := newRoot(&env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	interrupted := errors.Is(context.Cause(ctx), ErrInterrupted)
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(env.Stderr, "auth0-explorer: "+ee.msg)
		}
		if interrupted {
			return 130
		}
		return ee.code
	}
	// Cobra's own errors: unknown command or flag, wrong argument count.
	fmt.Fprintln(env.Stderr, "auth0-explorer: "+err.Error()+" (see --help)")
	return 2
}

func newRoot(env *Env) *cobra.Command {
	var f tuiFlags
	root := &cobra.Command{
		Use:   "auth0-explorer",
		Short: "Explore the Auth0 Authentication API: send any operation, see the exact request and answer, verify tokens",
		Long: "auth0-explorer sends Auth0 Authentication API operations exactly as the official SDK\n" +
			"(node-auth0) does, shows the request, the answer and every token in it.\n\n" +
			"Without a subcommand it starts the terminal UI.",
		Version:       Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.seeded = cmd.Flags().Changed("seed")
			return runTUI(cmd.Context(), env, f)
		},
	}
	root.SetVersionTemplate("auth0-explorer {{.Version}}\n")
	root.Flags().StringVar(&f.profile, "profile", "", "start on this saved profile")
	root.Flags().BoolVar(&f.sandbox, "sandbox", false, "start on a fresh in-process sandbox tenant")
	_ = root.RegisterFlagCompletionFunc("profile", completeProfileFlag(env))
	root.Flags().StringVar(&f.debugFile, "debug", "", "write the messages the UI receives to FILE (secrets redacted)")
	root.Flags().BoolVar(&f.noHistory, "no-history", false, "keep no history of the exchanges on disk (this run's are still listed; h)")
	root.Flags().StringVar(&f.clearClipboard, "clear-clipboard", "", "clear the clipboard this many seconds after a copy, if it still holds what was copied")
	// Hidden, for reproducible screenshots: a deterministic sandbox on a
	// fixed address, and a frozen clock.
	root.Flags().Uint64Var(&f.seed, "seed", 0, "start on a deterministic sandbox tenant (implies --sandbox)")
	root.Flags().StringVar(&f.sandboxAddr, "sandbox-addr", "", "the sandbox's loopback address, 127.0.0.1:PORT (implies --sandbox)")
	root.Flags().StringVar(&f.now, "now", "", "freeze the UI's and the sandbox's clock at this time (Unix seconds or RFC 3339)")
	for _, name := range []string{"seed", "sandbox-addr", "now"} {
		_ = root.Flags().MarkHidden(name)
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErr("%v (see --help)", err)
	})
	root.AddCommand(newCallCmd(env), newOperationsCmd(env),
		newTokenCmd(env),
		newProfileCmd(env),
		newSandboxCmd(env),
		newDeviceCmd(env), newLoginCmd(env), newMFACmd(env))
	root.AddCommand(newCIBACmd(env), newRefreshCmd(env))
	return root
}
