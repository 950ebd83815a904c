// Package config keeps auth0-explorer's tenant profiles: a human-editable
// JSON file (profiles.json) in the configuration directory, client secrets in
// the OS keyring when one answers (else in that 0600 file, and the caller is
// told so), and unsaved profiles built from the environment or for the sandbox.
//
// The directory is $XDG_CONFIG_HOME/auth0-explorer (os.UserConfigDir's rules)
// unless AUTH0_EXPLORER_CONFIG names another directory; it always names a
// directory, never a file. Inside it: profiles.json, profiles.json.lock (an
// advisory lock taken while saving) and, after a repair, profiles.json.corrupt-*.
// profiles.json may be a symbolic link: saves replace the file it points to
// and keep the link. A file larger than 1 MiB is not read.
//
// The file looks like this:
//
//	{
//	  "version": 1,
//	  "default": "dev",
//	  "profiles": {
//	    "dev": {
//	      "domain": "dev-tenant.eu.auth0.com",
//	      "client_id": "Xr3nL0Wv…",
//	      "client_secret_keyring": "dev@/home/me/.config/auth0-explorer",
//	      "audience": "https://api.example.com/",
//	      "scope": "openid profile email",
//	      "realm": "Username-Password-Authentication",
//	      "algorithms": ["RS256"],
//	      "secret_base64": false,
//	      "skip_id_token_validation": false,
//	      "organization": "org_123",
//	      "redirect_uri": "http://127.0.0.1:8484/callback",
//	      "client_assertion_key": "/home/me/keys/dev.pem",
//	      "client_assertion_alg": "RS256",
//	      "client_assertion_kid": "key-1",
//	      "production": false
//	    }
//	  }
//	}
//
// A secret kept in the file (no keyring answered) is "client_secret" instead
// of "client_secret_keyring". Keys this version does not know are kept and
// written back; a file whose version is newer than [FileVersion] is read but
// never written.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"unicode"

	"auth0-explorer/api"
)

// FileVersion is the version of the file format this package writes.
const FileVersion = 1

// FileName is the name of the profiles file inside the configuration directory.
const FileName = "profiles.json"

// DirName is the name of the configuration directory inside the user
// configuration directory.
const DirName = "auth0-explorer"

// EnvConfig names the environment variable that points at another
// configuration directory.
const EnvConfig = "AUTH0_EXPLORER_CONFIG"

// Names of the profiles that are never saved.
const (
	EnvProfileName     = "env"
	SandboxProfileName = "sandbox"
)

// Origin says where a profile comes from.
type Origin int

const (
	// FromFile is a saved profile (the zero value: a Profile built by hand
	// can be saved).
	FromFile Origin = iota
	// FromEnv is the unsaved profile made of AUTH0_DOMAIN, AUTH0_CLIENT_ID
	// and AUTH0_CLIENT_SECRET.
	FromEnv
	// FromSandbox is the in-process sandbox tenant's profile; it lives in
	// memory only.
	FromSandbox
)

func (o Origin) String() string {
	switch o {
	case FromEnv:
		return "environment"
	case FromSandbox:
		return "sandbox"
	}
	return "file"
}

// SecretPlace says where a saved profile's client secret is kept.
type SecretPlace int

const (
	NoSecret      SecretPlace = iota // the profile has no client secret
	SecretKeyring                    // in the OS keyring
	SecretFile                       // in plain text in the 0600 profiles file
	SecretMemory                     // held in memory only (env and sandbox profiles)
)

func (p SecretPlace) String() string {
	switch p {
	case SecretKeyring:
		return "system keyring"
	case SecretFile:
		return "plain text in the profiles file"
	case SecretMemory:
		return "not saved"
	}
	return "none"
}

