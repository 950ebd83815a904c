package cli

import (
	"cmp"
	"fmt"

	"auth0-explorer/api/safetext"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

// deviceScope is the scope asked for when neither --scope nor the profile
// names one: a sign-in with a refresh token.
const deviceScope = "openid profile offline_access"

type deviceFlags struct {
	flowFlags
	audience, scope, organization string
	timeout                       string
	noIDTokenCheck                bool
}

func newDeviceCmd(env *Env) *cobra.Command {
	var f deviceFlags
	cmd := &cobra.Command{
		Use:   "device",
		Short: "Sign in with the device authorization flow and print the tokens",
		Long: `Run the device authorization flow (RFC 8628), as a TV or a command line
signs in: ask the tenant for a code (oauth.deviceAuthorization), show the user
code, the verification URL and a QR code of the URL with the code filled in on
standard error, then poll for the tokens (oauth.deviceCodeGrant) at the
interval the tenant names, 5 s longer after each slow_down, with a countdown
to the code's expiry. Approve on any device with a browser.

On approval the tokens go to standard output as JSON, or one of them alone
with --print access_token|id_token|refresh_token, for $(…) in scripts. The
id_token is checked as 'call' checks it (--no-id-token-check skips that);
with an organization it must carry it: org_id for an id (org_…), org_name
(in any case) for a name.

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME, else from AUTH0_DOMAIN, AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, else from the default profile. --audience, --scope and
--organization default to the profile's; the scope to "` + deviceScope + `".

Exit codes: 0 tokens, 1 the sign-in was denied, the code expired, --timeout
passed, the tenant said no, or the id_token is not valid, 2 bad command line,
3 network failure, 130 interrupted (Ctrl+C).`,
		Example: `  auth0-explorer device --profile tv --audience https://api.example.com/
  TOKEN=$(auth0-explorer device --print access_token)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDevice(cmd, env, &f)
		},
	}
	f.register(cmd, env, ", for HS256 id_tokens")
	fl := cmd.Flags()
	fl.StringVar(&f.audience, "audience", "", "the API the access token is for; default the profile's")
	fl.StringVar(&f.scope, "scope", "", "the scopes to ask for; default the profile's, else \""+deviceScope+"\"")
	fl.StringVar(&f.organization, "organization", "", "the organization to sign in to (its id or name); default the profile's")
	fl.StringVar(&f.timeout, "timeout", "", "stop waiting for the approval after this long, in seconds or as a duration such as 5m (default: until the code expires)")
	fl.BoolVar(&f.noIDTokenCheck, "no-id-token-check", false, "do not check the id_token of the answer")
	return cmd
}

func runDevice(cmd *cobra.Command, env *Env, f *deviceFlags) error {
	if err := checkPrint(f.print); err != nil {
		return err
	}
	limit, err := optionalTimeout("timeout", f.timeout)
	if err != nil {
		return err
	}
	sess, tn, err := f.open(cmd, env)
	if err != nil {
		return err
	}
	defer sess.Close()

	flow := &app.DeviceFlow{Session: sess, Audience: f.audience, Scope: f.scope, Organization: f.organization,
		SkipIDTokenCheck: f.noIDTokenCheck, Timeout: limit, Now: env.now(), Sleep: env.Sleep}
	fillFromProfile(tn, &flow.Audience, &flow.Scope, &flow.Organization)
	flow.Scope = cmp.Or(flow.Scope, deviceScope)
	pr := newPollProgress(env.Stderr)
	flow.OnStep = func(s app.DeviceStep) { deviceStep(pr, s) }
	ctx := cmd.Context()
	r, err := flow.Run(ctx)
	pr.end()
	if err != nil {
		return flowExit(ctx, env, r, err, "stopped waiting for the device's approval")
	}
	return writeTokens(env, r.Exchange.Response.Body, f.print)
}

// deviceStep shows a device flow step on stderr: the code, the URL and a
// QR code of it, then the countdown.
func deviceStep(p *pollProgress, s app.DeviceStep) {
	switch s.Kind {
	case app.DeviceCodeIssued:
		c := s.Code
		fmt.Fprintf(p.w, "To sign in, open %s and enter the code:\n\n    %s\n\n", safetext.Escape(c.VerificationURI), safetext.Escape(c.UserCode))
		if c.VerificationURIComplete != "" {
			fmt.Fprintf(p.w, "or open %s, or scan:\n\n", safetext.Escape(c.VerificationURIComplete))
			if qr, err := app.QRText(c.VerificationURIComplete); err == nil {
				fmt.Fprintln(p.w, qr)
			}
		}
		p.countdown("approval", "the code", s.Remaining, s.Interval)
	case app.DevicePending:
		p.countdown("approval", "the code", s.Remaining, s.Interval)
	case app.DeviceSlowDown:
		p.slowedDown(s.Interval)
		p.countdown("approval", "the code", s.Remaining, s.Interval)
	case app.DeviceApproved:
		p.line("approved")
	}
}
