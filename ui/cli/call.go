package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/browser"

	"github.com/spf13/cobra"
)

type callFlags struct {
	domain, clientID, clientSecret string
	profile                        string
	forwardedFor                   string
	output                         string
	reveal                         bool
	form                           bool
	sdk                            string
	compareSDK                     bool
	timeout, connectTimeout        string
	noIDTokenCheck                 bool
	assertionKey, assertionAlg     string
	assertionKid                   string
	open                           bool
	// now (hidden, for reproducible screenshots): the clock the id_token
	// is checked with and the exchange measured on.
	now string
}

func newCallCmd(env *Env) *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "call OP [name=value | name:=JSON …]",
		Short: "Send one operation and print the answer",
		Long: `Send one Authentication API operation, built exactly as node-auth0 v2 builds it.

Fields follow httpie: name=value is a string, name:=JSON a raw JSON value
(authParams:='{"scope":"openid"}'). Field names are the body names node-auth0
accepts and its aliases; 'auth0-explorer operations' lists them. A field may
be given once.

To keep a password, code or token out of the shell history, read it from a
file or standard input: name=@FILE sends the file's text (one final newline
is not sent), name:=@FILE.json the file's JSON, and name=- (or name=@-)
reads standard input, at a terminal without echo; one field at most reads
standard input. A value that really starts with @ is written name=\@… (as
httpie does), a lone dash name=\-.

Token fields (accessToken, refresh_token, id_token, …) are sent without what
comes along when one is pasted: surrounding whitespace, quotes, a "Bearer "
prefix, an access_token= prefix; a note says what was removed.

With --client-assertion-key FILE (a PEM private key), operations that
authenticate the client send a client_assertion (private_key_jwt) in place of
the client secret, as node-auth0 4.x does: a JWT signed with --client-assertion-alg
(default RS256), iss and sub the client id, aud https://DOMAIN/, valid for two
minutes. A profile's client assertion key (profile add --client-assertion-key)
is used the same way unless --client-secret is given.

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME (see 'auth0-explorer profile'), else from AUTH0_DOMAIN,
AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, else from the default profile.

Output: body (default) prints the response body, pretty when JSON; json prints
the whole exchange with secrets redacted; curl prints the request as a curl
command without sending it. --reveal shows secrets in json and curl output.
--compare-sdk sends nothing either: it prints the request as node-auth0 v2 and
as 4.x would send it for the same fields (for the operations both have), then
their difference line by line, body fields one a line (a form value as a JSON
string, so JSON and form bodies compare); secrets redacted unless --reveal.

The URL operations (oauth.buildAuthorizeUrl, the logout URLs) send nothing:
the URL is the answer. --open also opens it in the system's browser (xdg-open
when a display exists, open on macOS, rundll32 on Windows); when it cannot,
a sentence on stderr says why and the exit code is still 0.

An id_token in the answer of an operation node-auth0 checks (see
validates_id_token in 'operations --json') is checked as node-auth0 v2 does:
issuer https://<domain>/, audience the client id, HS256 with the client
secret (base64-decoded when the profile says so), RS256 with the tenant's
JWKS, the profile's algorithms, and the nonce when the request had one. A
token that fails exits 1 with the failed checks on stderr, the body still
printed; --output json carries the verdict in the token's "verification".
--no-id-token-check, or a profile whose id token checks are off, skips it.

Exit codes: 0 success, 1 the server said no (an error status, or a 2xx answer
that is not what the operation returns: an empty body, not JSON, an error
object, no access_token from a token grant) or the id_token is not valid,
2 bad command line or input (nothing sent), 3 network failure (including the
id_token's keys), 130 interrupted (Ctrl+C).`,
		Example: `  auth0-explorer call clientCredentialsGrant audience=https://api.example.com/
  auth0-explorer call passwordGrant username=jane@example.com password=Passw0rd! realm=Username-Password-Authentication
  auth0-explorer call requestMagicLink email=jane@example.com authParams:='{"scope":"openid"}' --output curl`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("call needs an operation name; 'auth0-explorer operations' lists them")
			}
			return nil
		},
		ValidArgsFunction: completeCall,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCall(cmd, env, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.domain, "domain", "", "tenant host (tenant.eu.auth0.com) or base URL (http://127.0.0.1:8080); default $AUTH0_DOMAIN")
	fl.StringVar(&f.clientID, "client-id", "", "the application's client id; default $AUTH0_CLIENT_ID")
	fl.StringVar(&f.clientSecret, "client-secret", "", "the application's client secret; default $AUTH0_CLIENT_SECRET")
	fl.StringVar(&f.profile, "profile", "", "use a saved profile")
	fl.StringVar(&f.assertionKey, "client-assertion-key", "", "a PEM private key file: send a signed client_assertion (private_key_jwt) instead of the client secret")
	fl.StringVar(&f.assertionAlg, "client-assertion-alg", "", "the client assertion's algorithm: "+strings.Join(api.AssertionAlgs, ", ")+" (default RS256)")
	fl.StringVar(&f.assertionKid, "client-assertion-kid", "", "the key id (kid) to put in the client assertion's header (default none)")
	fl.StringVar(&f.forwardedFor, "forwarded-for", "", "send auth0-forwarded-for: IP (the end user's IP address), as node-auth0's forwardedFor option")
	fl.StringVarP(&f.output, "output", "o", "body", "body, json or curl")
	fl.BoolVar(&f.reveal, "reveal", false, "show secrets in json and curl output")
	fl.BoolVar(&f.form, "form", false, "send an /oauth/token body form-encoded instead of JSON")
	fl.StringVar(&f.sdk, "sdk", api.SDKv2, "v2 or v4: send as node-auth0 v2 or 4.x sends it, for the operations both have")
	fl.BoolVar(&f.compareSDK, "compare-sdk", false, "send nothing: print the request as node-auth0 v2 and as 4.x would send it, and their difference line by line")
	fl.StringVar(&f.timeout, "timeout", "30", "limit for the whole exchange, in seconds or as a duration such as 1m")
	fl.StringVar(&f.connectTimeout, "connect-timeout", "10", "limit for connecting, in seconds or as a duration such as 500ms")
	fl.BoolVar(&f.open, "open", false, "for the URL operations (oauth.buildAuthorizeUrl, the logout URLs): also open the URL in the system's browser")
	fl.BoolVar(&f.noIDTokenCheck, "no-id-token-check", false, "do not check the id_token of the answer (node-auth0's __bypassIdTokenValidation)")
	fl.StringVar(&f.now, "now", "", "check the id_token as of this time (Unix seconds or RFC 3339) instead of now")
	_ = fl.MarkHidden("now")
	_ = cmd.RegisterFlagCompletionFunc("sdk", cobra.FixedCompletions([]string{api.SDKv2, api.SDKv4}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"body", "json", "curl"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("profile", completeProfileFlag(env))
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v (see call --help)", err) })
	return cmd
}

func runCall(cmd *cobra.Command, env *Env, f *callFlags, args []string) error {
	op := api.ByName(args[0])
	if op == nil {
		return usageErr("unknown operation %s%s; 'auth0-explorer operations' lists them", quoteCut(args[0], 64), suggest(args[0]))
	}
	if f.open && !op.URLOnly {
		return usageErr("--open is for the operations that build a browser URL (%s builds a request to send)", op.Name)
	}
	output := strings.ToLower(f.output)
	switch output {
	case "body", "json", "curl":
	default:
		return usageErr("--output must be body, json or curl, not %q", f.output)
	}
	if f.now != "" {
		at, err := parseNow(f.now)
		if err != nil {
			return err
		}
		env.Now = func() time.Time { return at }
	}
	timeout, err := parseTimeout("timeout", f.timeout)
	if err != nil {
		return err
	}
	connectTimeout, err := parseTimeout("connect-timeout", f.connectTimeout)
	if err != nil {
		return err
	}
	tn, err := resolveTenant(env, f.profile, tenantFlagsOf(cmd))
	if err != nil {
		return err
	}
	if err := assertionFlags(cmd, f, &tn); err != nil {
		return err
	}
	t := env.Transport
	t.Timeout, t.ConnectTimeout = timeout, connectTimeout
	sess, err := app.Open(tn, t, "auth0-explorer/"+Version())
	if err != nil {
		return usageErr("%v", err)
	}
	defer sess.Close()
	client := sess.Client
	if env.Now != nil {
		client.Now = env.Now
	}
	// The flags and the tenant are checked before a field is read from
	// standard input: nobody types a password for a command refused anyway.
	values, notes, err := parseFields(env, args[1:])
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+n)
	}
	values.ForwardedFor = f.forwardedFor
	values.Form = f.form
	values.SDK = f.sdk
	if tn.Profile != nil {
		for _, n := range profileDefaults(op, &values, tn.Profile) {
			fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+n)
		}
	}
	if f.compareSDK {
		return compareSDKs(env, client, op, values, f.reveal)
	}
	req, err := client.Build(op, values)
	if err != nil { // refused: nothing is sent
		return &exitError{code: api.ExitCode(err), msg: err.Error()}
	}
	for _, n := range req.Notes {
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+n)
	}
	if req.URLOnly {
		if err := printURL(env, req, output, f.reveal); err != nil || !f.open {
			return err
		}
		openURL(cmd.Context(), env, req.URL)
		return nil
	}
	if output == "curl" {
		cmd, note := req.CurlCommand(f.reveal)
		fmt.Fprintln(env.Stdout, cmd)
		if note != "" {
			fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+note)
		}
		return nil
	}

	ex := client.Send(cmd.Context(), req)
	idToken := checkAnswerIDToken(cmd.Context(), env, op, values, sess, f.noIDTokenCheck, ex)
	switch output {
	case "json":
		decodeAnswerTokens(ex, tn.ClientID)
		b, err := ex.JSON(f.reveal)
		if err != nil {
			return &exitError{code: 1, msg: "could not render the exchange as JSON: " + err.Error()}
		}
		env.Stdout.Write(append(b, '\n'))
	default:
		// Only a body read whole (or cut at the cap on purpose) is the
		// answer; part of one would break a pipe such as | jq.
		if r := ex.Response; r != nil && !r.Partial && len(r.Body) > 0 {
			env.Stdout.Write(env.shown(app.Prettify(r.Body)))
		}
	}
	if ex.Err != nil {
		return &exitError{code: api.ExitCode(ex.Err), msg: ex.Err.Error()}
	}
	return idToken.exit(env, ex.Redactor())
}

