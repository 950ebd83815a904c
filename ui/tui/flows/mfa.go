package flows

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/ui/app"
)

// MFATitle is the MFA step-up's title, in the menu and over its steps.
const MFATitle = "MFA step-up"

// MFATries is how many codes the MFA step-up takes before it gives up.
const MFATries = 3

const mfaSummary = "Finish a sign-in that answered mfa_required: an authenticator app's code, an SMS code, a push approval or a recovery code."

// MFA is the MFA step-up from the menu, as app.MFAFlow runs it: sign in
// with the password grant, and when the tenant answers mfa_required, list
// the user's authenticators, challenge the one chosen, then take its code
// (or wait for the push's approval); the tokens land in the Answer.
func MFA(env Env) Flow {
	var user, userSrc, realm, realmSrc string
	if s := env.Session; s.IsSandbox() {
		user, userSrc = sandbox.MFASeedEmail, "sandbox MFA user"
	}
	if s := env.Session; s != nil && s.Profile != nil && s.Profile.Realm != "" {
		realm, realmSrc = s.Profile.Realm, "profile "+s.Profile.Name
	}
	fields := []Field{
		{Name: "username", Label: "username", Value: user, Source: userSrc, Help: "The user to sign in as (the password grant)."},
		{Name: "password", Label: "password", Secret: true, Help: "The user's password; not shown as you type."},
		{Name: "realm", Label: "realm", Value: realm, Source: realmSrc, Help: "The connection to sign in with (password-realm grant); empty for the tenant's default directory."},
	}
	for _, f := range profileFields(env.Session, app.DefaultLoginScope) {
		if f.Name != "organization" { // the password grant takes none
			fields = append(fields, f)
		}
	}
	return Flow{
		Title:   MFATitle,
		Summary: "Sign in with a password, then " + strings.ToLower(mfaSummary[:1]) + mfaSummary[1:],
		Fields:  fields,
		Run: func(ctx context.Context, r *Run, v Values) error {
			return runMFA(ctx, r, env, v, "", api.Values{})
		},
	}
}

// MFAFromToken is the MFA step-up in place: from the mfa_token of an
// mfa_required answer (app.MFATokenOf), whose request asked for audience
// (the access token is checked against it). It has no options.
func MFAFromToken(env Env, mfaToken, audience string) Flow {
	return Flow{
		Title:   MFATitle,
		Summary: mfaSummary,
		Run: func(ctx context.Context, r *Run, _ Values) error {
			return runMFA(ctx, r, env, nil, mfaToken, audienceValues(audience))
		},
	}
}

// requestAudience is the audience ex's request asked for, as the values
// the Answer pane reads (the access token is checked against it).
func requestAudience(ex *api.Exchange) api.Values {
	if ex == nil || ex.Request == nil || len(ex.Request.Body) == 0 {
		return api.Values{}
	}
	var aud string
	if strings.HasPrefix(ex.Request.ContentType, "application/json") {
		var b struct {
			Audience string `json:"audience"`
		}
		if json.Unmarshal(ex.Request.Body, &b) == nil {
			aud = b.Audience
		}
	} else if q, err := url.ParseQuery(string(ex.Request.Body)); err == nil {
		aud = q.Get("audience")
	}
	return audienceValues(aud)
}

