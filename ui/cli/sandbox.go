package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	"github.com/spf13/cobra"
)

func newSandboxCmd(env *Env) *cobra.Command {
	var addr string
	var seed uint64
	var envOut bool
	cmd := &cobra.Command{
		Use:   "sandbox [--addr 127.0.0.1:PORT] [--seed N] [--env]",
		Short: "Run the sandbox tenant on 127.0.0.1 for other tools",
		Long: `Run a local Auth0 tenant that answers every Authentication API operation as
Auth0 does: real RS256 tokens (JWKS and discovery served), Auth0's error shapes,
a seeded user and clients. Codes, magic links and reset mails go to an outbox
at /sandbox/outbox. It binds 127.0.0.1 and never reaches the network.

--seed N (any number, 0 included) makes the tenant the same on every start:
signing key, client ids and secrets, codes.

--env prints only one line on stdout,
  export AUTH0_DOMAIN='…' AUTH0_CLIENT_ID='…' AUTH0_CLIENT_SECRET='…'
ready for a shell to read, and the rest on stderr; the sandbox keeps serving.

Stop it with Ctrl+C.`,
		Example: `  auth0-explorer sandbox --env > sandbox.env &
  . ./sandbox.env     # once the line is written; then 'call' needs no --domain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := sandbox.Options{Addr: addr, Seed: seed, Seeded: cmd.Flags().Changed("seed")}
			return serveSandbox(cmd.Context(), env, opts, envOut, "")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (loopback only)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "make the tenant deterministic: fixed key, client secrets and codes")
	cmd.Flags().BoolVar(&envOut, "env", false, "print only an export line (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET) on stdout")
	return cmd
}

// sandboxEnvLine is the shell line that points AUTH0_DOMAIN,
// AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET at the sandbox's confidential
// client, each value shell-quoted.
func sandboxEnvLine(srv *sandbox.Server) string {
	return "export AUTH0_DOMAIN=" + api.ShellQuote(srv.BaseURL) +
		" AUTH0_CLIENT_ID=" + api.ShellQuote(srv.Client.ID) +
		" AUTH0_CLIENT_SECRET=" + api.ShellQuote(srv.Client.Secret)
}

// serveSandbox starts a sandbox, prints how to use it, and serves until ctx
// is cancelled (Ctrl+C). With envOut, stdout gets only sandboxEnvLine and
// everything else goes to stderr.
func serveSandbox(ctx context.Context, env *Env, opts sandbox.Options, envOut bool, banner string) error {
	srv, err := sandbox.Start(opts)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var info io.Writer = env.Stdout
	if envOut {
		info = env.Stderr
		fmt.Fprintln(env.Stdout, sandboxEnvLine(srv))
	}
	if banner != "" {
		fmt.Fprintln(info, banner)
	}
	fmt.Fprint(info, srv.Describe())
	fmt.Fprintf(info, "  PKCE callbacks  %s (the public client's allowed redirect_uri)\n", strings.Join(srv.Public.Callbacks, ", "))
	fmt.Fprintf(info, "\nTry, in another shell:\n  %s\n  %s call passwordGrant username=%s password=%s scope=openid\n\nServing; press Ctrl+C to stop.\n",
		sandboxEnvLine(srv), program(env), sandbox.SeedEmail, api.ShellQuote(sandbox.SeedPassword))
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return &exitError{code: 1, msg: "the sandbox did not stop cleanly: " + err.Error()}
	}
	fmt.Fprintln(info, "Sandbox stopped.")
	return nil
}
