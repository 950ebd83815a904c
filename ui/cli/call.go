package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/config"

	"github.com/spf13/cobra"
)

type callFlags struct {
	domain, clientID, clientSecret string
	profile                        string
	forwardedFor                   string
	output                         string
	reveal                         bool
	form                           bool
	timeout, connectTimeout        time.Duration
	noIDTokenCheck                 bool
}

func newCallCmd(env *Env) *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "call OP [name=value | name:=JSON …]",
		Short: "Send one operation and print the answer",
		Long: `Send one Authentication API operation, built exactly as node-auth0 v2 builds it.

Fields follow httpie: name=value is a string, name:=JSON a raw JSON value
(authParams:='{"scope":"openid"}'). Field names are the body names node-auth0
accepts and its aliases; 'auth0-explorer operations' lists them.

The tenant comes from --domain/--client-id/--client-secret, else from
--profile NAME (see 'auth0-explorer profile'), else from AUTH0_DOMAIN,
AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, else from the default profile.

Output: body (default) prints the response body, pretty when JSON; json prints
the whole exchange with secrets redacted; curl prints the request as a curl
command without sending it. --reveal shows secrets in json and curl output.

An id_token in the answer of an operation node-auth0 checks (see
validates_id_token in 'operations --json') is checked as node-auth0 v2 does:
issuer https://<domain>/, audience the client id, HS256 with the client
secret (base64-decoded when the profile says so), RS256 with the tenant's
JWKS, the profile's algorithms, and the nonce when the request had one. A
token that fails exits 1 with the failed checks on stderr, the body still
printed; --output json carries the verdict in the token's "verification".
--no-id-token-check, or a profile whose id token checks are off, skips it.

Exit codes: 0 success, 1 the server said no or the id_token is not valid,
2 bad command line or input (nothing sent), 3 network failure (including
the id_token's keys).`,
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
	fl.StringVar(&f.forwardedFor, "forwarded-for", "", "send auth0-forwarded-for: IP, as node-auth0's forwardedFor option")
	fl.StringVarP(&f.output, "output", "o", "body", "body, json or curl")
	fl.BoolVar(&f.reveal, "reveal", false, "show secrets in json and curl output")
	fl.BoolVar(&f.form, "form", false, "send an /oauth/token body form-encoded instead of JSON")
	fl.BoolVar(&f.noIDTokenCheck, "no-id-token-check", false, "do not check the id_token of the answer (node-auth0's __bypassIdTokenValidation)")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "limit for the whole exchange")
	fl.DurationVar(&f.connectTimeout, "connect-timeout", 10*time.Second, "limit for connecting")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"body", "json", "curl"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v (see call --help)", err) })
	return cmd
}

func runCall(cmd *cobra.Command, env *Env, f *callFlags, args []string) error {
	op := api.ByName(args[0])
	if op == nil {
		return usageErr("unknown operation %q%s; 'auth0-explorer operations' lists them", args[0], suggest(args[0]))
	}
	switch f.output {
	case "body", "json", "curl":
	default:
		return usageErr("--output must be body, json or curl, not %q", f.output)
	}
	tn, err := resolveTenant(env, f.profile, tenantFlagsOf(cmd))
	if err != nil {
		return err
	}
	values, err := parseFields(args[1:])
	if err != nil {
		return err
	}
	values.ForwardedFor = f.forwardedFor
	values.Form = f.form
	if tn.Profile != nil {
		for _, n := range profileDefaults(op, &values, tn.Profile) {
			fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+n)
		}
	}
	if f.timeout <= 0 || f.connectTimeout <= 0 {
		return usageErr("--timeout and --connect-timeout must be positive durations such as 30s")
	}

	t := env.Transport
	t.Timeout, t.ConnectTimeout = f.timeout, f.connectTimeout
	client, err := api.New(api.Config{
		Domain:       tn.Domain,
		ClientID:     tn.ClientID,
		ClientSecret: tn.ClientSecret,
		UserAgent:    "auth0-explorer/" + Version(),
		Transport:    t,
	})
	if err != nil {
		return usageErr("%v", err)
	}

	req, err := client.Build(op, values)
	if err != nil { // refused: nothing is sent
		return &exitError{code: api.ExitCode(err), msg: err.Error()}
	}
	for _, n := range req.Notes {
		fmt.Fprintln(env.Stderr, "auth0-explorer: note: "+n)
	}
	if f.output == "curl" {
		fmt.Fprintln(env.Stdout, req.Curl(f.reveal))
		return nil
	}

	ex := client.Send(cmd.Context(), req)
	idToken := checkAnswerIDToken(cmd.Context(), env, op, values, tn, t, f.noIDTokenCheck, ex)
	switch f.output {
	case "json":
		b, err := ex.JSON(f.reveal)
		if err != nil {
			return &exitError{code: 1, msg: "could not render the exchange as JSON: " + err.Error()}
		}
		env.Stdout.Write(append(b, '\n'))
	default:
		if ex.Response != nil && len(ex.Response.Body) > 0 {
			env.Stdout.Write(prettyBody(ex.Response.Body))
		}
	}
	if ex.Err != nil {
		return &exitError{code: api.ExitCode(ex.Err), msg: ex.Err.Error()}
	}
	return idToken.exit(env, ex.Redactor())
}

