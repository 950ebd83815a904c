package cli

import (
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api/safetext"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

type cibaFlags struct {
	flowFlags
	userID, loginHint, bindingMessage string
	scope, audience                   string
	requestedExpiry, timeout          string
	noIDTokenCheck                    bool
}

func newCIBACmd(env *Env) *cobra.Command {
	var f cibaFlags
	cmd := &cobra.Command{
		Use:   "ciba",
		Short: "Ask a user to approve a sign-in on their own device (CIBA) and print the tokens",
		Long: `Run client-initiated backchannel authentication (CIBA): the application asks
the tenant (backchannel.authorize) to ask the user, named by --user-id or
--login-hint, to approve a sign-in on their own device (Guardian push; the
sandbox's outbox), showing --binding-message there and here so that they can
match the two. Then poll for the tokens (backchannel.backchannelGrant) at the
interval the tenant names, 5 s longer after each slow_down, with a countdown
to the request's expiry, until the user approves or denies, or it expires.

On approval the tokens go to standard output as JSON, or one of them alone
with --print access_token|id_token|refresh_token, for $(…) in scripts. The
id_token is checked as 'call' checks it (--no-id-token-check skips that).

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME, else from AUTH0_DOMAIN, AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, else from the default profile. --audience and --scope
default to the profile's; the scope to "` + app.DefaultCIBAScope + `".

Exit codes: 0 tokens, 1 the user denied, the request expired, --timeout
passed, the tenant said no, or the id_token is not valid, 2 bad command line,
3 network failure, 130 interrupted (Ctrl+C).`,
		Example: `  auth0-explorer ciba --user-id 'auth0|64f1…' --binding-message 'Order 7421'
  TOKEN=$(auth0-explorer ciba --profile bank --user-id 'auth0|64f1…' --binding-message 'Pay 20 EUR' --print access_token)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCIBA(cmd, env, &f)
		},
	}
	f.register(cmd, env, "")
	fl := cmd.Flags()
	fl.StringVar(&f.userID, "user-id", "", "the Auth0 user id of the user to ask (auth0|64f…)")
	fl.StringVar(&f.loginHint, "login-hint", "", "the login_hint JSON as sent, in place of --user-id (another issuer, a custom domain)")
	fl.StringVar(&f.bindingMessage, "binding-message", "", "the short message the user sees on both devices, e.g. \"Order 7421\" (required)")
	fl.StringVar(&f.scope, "scope", "", "the scopes to ask for (must include openid); default the profile's, else \""+app.DefaultCIBAScope+"\"")
	fl.StringVar(&f.audience, "audience", "", "the API the access token is for; default the profile's")
	fl.StringVar(&f.requestedExpiry, "requested-expiry", "", "how long the request may wait for the user, in seconds or as a duration such as 2m (Auth0 takes 1 to 300 s; default 300)")
	fl.StringVar(&f.timeout, "timeout", "", "stop waiting for the user after this long, in seconds or as a duration such as 2m (default: until the request expires)")
	fl.BoolVar(&f.noIDTokenCheck, "no-id-token-check", false, "do not check the id_token of the answer")
	return cmd
}

func runCIBA(cmd *cobra.Command, env *Env, f *cibaFlags) error {
	if err := checkPrint(f.print); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(f.userID) == "" && strings.TrimSpace(f.loginHint) == "":
		return usageErr("name the user to ask with --user-id (auth0|…) or --login-hint")
	case f.userID != "" && f.loginHint != "":
		return usageErr("give --user-id or --login-hint, not both")
	case strings.TrimSpace(f.bindingMessage) == "":
		return usageErr("--binding-message is required: the short message the user sees on both devices, e.g. \"Order 7421\"")
	}
	limit, err := optionalTimeout("timeout", f.timeout)
	if err != nil {
		return err
	}
	expiry, err := optionalTimeout("requested-expiry", f.requestedExpiry)
	if err != nil {
		return err
	}
	if expiry%time.Second != 0 {
		return usageErr("--requested-expiry must be whole seconds, not %s", expiry)
	}
	sess, tn, err := f.open(cmd, env)
	if err != nil {
		return err
	}
	defer sess.Close()

	flow := &app.CIBAFlow{Session: sess, UserID: strings.TrimSpace(f.userID), LoginHint: f.loginHint, BindingMessage: f.bindingMessage,
		Scope: f.scope, Audience: f.audience, RequestedExpiry: expiry, SkipIDTokenCheck: f.noIDTokenCheck,
		Timeout: limit, Now: env.now(), Sleep: env.Sleep}
	fillFromProfile(tn, &flow.Audience, &flow.Scope, nil)
	pr := newPollProgress(env.Stderr)
	flow.OnStep = func(s app.CIBAStep) { cibaStep(pr, s) }
	ctx := cmd.Context()
	r, err := flow.Run(ctx)
	pr.end()
	if err != nil {
		return flowExit(ctx, env, r, err, "stopped waiting for the user's approval")
	}
	return writeTokens(env, r.Exchange.Response.Body, f.print)
}

// cibaStep shows a CIBA step on stderr: the binding message, then the
// countdown.
func cibaStep(p *pollProgress, s app.CIBAStep) {
	switch s.Kind {
	case app.CIBARequested:
		fmt.Fprintf(p.w, "Asked the user to approve the sign-in on their device. The binding message, which they see there too:\n\n    %s\n\n",
			safetext.Escape(s.Request.BindingMessage))
		p.countdown("the user", "the request", s.Remaining, s.Interval)
	case app.CIBAPending:
		p.countdown("the user", "the request", s.Remaining, s.Interval)
	case app.CIBASlowDown:
		p.slowedDown(s.Interval)
		p.countdown("the user", "the request", s.Remaining, s.Interval)
	case app.CIBAApproved:
		p.line("approved")
	}
}
