package cli

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/config"

	"github.com/spf13/cobra"
)

// tenantFlags are a command's --domain, --client-id and --client-secret,
// each with whether it was given (an empty value given on purpose still
// wins).
type tenantFlags struct {
	domain, clientID, clientSecret          string
	domainSet, clientIDSet, clientSecretSet bool
	// The flags' names for sentences, when not --client-id and
	// --client-secret.
	clientIDFlag, clientSecretFlag string
}

// tenantFlagsOf reads the tenant flags a command defines; flags it does not
// define count as not given.
func tenantFlagsOf(cmd *cobra.Command) tenantFlags {
	var f tenantFlags
	get := func(name string, v *string, set *bool) {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			*v, *set = fl.Value.String(), true
		}
	}
	get("domain", &f.domain, &f.domainSet)
	get("client-id", &f.clientID, &f.clientIDSet)
	get("client-secret", &f.clientSecret, &f.clientSecretSet)
	return f
}

// tenant is the tenant a command talks to, and the profile it came from.
type tenant struct {
	Domain, ClientID, ClientSecret string
	// Profile is the profile used (saved, or the env profile), or nil when
	// everything came from flags and the environment. Its ClientSecret is
	// filled when it could be had.
	Profile *config.Profile
}

// resolveTenant picks the tenant for a command. Each of domain, client id
// and client secret comes from, in order:
//
//   - its flag, when given;
//   - with --profile NAME, that profile (the environment is then not used
//     at all, so a secret from AUTH0_CLIENT_SECRET never goes to another
//     tenant's domain); NAME "env" is the unsaved AUTH0_* profile;
//   - without --profile: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET
//     when AUTH0_DOMAIN or --domain is set (the id and secret not when
//     --domain names another tenant than AUTH0_DOMAIN), else the default profile when
//     there is one (a note on stderr says which), else nothing (api.New then
//     says no domain was given).
//
// Warnings about the profiles file (a file that does not parse, a file
// other users can read) go to stderr; the command goes on without profiles.
func resolveTenant(env *Env, profile string, flags tenantFlags) (tenant, error) {
	var t tenant
	// Where the client id and secret came from, when from the environment
	// or a flag: those are cleaned (see cleanCredential) at the end.
	var idFrom, secretFrom string
	fromEnv := func() { idFrom, secretFrom = "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET" }
	switch {
	case profile == config.EnvProfileName:
		p, ok := config.FromEnvironment(env.Getenv)
		if !ok {
			return t, usageErr("--profile env needs AUTH0_DOMAIN (and AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET) in the environment")
		}
		t = fromProfile(p)
		fromEnv()
	case profile != "":
		store, err := openStore(env)
		if err != nil {
			return t, usageErr("--profile %s: %v", profile, err)
		}
		warnStore(env, store)
		p, err := loadProfile(store, profile, flags.clientSecretSet)
		if err != nil {
			return t, err
		}
		t = fromProfile(p)
	case !flags.domainSet && env.Getenv("AUTH0_DOMAIN") == "":
		// No tenant named anywhere: the default profile, when there is one.
		if store, err := openStore(env); err == nil {
			warnStore(env, store)
			if name := store.Default(); name != "" {
				p, err := loadProfile(store, name, flags.clientSecretSet)
				if err != nil {
					return t, err
				}
				fmt.Fprintf(env.Stderr, "auth0-explorer: note: using the default profile %q (%s)\n", name, printable(p.Domain))
				t = fromProfile(p)
			}
		}
		if t.Profile == nil {
			t = tenant{ClientID: env.Getenv("AUTH0_CLIENT_ID"), ClientSecret: env.Getenv("AUTH0_CLIENT_SECRET")}
			fromEnv()
		}
	default:
		t = tenant{Domain: env.Getenv("AUTH0_DOMAIN")}
		// AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET belong to AUTH0_DOMAIN when
		// it is set: a --domain naming another tenant does not get them.
		if !flags.domainSet || t.Domain == "" || sameTenant(flags.domain, t.Domain) {
			t.ClientID, t.ClientSecret = env.Getenv("AUTH0_CLIENT_ID"), env.Getenv("AUTH0_CLIENT_SECRET")
			fromEnv()
		} else if env.Getenv("AUTH0_CLIENT_ID") != "" || env.Getenv("AUTH0_CLIENT_SECRET") != "" {
			fmt.Fprintf(env.Stderr, "auth0-explorer: note: AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are for AUTH0_DOMAIN (%s), not used for --domain %s\n", printable(t.Domain), printable(flags.domain))
		}
	}
	if flags.domainSet {
		t.Domain = flags.domain
	}
	if flags.clientIDSet {
		t.ClientID, idFrom = flags.clientID, cmp.Or(flags.clientIDFlag, "--client-id")
	}
	if flags.clientSecretSet {
		t.ClientSecret, secretFrom = flags.clientSecret, cmp.Or(flags.clientSecretFlag, "--client-secret")
	}
	var err error
	if t.ClientID, err = cleanCredential(env, idFrom, t.ClientID); err != nil {
		return t, err
	}
	if t.ClientSecret, err = cleanCredential(env, secretFrom, t.ClientSecret); err != nil {
		return t, err
	}
	if t.Profile != nil && t.Profile.Origin == config.FromEnv {
		t.Profile.ClientID, t.Profile.ClientSecret = t.ClientID, t.ClientSecret
	}
	return t, nil
}