// profileDefaults fills the fields a profile has defaults for (audience,
// scope, and realm or connection for sign-in and database operations) when
// the operation takes them and the caller did not give them, and says which.
func profileDefaults(op *api.Operation, v *api.Values, p *config.Profile) []string {
	given := map[string]bool{}
	for _, f := range v.Fields {
		if fd := op.Field(f.Name); fd != nil {
			given[fd.Name] = true
		}
		given[f.Name] = true
	}
	type def struct{ field, value string }
	defs := []def{{"audience", p.Audience}, {"scope", p.Scope}}
	if op.Group == "Sign-in" || op.Group == "Database" {
		defs = append(defs, def{"realm", p.Realm})
		if op.Field("realm") == nil {
			defs = append(defs, def{"connection", p.Realm})
		}
	}
	var notes []string
	for _, d := range defs {
		fd := op.Field(d.field)
		if d.value == "" || fd == nil || fd.Param || given[d.field] {
			continue
		}
		v.Fields = append(v.Fields, api.String(d.field, d.value))
		notes = append(notes, fmt.Sprintf("%s=%s from profile %s", d.field, printable(d.value), printable(p.Name)))
	}
	return notes
}

// prettyBody indents a JSON body (keeping its key order) and ends it with a
// newline; other bodies are printed as they came.
func prettyBody(body []byte) []byte {
	var buf bytes.Buffer
	if json.Valid(body) && json.Indent(&buf, body, "", "  ") == nil {
		buf.WriteByte('\n')
		return buf.Bytes()
	}
	if !bytes.HasSuffix(body, []byte("\n")) {
		return append(append([]byte{}, body...), '\n')
	}
	return body
}

// parseFields reads httpie-style fields: name=value (a string) and
// name:=JSON (a raw JSON value).
func parseFields(args []string) (api.Values, error) {
	var v api.Values
	for _, a := range args {
		i := strings.IndexByte(a, '=')
		if i <= 0 {
			return v, usageErr("%q is not a field: write name=value or name:=JSON", a)
		}
		name, value := a[:i], a[i+1:]
		if strings.HasSuffix(name, ":") {
			name = strings.TrimSuffix(name, ":")
			if name == "" {
				return v, usageErr("%q is not a field: write name:=JSON", a)
			}
			if !json.Valid([]byte(value)) {
				return v, usageErr("the value of %s is not valid JSON (for a plain string write %s=…)", name, name)
			}
			v.Fields = append(v.Fields, api.Value{Name: name, Raw: json.RawMessage(value)})
			continue
		}
		v.Fields = append(v.Fields, api.String(name, value))
	}
	return v, nil
}

// suggest offers the closest operation names for a mistyped one: those
// containing it, or within two edits of it (ignoring case).
func suggest(name string) string {
	lower := strings.ToLower(name)
	var hits []string
	for _, n := range api.Names() {
		ln := strings.ToLower(n)
		short := ln[strings.LastIndexByte(ln, '.')+1:]
		if strings.Contains(ln, lower) || editDistance(lower, ln) <= 2 || editDistance(lower, short) <= 2 {
			hits = append(hits, n)
		}
	}
	if len(hits) == 0 || len(hits) > 6 {
		return ""
	}
	return " (did you mean " + strings.Join(hits, ", ") + "?)"
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
