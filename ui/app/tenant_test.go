package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"auth0-explorer/config"
)

// profilesDir saves the profiles "dev" and "prod" (the default) in a fresh
// configuration directory and returns the environment naming it.
func profilesDir(t *testing.T) map[string]string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cfg")
	s, err := config.Open(config.Options{Dir: dir, Keyring: config.NoKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []config.Profile{
		{Name: "dev", Domain: "dev.example.com", ClientID: "dev-id", ClientSecret: "dev-secret"},
		{Name: "prod", Domain: "prod.example.com", ClientID: "prod-id", ClientSecret: "prod-secret", Audience: "https://api/"},
	} {
		if _, err := s.Put(p, config.PutOptions{MakeDefault: p.Name == "prod"}); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]string{config.EnvConfig: dir}
}

func with(env map[string]string, kv ...string) func(string) string {
	m := map[string]string{}
	for k, v := range env {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func texts(notes []Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.String())
	}
	return out
}

// Each of domain, client id and secret comes from its flag, else
// --profile, else the environment, else the default profile; the
// environment's credentials never go to another --domain. Notes come back,
// nothing is printed (Resolve has nowhere to print to).
func TestResolvePrecedence(t *testing.T) {
	cfg := profilesDir(t)
	envTenant := []string{"AUTH0_DOMAIN", "env.example.com", "AUTH0_CLIENT_ID", "env-id", "AUTH0_CLIENT_SECRET", "env-secret"}
	flags := func(domain, id, secret string) TenantFlags {
		return TenantFlags{Domain: domain, DomainSet: domain != "", ClientID: id, ClientIDSet: id != "", ClientSecret: secret, ClientSecretSet: secret != ""}
	}
	cases := []struct {
		name    string
		getenv  func(string) string
		profile string
		flags   TenantFlags
		// want: domain, client id, secret, profile name ("" for none)
		want  [4]string
		notes []string
	}{
		{"flags beat everything", with(cfg, envTenant...), "dev", flags("f.example.com", "f-id", "f-secret"),
			[4]string{"f.example.com", "f-id", "f-secret", "dev"}, nil},
		{"--profile beats the environment", with(cfg, envTenant...), "dev", TenantFlags{},
			[4]string{"dev.example.com", "dev-id", "dev-secret", "dev"}, nil},
		{"a flag beats one field of the profile", with(cfg, envTenant...), "dev", flags("", "f-id", ""),
			[4]string{"dev.example.com", "f-id", "dev-secret", "dev"}, nil},
		{"the environment beats the default profile", with(cfg, envTenant...), "", TenantFlags{},
			[4]string{"env.example.com", "env-id", "env-secret", ""}, nil},
		{"the default profile, with a note", with(cfg), "", TenantFlags{},
			[4]string{"prod.example.com", "prod-id", "prod-secret", "prod"},
			[]string{`note: using the default profile "prod" (prod.example.com)`}},
		{"no profile, no environment: nothing", with(nil, "AUTH0_CLIENT_ID", "lone-id"), "", TenantFlags{},
			[4]string{"", "lone-id", "", ""}, nil},
		{"the environment's credentials stay with AUTH0_DOMAIN", with(cfg, envTenant...), "", flags("other.example.com", "", ""),
			[4]string{"other.example.com", "", "", ""},
			[]string{"note: AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are for AUTH0_DOMAIN (env.example.com), not used for --domain other.example.com"}},
		{"the same tenant written differently keeps them", with(cfg, envTenant...), "", flags("HTTPS://ENV.example.com/", "", ""),
			[4]string{"HTTPS://ENV.example.com/", "env-id", "env-secret", ""}, nil},
		{"--domain alone, no AUTH0_DOMAIN: the environment's id", with(cfg, "AUTH0_CLIENT_ID", "env-id"), "", flags("f.example.com", "", ""),
			[4]string{"f.example.com", "env-id", "", ""}, nil},
		{"--profile env", with(cfg, envTenant...), "env", TenantFlags{},
			[4]string{"env.example.com", "env-id", "env-secret", "env"}, nil},
		{"a carriage return is cleaned, with a note", with(nil, "AUTH0_DOMAIN", "env.example.com", "AUTH0_CLIENT_SECRET", "s3cret\r\n"), "", TenantFlags{},
			[4]string{"env.example.com", "", "s3cret", ""},
			[]string{"note: removed the surrounding whitespace from AUTH0_CLIENT_SECRET (a carriage return: a file with Windows line endings?)"}},
		{"a flag's whitespace names the flag", with(nil), "", TenantFlags{Domain: "d.example.com", DomainSet: true, ClientID: " id ", ClientIDSet: true, ClientIDFlag: "--audience"},
			[4]string{"d.example.com", "id", "", ""},
			[]string{"note: removed the surrounding whitespace from --audience"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tn, notes, err := Resolve(ResolveInput{Getenv: c.getenv, Profile: c.profile, Flags: c.flags})
			if err != nil {
				t.Fatal(err)
			}
			name := ""
			if tn.Profile != nil {
				name = tn.Profile.Name
			}
			if got := [4]string{tn.Domain, tn.ClientID, tn.ClientSecret, name}; got != c.want {
				t.Errorf("tenant %q, want %q", got, c.want)
			}
			if tn.Name != name {
				t.Errorf("Name %q, profile %q", tn.Name, name)
			}
			if got := strings.Join(texts(notes), "\n"); got != strings.Join(c.notes, "\n") {
				t.Errorf("notes %q, want %q", got, c.notes)
			}
		})
	}
}

// --profile env carries the cleaned credentials in its profile too.
func TestResolveEnvProfileHoldsTheCleanedCredentials(t *testing.T) {
	tn, _, err := Resolve(ResolveInput{Getenv: with(nil, "AUTH0_DOMAIN", "e.example.com", "AUTH0_CLIENT_ID", "id\r"), Profile: "env"})
	if err != nil || tn.Profile == nil || tn.Profile.Origin != config.FromEnv || tn.Profile.ClientID != "id" || tn.ClientID != "id" {
		t.Fatalf("%+v %+v, %v", tn, tn.Profile, err)
	}
}

func TestResolveErrors(t *testing.T) {
	cfg := profilesDir(t)
	cases := []struct {
		name    string
		in      ResolveInput
		code    int
		contain string
	}{
		{"unknown profile", ResolveInput{Getenv: with(cfg), Profile: "nope"}, 2, `no profile "nope" (saved: dev, prod)`},
		{"--profile env without AUTH0_DOMAIN", ResolveInput{Getenv: with(cfg), Profile: "env"}, 2, "--profile env needs AUTH0_DOMAIN"},
		{"--profile without a configuration directory", ResolveInput{Getenv: with(nil), Profile: "dev"}, 2, "--profile dev: "},
		{"a control character in a flag", ResolveInput{Getenv: with(nil), Flags: TenantFlags{ClientSecret: "a\x01b", ClientSecretSet: true}}, 2,
			"--client-secret holds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Resolve(c.in)
			var ae *Error
			if !errors.As(err, &ae) || ae.Code != c.code || !strings.Contains(ae.Msg, c.contain) {
				t.Errorf("err %#v, want code %d containing %q", err, c.code, c.contain)
			}
		})
	}
}

