package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A copy of the configuration directory names the original's keyring
// entries in its file; changing or removing profiles in the copy must leave
// those entries alone, and say so.
func TestCopiedFolderLeavesTheOriginalsKeyringEntries(t *testing.T) {
	kr := newFakeKeyring()
	a := filepath.Join(t.TempDir(), "a")
	b := filepath.Join(t.TempDir(), "b")
	sa := open(t, a, kr)
	if _, err := sa.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	prod := dev()
	prod.Name, prod.ClientSecret = "prod", "prod-secret-value"
	if _, err := sa.Put(prod, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(b, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, FileName), readFile(t, sa.Path()), 0o600); err != nil {
		t.Fatal(err)
	}

	sb := open(t, b, kr)
	p := dev()
	p.ClientSecret = "secret-of-the-copy"
	notices, err := sb.Put(p, PutOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], `"dev@`+a+`"`) || !strings.Contains(notices[0], "another configuration directory") {
		t.Errorf("replacing in the copy: notices %q, want one naming dev@%s", notices, a)
	}
	notices, err = sb.Remove("prod")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], `"prod@`+a+`"`) || !strings.Contains(notices[0], `"`+KeyringService+`"`) {
		t.Errorf("removing in the copy: notices %q, want one naming prod@%s", notices, a)
	}
	snap := kr.snapshot()
	if snap[KeyringService+"/dev@"+a] != secret || snap[KeyringService+"/prod@"+a] != "prod-secret-value" {
		t.Errorf("the original's keyring entries changed: %v", snap)
	}
	if snap[KeyringService+"/dev@"+b] != "secret-of-the-copy" {
		t.Errorf("the copy's new secret is not under its own account: %v", snap)
	}
	orig := open(t, a, kr)
	for name, want := range map[string]string{"dev": secret, "prod": "prod-secret-value"} {
		if got, err := orig.Load(name); err != nil || got.ClientSecret != want {
			t.Errorf("original %s after the copy changed: %q, %v", name, got.ClientSecret, err)
		}
	}
	// The copy's own entry is still deleted with its profile.
	if _, err := sb.Remove("dev"); err != nil {
		t.Fatal(err)
	}
	if _, ok := kr.snapshot()[KeyringService+"/dev@"+b]; ok {
		t.Error("the copy's own entry survived removing its profile")
	}
}

// hangSetKeyring answers Get and Delete at once but holds every Set until
// release is closed.
type hangSetKeyring struct {
	*fakeKeyring
	release chan struct{}
}

func (k hangSetKeyring) Set(service, user, s string) error {
	<-k.release
	return k.fakeKeyring.Set(service, user, s)
}

// afterN is a timer whose nth wait (from 1) fires at once; the others never.
func afterN(n int) func(time.Duration) <-chan time.Time {
	fired := make(chan time.Time)
	close(fired)
	calls := 0
	return func(time.Duration) <-chan time.Time {
		calls++
		if calls == n {
			return fired
		}
		return nil
	}
}

func TestTimedOutKeyringWriteIsUndoneWhenItLands(t *testing.T) {
	t.Run("saved in the file instead", func(t *testing.T) {
		kr := newFakeKeyring()
		kr.hang = make(chan struct{})
		dir := t.TempDir()
		s, err := Open(Options{Dir: dir, Keyring: kr, After: afterN(1)})
		if err != nil {
			t.Fatal(err)
		}
		notices, err := s.Put(dev(), PutOptions{})
		if err != nil || len(notices) != 1 || !strings.Contains(notices[0], "plain text") {
			t.Fatalf("Put = %q, %v", notices, err)
		}
		close(kr.hang) // the keyring answers at last: the write lands
		s.bg.Wait()
		if snap := kr.snapshot(); len(snap) != 0 {
			t.Errorf("the late keyring write stayed: %v", snap)
		}
		if got, err := open(t, dir, kr).Load("dev"); err != nil || got.ClientSecret != secret || got.Secret != SecretFile {
			t.Errorf("Load = %+v, %v", got, err)
		}
		// Removing the profile now leaves nothing behind anywhere.
		if _, err := open(t, dir, kr).Remove("dev"); err != nil {
			t.Fatal(err)
		}
		if snap := kr.snapshot(); len(snap) != 0 {
			t.Errorf("keyring after removing: %v", snap)
		}
	})
	t.Run("save failed: the replaced secret comes back", func(t *testing.T) {
		base := newFakeKeyring()
		dir := t.TempDir()
		if _, err := open(t, dir, base).Put(dev(), PutOptions{}); err != nil {
			t.Fatal(err)
		}
		kr := hangSetKeyring{base, make(chan struct{})}
		// Wait 1 is the Get of the old secret (answers), wait 2 the Set.
		s, err := Open(Options{Dir: dir, Keyring: kr, After: afterN(2)})
		if err != nil {
			t.Fatal(err)
		}
		s.fs.rename = func(string, string) error { return errors.New("interrupted") }
		p := dev()
		p.ClientSecret = "replacement-secret"
		if _, err := s.Put(p, PutOptions{Replace: true}); err == nil {
			t.Fatal("the injected failure did not fail the save")
		}
		close(kr.release)
		s.bg.Wait()
		if got := base.snapshot()[KeyringService+"/dev@"+dir]; got != secret {
			t.Errorf("keyring entry after the late write = %q, want the old secret back", got)
		}
	})
}

