package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

type refreshFlags struct {
	flowFlags
	refreshToken, scope string
	revoke              bool
}

func newRefreshCmd(env *Env) *cobra.Command {
	var f refreshFlags
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Refresh a refresh token, show the rotation and the claim changes; with --revoke, revoke it and show it refused",
		Long: `Exchange a refresh token for new tokens (oauth.refreshToken) and say on
standard error whether the tenant rotated it (the answer carries a new refresh
token) and, when the earlier tokens are known, which claims of the access and
id tokens changed. With --revoke, then revoke the newest refresh token (the
rotated one, else the one sent; oauth.revokeRefreshToken) and try it once more
to show that the tenant refuses it.

The refresh token comes from --refresh-token, or from standard input with
--refresh-token - or when standard input is not a terminal: a token alone, or
the tokens JSON that 'login', 'device' or 'ciba' print, whose access_token and
id_token are then compared with the new ones.

The new tokens go to standard output as JSON, or one of them alone with
--print access_token|id_token|refresh_token (refresh_token: the rotated one,
or, on a tenant that does not rotate, the one sent, which stays valid).

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME, else from AUTH0_DOMAIN, AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, else from the default profile.

Exit codes: 0 done, 1 the tenant refused the refresh or the revocation, or
still accepts the revoked token, 2 bad command line, 3 network failure, 130
interrupted (Ctrl+C).`,
		Example: `  auth0-explorer refresh --refresh-token "$RT"
  auth0-explorer device | auth0-explorer refresh --revoke`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRefresh(cmd, env, &f)
		},
	}
	f.register(cmd, env, "")
	fl := cmd.Flags()
	fl.StringVar(&f.refreshToken, "refresh-token", "", "the refresh token; - reads it (or the tokens JSON of login/device) from standard input")
	fl.StringVar(&f.scope, "scope", "", "narrow the new tokens to these scopes (default: the granted ones)")
	fl.BoolVar(&f.revoke, "revoke", false, "then revoke the newest refresh token and show that the tenant refuses it")
	return cmd
}

// heldTokens are the tokens refresh starts from.
type heldTokens struct {
	refresh, access, id string
}

// readRefreshInput finds the refresh token: the flag's value, or standard
// input (with -, or no flag and a standard input that is not a terminal),
// a token alone or a tokens JSON object.
func readRefreshInput(cmd *cobra.Command, env *Env, flag string) (heldTokens, error) {
	var h heldTokens
	raw := flag
	if flag == "-" || !cmd.Flags().Changed("refresh-token") {
		if _, term := stdinTerminal(env.Stdin); term && flag != "-" {
			return h, usageErr("no refresh token: give --refresh-token, or pipe it (or the tokens JSON of login or device) on standard input")
		}
		b, err := readFieldStdin(env, "refresh token")
		if err != nil {
			return h, err
		}
		raw = string(b)
	}
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "{") {
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return h, usageErr("the input looks like JSON but is not valid: %v", err)
		}
		str := func(k string) string { s, _ := m[k].(string); return strings.TrimSpace(s) }
		h = heldTokens{refresh: str("refresh_token"), access: str("access_token"), id: str("id_token")}
		if h.refresh == "" {
			return h, usageErr("the tokens JSON has no refresh_token (sign in with offline_access in the scope to get one)")
		}
		return h, nil
	}
	var notes []string
	h.refresh, notes = api.CleanToken(raw)
	for _, n := range notes {
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: refresh token: "+n)
	}
	if h.refresh == "" {
		return h, usageErr("no refresh token given: pass --refresh-token, or pipe it on standard input")
	}
	return h, nil
}

func runRefresh(cmd *cobra.Command, env *Env, f *refreshFlags) error {
	if err := checkPrint(f.print); err != nil {
		return err
	}
	held, err := readRefreshInput(cmd, env, f.refreshToken)
	if err != nil {
		return err
	}
	sess, _, err := f.open(cmd, env)
	if err != nil {
		return err
	}
	defer sess.Close()

	flow := &app.RefreshFlow{Session: sess, RefreshToken: held.refresh, AccessToken: held.access, IDToken: held.id,
		Scope: f.scope, StopAfterRefresh: !f.revoke, OnStep: func(s app.RefreshStep) { refreshProgress(env, s) }}
	r, err := flow.Run(cmd.Context())
	if r != nil {
		// The new tokens are good whatever the later steps found.
		var werr error
		if f.print == "refresh_token" && r.Token("refresh_token") == "" {
			werr = printKeptRefreshToken(env, r, f.revoke)
		} else {
			werr = writeTokens(env, r.Exchange.Response.Body, f.print)
		}
		if werr != nil && err == nil {
			err = werr
		}
	}
	if err == nil {
		return nil
	}
	return flowRefusal(err)
}

// printKeptRefreshToken is --print refresh_token when the tenant did not
// rotate (its answer has none): the refresh token to use next is the one
// sent, which stays valid, unless --revoke has just revoked it.
func printKeptRefreshToken(env *Env, r *app.RefreshResult, revoked bool) error {
	if revoked {
		return &exitError{code: 1, msg: "the tenant does not rotate refresh tokens and the one sent was revoked (--revoke): no refresh token to print"}
	}
	fmt.Fprintln(env.Stdout, r.RefreshToken)
	return nil
}

// refreshProgress tells a step on stderr; a failed one is the command's
// error, told once at the end.
func refreshProgress(env *Env, s app.RefreshStep) {
	if s.Failed() {
		return
	}
	w := env.Stderr
	fmt.Fprintln(w, safetext.Escape(s.Text))
	if s.Kind != app.RefreshStepRefresh || s.Result == nil {
		return
	}
	for _, d := range s.Result.Diffs {
		if d.Note != "" {
			fmt.Fprintf(w, "  %s: %s\n", d.Field, d.Note)
			continue
		}
		fmt.Fprintf(w, "  %s: %s\n", d.Field, d.Lifetime.Summary())
		changed := d.Changed()
		if len(changed) == 0 {
			fmt.Fprintln(w, "    no claim differs")
		}
		for _, c := range changed {
			fmt.Fprintf(w, "    %s %s: %s → %s\n", c.Change.Mark(), c.Name, cmp.Or(c.Before, "(none)"), cmp.Or(c.After, "(none)"))
		}
	}
}
