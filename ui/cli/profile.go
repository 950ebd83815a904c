package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newProfileCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Manage saved tenant profiles",
		Long: `Manage saved tenant profiles: a name for a tenant's domain, client id and
client secret, and the defaults the forms use (audience, scope, realm…).

Profiles live in profiles.json in $XDG_CONFIG_HOME/auth0-explorer (usually
~/.config/auth0-explorer), or in the directory AUTH0_EXPLORER_CONFIG names.
Client secrets go to the system keyring when one answers within 3 seconds,
else they stay in that file, which only you can read (mode 0600); the tool
says so when it happens.

'call --profile NAME' uses a profile; without --profile, --domain or
AUTH0_DOMAIN, commands use the default profile. The unsaved profile "env" is
made of AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.`,
		Example: `  auth0-explorer profile add dev --domain dev-tenant.eu.auth0.com --client-id abc123 --client-secret-stdin < secret.txt
  auth0-explorer profile list
  auth0-explorer profile show dev
  auth0-explorer profile default prod
  auth0-explorer call clientCredentialsGrant --profile dev audience=https://api.example.com/`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErr("profile needs a subcommand: list, show NAME, add NAME, rm NAME, default NAME, check NAME or move-aside (see profile --help)")
		},
	}
	cmd.AddCommand(newProfileListCmd(env), newProfileShowCmd(env), newProfileAddCmd(env),
		newProfileRmCmd(env), newProfileDefaultCmd(env), newProfileMoveAsideCmd(env), newProfileCheckCmd(env))
	return cmd
}

// exactArgs is cobra.ExactArgs with this tool's exit code and a sentence
// naming what is missing.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
			return usageErr("%s needs %s (see %s --help)", path, what, path)
		}
		return nil
	}
}

// profileStore opens the store for a profile command and prints its warnings.
func profileStore(env *Env) (*config.Store, error) {
	s, err := openStore(env)
	if err != nil {
		return nil, usageErr("cannot find where profiles are kept: %v", err)
	}
	warnStore(env, s)
	return s, nil
}

// saveErr explains a save refused because the file does not read.
func saveErr(s *config.Store, err error) error {
	if s.Problem() != nil {
		return &exitError{code: 1, msg: err.Error() + "; 'auth0-explorer profile move-aside' moves it aside"}
	}
	return storeErr(err)
}

func notices(env *Env, ns []string) {
	for _, n := range ns {
		fmt.Fprintln(env.Stderr, "auth0-explorer: "+n)
	}
}

func completeProfiles(env *Env) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		s, err := openStore(env)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, p := range s.Profiles() {
			if strings.HasPrefix(p.Name, toComplete) {
				out = append(out, p.Name+"\t"+printable(p.Domain))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func newProfileListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List saved profiles (* marks the default)",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(*cobra.Command, []string) error {
			s, err := profileStore(env)
			if err != nil {
				return err
			}
			profiles := s.Profiles()
			envp, hasEnv := config.FromEnvironment(env.Getenv)
			if len(profiles) == 0 && !hasEnv {
				if s.Problem() != nil {
					return nil // the warning above says the file does not read
				}
				fmt.Fprintf(env.Stderr, "auth0-explorer: no profile is saved in %s yet; add one with: auth0-explorer profile add NAME --domain D --client-id I --client-secret-stdin\n", s.Dir())
				return nil
			}
			var buf bytes.Buffer
			tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "\tNAME\tDOMAIN\tCLIENT ID\tCLIENT SECRET")
			def := s.Default()
			for _, p := range profiles {
				mark := ""
				if p.Name == def {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", mark, printable(p.Name), printable(p.Domain), printable(p.ClientID), p.Secret)
			}
			if hasEnv {
				fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\n", envp.Name, printable(envp.Domain), printable(envp.ClientID), "from AUTH0_* variables, not saved")
			}
			tw.Flush()
			_, err = env.Stdout.Write(buf.Bytes())
			return err
		},
	}
}

func newProfileShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:               "show NAME",
		Short:             "Show one profile, its client secret masked",
		Args:              exactArgs(1, "the name of a profile"),
		ValidArgsFunction: completeProfiles(env),
		RunE: func(_ *cobra.Command, args []string) error {
			name := args[0]
			var p config.Profile
			var secretNote, where string
			isDefault := false
			if name == config.EnvProfileName {
				ep, ok := config.FromEnvironment(env.Getenv)
				if !ok {
					return usageErr("the env profile needs AUTH0_DOMAIN in the environment")
				}
				p, where = ep, "the environment (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET), not saved"
			} else {
				s, err := profileStore(env)
				if err != nil {
					return err
				}
				p, err = s.Load(name)
				var se *config.SecretError
				if errors.As(err, &se) {
					if se.Missing {
						secretNote = "missing from the system keyring; enter it again with: auth0-explorer profile add " + name + " --update --client-secret-stdin"
					} else {
						secretNote = "in the system keyring, which did not answer"
					}
				} else if err != nil {
					return storeErr(err)
				}
				where, isDefault = s.Path(), s.Default() == name
			}
			if secretNote == "" {
				switch {
				case p.ClientSecret == "":
					secretNote = "none"
				case p.Secret == config.SecretFile:
					secretNote = config.Mask(p.ClientSecret) + " (stored in plain text in " + where + ")"
				default:
					secretNote = config.Mask(p.ClientSecret) + " (" + p.Secret.String() + ")"
				}
			}
			title := printable(p.Name)
			if isDefault {
				title += " (default)"
			}
			yes := func(b bool, y, n string) string {
				if b {
					return y
				}
				return n
			}
			var buf bytes.Buffer
			tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
			for _, row := range [][2]string{
				{"name", title},
				{"domain", p.Domain},
				{"client id", p.ClientID},
				{"client secret", secretNote},
				{"secret encoding", yes(p.SecretBase64, "base64 (legacy HS256 client)", "plain")},
				{"audience", p.Audience},
				{"scope", p.Scope},
				{"realm", p.Realm},
				{"organization", p.Organization},
				{"redirect uri", redirectText(p.RedirectURI)},
				{"algorithms", yes(len(p.Algorithms) > 0, strings.Join(p.Algorithms, ", "), "RS256, HS256 (default)")},
				{"id token checks", yes(p.SkipIDTokenValidation, "skipped: tokens are decoded and shown as not verified", "on")},
				{"production", productionText(p)},
				{"from", where},
			} {
				if row[1] == "" {
					row[1] = "(none)"
				}
				row[1] = printable(row[1])
				fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
			}
			tw.Flush()
			_, err := env.Stdout.Write(buf.Bytes())
			return err
		},
	}
}

type addFlags struct {
	domain, clientID, clientSecret, audience, scope, realm, organization string
	redirectURI                                                          string
	algorithms                                                           []string
	secretStdin, makeDefault, update, secretBase64, skipValidation       bool
	production                                                           bool
	assertionKey, assertionAlg, assertionKid                             string
}