// cleanCredential cleans a client id or secret from the environment or a
// flag (from names it; "" leaves v alone): surrounding whitespace, such as
// the CR a file with Windows line endings leaves, is removed with a note on
// stderr; a control character inside is refused. Either would otherwise
// only come back from Auth0 as a 401 that does not say why.
func cleanCredential(env *Env, from, v string) (string, error) {
	if from == "" {
		return v, nil
	}
	t := strings.TrimSpace(v)
	if bad := api.ControlCharacter(t); bad != "" {
		return v, usageErr("%s holds %s, which no client id or secret has; fix it and try again", from, bad)
	}
	if t != v {
		why := ""
		if strings.Contains(v, "\r") {
			why = " (a carriage return: a file with Windows line endings?)"
		}
		fmt.Fprintf(env.Stderr, "auth0-explorer: note: removed the surrounding whitespace from %s%s\n", from, why)
	}
	return t, nil
}

// sameTenant reports whether two domains name the same tenant once
// normalised (scheme, case, trailing slash).
func sameTenant(a, b string) bool {
	na, errA := api.BaseURL(a)
	nb, errB := api.BaseURL(b)
	return errA == nil && errB == nil && na == nb
}

func fromProfile(p config.Profile) tenant {
	return tenant{Domain: p.Domain, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Profile: &p}
}

// loadProfile loads a saved profile with its secret. A secret that cannot
// be had is an error unless the command line gives one.
func loadProfile(store *config.Store, name string, secretGiven bool) (config.Profile, error) {
	p, err := store.Load(name)
	var se *config.SecretError
	switch {
	case err == nil:
		return p, nil
	case errors.As(err, &se) && secretGiven:
		return p, nil
	case errors.As(err, &se) && se.Missing:
		return p, usageErr("%v with: auth0-explorer profile add %s --update --client-secret-stdin (or pass --client-secret)", err, name)
	case errors.As(err, &se):
		return p, &exitError{code: 1, msg: err.Error() + "; pass --client-secret, or try again when the keyring answers"}
	}
	return p, storeErr(err)
}

// openStore opens the profiles of the configuration directory the
// environment names (AUTH0_EXPLORER_CONFIG, else the user configuration
// directory). Without Env.Keyring no keyring is used: tests never reach the
// real one.
func openStore(env *Env) (*config.Store, error) {
	dir, err := config.DefaultDir(env.Getenv)
	if err != nil {
		return nil, err
	}
	kr := env.Keyring
	if kr == nil {
		kr = config.NoKeyring()
	}
	return config.Open(config.Options{Dir: dir, Keyring: kr})
}

// warnStore prints the store's warnings and a file that did not parse.
func warnStore(env *Env, s *config.Store) {
	for _, w := range s.Warnings() {
		fmt.Fprintln(env.Stderr, "auth0-explorer: warning: "+w)
	}
	if p := s.Problem(); p != nil {
		fmt.Fprintf(env.Stderr, "auth0-explorer: warning: the profiles file does not read: %v; going on with no profiles. The file is left as it is; 'auth0-explorer profile move-aside' moves it to %s.corrupt-<time> so new profiles can be saved\n", p, config.FileName)
	}
}

// storeErr turns a config error into an exit: 2 for what the person must
// change, 1 for a save that failed.
func storeErr(err error) error {
	var ie *config.InputError
	if errors.As(err, &ie) {
		return usageErr("%v", err)
	}
	return &exitError{code: 1, msg: err.Error()}
}