func runMFA(ctx context.Context, r *Run, env Env, v Values, tok string, values api.Values) error {
	d := &mfaDetail{}
	show := func(change func(*mfaDetail)) {
		c := *d
		change(&c)
		d = &c
		r.Detail(d)
	}
	f := &app.MFAFlow{Session: env.Session, MFAToken: tok, Now: env.Now, Sleep: env.Sleep}
	var verifyOp string
	f.OnStep = func(s app.MFAStep) {
		switch s.Kind {
		case app.MFAChallenged, app.MFAPending, app.MFASlowDown:
			if c := s.Challenge; c != nil && c.Need == app.MFANeedApproval {
				show(func(c *mfaDetail) {
					c.push, c.expires, c.interval, c.polls = s.Challenge.Authenticator.Label(), s.Challenge.Expires, s.Interval, s.Polls
					if s.Kind == app.MFASlowDown {
						c.slowDown++
					}
				})
			}
		case app.MFAVerified:
			r.Answer(verifyOp, s.Exchange, values)
			if d.push != "" {
				show(func(c *mfaDetail) { c.polls, c.over, c.approved = s.Polls, true, true })
			}
		}
	}

	if tok == "" {
		r.Begin("Sign in with the password grant")
		ex := env.Session.PasswordGrant(ctx, app.PasswordSignIn{Username: v["username"], Password: v["password"],
			Realm: v["realm"], Audience: v["audience"], Scope: cmp.Or(v["scope"], app.DefaultLoginScope)})
		values = requestAudience(ex)
		t, ok := app.MFATokenOf(ex)
		switch {
		case !ok && ex.Err != nil:
			r.Answer("oauth.passwordGrant", ex, values)
			return ex.Err
		case !ok:
			// Tokens at once: the tenant asked for no second factor.
			r.Warn("The sign-in answered tokens: no MFA was asked for")
			r.Answer("oauth.passwordGrant", ex, values)
			return mfaFinish(ctx, r, f, ex, show)
		}
		f.MFAToken = t
		show(func(c *mfaDetail) { c.signedIn = true })
	}

	r.Begin("List the authenticators (mfa.listAuthenticators)")
	list, err := f.ListAuthenticators(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return errors.New("the user has no active authenticator to challenge: enrol one first (mfa.associate)")
	}
	a := list[0]
	if len(list) > 1 {
		r.Begin("Choose an authenticator")
		labels := authenticatorLabels(list)
		choice, err := r.Ask(ctx, Prompt{Label: "Which authenticator? (↑/↓, enter)", Choices: labels})
		if err != nil {
			return err
		}
		a = list[indexOf(labels, choice)]
	}
	label := a.Label()
	show(func(c *mfaDetail) { c.signedIn = false })
	if a.IsRecoveryCode() {
		r.Begin("Use a recovery code (no challenge to send)")
	} else {
		r.Begin("Challenge it (mfa.challenge): " + label)
	}
	ch, err := f.Challenge(ctx, a)
	if err != nil {
		return err
	}
	var res *app.MFAResult
	switch ch.Need {
	case app.MFANeedApproval:
		verifyOp = "mfa.verifyOOB"
		r.Begin("Wait for the approval on the phone (mfa.verifyOOB, polling)")
		res, err = f.PollOOB(ctx)
		if err != nil {
			show(func(c *mfaDetail) { c.over = true })
			return err
		}
	default:
		res, err = askCodes(ctx, r, f, ch, label, show, &verifyOp)
		if err != nil {
			return err
		}
	}
	return mfaChecked(r, res, show)
}

// askCodes asks for the code the challenge needs and verifies it; a code
// the tenant refuses is asked for again, MFATries times in all.
func askCodes(ctx context.Context, r *Run, f *app.MFAFlow, ch *app.MFAChallenge, label string, show func(func(*mfaDetail)), op *string) (*app.MFAResult, error) {
	var (
		step, ask, hint string
		verify          func(context.Context, string) (*app.MFAResult, error)
	)
	switch ch.Need {
	case app.MFANeedOTP:
		*op, verify = "mfa.verifyOTP", f.VerifyOTP
		step, ask, hint = "Enter the authenticator app's code (mfa.verifyOTP)", "The code the authenticator app shows:", "6 digits"
	case app.MFANeedBindingCode:
		*op, verify = "mfa.verifyOOB", f.VerifyOOB
		step, ask, hint = "Enter the code sent (mfa.verifyOOB)", "The code sent ("+label+"):", "the code the message brought"
	default:
		*op, verify = "mfa.verifyRecoveryCode", f.VerifyRecoveryCode
		step, ask, hint = "Enter a recovery code (mfa.verifyRecoveryCode)", "A recovery code:", "24 characters"
	}
	r.Begin(step)
	var sandboxCode string
	if s := f.Session; ch.Need == app.MFANeedRecoveryCode && s.IsSandbox() {
		// The sandbox's own test user: its code is no secret (as the
		// outbox's codes are not), and nowhere else on the screen.
		sandboxCode = s.Sandbox.MFARecoveryCode()
	}
	show(func(c *mfaDetail) { c.need, c.asking, c.sandboxCode = ch.Need, true, sandboxCode })
	for try := 1; ; {
		code, err := r.Ask(ctx, Prompt{Label: ask, Secret: true, Placeholder: hint})
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(code) == "" {
			show(func(c *mfaDetail) { c.refused = "No code was typed: type it, then enter." })
			continue
		}
		res, err := verify(ctx, code)
		var me *app.MFAError
		if err == nil || !errors.As(err, &me) || me.Code != "invalid_grant" || try == MFATries {
			show(func(c *mfaDetail) { c.refused, c.asking = "", false })
			return res, err
		}
		left := MFATries - try
		tries := "tries"
		if left == 1 {
			tries = "try"
		}
		show(func(c *mfaDetail) {
			c.refused = fmt.Sprintf("%s Type it again (%d %s left).", Sentence(err), left, tries)
		})
		try++
	}
}