func newProfileAddCmd(env *Env) *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:   "add NAME --domain D --client-id I [--client-secret S | --client-secret-stdin]",
		Short: "Save a tenant as a profile",
		Long: `Save a tenant as a profile. The first profile saved becomes the default.

The client secret goes to the system keyring when one answers, else into the
profiles file (mode 0600), and the tool says so. Prefer --client-secret-stdin:
a secret on the command line is visible to other users in the process list
and stays in the shell history. At a terminal, --client-secret-stdin asks for
the secret without showing it.

With --update, an existing profile is changed: only the flags given change,
and the client secret is kept unless a new one is given.`,
		Example: `  auth0-explorer profile add dev --domain dev-tenant.eu.auth0.com --client-id abc123 --client-secret-stdin
  auth0-explorer profile add prod --domain login.example.com --client-id xyz --audience https://api.example.com/ --default
  auth0-explorer profile add dev --update --redirect-uri http://127.0.0.1:8484/callback   # listed in Allowed Callback URLs
  auth0-explorer profile add dev --update --client-secret-stdin     # enter the secret again`,
		Args: exactArgs(1, "the name of the new profile"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runProfileAdd(cmd, env, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.domain, "domain", "", "tenant host (tenant.eu.auth0.com) or loopback base URL (http://127.0.0.1:8080)")
	fl.StringVar(&f.clientID, "client-id", "", "the application's client id")
	fl.StringVar(&f.clientSecret, "client-secret", "", "the application's client secret (other users can see it in the process list while this runs, and it stays in shell history; prefer --client-secret-stdin)")
	fl.BoolVar(&f.secretStdin, "client-secret-stdin", false, "read the client secret from standard input (at a terminal: asked for, not shown)")
	fl.StringVar(&f.audience, "audience", "", "default audience for the forms")
	fl.StringVar(&f.scope, "scope", "", "default scope for the forms")
	fl.StringVar(&f.realm, "realm", "", "default realm or connection, such as Username-Password-Authentication")
	fl.StringVar(&f.organization, "organization", "", "default organization (org_…)")
	fl.StringVar(&f.redirectURI, "redirect-uri", "", "the loopback callback 'login' listens on, http://127.0.0.1:PORT/PATH: the one listed in the application's Allowed Callback URLs (\"\" removes it: a random port)")
	fl.StringSliceVar(&f.algorithms, "algorithms", nil, "id_token algorithms allowed, comma-separated (default RS256,HS256)")
	fl.BoolVar(&f.secretBase64, "secret-base64", false, "the client secret is base64-encoded (legacy HS256 clients)")
	fl.BoolVar(&f.skipValidation, "skip-id-token-validation", false, "decode id_tokens without verifying them (node-auth0's __bypassIdTokenValidation)")
	fl.BoolVar(&f.production, "production", false, "mark the tenant as production (the UI shows PROD); --production=false says it is not; without the flag it is guessed from the domain")
	fl.StringVar(&f.assertionKey, "client-assertion-key", "", "a PEM private key file the client signs client assertions (private_key_jwt) with, in place of its secret; the file's path is saved, not the key (\"\" removes it)")
	fl.StringVar(&f.assertionAlg, "client-assertion-alg", "", "the client assertion's algorithm: "+strings.Join(api.AssertionAlgs, ", ")+" (default RS256)")
	fl.StringVar(&f.assertionKid, "client-assertion-kid", "", "the key id (kid) put in the client assertion's header (default none)")
	fl.BoolVar(&f.makeDefault, "default", false, "make this the default profile")
	fl.BoolVar(&f.update, "update", false, "change an existing profile: only the flags given change")
	return cmd
}

