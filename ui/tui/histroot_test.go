package tui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	histstore "auth0-explorer/config/history"
	"auth0-explorer/ui/app"
	"auth0-explorer/ui/tui/clipboard"

	tea "github.com/charmbracelet/bubbletea"
)

func historyStore(t *testing.T, dir string) *histstore.Store {
	t.Helper()
	s, err := histstore.Open(histstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signIn opens passwordGrant, fills the seeded user and the scope (scope
// "": the profile's), and sends it.
func signIn(t *testing.T, tm *running, scope string) {
	t.Helper()
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "passwordGrant")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "fill the required fields")
	typeText(tm, sandbox.SeedEmail)
	tm.Send(keyMsg(tea.KeyTab))
	typeText(tm, sandbox.SeedPassword)
	if scope != "" {
		tm.Send(keyMsg(tea.KeyTab)) // realm
		tm.Send(keyMsg(tea.KeyTab)) // scope
		typeText(tm, scope)
	}
	waitFor(t, tm, "ready: ctrl+s sends")
	tm.Send(keyMsg(tea.KeyCtrlS))
}

// waitLines waits until path holds n lines.
func waitLines(t *testing.T, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if got := strings.Count(string(b), "\n"); got == n {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("%s holds %d lines, want %d", path, got, n)
		}
		<-time.After(10 * time.Millisecond)
	}
}

// h lists the exchange; enter reopens it in the answer pane with its
// tokens (the exchange itself, not a copy); r sends it again.
func TestHistoryReopensAndResends(t *testing.T) {
	store := historyStore(t, t.TempDir())
	clip := &clipboard.Fake{}
	tm := start(t, Options{Session: sandboxSession(t), History: store, Clipboard: clip}, 120, 40)
	signIn(t, tm, "openid profile")
	waitFor(t, tm, "200 OK", "Tokens (2)")
	waitLines(t, store.Path("SANDBOX"), 1)

	typeText(tm, "h")
	waitFor(t, tm, "History", "SANDBOX · 1 exchange · ● 1 of this run", "passwordGrant", "200", "esc close history")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Reopened passwordGrant", "Tokens (2)", "Answer")
	typeText(tm, "4") // its tokens are there, checked, and copy
	waitFor(t, tm, "id_token ✓")
	typeText(tm, "y")
	waitFor(t, tm, "Copied the id_token")

	typeText(tm, "h")
	waitFor(t, tm, "● 1 of this run")
	typeText(tm, "r")
	waitLines(t, store.Path("SANDBOX"), 2) // the answer came and was recorded
	typeText(tm, "h")
	waitFor(t, tm, "SANDBOX · 2 exchanges · ● 2 of this run")
	m := final(t, tm)
	if len(m.hs.live) != 2 {
		t.Fatalf("%d exchanges of this run, want 2", len(m.hs.live))
	}
	first, again := m.hs.live[0].ex, m.hs.live[1].ex
	if got, _ := clip.Text(); got != tokenOf(first, "id_token") || got == "" {
		t.Errorf("the reopened answer's id_token is not the first exchange's")
	}
	if again == first || again.Response == nil || again.Response.Status != 200 || len(again.Tokens) != 2 || m.resp.Exchange() != again {
		t.Fatalf("the resend's answer is not shown: %+v", again)
	}
	if m.form.Op().Name != "passwordGrant" || m.form.Value("username") != sandbox.SeedEmail {
		t.Errorf("the form does not hold what was sent again")
	}
}

func tokenOf(ex *api.Exchange, field string) string {
	for _, t := range ex.Tokens {
		if t.Field == field {
			return t.Value
		}
	}
	return ""
}

// memKeyring is a keyring in memory.
type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeyring) Get(service, user string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[service+"/"+user]; ok {
		return v, nil
	}
	return "", config.ErrSecretNotFound
}

func (k *memKeyring) Set(service, user, s string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[service+"/"+user] = s
	return nil
}

func (k *memKeyring) Delete(service, user string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, service+"/"+user)
	return nil
}

