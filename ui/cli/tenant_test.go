package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// body decodes a recorded JSON body into strings.
func body(t *testing.T, r recorded) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return m
}

func TestCallProfileUsesItsDomainAndCredentials(t *testing.T) {
	rec := newRecorder(t)
	other := newRecorder(t)
	e := newProfileEnv(t, newMemKeyring())
	e.ok(profileSecret, "profile", "add", "dev", "--domain", rec.srv.URL+"/", "--client-id", "dev-id", "--client-secret-stdin")
	e.ok("", "profile", "add", "prod", "--domain", other.srv.URL, "--client-id", "prod-id", "--client-secret", "prod-secret", "--default")

	// The profile's domain, client id and secret.
	if _, errs := e.ok("", "call", "clientCredentialsGrant", "--profile", "dev", "audience=https://api/"); errs != "" {
		t.Errorf("stderr: %q", errs)
	}
	got := rec.take()
	if len(got) != 1 || got[0].uri != "/oauth/token" {
		t.Fatalf("requests to the profile's domain: %v", got)
	}
	if b := body(t, got[0]); b["client_id"] != "dev-id" || b["client_secret"] != profileSecret || b["audience"] != "https://api/" {
		t.Errorf("body %v", b)
	}

	// The profile wins over the environment.
	e.env["AUTH0_CLIENT_ID"], e.env["AUTH0_CLIENT_SECRET"] = "env-id", "env-secret"
	e.ok("", "call", "clientCredentialsGrant", "--profile", "dev")
	if b := body(t, rec.take()[0]); b["client_id"] != "dev-id" || b["client_secret"] != profileSecret {
		t.Errorf("environment beat the profile: %v", b)
	}
	e.env["AUTH0_DOMAIN"] = other.srv.URL
	e.ok("", "call", "clientCredentialsGrant", "--profile", "dev")
	if n := len(rec.take()); n != 1 || len(other.take()) != 0 {
		t.Errorf("AUTH0_DOMAIN beat --profile (%d requests to the profile's domain)", n)
	}

	// Flags win over the profile.
	e.ok("", "call", "clientCredentialsGrant", "--profile", "dev", "--client-id", "flag-id", "--client-secret", "flag-secret")
	if b := body(t, rec.take()[0]); b["client_id"] != "flag-id" || b["client_secret"] != "flag-secret" {
		t.Errorf("flags lost to the profile: %v", b)
	}
	e.ok("", "call", "clientCredentialsGrant", "--profile", "prod", "--domain", rec.srv.URL)
	if got := rec.take(); len(got) != 1 || body(t, got[0])["client_id"] != "prod-id" {
		t.Errorf("--domain with --profile: %v", got)
	}

	// With AUTH0_DOMAIN and no --profile, the environment is used, not the default.
	e.ok("", "call", "clientCredentialsGrant")
	if got := other.take(); len(got) != 1 || body(t, got[0])["client_id"] != "env-id" {
		t.Errorf("environment not used: %v", got)
	}

	// With no --profile, --domain or AUTH0_DOMAIN: the default profile (prod).
	delete(e.env, "AUTH0_DOMAIN")
	_, errs := e.ok("", "call", "clientCredentialsGrant")
	got = other.take()
	if len(got) != 1 || body(t, got[0])["client_id"] != "prod-id" || body(t, got[0])["client_secret"] != "prod-secret" {
		t.Errorf("default profile not used: %v", got)
	}
	if !strings.Contains(errs, `using the default profile "prod"`) {
		t.Errorf("no note naming the default profile: %q", errs)
	}

	// --profile env is the environment profile.
	e.env["AUTH0_DOMAIN"] = rec.srv.URL
	e.ok("", "call", "clientCredentialsGrant", "--profile", "env")
	if got := rec.take(); len(got) != 1 || body(t, got[0])["client_id"] != "env-id" {
		t.Errorf("--profile env: %v", got)
	}

	// An unknown profile: exit 2, nothing sent.
	code, out, errs := e.run("", "call", "clientCredentialsGrant", "--profile", "nope")
	if code != 2 || out != "" || !strings.Contains(errs, `no profile "nope" (saved: dev, prod)`) || len(rec.take())+len(other.take()) != 0 {
		t.Errorf("unknown profile: exit %d, %q, %q", code, out, errs)
	}
}