// mfaFinish checks the tokens of a sign-in that asked for no MFA.
func mfaFinish(ctx context.Context, r *Run, f *app.MFAFlow, ex *api.Exchange, show func(func(*mfaDetail))) error {
	res, err := f.Finish(ctx, ex)
	if err != nil && res == nil {
		return err
	}
	if cerr := mfaChecked(r, res, show); cerr != nil {
		return cerr
	}
	return err
}

// mfaChecked shows what came of the id_token and the new recovery code.
func mfaChecked(r *Run, res *app.MFAResult, show func(func(*mfaDetail))) error {
	if res == nil {
		return nil
	}
	if res.IDToken != nil {
		r.Begin("Check the id_token")
	}
	show(func(c *mfaDetail) {
		c.over = true
		c.recovery = res.RecoveryCode
		if res.IDToken != nil {
			c.verdict = "id_token: " + res.IDToken.Summary()
			c.verdictOK = res.IDToken.Valid()
		}
		c.notes = nil
		for _, n := range res.Notes {
			c.notes = append(c.notes, n.String())
		}
	})
	if res.IDToken != nil && !res.IDToken.Valid() {
		var why []string
		for _, c := range res.IDToken.Failures() {
			why = append(why, c.Name+": "+c.Detail)
		}
		return fmt.Errorf("the id_token is not valid: %s", strings.Join(why, "; "))
	}
	return nil
}

// authenticatorLabels name each authenticator for the choice, made unique
// (two phones may read alike) with their position.
func authenticatorLabels(list []app.MFAAuthenticator) []string {
	out := make([]string, len(list))
	seen := map[string]int{}
	for i, a := range list {
		l := a.Label()
		l = strings.ToUpper(l[:1]) + l[1:]
		if seen[l]++; seen[l] > 1 {
			l = fmt.Sprintf("%s (%d)", l, seen[l])
		}
		out[i] = l
	}
	return out
}

// mfaDetail is the MFA step-up's block: where the code comes from, a
// refused code, the push's countdown and polling, the id_token's verdict
// and the new recovery code (masked; y copies it).
type mfaDetail struct {
	signedIn bool
	// asking: a code is asked for, which need says.
	asking  bool
	need    app.MFANeed
	refused string
	// sandboxCode is the sandbox user's recovery code, to type.
	sandboxCode string

	push string
	polling
	approved  bool
	verdict   string
	verdictOK bool
	notes     []string
	recovery  string
}

// Copy is the new recovery code, once there is one.
func (d *mfaDetail) Copy() (string, string) {
	if d.recovery == "" {
		return "", ""
	}
	return d.recovery, "new recovery code"
}

// View shows the block.
func (d *mfaDetail) View(a ViewArgs) string {
	st := a.St
	b := &lines{width: a.Width}
	live := a.Live && !d.over
	if d.signedIn && live {
		b.add("The sign-in answered mfa_required: the mfa_token it carried goes on.", st.Item.Render)
	}
	if d.refused != "" && live {
		b.add(d.refused, st.Warn.Render)
	}
	if live && d.asking && a.Sandbox {
		switch d.need {
		case app.MFANeedOTP:
			b.add("Sandbox: the outbox holds the code the app shows now (tab, o opens it; f comes back here).", st.Hint.Render)
		case app.MFANeedBindingCode:
			b.add("Sandbox: the outbox holds the SMS (tab, o opens it; f comes back here).", st.Hint.Render)
		case app.MFANeedRecoveryCode:
			if d.sandboxCode != "" {
				b.add("Sandbox: the MFA user's recovery code: "+app.Printable(d.sandboxCode), st.Hint.Render)
			}
		}
	}
	if d.push != "" {
		if live {
			b.add("A push notification went to "+strings.TrimPrefix(d.push, "push notification to ")+": approve it on the phone.", st.Item.Render)
			d.countdown(b, st, a.Now, "The notification has expired")
		}
		if d.approved {
			b.add(fmt.Sprintf("Approved after %d %s.", d.polls, pollsWord(d.polls)), st.Good.Render)
		} else {
			d.status(b, st)
		}
		if live && a.Sandbox {
			b.add("Sandbox: the outbox holds the approval (tab, o opens it; enter on it approves, x denies; f comes back here).", st.Hint.Render)
		}
	}
	if d.verdict != "" {
		style := st.Item.Render
		if !d.verdictOK {
			style = st.Bad.Render
		}
		b.add(app.Printable(d.verdict), style)
	}
	for _, n := range d.notes {
		b.add(app.Printable(n), st.Hint.Render)
	}
	if d.recovery != "" {
		b.line(st.Label.Render("New recovery code  ") + st.Code.Render(" "+strings.Repeat("•", 12)+" "))
		b.add("The code used no longer works: keep this one (y copies it).", st.Warn.Render)
	}
	return b.String()
}