// Profile is one tenant and the defaults the forms use for it.
type Profile struct {
	Name     string
	Domain   string // a host (https) or a loopback base URL, see NormalizeDomain
	ClientID string
	// ClientSecret is filled by Store.Load; Store.Profiles leaves it empty.
	ClientSecret string
	Audience     string
	Scope        string
	Realm        string // realm or connection
	Algorithms   []string
	// SecretBase64 marks a legacy HS256 client whose secret is base64-encoded.
	SecretBase64 bool
	// SkipIDTokenValidation is node-auth0's __bypassIdTokenValidation:
	// id_tokens are decoded and shown as "not verified".
	SkipIDTokenValidation bool
	Organization          string
	// RedirectURI is the loopback callback the browser login listens on
	// (http://127.0.0.1:PORT/PATH), the one listed in the application's
	// Allowed Callback URLs; "" for a random port.
	RedirectURI string
	// ClientAssertionKey is the path of a PEM private key file the client
	// signs client assertions (private_key_jwt) with, in place of its
	// secret; the path is kept, never the key. ClientAssertionAlg is its
	// algorithm ("" for RS256) and ClientAssertionKid the key id put in the
	// assertion's header ("" for none).
	ClientAssertionKey string
	ClientAssertionAlg string
	ClientAssertionKid string
	// Production is the person's word on whether this tenant is a
	// production one (the TUI marks it); nil: guessed from the domain.
	Production *bool

	Origin Origin
	Secret SecretPlace // where the client secret lives

	extra      map[string][]byte // keys of the file this version does not know
	keyringRef string            // keyring account when Secret == SecretKeyring
}

// Saveable reports whether the profile may be written to disk.
func (p Profile) Saveable() bool { return p.Origin == FromFile }

// FromEnvironment returns the unsaved "env" profile made of AUTH0_DOMAIN,
// AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and false when AUTH0_DOMAIN is
// not set.
func FromEnvironment(getenv func(string) string) (Profile, bool) {
	if getenv == nil {
		return Profile{}, false
	}
	d := strings.TrimSpace(getenv("AUTH0_DOMAIN"))
	if d == "" {
		return Profile{}, false
	}
	if n, err := NormalizeDomain(d); err == nil {
		d = n
	}
	p := Profile{Name: EnvProfileName, Domain: d, ClientID: getenv("AUTH0_CLIENT_ID"),
		ClientSecret: getenv("AUTH0_CLIENT_SECRET"), Origin: FromEnv}
	if p.ClientSecret != "" {
		p.Secret = SecretMemory
	}
	return p, true
}

// SandboxProfile returns the in-memory profile of a sandbox tenant at
// baseURL. A Store refuses to save it.
func SandboxProfile(baseURL, clientID, clientSecret string) Profile {
	p := Profile{Name: SandboxProfileName, Domain: baseURL, ClientID: clientID,
		ClientSecret: clientSecret, Origin: FromSandbox}
	if clientSecret != "" {
		p.Secret = SecretMemory
	}
	return p
}

// NormalizeDomain turns what a person types as a tenant into the form kept
// in a profile: a lower-case host for https ("Tenant.EU.auth0.com/" →
// "tenant.eu.auth0.com"), or a base URL for plain http on loopback
// ("http://127.0.0.1:8080"). Input with spaces, a path, a query, a fragment
// or credentials is refused with the reason.
func NormalizeDomain(s string) (string, error) {
	d := strings.TrimSpace(s)
	if d == "" {
		return "", errors.New("the domain is empty: give a tenant host such as tenant.eu.auth0.com")
	}
	// Messages quote the input without any user:password@ part, and cut.
	shown := truncate(withoutUserinfo(d), 80)
	if withoutUserinfo(d) != d {
		return "", fmt.Errorf("domain %q has credentials (user:password@) before the host: give only the host", shown)
	}
	if len(d) > 300 {
		return "", fmt.Errorf("domain %q is %d characters long, too long for a host name", shown, len(d))
	}
	if strings.IndexFunc(d, unicode.IsSpace) >= 0 {
		return "", fmt.Errorf("domain %q contains a space: give a host such as tenant.eu.auth0.com", shown)
	}
	raw := d
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	if u, err := url.Parse(raw); err == nil {
		switch {
		case u.User != nil:
			return "", fmt.Errorf("domain %q has credentials before the host: give only the host", shown)
		case u.Path != "" && u.Path != "/":
			return "", fmt.Errorf("domain %q has a path (%s): give only the host, such as %s", shown, truncate(u.Path, 40), u.Host)
		case u.RawQuery != "" || u.ForceQuery:
			return "", fmt.Errorf("domain %q has a query (?%s): give only the host, such as %s", shown, truncate(u.RawQuery, 40), u.Host)
		case u.Fragment != "":
			return "", fmt.Errorf("domain %q has a fragment (#%s): give only the host, such as %s", shown, truncate(u.Fragment, 40), u.Host)
		}
	}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		// Hosts are case-insensitive; lower-case before api.BaseURL so
		// "http://LOCALHOST:3000" is seen as loopback.
		u.Host = strings.ToLower(u.Host)
		d = u.String()
	}
	base, err := api.BaseURL(d)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(base, "https://"), nil
}