func runProfileAdd(cmd *cobra.Command, env *Env, f *addFlags, name string) error {
	if err := config.ValidateName(name); err != nil {
		return usageErr("%v", err)
	}
	changed := cmd.Flags().Changed
	if changed("client-secret") && f.secretStdin {
		return usageErr("give the client secret once: --client-secret or --client-secret-stdin, not both")
	}
	if !f.update {
		if !changed("domain") {
			return usageErr("profile add needs --domain (a tenant host such as tenant.eu.auth0.com)")
		}
		if !changed("client-id") {
			return usageErr("profile add needs --client-id (the application's client id)")
		}
	}
	if changed("domain") {
		d, err := config.NormalizeDomain(f.domain)
		if err != nil {
			return usageErr("%v", err)
		}
		f.domain = d
	}
	if changed("redirect-uri") && f.redirectURI != "" {
		if err := app.CheckRedirectURI(f.redirectURI); err != nil {
			return usageErr("%v", err)
		}
	}
	algs, err := app.ParseAlgorithms(f.algorithms)
	if err != nil {
		return usageErr("--algorithms: %v", err)
	}
	secret, secretGiven := f.clientSecret, changed("client-secret")
	if f.secretStdin {
		s, err := readSecret(env, name)
		if err != nil {
			return err
		}
		secret, secretGiven = s, true
	}

	s, err := profileStore(env)
	if err != nil {
		return err
	}
	var p config.Profile
	if f.update {
		old, ok := s.Lookup(name)
		if !ok {
			_, err := s.Load(name) // for the sentence naming the saved ones
			return storeErr(err)
		}
		p = old
	}
	p.Name = name
	set := func(flag string, dst *string, v string) {
		if changed(flag) {
			*dst = v
		}
	}
	set("domain", &p.Domain, f.domain)
	set("client-id", &p.ClientID, f.clientID)
	set("audience", &p.Audience, f.audience)
	set("scope", &p.Scope, f.scope)
	set("realm", &p.Realm, f.realm)
	set("organization", &p.Organization, f.organization)
	set("redirect-uri", &p.RedirectURI, f.redirectURI)
	if changed("algorithms") {
		p.Algorithms = algs
	}
	if changed("secret-base64") {
		p.SecretBase64 = f.secretBase64
	}
	if changed("skip-id-token-validation") {
		p.SkipIDTokenValidation = f.skipValidation
	}
	if changed("production") {
		v := f.production
		p.Production = &v
	}
	if err := addAssertionKey(changed, f, &p); err != nil {
		return err
	}
	p.ClientSecret = secret
	ns, err := s.Put(p, config.PutOptions{Replace: f.update, KeepSecret: f.update && !secretGiven, MakeDefault: f.makeDefault})
	if err != nil {
		if !f.update {
			if _, exists := s.Lookup(name); exists {
				return usageErr("a profile named %q already exists; change it with: auth0-explorer profile add %s --update …, or remove it first", name, name)
			}
		}
		return saveErr(s, err)
	}
	notices(env, ns)
	saved, _ := s.Lookup(name)
	what := "saved"
	if f.update {
		what = "updated"
	}
	extra := ""
	if s.Default() == name {
		extra = ", the default"
	}
	place := secretPlace(saved, s)
	if secretGiven && saved.Secret == config.SecretFile {
		place = "in the profiles file (see the notice above)" // said once, on stderr
	}
	fmt.Fprintf(env.Stdout, "%s profile %q (%s)%s; client secret: %s\n", what, name, printable(saved.Domain), extra, place)
	if changed("client-assertion-key") && saved.ClientAssertionKey != "" {
		fmt.Fprintf(env.Stdout, "client assertion key: %s (the profile keeps this path, not the key: keep the file there)\n", printable(saved.ClientAssertionKey))
	}
	return nil
}

// addAssertionKey applies --client-assertion-key, -alg and -kid to p: the
// key file must load with the algorithm (exit 2 with the reason if not),
// and its absolute path is what the profile keeps.
func addAssertionKey(changed func(string) bool, f *addFlags, p *config.Profile) error {
	if changed("client-assertion-key") {
		p.ClientAssertionKey = ""
		if f.assertionKey != "" {
			abs, err := filepath.Abs(f.assertionKey)
			if err != nil {
				return usageErr("--client-assertion-key: %v", err)
			}
			p.ClientAssertionKey = abs
		}
	}
	if changed("client-assertion-alg") {
		p.ClientAssertionAlg = strings.ToUpper(f.assertionAlg)
	}
	if changed("client-assertion-kid") {
		p.ClientAssertionKid = f.assertionKid
	}
	if p.ClientAssertionKey == "" {
		if changed("client-assertion-alg") || changed("client-assertion-kid") {
			return usageErr("--client-assertion-alg and --client-assertion-kid need --client-assertion-key")
		}
		p.ClientAssertionAlg, p.ClientAssertionKid = "", ""
		return nil
	}
	if _, err := api.LoadAssertionKey(p.ClientAssertionKey, p.ClientAssertionAlg, p.ClientAssertionKid); err != nil {
		return usageErr("%v", err)
	}
	return nil
}

// maxSecretInput is the most --client-secret-stdin reads; a client secret is
// far shorter, so more is refused rather than cut.
const maxSecretInput = 64 << 10

