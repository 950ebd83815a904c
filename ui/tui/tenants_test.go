package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// tenantsDir is a fresh configuration directory with the given profiles
// saved (no keyring: secrets in the file), and the environment naming it.
func tenantsDir(t *testing.T, ps ...config.Profile) (dir string, getenv func(string) string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "cfg")
	s, err := config.Open(config.Options{Dir: dir, Keyring: config.NoKeyring()})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if _, err := s.Put(p, config.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(k string) string {
		if k == config.EnvConfig {
			return dir
		}
		return ""
	}
}

// Switching from the sandbox to a second tenant (another in-process
// sandbox saved as a profile): the status bar names it, with PROD as the
// profile is flagged so; the forms' profile defaults follow and what was
// typed stays; a request goes to the new tenant. The picker's check runs on
// the sandbox first, all green.
func TestSwitchTenantFromSandboxToProfile(t *testing.T) {
	first := sandboxSession(t)
	second, err := sandbox.Start(sandbox.Options{Seed: 11, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Close() })
	yes := true
	_, getenv := tenantsDir(t, config.Profile{Name: "second", Domain: second.BaseURL, ClientID: second.Client.ID,
		ClientSecret: second.Client.Secret, Audience: second.ManagementAPI(), Realm: sandbox.DatabaseConnection, Production: &yes})
	tenants := &app.Tenants{Getenv: getenv, Sandbox: first, Transport: api.TransportOptions{Timeout: 5 * time.Second}, UserAgent: "test"}
	t.Cleanup(tenants.Close)

	tm := start(t, Options{Session: first, Tenants: tenants}, 140, 44)
	waitFor(t, tm, "passwordGrant", "SANDBOX")
	typeText(tm, "/")
	typeText(tm, "passwordGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "fill the required fields")
	typeText(tm, "typed@example.com") // username, typed: it stays
	tm.Send(keyMsg(tea.KeyShiftTab))  // back to the operations
	typeText(tm, "p")
	waitFor(t, tm, "Tenants", "second", "plain file", "PROD")
	typeText(tm, "c") // check the sandbox
	waitFor(t, tm, "Check of SANDBOX", "✓ client credentials", "✓ keys")
	if v := tm.p.view.Load().(string); strings.Contains(v, "✗") {
		t.Fatalf("the sandbox check is not all green:\n%s", v)
	}
	tm.Send(keyMsg(tea.KeyEsc))
	typeText(tm, "j")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Now on second", "a PRODUCTION tenant")
	if f := strings.Fields(tm.p.m.statusBar()); len(f) < 3 || f[0] != "PROD" || f[1] != "second" || f[2] != second.BaseURL {
		t.Errorf("status bar %q, want PROD second %s", f, second.BaseURL)
	}

	// The request goes to the new tenant, with its profile's audience.
	tm.Send(keyMsg(tea.KeyEsc)) // clears the operations filter
	typeText(tm, "/")
	typeText(tm, "clientCredentialsGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")

	m := final(t, tm)
	if m.o.Session.Name != "second" || m.o.Session.IsSandbox() {
		t.Fatalf("session %q", m.o.Session.Name)
	}
	pg := m.forms["passwordGrant"]
	if got := pg.Value("username"); got != "typed@example.com" {
		t.Errorf("typed username = %q, want it kept", got)
	}
	if got := pg.Value("realm"); got != sandbox.DatabaseConnection {
		t.Errorf("realm = %q, want the profile's default", got)
	}
	ex := m.resp.Exchange()
	if ex == nil || ex.Request == nil || !strings.HasPrefix(ex.Request.URL, second.BaseURL) {
		t.Fatalf("the request did not go to the second tenant: %+v", ex)
	}
}

// The PROD marker: a word in the status bar for a production-looking
// domain, none for a dev one or for the sandbox; the profile's flag wins.
func TestProductionMarker(t *testing.T) {
	bar := func(s *app.Session) string {
		m := New(Options{Session: s, Now: now})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 30})
		return m.statusBar()
	}
	open := func(domain string, prod *bool) *app.Session {
		s, err := app.Open(app.Tenant{Name: "t", Domain: domain, ClientID: "id", Profile: &config.Profile{Name: "t", Domain: domain, Production: prod}}, api.TransportOptions{}, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	no := false
	if b := strings.Join(strings.Fields(bar(open("acme.eu.auth0.com", nil))), " "); !strings.HasPrefix(b, "PROD t acme.eu.auth0.com") {
		t.Errorf("production domain: %q", b)
	}
	for _, b := range []string{bar(open("acme-dev.eu.auth0.com", nil)), bar(open("acme.eu.auth0.com", &no)), bar(sandboxSession(t))} {
		if strings.Contains(b, "PROD") {
			t.Errorf("not production, marked: %q", b)
		}
	}
}

// hangingKeyring never answers.
type hangingKeyring struct{ release chan struct{} }

func (k hangingKeyring) Get(string, string) (string, error) {
	<-k.release
	return "", config.ErrNoKeyring
}
func (k hangingKeyring) Set(string, string, string) error { <-k.release; return config.ErrNoKeyring }
func (k hangingKeyring) Delete(string, string) error      { <-k.release; return config.ErrNoKeyring }

// Adding a profile through the picker's form with a keyring that hangs:
// a spinner while the keyring has its time, then the plain-text notice; the
// secret is masked on screen. Deleting it asks first.
func TestAddProfileWithHangingKeyring(t *testing.T) {
	dir, getenv := tenantsDir(t)
	kr := hangingKeyring{release: make(chan struct{})}
	t.Cleanup(func() { close(kr.release) })
	timeout := make(chan time.Time, 1)
	tenants := &app.Tenants{Getenv: getenv, Keyring: kr, Sandbox: sandboxSession(t), UserAgent: "test",
		After: func(time.Duration) <-chan time.Time { return timeout }}
	const secret = "s3cret-Value-Of-The-Client-42"

	tm := start(t, Options{Session: tenants.Sandbox, Tenants: tenants}, 140, 44)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "p")
	waitFor(t, tm, "Tenants", "in memory") // the list has loaded (SANDBOX alone is also the status bar)
	typeText(tm, "a")
	waitFor(t, tm, "New profile")
	for _, v := range []string{"staging", "http://127.0.0.1:9", "the-client-id", secret} {
		typeText(tm, v)
		tm.Send(keyMsg(tea.KeyTab))
	}
	waitFor(t, tm, "ready: ctrl+s saves", "ctrl+r shows")
	if v := tm.p.view.Load().(string); strings.Contains(v, secret) {
		t.Fatalf("the secret is shown:\n%s", v)
	}
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "Saving: the system keyring has up to 3 s")
	timeout <- now() // the keyring's time is up
	waitFor(t, tm, "stored in plain text", "staging", "plain file")
	data, err := os.ReadFile(filepath.Join(dir, config.FileName))
	if err != nil || !strings.Contains(string(data), `"client_secret": "`+secret+`"`) {
		t.Fatalf("profiles file (%v):\n%s", err, data)
	}
	if v := tm.p.view.Load().(string); strings.Contains(v, secret) {
		t.Fatalf("the secret is shown after saving:\n%s", v)
	}

	typeText(tm, "j")
	typeText(tm, "d")
	waitFor(t, tm, "Delete profile staging")
	typeText(tm, "y")
	waitFor(t, tm, "Deleted profile staging")
	m := final(t, tm)
	s, _ := tenants.Store()
	if _, ok := s.Lookup("staging"); ok || m.o.Session != tenants.Sandbox {
		t.Error("the profile is still there, or the session changed")
	}
}
