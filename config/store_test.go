package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

const secret = "Sup3r-Secret-Value-0123456789-abcdef"

// fakeKeyring is an in-memory keyring. With hang set, every call blocks
// until the channel is closed (a keyring that never answers).
type fakeKeyring struct {
	mu      sync.Mutex
	entries map[string]string
	calls   int
	hang    chan struct{}
	entered chan struct{} // when set, told of every call as it starts
	setErr  error
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{entries: map[string]string{}} }

func (k *fakeKeyring) enter() {
	k.mu.Lock()
	k.calls++
	h, e := k.hang, k.entered
	k.mu.Unlock()
	if e != nil {
		select {
		case e <- struct{}{}:
		default:
		}
	}
	if h != nil {
		<-h
	}
}

func (k *fakeKeyring) Get(service, user string) (string, error) {
	k.enter()
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.entries[service+"/"+user]
	if !ok {
		return "", ErrSecretNotFound
	}
	return v, nil
}

func (k *fakeKeyring) Set(service, user, s string) error {
	k.enter()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.setErr != nil {
		return k.setErr
	}
	k.entries[service+"/"+user] = s
	return nil
}

func (k *fakeKeyring) Delete(service, user string) error {
	k.enter()
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.entries[service+"/"+user]; !ok {
		return ErrSecretNotFound
	}
	delete(k.entries, service+"/"+user)
	return nil
}

func (k *fakeKeyring) snapshot() map[string]string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := map[string]string{}
	for a, b := range k.entries {
		out[a] = b
	}
	return out
}

func (k *fakeKeyring) callCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls
}

