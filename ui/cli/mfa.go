package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"auth0-explorer/api/safetext"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
)

type mfaFlags struct {
	flowFlags
	mfaToken                         string
	username, realm, audience, scope string
	passwordStdin                    bool
	authenticator                    string
	otp, bindingCode, recoveryCode   string
	timeout                          string
	noIDTokenCheck                   bool
}

func newMFACmd(env *Env) *cobra.Command {
	var f mfaFlags
	cmd := &cobra.Command{
		Use:   "mfa",
		Short: "Finish a sign-in that answered mfa_required (OTP, SMS or email code, push, recovery code) and print the tokens",
		Long: `Go through Auth0's MFA step-up, as an application that signs users in with
their password does when the tenant answers mfa_required: list the user's
authenticators (mfa.listAuthenticators), challenge one (mfa.challenge), then
verify with the authenticator app's code (mfa.verifyOTP), the code an SMS or
email brought (mfa.verifyOOB), the approval of a push notification
(mfa.verifyOOB polled at 5 s, longer after each slow_down, with a countdown),
or a recovery code (mfa.verifyRecoveryCode; Auth0 then answers the next one).

Start from the mfa_token of an mfa_required answer (--mfa-token, or - to read
it from standard input), or let the command sign in first with the password
grant (--username, the password from --password-stdin or asked for at the
terminal, not shown). A sign-in that answers tokens without asking for MFA
prints them, with a note.

The authenticator is --authenticator ID, else the only one that fits the code
given (--otp for the app, --binding-code for SMS or email, --recovery-code),
else a numbered choice at the terminal. Codes not given are asked for at the
terminal; one the tenant refuses there is asked for again, 3 tries in all (a
code given with a flag is tried once). Prompts and progress go to standard
error.

The tokens go to standard output as JSON, or one of them alone with --print
access_token|id_token|refresh_token, for $(…) in scripts. The id_token is
checked as 'call' checks it (--no-id-token-check skips that).

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME, else from AUTH0_DOMAIN, AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, else from the default profile. --realm, --audience and
--scope default to the profile's; the scope to "` + app.DefaultLoginScope + `".

Exit codes: 0 tokens, 1 the tenant refused (a wrong code, a spent or expired
mfa_token, a rejected or expired push, --timeout passed) or the id_token is
not valid, 2 bad command line (or a choice or code that cannot be asked for
without a terminal), 3 network failure, 130 interrupted (Ctrl+C).`,
		Example: `  auth0-explorer mfa --profile dev --username max@example.com
  printf '%s' "$PASSWORD" | auth0-explorer mfa --username max@example.com --password-stdin --otp 123456 --print access_token
  auth0-explorer mfa --mfa-token - --authenticator 'push|dev_…' < mfa-token.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMFA(cmd, env, &f)
		},
	}
	f.register(cmd, env, "")
	fl := cmd.Flags()
	fl.StringVar(&f.mfaToken, "mfa-token", "", "the mfa_token of an mfa_required answer; - reads it from standard input")
	fl.StringVar(&f.username, "username", "", "sign in with the password grant as this user first")
	fl.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from standard input (default: asked for at the terminal, not shown)")
	fl.StringVar(&f.realm, "realm", "", "the connection to sign in with (password-realm grant); default the profile's")
	fl.StringVar(&f.audience, "audience", "", "the API the access token is for; default the profile's")
	fl.StringVar(&f.scope, "scope", "", "the scopes to ask for; default the profile's, else \""+app.DefaultLoginScope+"\"")
	fl.StringVar(&f.authenticator, "authenticator", "", "the id of the authenticator to challenge (as mfa.listAuthenticators lists it)")
	fl.StringVar(&f.otp, "otp", "", "the authenticator app's one-time code")
	fl.StringVar(&f.bindingCode, "binding-code", "", "the code the SMS or email brought")
	fl.StringVar(&f.recoveryCode, "recovery-code", "", "a recovery code")
	fl.StringVar(&f.timeout, "timeout", "", "stop waiting for a push approval after this long, in seconds or as a duration such as 2m (default: until it expires)")
	fl.BoolVar(&f.noIDTokenCheck, "no-id-token-check", false, "do not check the id_token of the answer")
	return cmd
}

// checkMFAFlags refuses the combinations that cannot work, before anything
// is sent.
func checkMFAFlags(f *mfaFlags) error {
	if err := checkPrint(f.print); err != nil {
		return err
	}
	switch {
	case f.mfaToken == "" && f.username == "":
		return usageErr("give --mfa-token (the mfa_token of an mfa_required answer, or - to read it) or --username to sign in first")
	case f.mfaToken != "" && f.username != "":
		return usageErr("give --mfa-token or --username, not both")
	case f.passwordStdin && f.username == "":
		return usageErr("--password-stdin goes with --username")
	}
	codes := 0
	for _, c := range []string{f.otp, f.bindingCode, f.recoveryCode} {
		if c != "" {
			codes++
		}
	}
	if codes > 1 {
		return usageErr("give one of --otp, --binding-code and --recovery-code")
	}
	return nil
}

func runMFA(cmd *cobra.Command, env *Env, f *mfaFlags) error {
	if err := checkMFAFlags(f); err != nil {
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
	ctx := cmd.Context()
	in := &mfaInput{env: env}

	flow := &app.MFAFlow{Session: sess, MFAToken: f.mfaToken, SkipIDTokenCheck: f.noIDTokenCheck, Timeout: limit,
		Now: env.now(), Sleep: env.Sleep}
	if f.mfaToken == "-" {
		b, err := readFieldStdin(env, "mfa_token")
		if err != nil {
			return err
		}
		if flow.MFAToken = strings.TrimSpace(string(b)); flow.MFAToken == "" {
			return usageErr("--mfa-token -: standard input was empty")
		}
	}
	if f.username != "" {
		password, err := in.password(f)
		if err != nil {
			return err
		}
		scope := f.scope
		fillFromProfile(tn, nil, &scope, nil)
		scope = cmp.Or(scope, app.DefaultLoginScope)
		ex := sess.PasswordGrant(ctx, app.PasswordSignIn{Username: f.username, Password: password, Realm: f.realm, Audience: f.audience, Scope: scope})
		tok, ok := app.MFATokenOf(ex)
		if !ok {
			if ex.Err != nil {
				return mfaExit(ctx, env, nil, ex.Err)
			}
			fmt.Fprintln(env.Stderr, "note: the sign-in answered tokens: no MFA was asked for")
			r, err := flow.Finish(ctx, ex)
			if err != nil {
				return mfaExit(ctx, env, r, err)
			}
			return writeTokens(env, ex.Response.Body, f.print)
		}
		fmt.Fprintln(env.Stderr, "the sign-in asks for multi-factor authentication (mfa_required)")
		flow.MFAToken = tok
	}

	pr := newPollProgress(env.Stderr)
	flow.OnStep = func(s app.MFAStep) { mfaStep(pr, s) }
	r, err := runMFASteps(ctx, flow, in, f)
	pr.end()
	if err != nil {
		return mfaExit(ctx, env, r, err)
	}
	if r.RecoveryCode != "" {
		if f.print != "" {
			fmt.Fprintf(env.Stderr, "note: the recovery code used no longer works; the next one is %s (keep it)\n", safetext.Escape(r.RecoveryCode))
		} else {
			fmt.Fprintln(env.Stderr, "note: the recovery code used no longer works; the answer's recovery_code is the next one (keep it)")
		}
	}
	return writeTokens(env, r.Exchange.Response.Body, f.print)
}

// runMFASteps picks the authenticator, challenges it and verifies with
// what the challenge needs.
func runMFASteps(ctx context.Context, flow *app.MFAFlow, in *mfaInput, f *mfaFlags) (*app.MFAResult, error) {
	list, err := flow.ListAuthenticators(ctx)
	if err != nil {
		return nil, err
	}
	a, err := in.choose(list, f)
	if err != nil {
		return nil, err
	}
	ch, err := flow.Challenge(ctx, a)
	if err != nil {
		return nil, err
	}
	switch ch.Need {
	case app.MFANeedOTP:
		return in.verify(ctx, flow.VerifyOTP, f.otp, "--otp", "the code the authenticator app shows", false)
	case app.MFANeedBindingCode:
		return in.verify(ctx, flow.VerifyOOB, f.bindingCode, "--binding-code", "the code sent ("+a.Label()+")", false)
	case app.MFANeedRecoveryCode:
		return in.verify(ctx, flow.VerifyRecoveryCode, f.recoveryCode, "--recovery-code", "the recovery code", true)
	}
	return flow.PollOOB(ctx)
}

// mfaInput asks at the terminal: standard input, when it is one.
type mfaInput struct {
	env   *Env
	lines *bufio.Reader
}

func (in *mfaInput) terminal() (int, bool) { return stdinTerminal(in.env.Stdin) }

// line asks question on stderr and reads one line, shown as typed.
func (in *mfaInput) line(question string) (string, error) {
	fmt.Fprint(in.env.Stderr, question)
	if in.lines == nil {
		in.lines = bufio.NewReader(in.env.Stdin)
	}
	s, err := in.lines.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", usageErr("could not read the answer from the terminal: %v", err)
	}
	return strings.TrimSpace(s), nil
}

// password is --password-stdin's password, or one asked for at the
// terminal without echo.
func (in *mfaInput) password(f *mfaFlags) (string, error) {
	if !f.passwordStdin {
		fd, ok := in.terminal()
		if !ok {
			return "", usageErr("--username needs the password: give it on standard input with --password-stdin, or run at a terminal to be asked for it")
		}
		fmt.Fprintf(in.env.Stderr, "password for %s (not shown as you type): ", printable(f.username))
		b, err := readPassword(fd)
		fmt.Fprintln(in.env.Stderr)
		if err != nil {
			return "", usageErr("could not read the password from the terminal: %v", err)
		}
		return string(b), nil
	}
	b, err := readFieldStdin(in.env, "password")
	if err != nil {
		return "", err
	}
	// The password is one line: echo's newline (or a CRLF's) is not part
	// of it, other spaces are.
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return "", usageErr("--password-stdin: standard input was empty")
	}
	return p, nil
}

// code is the code given with flag, else one asked for at the terminal.
func (in *mfaInput) code(given, flag, what string, secret bool) (string, error) {
	if given != "" {
		return given, nil
	}
	fd, ok := in.terminal()
	if !ok {
		return "", usageErr("%s is needed: give it with %s, or run at a terminal to be asked for it", what, flag)
	}
	if secret {
		fmt.Fprintf(in.env.Stderr, "%s (not shown as you type): ", what)
		b, err := readPassword(fd)
		fmt.Fprintln(in.env.Stderr)
		if err != nil {
			return "", usageErr("could not read %s from the terminal: %v", what, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	s, err := in.line(what + ": ")
	if err == nil && s == "" {
		err = usageErr("no %s was given", what)
	}
	return s, err
}

// mfaTries is how many codes typed at the prompt the command verifies
// before it gives up, as the TUI's MFA flow (flows.MFATries).
const mfaTries = 3

// verify verifies the code given with flag, once: a script must neither
// hang nor loop. A code asked for at the terminal that the tenant refuses
// (invalid_grant; the flow stays where it was) is told on stderr and asked
// for again, mfaTries times in all; the last refusal is the error. A spent
// or expired mfa_token, or any other error, stops at once.
func (in *mfaInput) verify(ctx context.Context, verify func(context.Context, string) (*app.MFAResult, error), given, flag, what string, secret bool) (*app.MFAResult, error) {
	for try := 1; ; try++ {
		code, err := in.code(given, flag, what, secret)
		if err != nil {
			return nil, err
		}
		r, err := verify(ctx, code)
		var me *app.MFAError
		if given != "" || err == nil || !errors.As(err, &me) || me.Code != "invalid_grant" || try == mfaTries {
			return r, err
		}
		left, tries := mfaTries-try, "tries"
		if left == 1 {
			tries = "try"
		}
		fmt.Fprintf(in.env.Stderr, "%s; %d %s left\n", safetext.Escape(me.Msg), left, tries)
	}
}

// choose picks the authenticator: --authenticator, else the only one that
// fits the code given, else a numbered choice at the terminal.
func (in *mfaInput) choose(list []app.MFAAuthenticator, f *mfaFlags) (app.MFAAuthenticator, error) {
	fits := func(a app.MFAAuthenticator) bool {
		switch {
		case f.otp != "":
			return a.Type == app.MFATypeOTP
		case f.bindingCode != "":
			return a.Type == app.MFATypeOOB && !a.IsPush()
		case f.recoveryCode != "":
			return a.IsRecoveryCode()
		}
		return true
	}
	if len(list) == 0 {
		return app.MFAAuthenticator{}, &exitError{code: 1, msg: "the user has no active authenticator to challenge: enrol one first (mfa.associate)"}
	}
	if f.authenticator != "" {
		for _, a := range list {
			if a.ID == f.authenticator {
				if !fits(a) {
					return a, usageErr("--authenticator %s is the %s, which %s does not verify", printable(a.ID), a.Label(), codeFlag(f))
				}
				return a, nil
			}
		}
		return app.MFAAuthenticator{}, usageErr("--authenticator %s is not one of the user's active authenticators: %s", quoteCut(f.authenticator, 60), listAuthenticators(list))
	}
	var cand []app.MFAAuthenticator
	for _, a := range list {
		if fits(a) {
			cand = append(cand, a)
		}
	}
	switch {
	case len(cand) == 0:
		return app.MFAAuthenticator{}, usageErr("none of the user's authenticators takes %s: %s", codeFlag(f), listAuthenticators(list))
	case len(cand) == 1:
		return cand[0], nil
	}
	if _, ok := in.terminal(); !ok {
		return app.MFAAuthenticator{}, usageErr("the user has several authenticators; choose one with --authenticator: %s", listAuthenticators(cand))
	}
	fmt.Fprintln(in.env.Stderr, "Choose an authenticator:")
	for i, a := range cand {
		fmt.Fprintf(in.env.Stderr, "  %d. %s (%s)\n", i+1, a.Label(), printable(a.ID))
	}
	for range 3 {
		s, err := in.line(fmt.Sprintf("number (1-%d): ", len(cand)))
		if err != nil {
			return app.MFAAuthenticator{}, err
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(cand) {
			return cand[n-1], nil
		}
		fmt.Fprintf(in.env.Stderr, "%s is not a number from 1 to %d\n", quoteCut(s, 20), len(cand))
	}
	return app.MFAAuthenticator{}, usageErr("no authenticator was chosen")
}

func codeFlag(f *mfaFlags) string {
	switch {
	case f.otp != "":
		return "--otp"
	case f.bindingCode != "":
		return "--binding-code"
	}
	return "--recovery-code"
}

// listAuthenticators names each authenticator for a sentence.
func listAuthenticators(list []app.MFAAuthenticator) string {
	var s []string
	for _, a := range list {
		s = append(s, printable(a.ID)+" ("+a.Label()+")")
	}
	return strings.Join(s, ", ")
}

// mfaStep shows a step on stderr, a push's wait as a countdown.
func mfaStep(pr *pollProgress, s app.MFAStep) {
	switch s.Kind {
	case app.MFAChallenged:
		c := s.Challenge
		switch c.Need {
		case app.MFANeedBindingCode:
			pr.line("a code was sent: " + c.Authenticator.Label())
		case app.MFANeedApproval:
			pr.line("a push notification was sent (" + c.Authenticator.Label() + "): approve it on the phone")
			mfaCountdown(pr, s)
		}
	case app.MFAPending:
		mfaCountdown(pr, s)
	case app.MFASlowDown:
		pr.slowedDown(s.Interval)
		mfaCountdown(pr, s)
	case app.MFAVerified:
		pr.line("verified")
	}
}

func mfaCountdown(pr *pollProgress, s app.MFAStep) {
	pr.countdown("approval", "the notification", s.Remaining, s.Interval)
}

// mfaExit is the exit of a flow that stopped without usable tokens.
func mfaExit(ctx context.Context, env *Env, r *app.MFAResult, err error) error {
	var g *app.GrantResult
	if r != nil {
		g = &r.GrantResult
	}
	return flowExit(ctx, env, g, err, "stopped before the multi-factor authentication finished")
}