func TestRemoveWithoutKeyringNamesTheEntry(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	if _, err := open(t, dir, kr).Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	kr.mu.Lock()
	kr.hang = make(chan struct{})
	kr.mu.Unlock()
	t.Cleanup(func() { close(kr.hang) })
	s, err := Open(Options{Dir: dir, Keyring: kr, After: afterN(1)})
	if err != nil {
		t.Fatal(err)
	}
	notices, err := s.Remove("dev")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(notices, "\n")
	if !strings.Contains(all, `service "`+KeyringService+`"`) || !strings.Contains(all, `account "dev@`+dir+`"`) {
		t.Errorf("notices %q do not name the keyring entry left behind", notices)
	}
}

func TestSymlinkedFileIsWrittenThroughTheLink(t *testing.T) {
	if !checkModes {
		t.Skip("symbolic links need Unix here")
	}
	dir := t.TempDir()
	realDir := t.TempDir()
	real := filepath.Join(realDir, "dotfiles-profiles.json")
	os.WriteFile(real, []byte(`{"version": 1, "profiles": {}}`), 0o600)
	link := filepath.Join(dir, FileName)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, NoKeyring())
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(link)
	if err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link: %v %v", link, st.Mode(), err)
	}
	if to, _ := os.Readlink(link); to != real {
		t.Errorf("link points to %s", to)
	}
	if !bytes.Contains(readFile(t, real), []byte(`"dev"`)) {
		t.Error("the linked file was not written")
	}
	if m := mode(t, real); m != 0o600 {
		t.Errorf("linked file mode %#o", m)
	}
	for _, d := range []string{dir, realDir} {
		if m, _ := filepath.Glob(filepath.Join(d, tempPattern)); len(m) != 0 {
			t.Errorf("temporary files left: %q", m)
		}
	}
	if got, err := open(t, dir, NoKeyring()).Load("dev"); err != nil || got.ClientSecret != secret {
		t.Errorf("Load through the link: %+v, %v", got, err)
	}

	// A dangling link is refused with a sentence, and left as it is.
	os.Remove(real)
	_, err = open(t, dir, NoKeyring()).Put(dev(), PutOptions{})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("Put through a dangling link = %v", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("the dangling link was replaced")
	}
}

func TestFileLargerThan1MiBIsNotRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	pad := func(n int) []byte {
		head := `{"version": 1, "profiles": {}, "pad": "`
		return []byte(head + strings.Repeat("x", n-len(head)-2) + `"}`)
	}
	os.WriteFile(path, pad(MaxFileSize), 0o600)
	if s := open(t, dir, nil); s.Problem() != nil {
		t.Fatalf("a file of exactly 1 MiB: %v", s.Problem())
	}
	big := pad(MaxFileSize + 1)
	os.WriteFile(path, big, 0o600)
	s := open(t, dir, nil)
	le := s.Problem()
	if le == nil || le.Path != path || !strings.Contains(le.Error(), "larger than 1 MiB") || !strings.Contains(le.Error(), path) {
		t.Fatalf("Problem = %v", le)
	}
	if _, err := s.Put(dev(), PutOptions{}); err == nil {
		t.Error("saved over a file too large to read")
	}
	if !bytes.Equal(readFile(t, path), big) {
		t.Error("the large file changed")
	}
}

