package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"

	"github.com/spf13/cobra"
)

func newSandboxCmd(env *Env) *cobra.Command {
	var addr string
	var seed uint64
	var envOut bool
	var keyPEM string
	var now string
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

--key-client-pem FILE writes the private key of the key client (the one that
authenticates with client assertions, private_key_jwt) to FILE (mode 0600, a
new file), for call --client-assertion-key FILE --client-id KEY_CLIENT_ID.

Stop it with Ctrl+C.`,
		Example: `  auth0-explorer sandbox --env > sandbox.env &
  . ./sandbox.env     # once the line is written; then 'call' needs no --domain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := sandbox.Options{Addr: addr, Seed: seed, Seeded: cmd.Flags().Changed("seed")}
			if now != "" {
				t, err := parseNow(now)
				if err != nil {
					return err
				}
				opts.Now = func() time.Time { return t }
			}
			return serveSandbox(cmd.Context(), env, opts, envOut, keyPEM, "")
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (loopback only)")
	cmd.Flags().Uint64Var(&seed, "seed", 0, "make the tenant deterministic: fixed key, client secrets and codes")
	cmd.Flags().StringVar(&keyPEM, "key-client-pem", "", "write the key client's private key (PEM) to this new file, for call --client-assertion-key")
	// Hidden, for reproducible screenshots: the tenant's clock, frozen.
	cmd.Flags().StringVar(&now, "now", "", "freeze the tenant's clock at this time (Unix seconds or RFC 3339)")
	_ = cmd.Flags().MarkHidden("now")
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
func serveSandbox(ctx context.Context, env *Env, opts sandbox.Options, envOut bool, keyPEM, banner string) error {
	srv, err := sandbox.Start(opts)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if keyPEM != "" {
		if err := writeKeyClientPEM(srv, keyPEM); err != nil {
			_ = srv.Close()
			return err
		}
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
	if keyPEM != "" {
		fmt.Fprintf(info, "  key client key  written to %s (call --client-id %s --client-assertion-key %s)\n", printable(keyPEM), srv.KeyClient.ID, api.ShellQuote(keyPEM))
	}
	fmt.Fprintf(info, "  PKCE callbacks  %s\n                  (the public client's allowed redirect_uris)\n", strings.Join(srv.Public.Callbacks, ", "))
	// The export line, one variable a line, so that it fits a terminal
	// and still pastes as one command.
	line := sandboxEnvLine(srv)
	first, rest, _ := strings.Cut(line, "' AUTH0_")
	export := first + "' \\\n      AUTH0_" + strings.ReplaceAll(rest, "' AUTH0_", "' \\\n      AUTH0_")
	fmt.Fprintf(info, "\nTry, in another shell:\n  %s\n  %s call passwordGrant username=%s password=%s scope=openid\n\nServing; press Ctrl+C to stop.\n",
		export, program(env), sandbox.SeedEmail, api.ShellQuote(sandbox.SeedPassword))
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return &exitError{code: 1, msg: "the sandbox did not stop cleanly: " + err.Error()}
	}
	fmt.Fprintln(info, "Sandbox stopped.")
	return nil
}

// writeKeyClientPEM writes the sandbox key client's private key to a new
// file at path, mode 0600.
func writeKeyClientPEM(srv *sandbox.Server, path string) error {
	pemBytes, err := srv.KeyClientPEM()
	if err != nil {
		return &exitError{code: 1, msg: "the key client's key could not be made: " + err.Error()}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return usageErr("--key-client-pem: %v (give a new file)", err)
	}
	if _, err := f.Write(pemBytes); err != nil {
		_ = f.Close()
		return usageErr("--key-client-pem: %v", err)
	}
	if err := f.Close(); err != nil {
		return usageErr("--key-client-pem: %v", err)
	}
	return nil
}