// A profiles file that does not read is a warning, returned once; the
// command goes on without profiles.
func TestResolveWarnsAboutTheProfilesFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, config.FileName), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := with(map[string]string{config.EnvConfig: dir})
	tn, notes, err := Resolve(ResolveInput{Getenv: getenv})
	if err != nil || tn.Profile != nil {
		t.Fatalf("%+v, %v", tn, err)
	}
	if len(notes) != 1 || notes[0].Kind != KindWarning || !strings.HasPrefix(notes[0].String(), "warning: the profiles file does not read: ") {
		t.Errorf("notes %q", texts(notes))
	}
	tn, notes, err = StartTenant(ResolveInput{Getenv: getenv})
	if err != nil || tn.Profile != nil || len(notes) != 1 || notes[0].Kind != KindWarning {
		t.Errorf("StartTenant: %+v, %q, %v", tn, texts(notes), err)
	}
}

// The TUI starts on the named profile, else the default one (without the
// note call gives), else none; the environment is not looked at.
func TestStartTenant(t *testing.T) {
	cfg := profilesDir(t)
	env := []string{"AUTH0_DOMAIN", "env.example.com", "AUTH0_CLIENT_ID", "env-id"}
	// The environment comes before the default profile, as for every
	// command, and a note says it was used.
	tn, notes, err := StartTenant(ResolveInput{Getenv: with(cfg, env...)})
	if err != nil || tn.Domain != "env.example.com" || tn.ClientID != "env-id" || len(notes) != 1 || !strings.Contains(notes[0].Text, "AUTH0_DOMAIN") {
		t.Errorf("environment: %+v, %q, %v", tn, texts(notes), err)
	}
	tn, notes, err = StartTenant(ResolveInput{Getenv: with(cfg)})
	if err != nil || tn.Profile == nil || tn.Name != "prod" || tn.Domain != "prod.example.com" || tn.ClientSecret != "prod-secret" || len(notes) != 0 {
		t.Errorf("default: %+v, %q, %v", tn, texts(notes), err)
	}
	tn, _, err = StartTenant(ResolveInput{Getenv: with(cfg, env...), Profile: "dev", Flags: TenantFlags{Domain: "x", DomainSet: true}})
	if err != nil || tn.Name != "dev" || tn.Domain != "dev.example.com" {
		t.Errorf("named: %+v, %v", tn, err)
	}
	tn, notes, err = StartTenant(ResolveInput{Getenv: with(nil)})
	if err != nil || tn.Profile != nil || tn.Domain != "" || len(notes) != 0 {
		t.Errorf("none: %+v, %q, %v", tn, texts(notes), err)
	}
	if _, _, err := StartTenant(ResolveInput{Getenv: with(cfg), Profile: "nope"}); err == nil {
		t.Error("an unknown profile was accepted")
	}
}