// stdinTerminal gives the descriptor of r when it is a terminal; tests
// replace it, and readPassword, to stand in for one.
var stdinTerminal = func(r io.Reader) (int, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

var readPassword = term.ReadPassword

// readSecret reads --client-secret-stdin's secret: at a terminal after a
// prompt on stderr, without echo; else all of standard input, up to
// maxSecretInput. A secret is one line: surrounding whitespace and line
// endings (echo's newline, a CRLF file's CR) are dropped, and an input of
// several lines, or with a control character, is refused rather than saved
// as a secret Auth0 would answer with a bare 401.
func readSecret(env *Env, name string) (string, error) {
	tooLong := usageErr("--client-secret-stdin: the input is longer than 64 KiB, far longer than a client secret; no secret was saved")
	var b []byte
	if fd, ok := stdinTerminal(env.Stdin); ok {
		fmt.Fprintf(env.Stderr, "client secret for profile %q (not shown as you type): ", name)
		var err error
		b, err = readPassword(fd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", usageErr("could not read the client secret from the terminal: %v", err)
		}
	} else {
		var err error
		b, err = io.ReadAll(io.LimitReader(env.Stdin, maxSecretInput+1))
		if err != nil {
			return "", usageErr("could not read the client secret from standard input: %v", err)
		}
	}
	if len(b) > maxSecretInput {
		return "", tooLong
	}
	secret := strings.TrimSpace(string(b))
	switch {
	case secret == "":
		return "", usageErr("--client-secret-stdin: standard input was empty; no secret was saved")
	case strings.ContainsAny(secret, "\r\n"):
		return "", usageErr("--client-secret-stdin: the input has more than one line, and a client secret is one; no secret was saved")
	case api.ControlCharacter(secret) != "":
		return "", usageErr("--client-secret-stdin: the input holds %s, which no client secret has; no secret was saved", api.ControlCharacter(secret))
	}
	return secret, nil
}

// printable is s as it is when it is safe on a terminal, else quoted with
// its controls escaped (safetext.Quote), so a name or domain from a
// hand-edited file cannot send control sequences to the terminal.
func printable(s string) string { return app.Printable(s) }

func secretPlace(p config.Profile, s *config.Store) string {
	switch p.Secret {
	case config.SecretFile:
		return "plain text in " + s.Path()
	case config.NoSecret:
		return "none"
	}
	return p.Secret.String()
}

// redirectText is the redirect URI 'login' listens on for a profile.
func redirectText(ru string) string {
	if ru == "" {
		return "(none: login listens on http://127.0.0.1:<random port>/callback)"
	}
	return ru
}

// productionText says whether p is taken as a production tenant, and why.
func productionText(p config.Profile) string {
	switch {
	case p.Production != nil && *p.Production:
		return "yes (marked)"
	case p.Production != nil:
		return "no (marked)"
	case p.Origin == config.FromFile && app.ProfileIsProduction(p):
		return "yes (guessed from the domain; set with --production=false)"
	}
	return "no (guessed from the domain)"
}

func newProfileRmCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:               "rm NAME",
		Short:             "Remove a profile and its keyring entry",
		Args:              exactArgs(1, "the name of the profile to remove"),
		ValidArgsFunction: completeProfiles(env),
		RunE: func(_ *cobra.Command, args []string) error {
			s, err := profileStore(env)
			if err != nil {
				return err
			}
			ns, err := s.Remove(args[0])
			if err != nil {
				return saveErr(s, err)
			}
			fmt.Fprintf(env.Stdout, "removed profile %q\n", args[0])
			notices(env, ns)
			return nil
		},
	}
}

func newProfileDefaultCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:               "default NAME",
		Short:             "Make a profile the default",
		Args:              exactArgs(1, "the name of a profile"),
		ValidArgsFunction: completeProfiles(env),
		RunE: func(_ *cobra.Command, args []string) error {
			s, err := profileStore(env)
			if err != nil {
				return err
			}
			if err := s.SetDefault(args[0]); err != nil {
				return saveErr(s, err)
			}
			fmt.Fprintf(env.Stdout, "the default profile is now %q\n", args[0])
			return nil
		},
	}
}

func newProfileMoveAsideCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "move-aside",
		Short: "Move a profiles file that does not read to profiles.json.corrupt-<time>",
		Long: `Move a profiles file that does not read (a JSON mistake from hand editing)
to profiles.json.corrupt-<time> next to it, unchanged, so new profiles can be
saved. Copy what you need from it by hand.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(*cobra.Command, []string) error {
			s, err := openStore(env)
			if err != nil {
				return usageErr("cannot find where profiles are kept: %v", err)
			}
			moved, err := s.MoveAside()
			if err != nil {
				return storeErr(err)
			}
			fmt.Fprintf(env.Stdout, "moved %s to %s; new profiles can be saved now\n", s.Path(), moved)
			return nil
		},
	}
}