// compareSDKs is call --compare-sdk: op built from values as both
// generations would send it, shown with their difference; nothing is sent.
// Exit 2 when the operation is not sent by both, or both refuse the fields.
func compareSDKs(env *Env, client *api.Client, op *api.Operation, values api.Values, reveal bool) error {
	cmp, err := client.CompareSDKs(op, values)
	if err != nil {
		return &exitError{code: api.ExitCode(err), msg: err.Error()}
	}
	fmt.Fprint(env.Stdout, string(env.shown([]byte(cmp.Text(reveal)))))
	if cmp.Errs[0] != nil && cmp.Errs[1] != nil {
		return &exitError{code: api.ExitCode(cmp.Errs[1]), msg: "neither generation would send these fields: " + cmp.Errs[1].Error()}
	}
	return nil
}

// printURL prints the answer of a browser URL operation (api's URLOnly):
// the URL, sent nowhere. body and curl print it as it is (it is the answer,
// to open in a browser); json prints {"url": …}, its secrets (an
// id_token_hint) redacted unless reveal.
func printURL(env *Env, req *api.Request, output string, reveal bool) error {
	if output != "json" {
		fmt.Fprintln(env.Stdout, string(env.shown([]byte(req.URL))))
		return nil
	}
	u := req.URL
	if !reveal {
		u = api.NewRedactor(req.Secrets).String(u)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false) // a URL's & stays readable
	if err := enc.Encode(map[string]string{"url": u}); err != nil {
		return &exitError{code: 1, msg: "could not write the URL: " + err.Error()}
	}
	return nil
}