// withoutUserinfo is a domain as typed without a user:password@ before the
// host, so messages never repeat a password.
func withoutUserinfo(d string) string {
	rest, scheme := d, ""
	if i := strings.Index(d, "://"); i >= 0 {
		scheme, rest = d[:i+3], d[i+3:]
	}
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		return scheme + rest[at+1:]
	}
	return d
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ValidateName says why name cannot name a saved profile, or nil: 1 to 64
// letters, digits, '.', '_' or '-', starting with a letter or digit, and not
// one of the names kept for unsaved profiles.
func ValidateName(name string) error {
	if name == "" {
		return errors.New("a profile needs a name")
	}
	if len(name) > 64 {
		return fmt.Errorf("profile name %q is longer than 64 characters", name)
	}
	for i, r := range name {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || (i > 0 && strings.ContainsRune("._-", r)))
		if !ok {
			return fmt.Errorf("profile name %q may hold only letters, digits, '.', '_' and '-', starting with a letter or digit", name)
		}
	}
	if name == EnvProfileName || name == SandboxProfileName {
		return fmt.Errorf("profile name %q is kept for the unsaved %s profile; choose another", name, name)
	}
	return nil
}

// Mask shows at most the last 4 characters of a secret, fewer for short
// ones, behind a fixed run of asterisks that does not tell its length.
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	r := []rune(secret)
	show := min(4, len(r)/4)
	return "****" + string(r[len(r)-show:])
}

// DefaultDir is the configuration directory: $AUTH0_EXPLORER_CONFIG when
// set, else auth0-explorer inside the user configuration directory, found
// by os.UserConfigDir's rules applied to getenv (so tests can give their own
// environment; with os.Getenv it is os.UserConfigDir).
func DefaultDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		return "", errors.New("no environment to find the configuration directory in")
	}
	if d := getenv(EnvConfig); d != "" {
		return filepath.Clean(d), nil
	}
	base, err := userConfigDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(base, DirName), nil
}

// userConfigDir is os.UserConfigDir reading the environment through getenv.
func userConfigDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("AppData"); d != "" {
			return d, nil
		}
		return "", errors.New("%AppData% is not defined; set AUTH0_EXPLORER_CONFIG to a directory")
	case "darwin", "ios":
		if d := getenv("HOME"); d != "" {
			return filepath.Join(d, "Library", "Application Support"), nil
		}
		return "", errors.New("$HOME is not defined; set AUTH0_EXPLORER_CONFIG to a directory")
	case "plan9":
		if d := getenv("home"); d != "" {
			return filepath.Join(d, "lib"), nil
		}
		return "", errors.New("$home is not defined; set AUTH0_EXPLORER_CONFIG to a directory")
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		if !filepath.IsAbs(d) {
			return "", errors.New("$XDG_CONFIG_HOME is a relative path; set AUTH0_EXPLORER_CONFIG to a directory")
		}
		return d, nil
	}
	if d := getenv("HOME"); d != "" {
		return filepath.Join(d, ".config"), nil
	}
	return "", errors.New("neither $XDG_CONFIG_HOME nor $HOME is defined; set AUTH0_EXPLORER_CONFIG to a directory")
}