func TestCallProfileWhoseKeyringEntryVanished(t *testing.T) {
	rec := newRecorder(t)
	kr := newMemKeyring()
	e := newProfileEnv(t, kr)
	e.ok(profileSecret, "profile", "add", "dev", "--domain", rec.srv.URL, "--client-id", "dev-id", "--client-secret-stdin")
	kr.mu.Lock()
	clear(kr.m) // removed outside the tool
	kr.mu.Unlock()

	code, out, errs := e.run("", "call", "clientCredentialsGrant", "--profile", "dev")
	if code != 2 || out != "" || !strings.Contains(errs, "no longer in the system keyring") ||
		!strings.Contains(errs, "auth0-explorer profile add dev --update --client-secret-stdin") {
		t.Errorf("exit %d, %q, %q", code, out, errs)
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("%d requests sent without the secret", n)
	}
	out, _ = e.ok("", "profile", "show", "dev")
	if !strings.Contains(out, "missing from the system keyring") {
		t.Errorf("show:\n%s", out)
	}
	// A secret on the command line still works; re-entering mends the profile.
	e.ok("", "call", "clientCredentialsGrant", "--profile", "dev", "--client-secret", "given")
	e.ok("re-entered-secret\n", "profile", "add", "dev", "--update", "--client-secret-stdin")
	e.ok("", "call", "clientCredentialsGrant", "--profile", "dev")
	got := rec.take()
	if len(got) != 2 || body(t, got[0])["client_secret"] != "given" || body(t, got[1])["client_secret"] != "re-entered-secret" {
		t.Errorf("requests %v", got)
	}
}

func TestResolveTenantWithoutConfigDirectory(t *testing.T) {
	// No AUTH0_EXPLORER_CONFIG, XDG_CONFIG_HOME or HOME: no profiles, no noise.
	var errb bytes.Buffer
	env := &Env{Stderr: &errb, Getenv: func(k string) string {
		return map[string]string{"AUTH0_CLIENT_ID": "env-id"}[k]
	}}
	tn, err := resolveTenant(env, "", tenantFlags{})
	if err != nil || tn.Domain != "" || tn.ClientID != "env-id" || tn.Profile != nil || errb.Len() != 0 {
		t.Errorf("resolveTenant = %+v, %v, stderr %q", tn, err, errb.String())
	}
	if _, err := resolveTenant(env, "dev", tenantFlags{}); err == nil || !strings.Contains(err.Error(), "AUTH0_EXPLORER_CONFIG") {
		t.Errorf("--profile without a config directory: %v", err)
	}
	tn, err = resolveTenant(env, "", tenantFlags{Domain: "d.auth0.com", DomainSet: true, ClientSecret: "", ClientSecretSet: true})
	if err != nil || tn.Domain != "d.auth0.com" || tn.ClientID != "env-id" || tn.ClientSecret != "" {
		t.Errorf("flags: %+v, %v", tn, err)
	}
}

func TestResolveTenantReturnsTheProfileForOtherCommands(t *testing.T) {
	e := newProfileEnv(t, nil)
	e.ok("", "profile", "add", "dev", "--domain", "dev.auth0.com", "--client-id", "i", "--client-secret", "shh-0000",
		"--audience", "https://api/", "--algorithms", "HS256", "--secret-base64")
	env := &Env{Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return e.env[k] }}
	tn, err := resolveTenant(env, "dev", tenantFlags{})
	if err != nil || tn.Profile == nil {
		t.Fatalf("%+v, %v", tn, err)
	}
	p := tn.Profile
	if p.Name != "dev" || p.Audience != "https://api/" || strings.Join(p.Algorithms, ",") != "HS256" || !p.SecretBase64 || p.ClientSecret != "shh-0000" || tn.Domain != "dev.auth0.com" {
		t.Errorf("profile %+v", p)
	}
}

// The environment's client secret belongs to AUTH0_DOMAIN: --domain naming
// another tenant must not carry it there.
func TestEnvironmentSecretStaysWithItsDomain(t *testing.T) {
	rec := newRecorder(t)
	env := map[string]string{"AUTH0_DOMAIN": "tenant.eu.auth0.com", "AUTH0_CLIENT_ID": "env-id", "AUTH0_CLIENT_SECRET": "env-secret-value"}
	code, _, stderr := run(t, env, "call", "clientCredentialsGrant", "audience=x", "--domain", rec.srv.URL)
	if code != 2 || !strings.Contains(stderr, "client_id") {
		t.Errorf("exit %d %q: want a refusal for want of a client id", code, stderr)
	}
	if got := rec.take(); len(got) != 0 {
		t.Fatalf("sent %s to another tenant", got[0].body)
	}
	// The same tenant, written differently, keeps them.
	env["AUTH0_DOMAIN"] = strings.ToUpper(rec.srv.URL) + "/"
	if code, _, stderr := run(t, env, "call", "clientCredentialsGrant", "audience=x", "--domain", rec.srv.URL); code != 0 {
		t.Errorf("same tenant: exit %d %s", code, stderr)
	}
	if got := rec.take(); len(got) != 1 || !strings.Contains(string(got[0].body), "env-secret-value") {
		t.Errorf("same tenant lost its credentials: %v", got)
	}
}
