package cli

import (
	"context"
	"errors"
	"fmt"

	sbx "auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/browser"

	"github.com/spf13/cobra"
)

type loginFlags struct {
	flowFlags
	sandbox                       bool
	audience, scope, organization string
	connection, prompt, loginHint string
	redirectURI, timeout          string
	par                           bool
}

func newLoginCmd(env *Env) *cobra.Command {
	var f loginFlags
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in through the browser (authorization code + PKCE) and print the tokens",
		Long: `Sign in through the system's browser with the authorization code flow and
PKCE, as a native app does, and print the tokens.

The /authorize URL carries an S256 code challenge, a state and a nonce (with
--par the parameters are pushed to /oauth/par first and the URL carries only
the request_uri). The browser is sent back to a listener on 127.0.0.1 at the
redirect URI: --redirect-uri (a loopback URL, http://127.0.0.1[:PORT]/PATH),
else the profile's (saved with 'profile add NAME --redirect-uri URL'), else
http://127.0.0.1:<random port>/callback. The application must list it in its
Allowed Callback URLs: with a real tenant, save a fixed port in the profile
and list exactly that URL. The listener takes exactly one callback, only from
127.0.0.1, and stops after it or after --timeout. The state is checked: a callback with another state (a
forged or stale redirect) ends the login with exit 1, and a later one is
refused; run login again. The code is exchanged with the verifier (and the
client secret of a confidential client), and the id_token checked as 'call'
checks one, the nonce included; with --organization (or the profile's) it
must carry the organization: org_id for an id (org_…), org_name (in any case)
for a name.

--prompt none asks for a silent sign-in: without a session at the tenant it
comes back refused with login_required (exit 1).

When no browser can be opened (an SSH session, no display), the URL is
printed on stderr: open it anywhere that can reach this machine's 127.0.0.1
(an SSH tunnel for the port).

Progress goes to stderr. On success the token answer is printed as JSON on
stdout, tokens unredacted (they are what this command is for); --print
prints one token alone, for $(…) in scripts.

The tenant comes from --sandbox, --domain/--client-id/--client-secret,
--profile NAME, AUTH0_DOMAIN/AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET, or the
default profile, as for 'call'.

Exit codes: 0 signed in, 1 the sign-in or the exchange was refused, the
callback's state did not match, or the id_token is not valid, 2 bad command
line, 3 network failure or no callback before --timeout, 130 interrupted.`,
		Example: `  auth0-explorer login --sandbox
  auth0-explorer login --profile dev --audience https://api.example.com/ --scope "openid offline_access"
  TOKEN=$(auth0-explorer login --profile dev --print access_token)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLogin(cmd, env, &f)
		},
	}
	f.register(cmd, env, " (none for a public client)")
	fl := cmd.Flags()
	fl.BoolVar(&f.sandbox, "sandbox", false, "sign in to a fresh in-process sandbox tenant (its seeded user)")
	fl.StringVar(&f.audience, "audience", "", "the API to get an access token for; default the profile's")
	fl.StringVar(&f.scope, "scope", "", "the scopes to ask for; default the profile's, else \""+app.DefaultLoginScope+"\"")
	fl.StringVar(&f.organization, "organization", "", "the organization id (org_…) or name to sign in to; default the profile's")
	fl.StringVar(&f.connection, "connection", "", "the connection to go straight to")
	fl.StringVar(&f.prompt, "prompt", "", "none (silent), login (force a sign-in) or consent")
	fl.StringVar(&f.loginHint, "login-hint", "", "the username or email to prefill")
	fl.BoolVar(&f.par, "par", false, "push the parameters to /oauth/par first (pushed authorization requests; a confidential client)")
	fl.StringVar(&f.redirectURI, "redirect-uri", "", "the loopback redirect URI to listen on, http://127.0.0.1[:PORT]/PATH; default the profile's redirect URI, else http://127.0.0.1:<random>/callback")
	fl.StringVar(&f.timeout, "timeout", "120", "how long to wait for the browser, in seconds or as a duration such as 5m")
	_ = cmd.RegisterFlagCompletionFunc("prompt", cobra.FixedCompletions([]string{"none", "login", "consent"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runLogin(cmd *cobra.Command, env *Env, f *loginFlags) error {
	if err := checkPrint(f.print); err != nil {
		return err
	}
	timeout, err := parseTimeout("timeout", f.timeout)
	if err != nil {
		return err
	}
	flags := tenantFlagsOf(cmd)
	sandbox := f.sandbox || f.profile == config.SandboxProfileName
	if sandbox && (f.profile != "" && f.profile != config.SandboxProfileName || flags.DomainSet || flags.ClientIDSet || flags.ClientSecretSet) {
		return usageErr("--sandbox takes its own tenant: leave out --profile, --domain, --client-id and --client-secret")
	}
	ua := "auth0-explorer/" + Version()
	var sess *app.Session
	if sandbox {
		if sess, err = app.OpenSandbox(sbx.Options{Now: env.Now}, env.Transport, ua); err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("could not start the sandbox tenant: %v", err)}
		}
	} else {
		tn, err := resolveTenant(env, f.profile, flags)
		if err != nil {
			return err
		}
		if sess, err = app.Open(tn, env.Transport, ua); err != nil {
			return usageErr("%v", err)
		}
	}
	defer sess.Close()

	progress := func(s app.Step) {
		fmt.Fprintln(env.Stderr, "auth0-explorer: "+app.Printable(s.Text))
	}
	flow := sess.NewLogin(app.LoginOptions{
		Audience: f.audience, Scope: f.scope, Organization: f.organization,
		Connection: f.connection, Prompt: f.prompt, LoginHint: f.loginHint,
		PAR: f.par, RedirectURI: f.redirectURI, Timeout: timeout, Now: env.Now, OnStep: progress,
	})
	defer flow.Close()
	ctx := cmd.Context()
	u, err := flow.Start(ctx)
	if err != nil {
		return loginExit(err)
	}
	o := env.Browser
	if o == nil {
		o = &browser.Opener{Getenv: env.Getenv}
	}
	if err := o.Open(ctx, u); err != nil {
		fmt.Fprintf(env.Stderr, "auth0-explorer: could not open a browser: %v; open this URL to sign in:\n%s\n", err, u)
	} else {
		fmt.Fprintln(env.Stderr, "auth0-explorer: opened the browser; sign in there")
	}
	res, err := flow.Wait(ctx)
	if res != nil {
		printNotes(env, res.Notes)
	}
	if err != nil {
		if res != nil && f.print == "" {
			// The id_token failed: the answer is still shown, as call
			// shows it.
			env.Stdout.Write(app.Prettify(res.Tokens))
		}
		return loginExit(err)
	}
	return writeTokens(env, res.Tokens, f.print)
}

// loginExit is the exit of a failed login: app's code, or a stop.
func loginExit(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &exitError{code: 3, msg: "the login was stopped before it finished"}
	}
	return exitOf(err)
}
