package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"tenant.eu.auth0.com":             "tenant.eu.auth0.com",
		"Tenant.EU.Auth0.com":             "tenant.eu.auth0.com",
		"https://tenant.eu.auth0.com/":    "tenant.eu.auth0.com",
		"HTTPS://Tenant.eu.auth0.com":     "tenant.eu.auth0.com",
		"  tenant.auth0.com\n":            "tenant.auth0.com",
		"http://127.0.0.1:8080/":          "http://127.0.0.1:8080",
		"http://LOCALHOST:3000":           "http://localhost:3000",
		"tenant.auth0.com:8443":           "tenant.auth0.com:8443",
		"https://login.example.com:443/":  "login.example.com:443",
		"https://custom-domain.example.o": "custom-domain.example.o",
	} {
		got, err := NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, reason := range map[string]string{
		"":                                   "empty",
		"tenant .auth0.com":                  "space",
		"https://tenant.auth0.com/authorize": "path (/authorize)",
		"tenant.auth0.com/x/":                "path (/x/)",
		"tenant.auth0.com?a=b":               "query (?a=b)",
		"tenant.auth0.com/?":                 "query",
		"tenant.auth0.com#frag":              "fragment",
		"https://user:pw@tenant.auth0.com":   "credentials",
		"http://tenant.auth0.com":            "loopback",
		"ftp://tenant.auth0.com":             "https",
	} {
		got, err := NormalizeDomain(in)
		if err == nil {
			t.Errorf("NormalizeDomain(%q) = %q, want refused", in, got)
			continue
		}
		if !strings.Contains(err.Error(), reason) {
			t.Errorf("NormalizeDomain(%q): %q does not give the reason %q", in, err, reason)
		}
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"dev", "prod-eu", "customer_1", "a", "x.y", strings.Repeat("a", 64)} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-dev", "has space", "é", "a/b", "env", "sandbox", strings.Repeat("a", 65), "x\n"} {
		if ValidateName(bad) == nil {
			t.Errorf("ValidateName(%q) accepted", bad)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"abc":                       "****",
		"abcdefgh":                  "****gh",
		"0123456789abcdefWXYZ":      "****WXYZ",
		"a-very-long-secret-indeed": "****deed",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	got, err := DefaultDir(env(map[string]string{EnvConfig: "/somewhere/else/", "XDG_CONFIG_HOME": "/x"}))
	if err != nil || got != filepath.Clean("/somewhere/else") {
		t.Errorf("AUTH0_EXPLORER_CONFIG: %q, %v", got, err)
	}
	got, err = DefaultDir(env(map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/home/me"}))
	if err != nil || got != filepath.Join("/xdg", "auth0-explorer") {
		t.Errorf("XDG_CONFIG_HOME: %q, %v", got, err)
	}
	got, err = DefaultDir(env(map[string]string{"HOME": "/home/me"}))
	if err != nil || got != filepath.Join("/home/me", ".config", "auth0-explorer") {
		t.Errorf("HOME: %q, %v", got, err)
	}
	if got, err := DefaultDir(env(nil)); err == nil {
		t.Errorf("no HOME: %q, want an error", got)
	}
	if got, err := DefaultDir(env(map[string]string{"XDG_CONFIG_HOME": "rel"})); err == nil {
		t.Errorf("relative XDG_CONFIG_HOME: %q, want an error", got)
	}
}

func TestEnvironmentAndSandboxProfilesAreNeverSaved(t *testing.T) {
	getenv := func(k string) string {
		return map[string]string{"AUTH0_DOMAIN": "HTTPS://Env.Auth0.com/", "AUTH0_CLIENT_ID": "env-id", "AUTH0_CLIENT_SECRET": "env-secret"}[k]
	}
	p, ok := FromEnvironment(getenv)
	if !ok || p.Name != "env" || p.Domain != "env.auth0.com" || p.ClientID != "env-id" || p.ClientSecret != "env-secret" || p.Origin != FromEnv {
		t.Fatalf("FromEnvironment = %+v, %v", p, ok)
	}
	if _, ok := FromEnvironment(func(string) string { return "" }); ok {
		t.Error("FromEnvironment without AUTH0_DOMAIN gave a profile")
	}
	sb := SandboxProfile("http://127.0.0.1:4000", "sb-id", "sb-secret")
	if sb.Saveable() || p.Saveable() {
		t.Fatal("env or sandbox profile claims to be saveable")
	}
	dir := filepath.Join(t.TempDir(), "cfg")
	s := open(t, dir, newFakeKeyring())
	for _, q := range []Profile{p, sb} {
		q.Name = "renamed" // a new name does not make it saveable
		if _, err := s.Put(q, PutOptions{}); err == nil || !strings.Contains(err.Error(), "never written to disk") {
			t.Errorf("Put(%v profile) = %v, want refused", q.Origin, err)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused saves created %s: %v", dir, err)
	}
}