func TestMessagesDoNotEchoCredentialsOrLongValues(t *testing.T) {
	for _, in := range []string{
		"https://alice:hunter2pw@tenant.auth0.com",
		"https://alice:hunter2pw@tenant.auth0.com/path",
		"alice:hunter2pw@tenant.auth0.com/authorize?x=1",
		"https://alice:hunter2pw@tenant .auth0.com",
		"https://alice:hunter2%zzpw@tenant.auth0.com",
	} {
		_, err := NormalizeDomain(in)
		if err == nil {
			t.Errorf("NormalizeDomain(%q) accepted", in)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "alice") {
			t.Errorf("NormalizeDomain(%q) echoes the credentials: %v", in, err)
		}
	}
	long := "tenant.auth0.com/" + strings.Repeat("p", 5000)
	if _, err := NormalizeDomain(long); err == nil || len(err.Error()) > 300 {
		t.Errorf("long domain: message of %d bytes: %.80v", len(err.Error()), err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte(`{"version": "`+strings.Repeat("v", 5000)+`\u001b[2J"}`), 0o600)
	le := open(t, dir, nil).Problem()
	if le == nil || !strings.Contains(le.Msg, "version") || len(le.Msg) > 200 || strings.Contains(le.Msg, "\x1b") {
		t.Errorf("long version value: %.300v", le)
	}
}

func TestInvalidUTF8IsNotRewritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	data := []byte("{\"version\": 1,\n \"profiles\": {\n  \"dev\": {\"domain\": \"t.auth0.com\", \"client_id\": \"id\", \"audience\": \"caf\xe9\"}\n }\n}\n")
	os.WriteFile(path, data, 0o600)
	s := open(t, dir, NoKeyring())
	if s.Problem() != nil {
		t.Fatal(s.Problem())
	}
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "not UTF-8 (line 3)") {
		t.Errorf("warnings %q", w)
	}
	if _, ok := s.Lookup("dev"); !ok {
		t.Error("the profile was not read")
	}
	p := dev()
	p.Name = "other"
	if _, err := s.Put(p, PutOptions{}); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("Put = %v", err)
	}
	if _, err := s.Remove("dev"); err == nil {
		t.Error("Remove rewrote the file")
	}
	if !bytes.Equal(readFile(t, path), data) {
		t.Errorf("the file changed:\n%q", readFile(t, path))
	}
}

func TestStaleTemporaryFilesAreRemovedOnSave(t *testing.T) {
	dir := t.TempDir()
	old := time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC)  // before any process running now
	future := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // after it started
	files := map[string]time.Time{
		".profiles.json.tmp-123456": old,    // a save that never finished
		".profiles.json.tmp-654321": future, // not older than this process
		".profiles.json.tmp-notes":  old,    // not a name a save makes
		".other.json.tmp-123":       old,
		"profiles.json.tmp-123":     old,
	}
	for name, mt := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o600)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := open(t, dir, NoKeyring()).Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != (name == ".profiles.json.tmp-123456") {
			t.Errorf("%s: removed=%v", name, gone)
		}
	}
}

func TestDirectoryNotOursIsNotTightened(t *testing.T) {
	if !checkModes {
		t.Skip("no Unix permissions here")
	}
	// Such as AUTH0_EXPLORER_CONFIG=$HOME: a directory this tool did not
	// create and that is not named like its own.
	dir := filepath.Join(t.TempDir(), "home")
	os.Mkdir(dir, 0o700)
	os.Chmod(dir, 0o755)
	s := open(t, dir, NoKeyring())
	if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, "does not change the permissions of a directory it did not create") {
		t.Errorf("warnings %q", w)
	}
	if _, err := s.Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o755 {
		t.Errorf("dir mode %#o, want it left at 0755", m)
	}
	if m := mode(t, s.Path()); m != 0o600 {
		t.Errorf("file mode %#o", m)
	}
	// A directory this tool creates is 0700, parents too.
	created := filepath.Join(t.TempDir(), "x", "y")
	if _, err := open(t, created, NoKeyring()).Put(dev(), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, created); m != 0o700 {
		t.Errorf("created dir mode %#o", m)
	}
}