// profileSession saves a profile "dev" for the sandbox srv in cfgDir (its
// secret in a keyring) and opens a session on it, as the root does.
func profileSession(t *testing.T, cfgDir string, srv *sandbox.Server, kr config.Keyring) *app.Session {
	t.Helper()
	cs, err := config.Open(config.Options{Dir: cfgDir, Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cs.Lookup("dev"); !ok {
		if _, err := cs.Put(config.Profile{Name: "dev", Domain: srv.BaseURL, ClientID: srv.Client.ID, ClientSecret: srv.Client.Secret, Scope: "openid profile offline_access"}, config.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := cs.Load("dev")
	if err != nil {
		t.Fatal(err)
	}
	s, err := app.Open(app.Tenant{Name: p.Name, Domain: p.Domain, ClientID: p.ClientID, ClientSecret: p.ClientSecret, Profile: &p}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// After a restart the history of the profile is there: listed, reopened
// (its tokens said to be redacted), the form's values back (not the
// password), sent again once the password is typed. Neither the profiles
// file nor the history file holds the client secret, the password or any
// token of the session.
func TestHistoryAfterRestartHoldsNoSecret(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 7, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cfgDir := t.TempDir()
	kr := &memKeyring{m: map[string]string{}}
	histDir := filepath.Join(cfgDir, "history")
	store := historyStore(t, histDir)

	tm := start(t, Options{Session: profileSession(t, cfgDir, srv, kr), History: store}, 120, 40)
	waitFor(t, tm, "dev", "passwordGrant")
	signIn(t, tm, "")
	waitFor(t, tm, "200 OK", "Tokens (3)")
	waitLines(t, store.Path("dev"), 1)
	var secrets []string
	for _, tk := range final(t, tm).resp.Exchange().Tokens {
		secrets = append(secrets, tk.Value)
	}

	// The second run: a new root over the same directories.
	tm = start(t, Options{Session: profileSession(t, cfgDir, srv, kr), History: historyStore(t, histDir)}, 120, 40)
	// The form made before the history was read gets its values back.
	waitFor(t, tm, "dev", "passwordGrant", "username      * "+sandbox.SeedEmail)
	typeText(tm, "h")
	waitFor(t, tm, "dev · 1 exchange", "passwordGrant", "200")
	if strings.Contains(tm.p.view.Load().(string), "of this run") {
		t.Error("an exchange of the first run is listed as one of this run")
	}
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "200 OK", "Saved copy: its tokens (access_token, id_token, refresh_token)", "cannot be used", "Tokens (0)", `"id_token": "[redacted]"`)
	// Sending it again needs the password, which was not kept.
	typeText(tm, "h")
	waitFor(t, tm, "dev · 1 exchange")
	typeText(tm, "r")
	waitFor(t, tm, "Secret fields are not kept in the history (password)", "* "+sandbox.SeedEmail)
	typeText(tm, sandbox.SeedPassword) // the focus is on the password
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitLines(t, store.Path("dev"), 2)
	typeText(tm, "h")
	waitFor(t, tm, "dev · 2 exchanges · ● 1 of this run")
	m := final(t, tm)
	if m.form.Value("username") != sandbox.SeedEmail || m.form.Value("password") != sandbox.SeedPassword {
		t.Errorf("the form sent again holds %q / %q", m.form.Value("username"), m.form.Value("password"))
	}
	for _, tk := range m.resp.Exchange().Tokens {
		secrets = append(secrets, tk.Value)
	}

	secrets = append(secrets, srv.Client.Secret, sandbox.SeedPassword)
	if len(secrets) < 8 {
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	var files []string
	_ = filepath.WalkDir(cfgDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if !slicesHas(files, filepath.Join(cfgDir, config.FileName)) || !slicesHas(files, store.Path("dev")) {
		t.Fatalf("files %v lack the profiles or the history file", files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret of the session (%.10s…)", f, s)
			}
		}
	}
}

func slicesHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Sent on another tenant, an exchange goes again only after a yes; the
// form's values come back the first time its form is opened.
func TestHistoryResendToAnotherTenantAsks(t *testing.T) {
	dir := t.TempDir()
	tm := start(t, Options{Session: sandboxSession(t), History: historyStore(t, dir)}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "requestEmailCode")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "email")
	typeText(tm, "someone@example.com")
	tm.Send(keyMsg(tea.KeyCtrlS))
	waitFor(t, tm, "200 OK")
	waitLines(t, filepath.Join(dir, "sandbox.jsonl"), 1)
	final(t, tm)

	// Another sandbox: another address, the same profile name.
	sess := sandboxSession(t)
	tm = start(t, Options{Session: sess, History: historyStore(t, dir)}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "h")
	waitFor(t, tm, "SANDBOX · 1 exchange", "requestEmailCode")
	typeText(tm, "r")
	waitFor(t, tm, "this session is on "+sess.Domain(), "y/n")
	typeText(tm, "n")
	typeText(tm, "r")
	waitFor(t, tm, "y/n")
	typeText(tm, "y")
	waitFor(t, tm, "200 OK")
	m := final(t, tm)
	if ex := m.resp.Exchange(); ex.Request == nil || !strings.HasPrefix(ex.Request.URL, sess.Client.BaseURL) {
		t.Fatalf("sent to %v, want %s", ex.Request, sess.Client.BaseURL)
	}
	if len(m.hs.live) != 1 {
		t.Errorf("%d exchanges of this run, want 1", len(m.hs.live))
	}

	// The form of requestEmailCode starts from what was sent last.
	tm = start(t, Options{Session: sandboxSession(t), History: historyStore(t, dir)}, 120, 40)
	waitFor(t, tm, "passwordGrant")
	typeText(tm, "/")
	typeText(tm, "requestEmailCode")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "someone@example.com")
}

// A history file with lines that do not parse: one sentence, the rest is
// listed, the program goes on.
func TestHistoryCorruptFileIsOneSentence(t *testing.T) {
	dir := t.TempDir()
	store := historyStore(t, dir)
	path := store.Path("SANDBOX")
	if err := os.WriteFile(path, []byte("{not json\n\x00\x01garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := start(t, Options{Session: sandboxSession(t), History: store}, 120, 40)
	waitFor(t, tm, "2 lines of the history could not be read and are skipped.")
	signIn(t, tm, "openid")
	waitFor(t, tm, "200 OK")
	waitLines(t, path, 3)
	typeText(tm, "h")
	waitFor(t, tm, "SANDBOX · 1 exchange", "2 lines of the history could not be read and are skipped")
}

// A history directory that cannot be written: one sentence after the
// first exchange, none after the next; the exchanges are still listed.
func TestHistoryUnwritableIsOneSentence(t *testing.T) {
	block := filepath.Join(t.TempDir(), "history")
	if err := os.WriteFile(block, []byte("a file where the directory goes"), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := start(t, Options{Session: sandboxSession(t), History: historyStore(t, block)}, 160, 40)
	waitFor(t, tm, "History: could not read the history") // the load fails first
	signIn(t, tm, "openid")
	waitFor(t, tm, "200 OK", "History not saved: could not save the history to "+filepath.Join(block, "sandbox.jsonl"))
	typeText(tm, "h")
	waitFor(t, tm, "● 1 of this run", "Earlier runs are not listed")
	final(t, tm)
}

// x clears the history, after a yes, on disk too.
func TestHistoryClear(t *testing.T) {
	store := historyStore(t, t.TempDir())
	tm := start(t, Options{Session: sandboxSession(t), History: store}, 120, 40)
	signIn(t, tm, "openid")
	waitFor(t, tm, "200 OK")
	waitLines(t, store.Path("SANDBOX"), 1)
	typeText(tm, "h")
	waitFor(t, tm, "SANDBOX · 1 exchange")
	typeText(tm, "x")
	waitFor(t, tm, "Clear the history of SANDBOX, on disk too? y/n", "y yes")
	typeText(tm, "q") // a question waits: q does not quit
	typeText(tm, "y")
	waitFor(t, tm, "Cleared the history of SANDBOX.", "SANDBOX · 0 exchanges", "No exchange yet")
	if _, err := os.Stat(store.Path("SANDBOX")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is still there: %v", err)
	}
}

// With no store (--no-history) nothing is written; the run's exchanges are
// listed all the same.
func TestNoHistoryWritesNothing(t *testing.T) {
	state := t.TempDir()
	t.Setenv(histstore.EnvDir, state)
	tm := start(t, Options{Session: sandboxSession(t)}, 120, 40)
	signIn(t, tm, "openid")
	waitFor(t, tm, "200 OK")
	typeText(tm, "h")
	waitFor(t, tm, "● 1 of this run", "Nothing is saved (--no-history)")
	final(t, tm)
	if ents, _ := os.ReadDir(state); len(ents) != 0 {
		t.Errorf("the state directory holds %d entries", len(ents))
	}
}