// openURL opens url in the system's browser (--open). Not opening is no
// failure (the URL is printed): a sentence on stderr says why.
func openURL(ctx context.Context, env *Env, url string) {
	o := env.Browser
	if o == nil {
		o = &browser.Opener{Getenv: env.Getenv}
	}
	if err := o.Open(ctx, url); err != nil {
		fmt.Fprintf(env.Stderr, "auth0-explorer: could not open a browser: %v; the URL is printed above.\n", err)
	}
}

// profileDefaults adds the fields the profile fills for op (api.ProfileFills
// decides which) to v and says which.
func profileDefaults(op *api.Operation, v *api.Values, p *config.Profile) []string {
	var notes []string
	for _, f := range api.ProfileFills(op, v.Fields, api.ProfileDefaults{Audience: p.Audience, Scope: p.Scope, Realm: p.Realm}) {
		v.Fields = append(v.Fields, f.Input())
		notes = append(notes, f.Note(p.Name))
	}
	return notes
}

// parseFields reads httpie-style fields: name=value (a string), name:=JSON
// (a raw JSON value), name=@FILE (the file's text, one final line ending
// dropped), name:=@FILE (the file's JSON), and name=- or name=@- (standard
// input: at a terminal, typed without echo). name=\@… is a value that
// starts with @, name=\- a lone dash. A field given twice is refused: the
// second would silently replace the first. The notes say what was dropped.
func parseFields(env *Env, args []string) (api.Values, []string, error) {
	var v api.Values
	var notes []string
	seen := map[string]bool{}
	stdinField := ""
	for _, a := range args {
		i := strings.IndexByte(a, '=')
		if i <= 0 {
			return v, nil, usageErr("%q is not a field: write name=value or name:=JSON", a)
		}
		name, value := a[:i], a[i+1:]
		isJSON := strings.HasSuffix(name, ":")
		if isJSON {
			name = strings.TrimSuffix(name, ":")
			if name == "" {
				return v, nil, usageErr("%q is not a field: write name:=JSON", a)
			}
		}
		if seen[name] {
			return v, nil, usageErr("the field %s is given twice; give it once", printable(name))
		}
		seen[name] = true

		// Where the value comes from: the argument, a file, or stdin.
		from := ""
		switch {
		case value == "-" && !isJSON, value == "@-":
			if stdinField != "" {
				return v, nil, usageErr("only one field can read standard input, and %s already does; give %s from a file (%s=@FILE)", stdinField, printable(name), printable(name))
			}
			stdinField = printable(name)
			b, err := readFieldStdin(env, name)
			if err != nil {
				return v, nil, err
			}
			value, from = string(b), "standard input"
		case strings.HasPrefix(value, "@"):
			path := value[1:]
			if path == "" {
				return v, nil, usageErr("%s=@ names no file: write %s=@FILE, or %s=\\@ for the text @", printable(name), printable(name), printable(name))
			}
			b, err := readFieldFile(name, path)
			if err != nil {
				return v, nil, err
			}
			value, from = string(b), "the file "+printable(path)
		case !isJSON && (strings.HasPrefix(value, `\@`) || value == `\-`):
			value = value[1:] // httpie's escape: the text as written
		}
		if from != "" && !utf8.ValidString(value) {
			return v, nil, usageErr("%s for %s is not UTF-8 text", from, printable(name))
		}

		if isJSON {
			if !json.Valid([]byte(value)) {
				if from != "" {
					return v, nil, usageErr("%s for %s is not valid JSON", from, printable(name))
				}
				return v, nil, usageErr("the value of %s is not valid JSON (for a plain string write %s=…)", name, name)
			}
			v.Fields = append(v.Fields, api.Value{Name: name, Raw: json.RawMessage(value)})
			continue
		}
		if from != "" {
			if t, ok := trimFinalNewline(value); ok {
				value = t
				notes = append(notes, fmt.Sprintf("%s: the final line ending of %s is not sent", printable(name), from))
			}
		}
		v.Fields = append(v.Fields, api.String(name, value))
	}
	return v, notes, nil
}

