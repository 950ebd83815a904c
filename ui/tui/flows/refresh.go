package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/ui/app"
)

// NoRefreshTokenHelp is the refresh token field's help when the session
// has none yet.
const NoRefreshTokenHelp = "No refresh token in this session: sign in with offline_access first (e.g. passwordGrant scope=openid offline_access), or paste one."

// Refresh is refresh, rotate and revoke as app.RefreshFlow runs it: from
// the session's newest refresh token, refresh (the new tokens land in the
// Answer, on the Tokens tab with the diff against the earlier ones) and
// say whether the tenant rotated it; then revoke the newest refresh token
// and show that the tenant refuses it.
func Refresh(env Env) Flow {
	h := env.Held
	tok := Field{Name: "refresh_token", Label: "refresh token", Value: h.Refresh, Secret: true,
		Help: "The refresh token to start from (hidden): the session's newest; paste another to use it."}
	if h.Refresh != "" {
		tok.Source = h.From
		tok.Help = "The session's newest refresh token, from " + h.From + " (hidden); paste another to use it."
	} else {
		tok.Help = NoRefreshTokenHelp
	}
	return Flow{
		Title:   "Refresh, rotate, revoke",
		Summary: "Refresh the session's newest refresh token (rotation and the token diff shown), revoke it, and show the revoked token refused.",
		Fields: []Field{tok,
			{Name: "scope", Label: "scope", Help: "Narrow the new tokens to these scopes; empty for the granted ones."},
			{Name: "revoke", Label: "revoke after refresh", Value: "on", Choices: []string{"off", "on"},
				Help: "Then revoke the newest refresh token and try it once more, to see the tenant refuse it."},
		},
		Run: func(ctx context.Context, r *Run, v Values) error {
			return runRefresh(ctx, r, env, v)
		},
	}
}

func runRefresh(ctx context.Context, r *Run, env Env, v Values) error {
	r.Begin("Refresh the tokens with the refresh token")
	rt, _ := api.CleanToken(v["refresh_token"])
	if rt == "" {
		return errors.New("no refresh token: sign in with offline_access first (e.g. passwordGrant scope=openid offline_access), or paste one")
	}
	f := &app.RefreshFlow{Session: env.Session, RefreshToken: rt, Scope: v["scope"], StopAfterRefresh: !v.On("revoke")}
	if h := env.Held; rt == h.Refresh {
		// The tokens that came with it: the refreshed ones are compared.
		f.AccessToken, f.IDToken = h.Access, h.ID
	}
	ops := map[app.RefreshStepKind]string{app.RefreshStepRefresh: "oauth.refreshToken",
		app.RefreshStepRevoke: "oauth.revokeRefreshToken", app.RefreshStepRefused: "oauth.refreshToken"}
	next := map[app.RefreshStepKind]string{app.RefreshStepRefresh: "Revoke the newest refresh token",
		app.RefreshStepRevoke: "Refresh with the revoked token: the tenant must refuse it"}
	d := &refreshDetail{}
	newest := rt // the refresh token the revoke and the refusal send
	// values are what each step sent, for the history and for the root,
	// which then knows which refresh tokens were rotated or revoked.
	values := func(k app.RefreshStepKind) api.Values {
		switch k {
		case app.RefreshStepRevoke:
			return api.Values{Fields: []api.Value{api.String("token", newest)}}
		case app.RefreshStepRefused:
			return api.Values{Fields: []api.Value{api.String("refresh_token", newest)}}
		}
		fs := []api.Value{api.String("refresh_token", rt)}
		if f.Scope != "" {
			fs = append(fs, api.String("scope", f.Scope))
		}
		return api.Values{Fields: fs}
	}
	f.OnStep = func(s app.RefreshStep) {
		if s.Kind == app.RefreshStepRefresh && !s.Failed() {
			r.Answer(ops[s.Kind], s.Exchange, values(s.Kind))
			if s.Result != nil && s.Result.Rotated && s.Result.RefreshToken != "" {
				newest = s.Result.RefreshToken
			}
			c := *d
			c.result = s.Result
			d = &c
			r.Detail(d)
		} else {
			r.Record(ops[s.Kind], s.Exchange, values(s.Kind))
		}
		if s.Failed() {
			return // the step fails with Run's error
		}
		r.Done(upperFirst(app.Printable(s.Text)))
		if n := next[s.Kind]; n != "" && !f.StopAfterRefresh {
			r.Begin(n)
		}
	}
	res, err := f.Run(ctx)
	if err != nil {
		return err
	}
	switch {
	case f.StopAfterRefresh && res.Rotated:
		r.Result("Done. The new tokens are in the Answer (Tokens tab, with the diff): use its new refresh token next, the one sent is replaced.")
	case f.StopAfterRefresh:
		r.Result("Done. The new tokens are in the Answer (Tokens tab, with the diff); the refresh token sent stays the one to use.")
	case res.Rotated:
		r.Result("Done. The new tokens are in the Answer (Tokens tab, with the diff); its refresh token is now revoked: sign in again for another.")
	default:
		r.Result("Done. The new tokens are in the Answer (Tokens tab, with the diff); the refresh token is now revoked: sign in again for another.")
	}
	return nil
}

// upperFirst makes the first letter of s a capital.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// refreshDetail is the refresh flow's block: how the new tokens differ from
// the earlier ones.
type refreshDetail struct {
	result *app.RefreshResult
}

// View is one line per token compared: the lifetime and the claims that
// changed.
func (d *refreshDetail) View(a ViewArgs) string {
	st := a.St
	if d.result == nil {
		return ""
	}
	b := &lines{width: a.Width}
	if len(d.result.Diffs) == 0 {
		b.add("The earlier tokens are not known here: the Answer's Tokens tab (d) compares with the session's.", st.Hint.Render)
	}
	for _, df := range d.result.Diffs {
		if df.Note != "" {
			b.add(df.Field+": "+df.Note+".", st.Item.Render)
			continue
		}
		var names []string
		for _, c := range df.Changed() {
			names = append(names, c.Change.Mark()+c.Name)
		}
		claims := "no claim differs"
		if len(names) > 0 {
			claims = "claims " + strings.Join(names, " ")
		}
		b.add(fmt.Sprintf("%s: %s; %s.", df.Field, df.Lifetime.Summary(), claims), st.Item.Render)
	}
	b.add("The Answer's Tokens tab shows the diff (d hides it, D compares with another).", st.Hint.Render)
	return b.String()
}