func open(t *testing.T, dir string, kr Keyring) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dev() Profile {
	return Profile{Name: "dev", Domain: "https://Dev-Tenant.EU.auth0.com/", ClientID: "dev-client-id",
		ClientSecret: secret, Audience: "https://api.example.com/", Scope: "openid profile",
		Realm: "Username-Password-Authentication", Algorithms: []string{"RS256", "HS256"},
		SecretBase64: true, SkipIDTokenValidation: true, Organization: "org_123"}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSaveToKeyringAndReload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "auth0-explorer")
	kr := newFakeKeyring()
	s := open(t, dir, kr)
	notices, err := s.Put(dev(), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 0 {
		t.Errorf("keyring save gave notices %q", notices)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("directory mode %#o, want 0700", m)
	}
	if m := mode(t, s.Path()); m != 0o600 {
		t.Errorf("file mode %#o, want 0600", m)
	}
	data := readFile(t, s.Path())
	if bytes.Contains(data, []byte(secret)) {
		t.Fatalf("secret written to the file although the keyring answered:\n%s", data)
	}
	if got := kr.snapshot()[KeyringService+"/dev@"+dir]; got != secret {
		t.Fatalf("keyring holds %q", got)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil || v["version"] != float64(1) || v["default"] != "dev" {
		t.Fatalf("file is not the documented format: %v\n%s", err, data)
	}

	// A fresh process reads it back, secret from the keyring.
	s2 := open(t, dir, kr)
	got, err := s2.Load("dev")
	if err != nil {
		t.Fatal(err)
	}
	want := dev()
	want.Domain, want.Secret = "dev-tenant.eu.auth0.com", SecretKeyring
	if got.Domain != want.Domain || got.ClientID != want.ClientID || got.ClientSecret != secret ||
		got.Audience != want.Audience || got.Scope != want.Scope || got.Realm != want.Realm ||
		strings.Join(got.Algorithms, ",") != "RS256,HS256" || !got.SecretBase64 || !got.SkipIDTokenValidation ||
		got.Organization != "org_123" || got.Secret != SecretKeyring || got.Origin != FromFile {
		t.Errorf("Load = %+v", got)
	}
	if s2.Default() != "dev" {
		t.Errorf("first profile is not the default: %q", s2.Default())
	}
	for _, p := range s2.Profiles() {
		if p.ClientSecret != "" {
			t.Error("Profiles() carries a secret")
		}
	}
	if p, ok := s2.Lookup("dev"); !ok || p.ClientSecret != "" || p.Secret != SecretKeyring {
		t.Errorf("Lookup = %+v, %v", p, ok)
	}
	if _, err := s2.Load("nope"); err == nil || !strings.Contains(err.Error(), "saved: dev") {
		t.Errorf("Load(nope) = %v", err)
	}
}

func TestPlainTextFallbackWithoutKeyring(t *testing.T) {
	dir := t.TempDir()
	for _, kr := range []Keyring{nil, NoKeyring(), &fakeKeyring{entries: map[string]string{}, setErr: errors.New("dbus: no secret service")}} {
		os.Remove(filepath.Join(dir, FileName))
		s := open(t, dir, kr)
		notices, err := s.Put(dev(), PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := "stored in plain text in " + filepath.Join(dir, FileName)
		if len(notices) != 1 || !strings.Contains(notices[0], want) {
			t.Errorf("%T: notices %q, want one saying %q", kr, notices, want)
		}
		if m := mode(t, s.Path()); m != 0o600 {
			t.Errorf("file mode %#o, want 0600", m)
		}
		if !bytes.Contains(readFile(t, s.Path()), []byte(`"client_secret": "`+secret+`"`)) {
			t.Errorf("%T: secret not in the file", kr)
		}
		got, err := open(t, dir, kr).Load("dev")
		if err != nil || got.ClientSecret != secret || got.Secret != SecretFile {
			t.Errorf("%T: Load = %+v, %v", kr, got, err)
		}
	}
}

func TestKeyringThatHangsTimesOutToTheFile(t *testing.T) {
	kr := newFakeKeyring()
	kr.hang = make(chan struct{})
	kr.entered = make(chan struct{}, 8)
	t.Cleanup(func() { close(kr.hang) })
	var asked []time.Duration
	fired := make(chan time.Time)
	close(fired) // the timeout has passed as soon as anyone waits for it
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, Keyring: kr, After: func(d time.Duration) <-chan time.Time {
		asked = append(asked, d)
		return fired
	}})
	if err != nil {
		t.Fatal(err)
	}
	notices, err := s.Put(dev(), PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0] != 3*time.Second {
		t.Errorf("keyring waited %v, want one wait of 3s", asked)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "stored in plain text in "+s.Path()) {
		t.Errorf("notices %q", notices)
	}
	if !bytes.Contains(readFile(t, s.Path()), []byte(secret)) {
		t.Error("secret not in the file after the keyring timed out")
	}
	// The keyring that timed out is not asked again by this store. (Its
	// first call runs in the background: wait until it has started.)
	<-kr.entered
	p := dev()
	p.Name = "staging"
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := kr.callCount(); n != 1 {
		t.Errorf("keyring asked %d times, want 1", n)
	}
}

func TestKeyringEntryRemovedBehindTheToolsBack(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	s := open(t, dir, kr)
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete(KeyringService, "dev@"+dir); err != nil {
		t.Fatal(err)
	}
	p, err := open(t, dir, kr).Load("dev")
	var se *SecretError
	if !errors.As(err, &se) || !se.Missing || !strings.Contains(err.Error(), "enter it again") {
		t.Fatalf("Load after the entry vanished: %v", err)
	}
	if p.Domain != "dev-tenant.eu.auth0.com" || p.ClientSecret != "" {
		t.Errorf("profile without secret = %+v", p)
	}
	// Entering it again (keeping everything else) mends it.
	p.ClientSecret = "new-secret-value"
	if _, err := s.Put(p, PutOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if got, err := open(t, dir, kr).Load("dev"); err != nil || got.ClientSecret != "new-secret-value" || got.Audience != dev().Audience {
		t.Errorf("after re-entering: %+v, %v", got, err)
	}
	// A keyring that is gone altogether says so instead of crashing.
	_, err = open(t, dir, NoKeyring()).Load("dev")
	if !errors.As(err, &se) || se.Missing || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Load without keyring: %v", err)
	}
}

