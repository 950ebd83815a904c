package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type tokenFlags struct {
	domain, jwksURL         string
	issuer, audience, nonce string
	org                     string
	maxAge, leeway          string
	secret                  string
	secretBase64            bool
	algs                    string
	json                    bool
	now                     string
	profile                 string
	timeout                 string
}

func newTokenCmd(env *Env) *cobra.Command {
	var f tokenFlags
	cmd := &cobra.Command{
		Use:   "token [TOKEN|-]",
		Short: "Decode and verify a JWT (an Auth0 id_token)",
		Long: `Decode a token and check it as an OIDC id_token, the way node-auth0 v2 and
Auth0's "Validate ID Tokens" rules do: allowed algorithm, signature, iss, sub,
aud, azp, exp, iat, nbf, and nonce, auth_time/max_age and org_id when asked.

The token is the argument, or stdin when it is "-" or missing. With no
argument (and no flag but --profile) on a terminal, the terminal UI opens on
its token inspector instead, where a pasted token is decoded and checked as
it is typed. Surrounding
whitespace is ignored; what else comes along with a paste is removed with a
note on stderr: a carriage return, surrounding quotes, a byte order mark, an
"Authorization:" or "Bearer " prefix, and an id_token=, access_token= or
refresh_token= prefix (with the rest of a URL fragment after "&").

Keys: with --domain as a tenant host (tenant.eu.auth0.com) the issuer
(https://<domain>/) and the JWKS URL (https://<domain>/.well-known/jwks.json)
are derived, as node-auth0 does. With --domain as a base URL
(https://idp.example.com, http://127.0.0.1:8080) they come from the
provider's discovery document (/.well-known/openid-configuration: issuer and
jwks_uri), for providers that are not Auth0; when it cannot be read the
derived ones are used, and a note says so if the token then fails.
--jwks-url names the JWKS directly and --issuer the issuer. Each fetch (the
discovery document, the JWKS) gives up after --timeout. HS256 tokens are checked with --secret (the client secret;
--secret-base64 for legacy clients whose secret is base64-encoded). The
token's own jku, x5u, jwk and x5c headers are never used. Without key
material the token is decoded and reported as not verified.

With --profile NAME the domain, the audience (the profile's client id), the
HS256 secret (and whether it is base64-encoded), the allowed algorithms and
the organization come from that saved profile; flags still win. Without
--profile they come from AUTH0_DOMAIN, AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, else from the default profile.

Exit codes: 0 the token is valid, 1 it is not (malformed, invalid, expired,
or could not be verified for want of key material), 2 bad command line or
no token at all, 3 the JWKS could not be fetched (network failure, or no key
set at the URL) and that alone kept the token from being verified.

A time claim (exp, iat, nbf, auth_time) must be a date in years 1 to 9999:
1e300, or anything past an int64 of seconds, is no real date and fails its
check. --json always prints one object, {"state": "empty"} for no token.
Its "kind" is what the token is for: id_token, access_token (typ at+jwt,
scope, permissions, gty, or an API identifier as aud), opaque, jwe or
unknown; "format" is JWS, JWE or opaque; "audience_type" is "client" when
aud holds --audience (the client id), "api" otherwise; "lifetime" is
{"issued_at", "expires_at", "seconds_total", "seconds_left" (negative once
expired), "fraction_used", "expired"} when the token has iat and exp. A
malformed token lists its "broken" segments and shows the ones that decode.`,
		Example: `  auth0-explorer token "$ID_TOKEN" --domain tenant.eu.auth0.com --audience CLIENT_ID
  pbpaste | auth0-explorer token - --json
  auth0-explorer token "$ID_TOKEN" --jwks-url http://127.0.0.1:8080/.well-known/jwks.json --issuer http://127.0.0.1:8080/`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErr("token takes one token (or - for stdin), not %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runToken(cmd, env, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.domain, "domain", "", "tenant host (issuer and JWKS URL derived) or base URL (read from its discovery document); default $AUTH0_DOMAIN")
	fl.StringVar(&f.jwksURL, "jwks-url", "", "take the signing keys from this JWKS URL instead of the domain's")
	fl.StringVar(&f.issuer, "issuer", "", "expected iss (default https://<domain>/)")
	fl.StringVar(&f.audience, "audience", "", "expected aud: the application's client id; default $AUTH0_CLIENT_ID")
	fl.StringVar(&f.nonce, "nonce", "", "expected nonce")
	fl.StringVar(&f.maxAge, "max-age", "", "max_age sent with the request (seconds, or a duration such as 10m): checks auth_time")
	fl.StringVar(&f.org, "org", "", "expected organization: org_id (org_…) or org_name")
	fl.StringVar(&f.secret, "secret", "", "client secret, for HS256 tokens; default $AUTH0_CLIENT_SECRET")
	fl.BoolVar(&f.secretBase64, "secret-base64", false, "the client secret is base64-encoded (legacy clients, as node-auth0 v2 assumed)")
	fl.StringVar(&f.algs, "alg", strings.Join(jwtview.DefaultAlgorithms, ","), "allowed algorithms, comma-separated (none is never allowed)")
	fl.StringVar(&f.leeway, "leeway", "60", "allowed clock skew in seconds (or a duration) for exp, iat, nbf and auth_time")
	fl.BoolVar(&f.json, "json", false, `print {"valid","state","kind","format","audience_type","header","payload","lifetime","checks"} as JSON`)
	fl.StringVar(&f.profile, "profile", "", "take domain, audience, secret, algorithms and organization from a saved profile")
	fl.StringVar(&f.timeout, "timeout", "10", "limit for each fetch of the discovery document or the JWKS, in seconds (or a duration such as 5s)")
	fl.StringVar(&f.now, "now", "", "check as of this time (Unix seconds or RFC 3339) instead of now")
	_ = fl.MarkHidden("now")
	_ = cmd.RegisterFlagCompletionFunc("profile", completeProfileFlag(env))
	cmd.MarkFlagsMutuallyExclusive("domain", "jwks-url")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v (see token --help)", err) })
	return cmd
}

// parseSeconds reads "60" (seconds) or a Go duration ("90s", "10m").
func parseSeconds(flag, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > 100*365*86400 {
			return 0, usageErr("--%s %s is out of range", flag, s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, usageErr("--%s must be a number of seconds or a duration such as 90s, not %q", flag, s)
	}
	return d, nil
}

func runToken(cmd *cobra.Command, env *Env, f *tokenFlags, args []string) error {
	fl := cmd.Flags()
	if len(args) == 0 && env.Interactive && (fl.NFlag() == 0 || fl.NFlag() == 1 && fl.Changed("profile")) {
		// A person at a terminal with nothing to pipe in: the inspector,
		// on the profile's tenant (or the sandbox), as the root opens it.
		return runTUI(cmd.Context(), env, tuiFlags{profile: f.profile, tokenPane: true})
	}
	var raw string
	var tooBig error // stdin was over the read limit: reported as malformed
	if len(args) == 0 || args[0] == "-" {
		if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintln(env.Stderr, "auth0-explorer: paste the token, then press Enter and Ctrl+D")
		}
		// Read one byte past the limit to tell a cut from an input that
		// happens to end there.
		b, err := io.ReadAll(io.LimitReader(env.Stdin, stdinLimit+1))
		if err != nil {
			return usageErr("could not read the token from stdin: %v", err)
		}
		raw = string(b)
		if len(b) > stdinLimit {
			raw = ""
			tooBig = &jwtview.DecodeError{Part: "token", Msg: fmt.Sprintf("the input on stdin is over %d bytes, and a token is at most %d KiB; not decoded", stdinLimit, jwtview.MaxTokenSize>>10)}
		}
	} else {
		raw = args[0]
	}
	if tooBig == nil && len(raw) <= jwtview.MaxTokenSize+1024 {
		// Spaces and line feeds around a token are expected (echo, a
		// paste); anything else removed is said. (Larger input is left
		// for Decode to refuse at its true size.)
		var notes []string
		raw, notes = api.CleanToken(strings.Trim(raw, " \t\n"))
		for _, n := range notes {
			fmt.Fprintln(env.Stderr, "auth0-explorer: note: token: "+n)
		}
	}
	if tooBig == nil && jwtview.Clean(raw) == "" {
		if f.json { // a JSON reader gets its object all the same
			b, _ := jwtview.Empty(time.Time{}).MarshalJSON()
			env.Stdout.Write(append(b, '\n'))
		}
		return usageErr("no token given: pass it as an argument or on stdin")
	}

	st := app.IDTokenSettings{Nonce: f.nonce, IssuerSet: fl.Changed("issuer"), Issuer: f.issuer, JWKSURLSet: fl.Changed("jwks-url"), JWKSURL: f.jwksURL}
	algs, err := jwtview.ParseAlgorithms(f.algs)
	if err != nil {
		return usageErr("--alg: %v", err)
	}
	if fl.Changed("alg") {
		st.Algorithms = algs
	}
	if fl.Changed("secret-base64") {
		st.SecretBase64 = &f.secretBase64
	}
	if fl.Changed("org") {
		st.Organization = &f.org
	}
	leeway, err := parseSeconds("leeway", f.leeway)
	if err != nil {
		return err
	}
	st.Leeway = leeway
	if leeway == 0 {
		st.Leeway = -1 // none
	}
	if f.maxAge != "" {
		if st.MaxAge, err = parseSeconds("max-age", f.maxAge); err != nil {
			return err
		}
		if st.MaxAge == 0 {
			// max_age=0 (sign in again now) is legal. jwtview's MaxAge 0
			// means no check, so ask for the smallest positive one: the
			// check (auth_time within leeway of now) is the same.
			st.MaxAge = time.Nanosecond
		}
	}
	timeout, err := parseSeconds("timeout", f.timeout)
	if err != nil {
		return err
	}
	if timeout == 0 {
		return usageErr("--timeout must be positive")
	}
	now := env.now()
	if f.now != "" {
		t, err := parseNow(f.now)
		if err != nil {
			return err
		}
		now = func() time.Time { return t }
	}
	st.Now = now

	// --jwks-url names the keys outright: no domain from a profile or the
	// environment then.
	tn, err := resolveTenant(env, f.profile, tenantFlags{
		Domain: f.domain, DomainSet: fl.Changed("domain") || fl.Changed("jwks-url"),
		ClientID: f.audience, ClientIDSet: fl.Changed("audience"),
		ClientSecret: f.secret, ClientSecretSet: fl.Changed("secret"),
		ClientIDFlag: "--audience", ClientSecretFlag: "--secret",
	})
	if err != nil {
		return err
	}
	st.Tenant = tn
	check, err := app.NewIDTokenCheck(st)
	if err != nil {
		return usageErr("%v", err)
	}
	o := check.Options

	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	tr := env.Transport
	tr.Timeout = timeout
	if tr.ConnectTimeout <= 0 || tr.ConnectTimeout > timeout {
		tr.ConnectTimeout = timeout
	}
	hc := api.NewHTTPClient(tr)
	var discoveryErr error
	if tooBig == nil {
		discoveryErr = check.Resolve(ctx, hc)
		o = check.Options
	}
	if o.JWKSURL != "" {
		keys := jwtview.NewKeyCache(jwtview.KeyCacheOptions{HTTP: hc, Now: now})
		defer keys.Close()
		o.Keys = keys
	}
	var rep *jwtview.Report
	if tooBig != nil {
		rep = &jwtview.Report{State: jwtview.StateMalformed, Err: tooBig, Now: now(),
			Checks: []jwtview.Check{{Name: "format", Detail: tooBig.Error()}}}
	} else {
		rep = jwtview.Verify(ctx, raw, o)
	}

	if f.json {
		b, _ := rep.MarshalJSON()
		env.Stdout.Write(append(b, '\n'))
	} else {
		_ = rep.WriteText(env.Stdout, time.Local)
	}
	if rep.Valid() {
		return nil
	}
	if discoveryErr != nil {
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+safetext.Escape(app.DiscoveryNote(discoveryErr, o, "; give --issuer and --jwks-url if they are wrong")))
	}
	code := 1
	if rep.KeysUnavailable() {
		code = 3 // network failure: only the missing keys kept it from being verified
	}
	return &exitError{code: code, msg: tokenSentence(rep)}
}

// stdinLimit is how much of stdin is read: a token and room for what
// surrounds a paste.
const stdinLimit = jwtview.MaxTokenSize + 64<<10

// tokenSentence is the one sentence for stderr when the token is not valid.
// It can carry bytes from the token (a parser error), so it is escaped.
func tokenSentence(r *jwtview.Report) string {
	return safetext.Escape(tokenSentenceRaw(r))
}

func tokenSentenceRaw(r *jwtview.Report) string {
	switch r.State {
	case jwtview.StateMalformed:
		return "not a token: " + r.Err.Error()
	case jwtview.StateUnsupported:
		return "the token cannot be checked: " + r.Token.Kind.String() + " token"
	case jwtview.StateUnverified:
		if r.KeysUnavailable() {
			for _, c := range r.Checks {
				if c.Name == "signature" {
					return "the token was decoded but not verified: " + strings.TrimPrefix(c.Detail, "not verified: ")
				}
			}
		}
		return "the token was decoded but not verified (see the checks marked ?)"
	}
	var names []string
	for _, c := range r.Failures() {
		names = append(names, c.Name)
	}
	s := fmt.Sprintf("the token is not valid: %s failed", strings.Join(names, ", "))
	if r.SignatureSkipped() {
		s += "; " + jwtview.NoKeysNote
	}
	return s
}

func parseNow(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usageErr("--now must be Unix seconds or RFC 3339, not %q", s)
	}
	return t, nil
}
