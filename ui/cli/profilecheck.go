package cli

import (
	"fmt"
	"strings"

	sbx "auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

func newProfileCheckCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "check NAME",
		Short: "Check a tenant: discovery, keys, clock, client credentials",
		Long: `Check the tenant of a profile, one line each, green or red with the fix:
the discovery document is reachable and names the issuer the domain implies;
the key set has signing keys (their algorithms listed); this machine's clock
agrees with the server's Date header; the client id and secret are accepted by
a client credentials grant (with the profile's audience), or the exact reason
(access_denied, unauthorized_client when the grant is not enabled), and
whether an audience is configured when the answer says none is.

Nothing is changed on the tenant; an accepted grant issues one access token,
which is dropped. NAME may also be "env" (AUTH0_* variables) or "sandbox"
(a fresh in-process sandbox tenant).

Exit status: 0 all green, 1 something is red, 3 the tenant could not be reached.`,
		Example: `  auth0-explorer profile check dev
  auth0-explorer profile check sandbox`,
		Args:              exactArgs(1, "the name of a profile"),
		ValidArgsFunction: completeProfiles(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			ua := "auth0-explorer/" + Version()
			var sess *app.Session
			var err error
			if name == config.SandboxProfileName {
				sess, err = app.OpenSandbox(sbx.Options{Now: env.Now}, env.Transport, ua)
				if err != nil {
					return &exitError{code: 1, msg: fmt.Sprintf("could not start the sandbox tenant: %v", err)}
				}
			} else {
				t, err := resolveTenant(env, name, tenantFlags{})
				if err != nil {
					return err
				}
				if sess, err = app.Open(t, env.Transport, ua); err != nil {
					return usageErr("profile %s: %v", printable(name), err)
				}
			}
			defer sess.Close()
			lines := app.CheckTenant(cmd.Context(), sess, env.Now)
			fmt.Fprintf(env.Stdout, "%s (%s)\n", printable(sess.Name), printable(sess.Domain()))
			colour := env.StdoutTerminal && env.Getenv("NO_COLOR") == ""
			var b strings.Builder
			for _, l := range lines {
				b.WriteString(checkLineText(l, colour))
			}
			fmt.Fprint(env.Stdout, b.String())
			switch failed, network := app.CheckFailed(lines); {
			case network:
				return &exitError{code: 3}
			case failed:
				return &exitError{code: 1}
			}
			return nil
		},
	}
}

// checkLineText is one checklist line: a mark that reads without colour
// (✓ green, ✗ red, ! a note), the name, what was found, and the fix
// indented below.
func checkLineText(l app.CheckLine, colour bool) string {
	mark, code := "✓", "32"
	switch l.State {
	case app.CheckFail:
		mark, code = "✗", "31"
	case app.CheckNote:
		mark, code = "!", "33"
	}
	if colour {
		mark = "\x1b[" + code + "m" + mark + "\x1b[0m"
	}
	s := fmt.Sprintf("%s %-18s %s\n", mark, l.Name, l.Detail)
	if l.Fix != "" {
		s += fmt.Sprintf("  %-18s fix: %s\n", "", l.Fix)
	}
	return s
}