func TestRemoveDeletesKeyringEntryAndDefault(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	s := open(t, dir, kr)
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	p := dev()
	p.Name = "prod"
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(kr.snapshot()) != 2 {
		t.Fatalf("keyring = %v", kr.snapshot())
	}
	notices, err := s.Remove("dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "no default") {
		t.Errorf("removing the default: notices %q", notices)
	}
	if _, ok := kr.snapshot()[KeyringService+"/dev@"+dir]; ok {
		t.Error("keyring entry of the removed profile is still there")
	}
	if _, ok := kr.snapshot()[KeyringService+"/prod@"+dir]; !ok {
		t.Error("keyring entry of another profile was removed")
	}
	s2 := open(t, dir, kr)
	if _, ok := s2.Lookup("dev"); ok || s2.Default() != "" {
		t.Errorf("dev still saved or still default (%q)", s2.Default())
	}
	if _, err := s2.Remove("dev"); err == nil {
		t.Error("removing a missing profile succeeded")
	}
	if err := s2.SetDefault("prod"); err != nil || open(t, dir, kr).Default() != "prod" {
		t.Errorf("SetDefault: %v", err)
	}
	if err := s2.SetDefault("nope"); err == nil {
		t.Error("SetDefault(nope) succeeded")
	}
	// Replacing a secret with none removes the keyring entry too.
	p.ClientSecret = ""
	if _, err := s2.Put(p, PutOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if len(kr.snapshot()) != 0 {
		t.Errorf("keyring after dropping the secret: %v", kr.snapshot())
	}
}

func TestPutRefusesDuplicatesBadNamesAndDomains(t *testing.T) {
	s := open(t, t.TempDir(), newFakeKeyring())
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, s.Path())
	for _, p := range []Profile{
		dev(),
		{Name: "bad name", Domain: "t.auth0.com"},
		{Name: "x", Domain: "t.auth0.com/path"},
		{Name: "y", Domain: "t .auth0.com"},
	} {
		_, err := s.Put(p, PutOptions{})
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("Put(%q, %q) = %v, want an InputError", p.Name, p.Domain, err)
		}
	}
	if !bytes.Equal(before, readFile(t, s.Path())) {
		t.Error("refused Puts changed the file")
	}
	// KeepSecret keeps the stored secret when other fields change.
	p := dev()
	p.ClientSecret, p.Scope = "", "openid"
	if _, err := s.Put(p, PutOptions{Replace: true, KeepSecret: true}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load("dev"); err != nil || got.ClientSecret != secret || got.Scope != "openid" {
		t.Errorf("KeepSecret: %+v, %v", got, err)
	}
}

// failingFile fails its Write, like a full disk.
type failingFile struct{ *os.File }

func (f failingFile) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

func TestFailedSaveLeavesTheOldFile(t *testing.T) {
	for name, inject := range map[string]func(*Store){
		"crash between write and rename": func(s *Store) {
			s.fs.rename = func(string, string) error { return errors.New("interrupted") }
		},
		"disk full": func(s *Store) {
			s.fs.createTemp = func(dir, pattern string) (tempFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				return failingFile{f}, err
			}
		},
		"read-only directory": func(s *Store) {
			s.fs.createTemp = func(dir, _ string) (tempFile, error) {
				return nil, &os.PathError{Op: "open", Path: dir, Err: syscall.EROFS}
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			kr := newFakeKeyring()
			s := open(t, dir, kr)
			if _, err := s.Put(dev(), PutOptions{}); err != nil {
				t.Fatal(err)
			}
			before := readFile(t, s.Path())
			keyringBefore := kr.snapshot()
			inject(s)

			p := dev()
			p.ClientSecret, p.Audience = "replacement-secret", "https://other/"
			_, err := s.Put(p, PutOptions{Replace: true})
			var se *SaveError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), "the previous file is unchanged") || !strings.Contains(err.Error(), s.Path()) {
				t.Fatalf("Put = %v, want a SaveError saying the file is unchanged", err)
			}
			if !bytes.Equal(before, readFile(t, s.Path())) {
				t.Error("the old file changed")
			}
			if fmt.Sprint(kr.snapshot()) != fmt.Sprint(keyringBefore) {
				t.Errorf("keyring not rolled back: %v, was %v", kr.snapshot(), keyringBefore)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != FileName && e.Name() != FileName+".lock" {
					t.Errorf("left behind: %s", e.Name())
				}
			}
			if got, err := open(t, dir, kr).Load("dev"); err != nil || got.ClientSecret != secret || got.Audience != dev().Audience {
				t.Errorf("after the failed save: %+v, %v", got, err)
			}
		})
	}
}

