package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"
)

// This file checks the id_token in call's answer, with the options
// app.Session.VerifyOptions builds: the ones the TUI checks it with.

// answerCheck is the outcome of checking the id_token in call's answer.
type answerCheck struct {
	report *jwtview.Report
	notes  []app.Note // why discovery failed, when it did
	err    error      // the options could not be built: nothing checked
}

// checkAnswerIDToken checks the id_token of a successful answer when the
// operation is one node-auth0 checks (Operation.IDToken), unless the
// profile or skip says not to; the verdict goes into ex.Verdicts. It
// returns nil when nothing was checked.
func checkAnswerIDToken(ctx context.Context, env *Env, op *api.Operation, v api.Values, sess *app.Session, skip bool, ex *api.Exchange) *answerCheck {
	if !op.IDToken || ex == nil || ex.Err != nil {
		return nil
	}
	raw := ""
	for _, t := range ex.Tokens {
		if t.Field == "id_token" {
			raw = t.Value
		}
	}
	if raw == "" {
		return nil
	}
	switch p := sess.Profile; {
	case skip:
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: the id_token in the answer was not checked (--no-id-token-check)")
		return nil
	case p != nil && p.SkipIDTokenValidation:
		fmt.Fprintf(env.Stderr, "auth0-explorer: note: the id_token in the answer was not checked: profile %s skips id token checks\n", printable(p.Name))
		return nil
	}
	// node-auth0 compares the nonce of the data it was given.
	nonce := ""
	for _, f := range v.Fields {
		var n string
		if f.Name == "nonce" && json.Unmarshal(f.Raw, &n) == nil {
			nonce = n
		}
	}
	o, notes, err := sess.VerifyOptions(ctx, nonce, env.now())
	if err != nil {
		return &answerCheck{err: err}
	}
	ac := answerCheck{notes: notes, report: jwtview.Verify(ctx, raw, o)}
	return record(ex, &ac)
}

// record puts the verdict into the exchange, for --output json.
func record(ex *api.Exchange, ac *answerCheck) *answerCheck {
	r := ac.report
	vd := &api.TokenVerdict{Valid: r.Valid(), State: string(r.State)}
	for _, c := range r.Checks {
		vd.Checks = append(vd.Checks, api.TokenCheck{Name: c.Name, OK: c.OK, Detail: c.Detail, Skipped: c.Skipped})
	}
	if ex.Verdicts == nil {
		ex.Verdicts = map[string]*api.TokenVerdict{}
	}
	ex.Verdicts["id_token"] = vd
	return ac
}

// decodeAnswerTokens fills ex.Decoded for --output json: each token's kind
// (what the field it came in names: id_token, access_token, refresh_token,
// mfa_token; else what its claims say), its format (JWS, JWE, opaque for a
// string that is not a JWT, or malformed for a JWT with a broken segment) and, for a JWT, its decoded header and payload (what decodes
// of a broken one). The signature is left out; claims are not credentials.
func decodeAnswerTokens(ex *api.Exchange, clientID string) {
	if ex == nil || len(ex.Tokens) == 0 {
		return
	}
	if ex.Decoded == nil {
		ex.Decoded = map[string]*api.DecodedToken{}
	}
	for _, t := range ex.Tokens {
		d := &api.DecodedToken{Kind: string(jwtview.UseOfField(t.Field)), Format: "malformed"}
		tok, err := jwtview.DecodePartial(t.Value)
		var de *jwtview.DecodeError
		if errors.As(err, &de) && de.Part == "token" {
			// Not a JWT at all: a refresh token, or another issuer's
			// access token, is any string.
			d.Format = jwtview.KindOpaque.String()
		}
		if tok != nil {
			if err == nil {
				d.Format = tok.Kind.String()
			}
			if d.Kind == "" {
				d.Kind = string(jwtview.Classify(tok, clientID).Use)
			}
			if tok.Header != nil {
				d.Header, _ = tok.Header.MarshalJSON()
			}
			if tok.Payload != nil {
				d.Payload, _ = tok.Payload.MarshalJSON()
			}
		}
		ex.Decoded[t.Field] = d
	}
}

// exit says on stderr why the id_token is not valid, one sentence per
// failed (or unchecked) rule, and returns the exit: 1 when it is invalid or
// could not be verified, 3 when only the keys could not be fetched. Nil
// when there was nothing to check or the token is valid.
func (ac *answerCheck) exit(env *Env, red *api.Redactor) error {
	if ac == nil {
		return nil
	}
	if ac.err != nil {
		return &exitError{code: 1, msg: "the id_token in the answer could not be checked: " + safetext.Escape(ac.err.Error())}
	}
	if ac.report.Valid() {
		return nil
	}
	r := ac.report
	say := func(s string) { fmt.Fprintln(env.Stderr, "auth0-explorer: "+safetext.Escape(red.String(s))) }
	var names []string
	for _, c := range r.Checks {
		if c.Failed() || c.Skipped {
			say("id_token: " + c.Name + ": " + c.Detail)
			names = append(names, c.Name)
		}
	}
	for _, n := range ac.notes {
		say(n.String())
	}
	if r.KeysUnavailable() {
		return &exitError{code: 3, msg: "the id_token in the answer could not be verified: its keys could not be fetched"}
	}
	what := "is not valid"
	if r.State == jwtview.StateUnverified {
		what = "could not be verified"
	}
	return &exitError{code: 1, msg: fmt.Sprintf("the id_token in the answer %s (%s); node-auth0 v2 rejects such an answer (--no-id-token-check skips the check)",
		what, strings.Join(names, ", "))}
}

// now is the clock tokens are checked with.
func (e *Env) now() func() time.Time {
	if e.Now != nil {
		return e.Now
	}
	return time.Now
}
