package app

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/api/safetext"
	"auth0-explorer/config"
)

// NoteKind says how a note is to be told: as a note or as a warning.
type NoteKind int

const (
	// KindNote is information: which profile was used, what was cleaned.
	KindNote NoteKind = iota
	// KindWarning is something the person should fix: a profiles file that
	// does not read, one that other users can read.
	KindWarning
)

// Note is one thing the caller should tell the person.
type Note struct {
	Kind NoteKind
	Text string
}

// String is the note with its kind: "note: …" or "warning: …".
func (n Note) String() string {
	if n.Kind == KindWarning {
		return "warning: " + n.Text
	}
	return "note: " + n.Text
}

func note(format string, a ...any) Note {
	return Note{Kind: KindNote, Text: fmt.Sprintf(format, a...)}
}

// Error is a sentence and an exit code: 2 when the person must change
// something (a flag, a profile, the environment), 1 otherwise (a keyring
// that did not answer, a save that failed).
type Error struct {
	Code int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func usageErr(format string, a ...any) error {
	return &Error{Code: 2, Msg: fmt.Sprintf(format, a...)}
}

// Printable is s as it is when it is safe on a terminal, else quoted with
// its controls escaped (safetext.Quote), so a name or domain from a
// hand-edited file cannot send control sequences to the terminal.
func Printable(s string) string {
	if safetext.Clean(s) {
		return s
	}
	return safetext.Quote(s)
}

// TenantFlags are a command's --domain, --client-id and --client-secret,
// each with whether it was given (an empty value given on purpose still
// wins).
type TenantFlags struct {
	Domain, ClientID, ClientSecret          string
	DomainSet, ClientIDSet, ClientSecretSet bool
	// The flags' names for sentences, when not --client-id and
	// --client-secret.
	ClientIDFlag, ClientSecretFlag string
}

// ResolveInput is what a tenant is resolved from.
type ResolveInput struct {
	// Getenv reads the environment (AUTH0_*, AUTH0_EXPLORER_CONFIG and
	// what finds the user configuration directory).
	Getenv func(string) string
	// Keyring holds the profiles' secrets; nil means none (tests).
	Keyring config.Keyring
	// Profile is --profile: a saved profile's name, config.EnvProfileName,
	// or "" for none.
	Profile string
	Flags   TenantFlags
}

// Resolve picks the tenant for a command. Each of domain, client id and
// client secret comes from, in order:
//
//   - its flag, when given;
//   - with --profile NAME, that profile (the environment is then not used
//     at all, so a secret from AUTH0_CLIENT_SECRET never goes to another
//     tenant's domain); NAME "env" is the unsaved AUTH0_* profile;
//   - without --profile: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET
//     when AUTH0_DOMAIN or --domain is set (the id and secret not when
//     --domain names another tenant than AUTH0_DOMAIN), else the default
//     profile when there is one (a note says which), else nothing (api.New
//     then says no domain was given).
//
// Warnings about the profiles file (a file that does not parse, a file
// other users can read) are notes too; the command goes on without
// profiles. An error is an *Error.
func Resolve(in ResolveInput) (Tenant, []Note, error) {
	var t Tenant
	var notes []Note
	getenv, flags := in.Getenv, in.Flags
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	// Where the client id and secret came from, when from the environment
	// or a flag: those are cleaned (see cleanCredential) at the end.
	var idFrom, secretFrom string
	fromEnv := func() { idFrom, secretFrom = "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET" }
	switch {
	case in.Profile == config.EnvProfileName:
		p, ok := config.FromEnvironment(getenv)
		if !ok {
			return t, notes, usageErr("--profile env needs AUTH0_DOMAIN (and AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET) in the environment")
		}
		t = fromProfile(p)
		fromEnv()
	case in.Profile != "":
		store, err := OpenStore(getenv, in.Keyring)
		if err != nil {
			return t, notes, usageErr("--profile %s: %v", in.Profile, err)
		}
		notes = append(notes, StoreNotes(store)...)
		p, err := LoadProfile(store, in.Profile, flags.ClientSecretSet)
		if err != nil {
			return t, notes, err
		}
		t = fromProfile(p)
	case !flags.DomainSet && getenv("AUTH0_DOMAIN") == "":
		// No tenant named anywhere: the default profile, when there is one.
		if store, err := OpenStore(getenv, in.Keyring); err == nil {
			notes = append(notes, StoreNotes(store)...)
			if name := store.Default(); name != "" {
				p, err := LoadProfile(store, name, flags.ClientSecretSet)
				if err != nil {
					return t, notes, err
				}
				notes = append(notes, note("using the default profile %q (%s)", name, Printable(p.Domain)))
				t = fromProfile(p)
			}
		}
		if t.Profile == nil {
			t = Tenant{ClientID: getenv("AUTH0_CLIENT_ID"), ClientSecret: getenv("AUTH0_CLIENT_SECRET")}
			fromEnv()
		}
	default:
		t = Tenant{Domain: getenv("AUTH0_DOMAIN")}
		// AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET belong to AUTH0_DOMAIN when
		// it is set: a --domain naming another tenant does not get them.
		if !flags.DomainSet || t.Domain == "" || sameTenant(flags.Domain, t.Domain) {
			t.ClientID, t.ClientSecret = getenv("AUTH0_CLIENT_ID"), getenv("AUTH0_CLIENT_SECRET")
			fromEnv()
		} else if getenv("AUTH0_CLIENT_ID") != "" || getenv("AUTH0_CLIENT_SECRET") != "" {
			notes = append(notes, note("AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are for AUTH0_DOMAIN (%s), not used for --domain %s", Printable(t.Domain), Printable(flags.Domain)))
		}
	}
	if flags.DomainSet {
		t.Domain = flags.Domain
	}
	if flags.ClientIDSet {
		t.ClientID, idFrom = flags.ClientID, cmp.Or(flags.ClientIDFlag, "--client-id")
	}
	if flags.ClientSecretSet {
		t.ClientSecret, secretFrom = flags.ClientSecret, cmp.Or(flags.ClientSecretFlag, "--client-secret")
		// A secret on the command line is the credential asked for: the
		// profile's client assertion key is not used.
		t.Assertion = AssertionKey{}
	}
	var err error
	if t.ClientID, err = cleanCredential(&notes, idFrom, t.ClientID); err != nil {
		return t, notes, err
	}
	if t.ClientSecret, err = cleanCredential(&notes, secretFrom, t.ClientSecret); err != nil {
		return t, notes, err
	}
	if t.Profile != nil && t.Profile.Origin == config.FromEnv {
		t.Profile.ClientID, t.Profile.ClientSecret = t.ClientID, t.ClientSecret
	}
	return t, notes, nil
}

// StartTenant is the tenant the terminal UI starts on: with in.Profile, that
// profile (as Resolve takes it, without flags); else the default profile;
// else none (a Tenant whose Profile is nil: the caller starts the sandbox).
// The profiles file is opened once, so its warnings come once.
func StartTenant(in ResolveInput) (Tenant, []Note, error) {
	if in.Profile != "" {
		in.Flags = TenantFlags{}
		return Resolve(in)
	}
	// AUTH0_DOMAIN (with its client id and secret) comes before the default
	// profile, as for every command.
	if in.Getenv != nil && in.Getenv("AUTH0_DOMAIN") != "" {
		in.Profile, in.Flags = config.EnvProfileName, TenantFlags{}
		t, notes, err := Resolve(in)
		notes = append(notes, Note{Kind: KindNote, Text: "using AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET from the environment (--profile NAME or --sandbox to choose otherwise)"})
		return t, notes, err
	}
	store, err := OpenStore(in.Getenv, in.Keyring)
	if err != nil {
		return Tenant{}, nil, nil
	}
	notes := StoreNotes(store)
	name := store.Default()
	if name == "" {
		return Tenant{}, notes, nil
	}
	p, err := LoadProfile(store, name, false)
	if err != nil {
		return Tenant{}, notes, err
	}
	return fromProfile(p), notes, nil
}

// cleanCredential cleans a client id or secret from the environment or a
// flag (from names it; "" leaves v alone): surrounding whitespace, such as
// the CR a file with Windows line endings leaves, is removed with a note; a
// control character inside is refused. Either would otherwise only come
// back from Auth0 as a 401 that does not say why.
func cleanCredential(notes *[]Note, from, v string) (string, error) {
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
		*notes = append(*notes, note("removed the surrounding whitespace from %s%s", from, why))
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

func fromProfile(p config.Profile) Tenant {
	return Tenant{Name: p.Name, Domain: p.Domain, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Profile: &p,
		Assertion: AssertionKey{Path: p.ClientAssertionKey, Alg: p.ClientAssertionAlg, Kid: p.ClientAssertionKid}}
}

// LoadProfile loads a saved profile with its secret. A secret that cannot
// be had is an error unless the command line gives one (secretGiven).
func LoadProfile(store *config.Store, name string, secretGiven bool) (config.Profile, error) {
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
		return p, &Error{Code: 1, Msg: err.Error() + "; pass --client-secret, or try again when the keyring answers"}
	}
	return p, StoreError(err)
}

// OpenStore opens the profiles of the configuration directory the
// environment names (AUTH0_EXPLORER_CONFIG, else the user configuration
// directory). A nil keyring means none: tests never reach the real one.
func OpenStore(getenv func(string) string, kr config.Keyring) (*config.Store, error) {
	dir, err := config.DefaultDir(getenv)
	if err != nil {
		return nil, err
	}
	if kr == nil {
		kr = config.NoKeyring()
	}
	return config.Open(config.Options{Dir: dir, Keyring: kr})
}

// StoreNotes are the store's warnings, and a file that did not parse.
func StoreNotes(s *config.Store) []Note {
	var notes []Note
	for _, w := range s.Warnings() {
		notes = append(notes, Note{Kind: KindWarning, Text: w})
	}
	if p := s.Problem(); p != nil {
		notes = append(notes, Note{Kind: KindWarning, Text: fmt.Sprintf("the profiles file does not read: %v; going on with no profiles. The file is left as it is; 'auth0-explorer profile move-aside' moves it to %s.corrupt-<time> so new profiles can be saved", p, config.FileName)})
	}
	return notes
}

// StoreError turns a config error into an *Error: 2 for what the person
// must change, 1 for a save that failed.
func StoreError(err error) error {
	var ie *config.InputError
	if errors.As(err, &ie) {
		return usageErr("%v", err)
	}
	return &Error{Code: 1, Msg: err.Error()}
}