func TestConcurrentSavesLeaveOneCompleteFile(t *testing.T) {
	dir := t.TempDir()
	const writers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer is its own Store, as a separate process would be.
			s, err := Open(Options{Dir: dir})
			if err != nil {
				errs <- err
				return
			}
			for i := range each {
				p := Profile{Name: fmt.Sprintf("w%d-p%d", w, i), Domain: "t.auth0.com", ClientID: "id", ClientSecret: fmt.Sprintf("secret-%d-%d", w, i)}
				if _, err := s.Put(p, PutOptions{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := open(t, dir, nil)
	if s.Problem() != nil {
		t.Fatalf("file damaged: %v", s.Problem())
	}
	if n := len(s.Profiles()); n != writers*each {
		t.Errorf("%d profiles survived, want %d (a save lost another's)", n, writers*each)
	}
	if m := mode(t, s.Path()); m != 0o600 {
		t.Errorf("mode %#o", m)
	}
}

// TestHeldLockMakesASaveFailAfterTheTimeout: while another process holds
// the lock, a save waits the (here injected, short) lock timeout, then fails
// with a sentence saying why, leaving the file as it was; once the lock is
// free, saves go through again.
func TestHeldLockMakesASaveFailAfterTheTimeout(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir, LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, s.Path())

	other := flock.New(s.Path() + ".lock") // another process's lock
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	p := dev()
	p.Name = "prod"
	done := make(chan error, 1)
	go func() { _, err := s.Put(p, PutOptions{}); done <- err }()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the save is still waiting for the lock after 10 s")
	}
	const want = "another auth0-explorer is writing the profiles file (lock held for 50 ms)"
	var se *SaveError
	if !errors.As(err, &se) || !errors.Is(err, ErrLockBusy) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "the previous file is unchanged") {
		t.Fatalf("Put with the lock held = %v, want a SaveError saying %q", err, want)
	}
	if !bytes.Equal(before, readFile(t, s.Path())) {
		t.Error("the file changed while another process held the lock")
	}
	if _, ok := s.Lookup("prod"); ok {
		t.Error("the refused profile is in the store")
	}

	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatalf("Put once the lock is free: %v", err)
	}
	if _, ok := open(t, dir, nil).Lookup("prod"); !ok {
		t.Error("the save after the lock was freed is not in the file")
	}
}

const corrupt = `{
  "version": 1,
  "profiles": {
    "dev": {"domain": "t.auth0.com",, "client_id": "x"}
  }
}
`

func TestCorruptFileIsReportedAndNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(corrupt), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s, err := Open(Options{Dir: dir, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	le := s.Problem()
	if le == nil || le.Path != path || le.Line != 4 || !strings.Contains(le.Error(), path+" line 4:") {
		t.Fatalf("Problem = %#v", le)
	}
	if len(s.Profiles()) != 0 {
		t.Error("profiles from a corrupt file")
	}
	if _, err := s.Put(dev(), PutOptions{}); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("Put on a corrupt file = %v", err)
	}
	if err := s.SetDefault("dev"); err == nil {
		t.Error("SetDefault on a corrupt file succeeded")
	}
	if _, err := s.Remove("dev"); err == nil {
		t.Error("Remove on a corrupt file succeeded")
	}
	if got := readFile(t, path); string(got) != corrupt {
		t.Fatalf("corrupt file changed:\n%s", got)
	}

	moved, err := s.MoveAside()
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".corrupt-20260102T030405Z"; moved != want {
		t.Errorf("moved to %s, want %s", moved, want)
	}
	if got := readFile(t, moved); string(got) != corrupt {
		t.Error("moved file differs")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("corrupt file still in place")
	}
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatalf("save after moving aside: %v", err)
	}
	if _, err := s.MoveAside(); err == nil {
		t.Error("MoveAside moved a good file")
	}
	// A second corrupt file at the same instant does not overwrite the first.
	os.WriteFile(path, []byte("nope"), 0o600)
	s2, _ := Open(Options{Dir: dir, Now: func() time.Time { return now }})
	moved2, err := s2.MoveAside()
	if err != nil || moved2 == moved || string(readFile(t, moved)) != corrupt {
		t.Errorf("second move: %s, %v", moved2, err)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	for _, c := range []struct {
		text string
		line int
		says string
	}{
		{"", 1, "empty"},
		{"[1, 2]\n", 1, "JSON object"},
		{"null", 1, "JSON object"},
		{"{\n  \"version\": \"one\"\n}", 2, "version"},
		{"{\n  \"version\": 0\n}", 2, "version"},
		{"{\"version\": 1,\n \"profiles\": {\n  \"a\": {\n   \"algorithms\": \"RS256\"\n  }\n }\n}", 4, "list of strings"},
		{"{\"version\": 1,\n \"profiles\": {\n  \"a\": {\n   \"secret_base64\": \"yes\"\n  }\n }\n}", 4, "true or false"},
		{"{\"version\": 1,\n \"profiles\": [\n ]\n}", 2, "should be an object, not a JSON array"},
		{"{\"version\": 1,\n\n\n \"profiles\": {}", 4, "end of JSON"},
		{"{\"version\": 1, \"profiles\": {\"a\": null}}", 1, "null"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte(c.text), 0o600)
		s := open(t, dir, nil)
		le := s.Problem()
		if le == nil || le.Line != c.line || !strings.Contains(le.Msg, c.says) {
			t.Errorf("%q: Problem = %v, want line %d saying %q", c.text, le, c.line, c.says)
		}
	}
}

const newer = `{
  "version": 7,
  "default": "dev",
  "sync": {"server": "https://example.com", "every": 30},
  "profiles": {
    "dev": {
      "domain": "t.auth0.com",
      "client_id": "id",
      "client_secret": "from-the-future",
      "mfa_preferences": ["otp", "push"],
      "colour": "blue"
    }
  }
}
`

func TestNewerVersionIsReadButNeverWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, []byte(newer), 0o600)
	s := open(t, dir, newFakeKeyring())
	if s.Problem() != nil {
		t.Fatal(s.Problem())
	}
	if s.ReadOnly() == "" || !strings.Contains(strings.Join(s.Warnings(), "\n"), "newer") {
		t.Errorf("no read-only reason or warning: %q / %q", s.ReadOnly(), s.Warnings())
	}
	p, err := s.Load("dev")
	if err != nil || p.ClientSecret != "from-the-future" || s.Default() != "dev" {
		t.Fatalf("newer file not read: %+v, %v", p, err)
	}
	// Unknown fields are kept with the profile in memory.
	s.mu.Lock()
	extra := s.doc.Profiles["dev"].extra
	top := s.doc.extra
	s.mu.Unlock()
	if string(extra["colour"]) != `"blue"` || !strings.Contains(string(extra["mfa_preferences"]), "push") || !strings.Contains(string(top["sync"]), "every") {
		t.Errorf("unknown fields dropped: %q %q", extra, top)
	}
	p.Name = "other"
	if _, err := s.Put(p, PutOptions{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Put on a newer file = %v", err)
	}
	if _, err := s.Remove("dev"); err == nil {
		t.Error("Remove on a newer file succeeded")
	}
	if err := s.SetDefault("dev"); err == nil {
		t.Error("SetDefault on a newer file succeeded")
	}
	if got := readFile(t, path); string(got) != newer {
		t.Errorf("newer file changed:\n%s", got)
	}

	// A newer layout this version cannot follow: no profiles, not corrupt.
	os.WriteFile(path, []byte(`{"version": 9, "profiles": [{"name": "dev"}]}`), 0o600)
	s = open(t, dir, nil)
	if s.Problem() != nil || len(s.Profiles()) != 0 || s.ReadOnly() == "" {
		t.Errorf("newer layout: problem %v, %d profiles, read-only %q", s.Problem(), len(s.Profiles()), s.ReadOnly())
	}
}

