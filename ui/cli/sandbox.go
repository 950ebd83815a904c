package cli

import (
	"context"
	"fmt"

	"auth0-explorer/api/sandbox"

	"github.com/spf13/cobra"
)

func newSandboxCmd(env *Env) *cobra.Command {
	var addr string
	var seed uint64
	cmd := &cobra.Command{
		Use:   "sandbox [--addr 127.0.0.1:PORT]",
		Short: "Run the sandbox tenant on 127.0.0.1 for other tools",
		Long: `Run a local Auth0 tenant that answers every Authentication API operation as
Auth0 does: real RS256 tokens (JWKS and discovery served), Auth0's error shapes,
a seeded user and clients. Codes, magic links and reset mails go to an outbox
at /sandbox/outbox. It binds 127.0.0.1 and never reaches the network.

Stop it with Ctrl+C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveSandbox(cmd.Context(), env, sandbox.Options{Addr: addr, Seed: seed}, "")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (loopback only)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "make the tenant deterministic: fixed key, client secrets and codes")
	return cmd
}

// serveSandbox starts a sandbox, prints how to use it, and serves until ctx
// is cancelled (Ctrl+C).
func serveSandbox(ctx context.Context, env *Env, opts sandbox.Options, banner string) error {
	srv, err := sandbox.Start(opts)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if banner != "" {
		fmt.Fprintln(env.Stdout, banner)
	}
	fmt.Fprint(env.Stdout, srv.Describe())
	fmt.Fprintf(env.Stdout, "\nTry:\n  auth0-explorer call passwordGrant username=%s password='%s' scope=openid \\\n    --domain %s --client-id %s \\\n    --client-secret %s\n\nServing; press Ctrl+C to stop.\n",
		sandbox.SeedEmail, sandbox.SeedPassword, srv.BaseURL, srv.Client.ID, srv.Client.Secret)
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return &exitError{code: 1, msg: "the sandbox did not stop cleanly: " + err.Error()}
	}
	fmt.Fprintln(env.Stdout, "Sandbox stopped.")
	return nil
}
