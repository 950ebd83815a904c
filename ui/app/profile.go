package app

import (
	"fmt"
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/config"
)

// knownAlgs are the JWS algorithms a profile may allow, by upper-case
// name; "none" never.
var knownAlgs = map[string]string{
	"HS256": "HS256", "HS384": "HS384", "HS512": "HS512",
	"RS256": "RS256", "RS384": "RS384", "RS512": "RS512",
	"PS256": "PS256", "PS384": "PS384", "PS512": "PS512",
	"ES256": "ES256", "ES384": "ES384", "ES512": "ES512", "EDDSA": "EdDSA",
}

// ParseAlgorithms checks a profile's id_token algorithms and spells them
// as JWS does (rs256 → RS256). Empty items are dropped.
func ParseAlgorithms(list []string) ([]string, error) {
	var algs []string
	for _, a := range list {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		canon, ok := knownAlgs[strings.ToUpper(a)]
		if !ok {
			return nil, fmt.Errorf("%q is not a JWS signing algorithm this tool checks (use RS256, HS256, …; never none)", a)
		}
		algs = append(algs, canon)
	}
	return algs, nil
}

// ParseProduction reads the production flag as typed: yes/true, no/false,
// or empty for "guess from the domain" (nil).
func ParseProduction(s string) (*bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil, nil
	case "yes", "y", "true", "on":
		v := true
		return &v, nil
	case "no", "n", "false", "off":
		v := false
		return &v, nil
	}
	return nil, fmt.Errorf("production is yes, no, or empty to guess from the domain; not %q", s)
}

// ProfileInput is a profile as typed in a form: every value a string.
type ProfileInput struct {
	Name, Domain, ClientID, ClientSecret string
	Audience, Scope, Realm, Organization string
	RedirectURI                          string // loopback, or empty
	Algorithms                           string // comma-separated
	Production                           string // yes, no, or empty
}

// ProfileFromInput checks in with the rules `profile add` applies (a valid
// name, a domain and a client id, a loopback redirect URI, known
// algorithms) and makes the profile to save. The error names the field it
// is about.
func ProfileFromInput(in ProfileInput) (config.Profile, *api.InputError) {
	bad := func(field string, err error) *api.InputError { return &api.InputError{Field: field, Msg: err.Error()} }
	p := config.Profile{Name: strings.TrimSpace(in.Name), ClientID: strings.TrimSpace(in.ClientID), ClientSecret: strings.TrimSpace(in.ClientSecret),
		Audience: strings.TrimSpace(in.Audience), Scope: strings.TrimSpace(in.Scope), Realm: strings.TrimSpace(in.Realm), Organization: strings.TrimSpace(in.Organization),
		RedirectURI: strings.TrimSpace(in.RedirectURI)}
	if err := config.ValidateName(p.Name); err != nil {
		return p, bad("name", err)
	}
	d, err := config.NormalizeDomain(in.Domain)
	if err != nil {
		return p, bad("domain", err)
	}
	p.Domain = d
	if p.ClientID == "" {
		return p, bad("client_id", fmt.Errorf("a profile needs a client id (the application's, from its settings)"))
	}
	if c := api.ControlCharacter(p.ClientSecret); c != "" {
		return p, bad("client_secret", fmt.Errorf("the client secret holds %s, which no client secret has", c))
	}
	if p.RedirectURI != "" {
		if err := CheckRedirectURI(p.RedirectURI); err != nil {
			return p, bad("redirect_uri", err)
		}
	}
	if p.Algorithms, err = ParseAlgorithms(strings.Split(in.Algorithms, ",")); err != nil {
		return p, bad("algorithms", err)
	}
	if p.Production, err = ParseProduction(in.Production); err != nil {
		return p, bad("production", err)
	}
	return p, nil
}

// InputOf is p as a form shows it for editing; the secret is never put
// back in a form.
func InputOf(p config.Profile) ProfileInput {
	prod := ""
	if p.Production != nil {
		prod = "no"
		if *p.Production {
			prod = "yes"
		}
	}
	return ProfileInput{Name: p.Name, Domain: p.Domain, ClientID: p.ClientID, Audience: p.Audience, Scope: p.Scope,
		Realm: p.Realm, Organization: p.Organization, RedirectURI: p.RedirectURI, Algorithms: strings.Join(p.Algorithms, ","), Production: prod}
}

// SaveProfile saves p in store as `profile add` does: a new name is refused
// when taken unless update; on update, fields this form does not hold
// (secret encoding, id token checks, keys of newer versions) are kept, and
// so is the secret when none is given. The notices say where the secret
// went when no keyring answered.
func SaveProfile(store *config.Store, p config.Profile, update bool) ([]string, error) {
	if update {
		old, ok := store.Lookup(p.Name)
		if !ok {
			_, err := store.Load(p.Name) // for the sentence naming the saved ones
			return nil, StoreError(err)
		}
		p.SecretBase64, p.SkipIDTokenValidation = old.SecretBase64, old.SkipIDTokenValidation
		p.ClientAssertionKey, p.ClientAssertionAlg, p.ClientAssertionKid = old.ClientAssertionKey, old.ClientAssertionAlg, old.ClientAssertionKid
	} else if _, exists := store.Lookup(p.Name); exists {
		return nil, usageErr("a profile named %q already exists; edit it, or remove it first", p.Name)
	}
	ns, err := store.Put(p, config.PutOptions{Replace: update, KeepSecret: update && p.ClientSecret == ""})
	if err != nil {
		return nil, StoreError(err)
	}
	return ns, nil
}