func TestUnknownFieldsSurviveASave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	hand := strings.Replace(newer, `"version": 7`, `"version": 1`, 1)
	os.WriteFile(path, []byte(hand), 0o600)
	s := open(t, dir, NoKeyring())
	p, _ := s.Load("dev")
	p.Scope = "openid"
	if _, err := s.Put(p, PutOptions{Replace: true, KeepSecret: true}); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Sync     map[string]any            `json:"sync"`
		Profiles map[string]map[string]any `json:"profiles"`
	}
	data := readFile(t, path)
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	d := v.Profiles["dev"]
	if v.Sync["every"] != float64(30) || d["colour"] != "blue" || d["scope"] != "openid" || d["client_secret"] != "from-the-future" {
		t.Errorf("after save:\n%s", data)
	}
}

func TestLooseModesAreWarnedAndTightened(t *testing.T) {
	if !checkModes {
		t.Skip("no Unix permissions here")
	}
	dir := filepath.Join(t.TempDir(), DirName)
	os.Mkdir(dir, 0o700)
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, []byte(`{"version": 1, "profiles": {}}`), 0o600)
	os.Chmod(path, 0o644)
	os.Chmod(dir, 0o755)
	s := open(t, dir, nil)
	w := strings.Join(s.Warnings(), "\n")
	if !strings.Contains(w, path+" could be read by other users (mode 0644); it is now private (0600)") || !strings.Contains(w, "it is now private (0700)") {
		t.Errorf("warnings %q", w)
	}
	// Opening tightens at once: the mode only, not the content.
	if m := mode(t, path); m != 0o600 {
		t.Errorf("file mode after opening %#o, want 0600", m)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("dir mode after opening %#o, want 0700", m)
	}
	p := dev()
	p.ClientSecret = ""
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("file mode after save %#o, want 0600", m)
	}
	if len(s.Warnings()) != 0 {
		t.Errorf("warnings after tightening: %q", s.Warnings())
	}
}

// A file that is never saved (a newer version, one that does not parse)
// is still made private, without changing a byte of it.
func TestLooseModesAreFixedWithoutASave(t *testing.T) {
	if !checkModes {
		t.Skip("no Unix permissions here")
	}
	for name, text := range map[string]string{"newer": newer, "corrupt": corrupt} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			os.WriteFile(path, []byte(text), 0o600)
			os.Chmod(path, 0o644)
			s := open(t, dir, nil)
			if m := mode(t, path); m != 0o600 {
				t.Errorf("mode %#o, want 0600", m)
			}
			if string(readFile(t, path)) != text {
				t.Error("content changed")
			}
			if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "it is now private (0600)") || strings.Contains(w, "next save") {
				t.Errorf("warnings %q", w)
			}
			if name != "corrupt" {
				return
			}
			os.Chmod(path, 0o644) // loosened again behind the store's back
			moved, err := s.MoveAside()
			if err != nil {
				t.Fatal(err)
			}
			if m := mode(t, moved); m != 0o600 {
				t.Errorf("moved-aside file mode %#o, want 0600", m)
			}
		})
	}
}