// maxFieldInput is the most a field reads from a file or standard input:
// far more than any field of the Authentication API holds.
const maxFieldInput = 1 << 20

// trimFinalNewline drops one final "\n" or "\r\n", what an editor or echo
// adds to the end of a file.
func trimFinalNewline(s string) (string, bool) {
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		return strings.TrimSuffix(t, "\r"), true
	}
	return s, false
}

// readFieldFile reads name=@path's file; "~/" is the home directory, as in
// httpie.
func readFieldFile(name, path string) ([]byte, error) {
	full := path
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			full = filepath.Join(home, rest)
		}
	}
	f, err := os.Open(full)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErr("could not read the file %s for %s: %v", printable(path), printable(name), err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFieldInput+1))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, usageErr("could not read the file %s for %s: %v", printable(path), printable(name), err)
	}
	if len(b) > maxFieldInput {
		return nil, usageErr("the file %s for %s is over 1 MiB, far more than a field holds", printable(path), printable(name))
	}
	return b, nil
}

// readFieldStdin reads name=-'s value: at a terminal after a prompt on
// stderr, without echo; else all of standard input.
func readFieldStdin(env *Env, name string) ([]byte, error) {
	if fd, ok := stdinTerminal(env.Stdin); ok {
		fmt.Fprintf(env.Stderr, "%s (not shown as you type): ", printable(name))
		b, err := readPassword(fd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return nil, usageErr("could not read %s from the terminal: %v", printable(name), err)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(env.Stdin, maxFieldInput+1))
	if err != nil {
		return nil, usageErr("could not read %s from standard input: %v", printable(name), err)
	}
	if len(b) > maxFieldInput {
		return nil, usageErr("standard input for %s is over 1 MiB, far more than a field holds", printable(name))
	}
	return b, nil
}

// parseTimeout reads --timeout and --connect-timeout: seconds ("30", as curl
// takes them) or a duration ("1m", "500ms"); zero is refused.
func parseTimeout(flag, s string) (time.Duration, error) {
	d, err := parseSeconds(flag, s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, usageErr("--%s must be positive: seconds such as 30, or a duration such as 1m", flag)
	}
	return d, nil
}

// suggest offers the closest operation names for a mistyped one: those
// containing it, or within two edits of it (ignoring case). A name equal to
// one but for case comes first, then one whose member part is
// (passwordgrant: passwordGrant, then oauth.passwordGrant), then the rest
// alphabetically.
func suggest(name string) string {
	lower := strings.ToLower(name)
	var exact, member, near []string
	for _, n := range api.Names() {
		ln := strings.ToLower(n)
		short := ln[strings.LastIndexByte(ln, '.')+1:]
		switch {
		case ln == lower:
			exact = append(exact, n)
		case short == lower:
			member = append(member, n)
		case strings.Contains(ln, lower) || within2(lower, ln) || within2(lower, short):
			near = append(near, n)
		}
	}
	hits := append(append(exact, member...), near...)
	if len(hits) > 6 {
		hits = append(exact, member...)
	}
	if len(hits) == 0 {
		return ""
	}
	return " (did you mean " + strings.Join(hits, ", ") + "?)"
}

// within2 reports whether a and b are within two edits; a length gap over
// two settles it without counting (a 100,000-character name costs nothing).
func within2(a, b string) bool {
	if len(a) > len(b)+2 || len(b) > len(a)+2 {
		return false
	}
	return editDistance(a, b) <= 2
}

// quoteCut quotes s as Go does (control characters escaped) after cutting
// it to max bytes on a character boundary, saying how long it was.
func quoteCut(s string, max int) string {
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	i := max
	for i > max-utf8.UTFMax && i > 0 && !utf8.RuneStart(s[i]) {
		i-- // do not split a character
	}
	cut := s[:i]
	return fmt.Sprintf("%q… (%d bytes)", cut, len(s))
}

// completeProfileFlag completes a --profile flag with the saved profiles'
// names, whatever arguments come before it.
func completeProfileFlag(env *Env) cobra.CompletionFunc {
	names := completeProfiles(env)
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return names(cmd, nil, toComplete)
	}
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// completeCall completes operation names, then field names.
func completeCall(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		var out []string
		for _, op := range api.Operations() {
			if strings.HasPrefix(op.Name, toComplete) {
				out = append(out, op.Name+"\t"+op.Summary)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	op := api.ByName(args[0])
	if op == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	given := map[string]bool{}
	for _, a := range args[1:] {
		if i := strings.IndexByte(a, '='); i > 0 {
			given[strings.TrimSuffix(a[:i], ":")] = true
		}
	}
	var out []string
	for _, fd := range op.Fields {
		if given[fd.Name] {
			continue
		}
		sep := "="
		if fd.JSON {
			sep = ":="
		}
		for _, n := range append([]string{fd.Name}, fd.Aliases...) {
			if strings.HasPrefix(n, toComplete) {
				out = append(out, n+sep+"\t"+fd.Help)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// assertionFlags applies --client-assertion-key, -alg and -kid to the
// tenant. The algorithm and key id alone change the profile's key's.
func assertionFlags(cmd *cobra.Command, f *callFlags, tn *app.Tenant) error {
	fl := cmd.Flags()
	if fl.Changed("client-assertion-key") {
		if f.assertionKey == "" {
			return usageErr("--client-assertion-key needs a PEM private key file")
		}
		if fl.Changed("client-secret") {
			return usageErr("give --client-secret or --client-assertion-key, not both: the assertion replaces the secret")
		}
		tn.Assertion = app.AssertionKey{Path: f.assertionKey}
	}
	if (fl.Changed("client-assertion-alg") || fl.Changed("client-assertion-kid")) && tn.Assertion.Path == "" {
		return usageErr("--client-assertion-alg and --client-assertion-kid need --client-assertion-key (or a profile with a client assertion key)")
	}
	if fl.Changed("client-assertion-alg") {
		tn.Assertion.Alg = f.assertionAlg
	}
	if fl.Changed("client-assertion-kid") {
		tn.Assertion.Kid = f.assertionKid
	}
	return nil
}
