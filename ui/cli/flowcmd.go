package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// flowFlags are the flags the guided flow commands (login, device, ciba,
// mfa, refresh) declare alike: the tenant's (--domain, --client-id,
// --client-secret, --profile) and --print.
type flowFlags struct {
	domain, clientID, clientSecret, profile string
	print                                   string
}

// register declares the flags on cmd, with the completions of --profile
// and --print, and a flag error that points to the command's --help.
// secretNote, when set, says more about the client secret in its help.
func (f *flowFlags) register(cmd *cobra.Command, env *Env, secretNote string) {
	fl := cmd.Flags()
	fl.StringVar(&f.domain, "domain", "", "tenant host (tenant.eu.auth0.com) or base URL (http://127.0.0.1:8080); default $AUTH0_DOMAIN")
	fl.StringVar(&f.clientID, "client-id", "", "the application's client id; default $AUTH0_CLIENT_ID")
	fl.StringVar(&f.clientSecret, "client-secret", "", "the application's client secret"+secretNote+"; default $AUTH0_CLIENT_SECRET")
	fl.StringVar(&f.profile, "profile", "", "use a saved profile")
	fl.StringVar(&f.print, "print", "", "print only this token: "+strings.Join(printableTokens, ", "))
	_ = cmd.RegisterFlagCompletionFunc("print", cobra.FixedCompletions(printableTokens, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("profile", completeProfileFlag(env))
	name := cmd.Name()
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v (see %s --help)", err, name) })
}

// open resolves the tenant (the flags, the profile, the environment) and
// opens a session on it that gives up on a request after 30 s, on a
// connection after 10 s.
func (f *flowFlags) open(cmd *cobra.Command, env *Env) (*app.Session, tenant, error) {
	tn, err := resolveTenant(env, f.profile, tenantFlagsOf(cmd))
	if err != nil {
		return nil, tn, err
	}
	t := env.Transport
	t.Timeout, t.ConnectTimeout = 30*time.Second, 10*time.Second
	sess, err := app.Open(tn, t, "auth0-explorer/"+Version())
	if err != nil {
		return nil, tn, usageErr("%v", err)
	}
	return sess, tn, nil
}

// optionalTimeout is parseTimeout for a flag whose empty value means no
// limit (0).
func optionalTimeout(flag, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return parseTimeout(flag, s)
}

// fillFromProfile sets each of audience, scope and organization (those
// not nil) that is empty to the tenant profile's.
func fillFromProfile(tn tenant, audience, scope, organization *string) {
	p := tn.Profile
	if p == nil {
		return
	}
	for _, d := range []struct {
		v   *string
		def string
	}{{audience, p.Audience}, {scope, p.Scope}, {organization, p.Organization}} {
		if d.v != nil {
			*d.v = cmp.Or(*d.v, d.def)
		}
	}
}

// flowExit is the exit of a flow (device, CIBA, MFA) that stopped without
// usable tokens; stopped is the sentence for an interruption.
func flowExit(ctx context.Context, env *Env, r *app.GrantResult, err error, stopped string) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	if errors.Is(err, ErrInterrupted) || (ctx.Err() != nil && errors.Is(err, context.Cause(ctx))) {
		return &exitError{code: 130, msg: stopped}
	}
	if r != nil && r.IDToken != nil && !r.IDToken.Valid() {
		ac := &answerCheck{report: r.IDToken, notes: r.Notes}
		return ac.exit(env, r.Exchange.Redactor())
	}
	return flowRefusal(err)
}

// flowRefusal is the exit of a flow's error: the command's own exit, 1 for
// a flow's stop (*app.FlowError: a denial, an expiry, a refusal), else the
// exchange's code.
func flowRefusal(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	var fe *app.FlowError
	if errors.As(err, &fe) {
		return &exitError{code: 1, msg: safetext.Escape(fe.Msg)}
	}
	return &exitError{code: api.ExitCode(err), msg: safetext.Escape(err.Error())}
}

// pollProgress shows a polling flow's steps (device, CIBA, an MFA push) on
// stderr: on a terminal one countdown line rewritten at each poll,
// elsewhere one line per step.
type pollProgress struct {
	w        io.Writer
	live     bool
	lineOpen bool
}

func newPollProgress(w io.Writer) *pollProgress {
	f, ok := w.(*os.File)
	return &pollProgress{w: w, live: ok && term.IsTerminal(int(f.Fd()))}
}

// countdown shows the wait for who until what expires, and the interval.
func (p *pollProgress) countdown(who, what string, remaining, interval time.Duration) {
	p.status(fmt.Sprintf("waiting for %s: %s expires in %s (checking every %s)", who, what, minSec(remaining), interval))
}

// slowedDown tells a slow_down answer: the interval from now on.
func (p *pollProgress) slowedDown(interval time.Duration) {
	p.line(fmt.Sprintf("the tenant asked to poll less often: every %s now", interval))
}

// minSec is d as m:ss, for a countdown.
func minSec(d time.Duration) string {
	d = d.Truncate(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// status shows text as the line that is rewritten at each poll on a
// terminal, elsewhere as one more line.
func (p *pollProgress) status(text string) {
	if p.live {
		fmt.Fprint(p.w, "\r\x1b[K"+text)
		p.lineOpen = true
		return
	}
	fmt.Fprintln(p.w, text)
}

// line prints a whole line, below a countdown that is being rewritten.
func (p *pollProgress) line(text string) {
	p.end()
	fmt.Fprintln(p.w, text)
}

func (p *pollProgress) end() {
	if p.lineOpen {
		fmt.Fprintln(p.w)
		p.lineOpen = false
	}
}