func TestUnreadableFileIsAProblemNotACrash(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, FileName), 0o700) // a directory where the file should be
	s := open(t, dir, nil)
	if s.Problem() == nil || !strings.Contains(s.Problem().Error(), FileName) {
		t.Errorf("Problem = %v", s.Problem())
	}
	if _, err := s.Put(dev(), PutOptions{}); err == nil {
		t.Error("saved over something unreadable")
	}
}

// The production flag is the person's word: saved as true or false, and
// absent (guessed from the domain) when never given.
func TestProductionFlagRoundTrips(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, NoKeyring())
	yes, no := true, false
	p := dev()
	p.Production = &yes
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	q := dev()
	q.Name, q.Production = "stage", &no
	if _, err := s.Put(q, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	r := dev()
	r.Name = "plain"
	if _, err := s.Put(r, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	data := string(readFile(t, filepath.Join(dir, FileName)))
	if strings.Count(data, `"production": true`) != 1 || strings.Count(data, `"production": false`) != 1 {
		t.Fatalf("file:\n%s", data)
	}
	s2 := open(t, dir, NoKeyring())
	for name, want := range map[string]*bool{"dev": &yes, "stage": &no, "plain": nil} {
		got, _ := s2.Lookup(name)
		if (got.Production == nil) != (want == nil) || got.Production != nil && *got.Production != *want {
			t.Errorf("%s: Production = %v, want %v", name, got.Production, want)
		}
	}
}

// TestClientAssertionSettingsRoundTrip: the client assertion key's path,
// algorithm and key id are saved (the path, never the key) and read back.
func TestClientAssertionSettingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, NoKeyring())
	p := dev()
	p.ClientAssertionKey, p.ClientAssertionAlg, p.ClientAssertionKid = "/keys/dev.pem", "PS256", "k1"
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	data := readFile(t, s.Path())
	for _, want := range []string{`"client_assertion_key": "/keys/dev.pem"`, `"client_assertion_alg": "PS256"`, `"client_assertion_kid": "k1"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("file lacks %s:\n%s", want, data)
		}
	}
	got, err := open(t, dir, NoKeyring()).Load("dev")
	if err != nil {
		t.Fatal(err)
	}
	if got.ClientAssertionKey != "/keys/dev.pem" || got.ClientAssertionAlg != "PS256" || got.ClientAssertionKid != "k1" {
		t.Errorf("Load = %+v", got)
	}
	if _, unknown := got.extra["client_assertion_key"]; unknown {
		t.Error("client_assertion_key kept as an unknown key too")
	}
}

// TestRedirectURIRoundTrips: a profile's redirect URI is saved as
// "redirect_uri" and read back; a profile without one has no such key, and
// a file of an earlier version (without the key) still reads.
func TestRedirectURIRoundTrips(t *testing.T) {
	dir := t.TempDir()
	old := `{"version": 1, "profiles": {"old": {"domain": "old.eu.auth0.com", "client_id": "c"}}}`
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, NoKeyring())
	if got, ok := s.Lookup("old"); !ok || got.RedirectURI != "" {
		t.Fatalf("old profile = %+v, %v", got, ok)
	}
	p := dev()
	p.RedirectURI = "http://127.0.0.1:8484/callback"
	if _, err := s.Put(p, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	data := string(readFile(t, s.Path()))
	if strings.Count(data, `"redirect_uri": "http://127.0.0.1:8484/callback"`) != 1 || strings.Count(data, "redirect_uri") != 1 {
		t.Fatalf("file:\n%s", data)
	}
	if !strings.Contains(data, `"version": 1`) {
		t.Errorf("the version changed:\n%s", data)
	}
	got, err := open(t, dir, NoKeyring()).Load("dev")
	if err != nil {
		t.Fatal(err)
	}
	if got.RedirectURI != "http://127.0.0.1:8484/callback" {
		t.Errorf("RedirectURI = %q", got.RedirectURI)
	}
	if _, unknown := got.extra["redirect_uri"]; unknown {
		t.Error("redirect_uri kept as an unknown key too")
	}
}
