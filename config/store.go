package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// MaxFileSize is the largest profiles file read. A profiles file is a few
// kilobytes; anything larger is not one and is left alone.
const MaxFileSize = 1 << 20

// processStart is when this process started, near enough: temporary files
// of a save older than this are left over from a process that died.
var processStart = time.Now()

// Options is what Open needs.
type Options struct {
	// Dir is the configuration directory (see DefaultDir).
	Dir string
	// Keyring stores client secrets; nil means none (secrets go to the file).
	Keyring Keyring
	// KeyringTimeout is how long a keyring may take; 0 means 3 s.
	KeyringTimeout time.Duration
	// Now names moved-aside files; nil means time.Now.
	Now func() time.Time
	// After is the timer for the keyring timeout; nil means time.After.
	After func(time.Duration) <-chan time.Time
	// LockTimeout is how long a save waits for another process's lock on
	// the profiles file; 0 means DefaultLockTimeout (5 s).
	LockTimeout time.Duration
}

// Store is the profiles of one configuration directory. Its methods are
// safe for concurrent use; saves from several processes are serialised by a
// lock file and each leaves one complete file.
type Store struct {
	mu          sync.Mutex
	dir, path   string
	keyring     Keyring
	timeout     time.Duration
	lockTimeout time.Duration
	after       func(time.Duration) <-chan time.Time
	now         func() time.Time
	keyringDown bool
	fs          fsOps
	createdDir  bool           // this store created the directory
	bg          sync.WaitGroup // keyring calls given up on, still running

	doc      *document
	problem  *LoadError
	readOnly string
	warnings []string
}

// Open reads the profiles in o.Dir. It fails only without a directory:
// a missing file is no profiles; a file that does not parse is kept as it
// is and reported by Problem, with no profiles; warnings (a file other users
// can read, a file from a newer version) are in Warnings.
func Open(o Options) (*Store, error) {
	if o.Dir == "" {
		return nil, errors.New("no configuration directory given")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	s := &Store{
		dir: dir, path: filepath.Join(dir, FileName),
		keyring: o.Keyring, timeout: o.KeyringTimeout, after: o.After, now: o.Now,
		lockTimeout: o.LockTimeout, fs: osFS(),
	}
	if s.timeout <= 0 {
		s.timeout = DefaultKeyringTimeout
	}
	if s.lockTimeout <= 0 {
		s.lockTimeout = DefaultLockTimeout
	}
	if s.after == nil {
		s.after = time.After
	}
	if s.now == nil {
		s.now = time.Now
	}
	doc, warnings, err := s.read()
	s.warnings = append(s.warnings, warnings...)
	var le *LoadError
	switch {
	case errors.As(err, &le):
		s.problem, s.doc = le, newDocument()
	case err != nil:
		s.problem, s.doc = &LoadError{Path: s.path, Msg: err.Error()}, newDocument()
	default:
		s.doc = doc
	}
	if s.doc.Version > FileVersion {
		s.readOnly = fmt.Sprintf("%s was written by a newer auth0-explorer (file version %d; this one writes %d): it is read but never changed by this version", s.path, s.doc.Version, FileVersion)
		s.warnings = append(s.warnings, s.readOnly)
	} else if s.doc.keepOut != "" {
		s.readOnly = s.doc.keepOut
		s.warnings = append(s.warnings, s.readOnly)
	}
	if checkModes {
		s.warnings = append(s.warnings, s.tightenModes()...)
	}
	return s, nil
}

// tightenModes makes a profiles file that other users can read private
// (0600) at once, by changing its mode only (its content is not touched, so
// this holds for files that are never written back too), and does the same
// (0700) for a directory this tool owns (see ownsDir). It returns sentences
// saying what it found and did.
func (s *Store) tightenModes() []string {
	var out []string
	if st, err := os.Stat(s.path); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(s.path, 0o600); err != nil {
			out = append(out, fmt.Sprintf("%s can be read by other users (mode %#o) and could not be made private: %v; run: chmod 600 %s", s.path, st.Mode().Perm(), pathErrMsg(err), shellQuote(s.path)))
		} else {
			out = append(out, fmt.Sprintf("%s could be read by other users (mode %#o); it is now private (0600)", s.path, st.Mode().Perm()))
		}
	}
	if st, err := os.Stat(s.dir); err == nil && st.IsDir() && st.Mode().Perm()&0o077 != 0 {
		switch {
		case !s.ownsDir():
			out = append(out, fmt.Sprintf("the directory %s is open to other users (mode %#o); auth0-explorer does not change the permissions of a directory it did not create (the profiles file in it is kept private, 0600)", s.dir, st.Mode().Perm()))
		case os.Chmod(s.dir, 0o700) != nil:
			out = append(out, fmt.Sprintf("the directory %s is open to other users (mode %#o) and could not be made private; run: chmod 700 %s", s.dir, st.Mode().Perm(), shellQuote(s.dir)))
		default:
			out = append(out, fmt.Sprintf("the directory %s was open to other users (mode %#o); it is now private (0700)", s.dir, st.Mode().Perm()))
		}
	}
	return out
}

// ownsDir reports whether the configuration directory is one this tool may
// tighten: one it created, or one named like its own (auth0-explorer), and
// never the home directory.
func (s *Store) ownsDir() bool {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if a, err := filepath.Abs(home); err == nil && filepath.Clean(a) == s.dir {
			return false
		}
	}
	return s.createdDir || filepath.Base(s.dir) == DirName
}

func pathErrMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// read reads and parses the file; no file is an empty document. A file
// larger than MaxFileSize is not read past that.
func (s *Store) read() (*document, []string, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return newDocument(), nil, nil
	}
	if err != nil {
		return nil, nil, &LoadError{Path: s.path, Msg: "could not be read: " + pathErrMsg(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, &LoadError{Path: s.path, Msg: "could not be read: " + pathErrMsg(err)}
	}
	if len(data) > MaxFileSize {
		return nil, nil, &LoadError{Path: s.path, Msg: "the file is larger than 1 MiB, far more than a profiles file holds; it is not read and is left as it is"}
	}
	return parseDocument(s.path, data)
}

// Dir is the configuration directory.
func (s *Store) Dir() string { return s.dir }

// Path is the profiles file.
func (s *Store) Path() string { return s.path }

// Problem is the reason the file could not be read (with its line), or nil.
// While it is set, nothing is saved; MoveAside puts the file aside.
func (s *Store) Problem() *LoadError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.problem
}

// Warnings are sentences for the person: a file or directory other users
// can read, a newer file version, a default that names no profile.
func (s *Store) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.warnings)
}

// ReadOnly is why the file is never written (a newer version), or "".
func (s *Store) ReadOnly() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readOnly
}

// Default is the default profile's name, or "".
func (s *Store) Default() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.doc.Default
}

// Profiles are the saved profiles by name, without their client secrets.
func (s *Store) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Profile
	for _, n := range s.doc.names() {
		out = append(out, s.doc.Profiles[n].public())
	}
	return out
}

// Lookup is one saved profile without its client secret.
func (s *Store) Lookup(name string) (Profile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.doc.Profiles[name]
	if !ok {
		return Profile{}, false
	}
	return p.public(), true
}

func (p *Profile) public() Profile {
	c := *p
	c.ClientSecret = ""
	c.Algorithms = slices.Clone(p.Algorithms)
	if p.Production != nil {
		v := *p.Production
		c.Production = &v
	}
	c.extra = nil
	return c
}

// SecretError is a saved profile whose client secret cannot be had. Missing
// means the keyring has no entry any more (removed outside this tool): the
// person has to enter the secret again.
type SecretError struct {
	Profile string
	Missing bool
	Err     error
}

func (e *SecretError) Error() string {
	if e.Missing {
		return fmt.Sprintf("the client secret of profile %q is no longer in the system keyring (it was removed outside auth0-explorer); enter it again", e.Profile)
	}
	if errors.Is(e.Err, ErrNoKeyring) {
		return fmt.Sprintf("the client secret of profile %q is in the system keyring, which did not answer", e.Profile)
	}
	return fmt.Sprintf("could not read the client secret of profile %q from the system keyring: %v", e.Profile, e.Err)
}

func (e *SecretError) Unwrap() error { return e.Err }

// Load is one saved profile with its client secret. When the secret cannot
// be had, the profile comes back without it, with a *SecretError.
func (s *Store) Load(name string) (Profile, error) {
	s.mu.Lock()
	p, ok := s.doc.Profiles[name]
	var c Profile
	if ok {
		c = p.public()
		if p.Secret == SecretFile {
			c.ClientSecret = p.ClientSecret
		}
	}
	s.mu.Unlock()
	if !ok {
		return Profile{}, s.notFound(name)
	}
	if c.Secret != SecretKeyring {
		return c, nil
	}
	s.mu.Lock()
	secret, err := s.keyringGet(c.keyringRef)
	s.mu.Unlock()
	switch {
	case errors.Is(err, ErrSecretNotFound):
		return c, &SecretError{Profile: name, Missing: true, Err: err}
	case err != nil:
		return c, &SecretError{Profile: name, Err: err}
	}
	c.ClientSecret = secret
	return c, nil
}

// InputError is a request the person has to change: a name that is taken
// or unknown, a profile that cannot be saved, a domain that is refused.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, a ...any) error { return &InputError{Msg: fmt.Sprintf(format, a...)} }

func (s *Store) notFound(name string) error {
	if s.problem != nil {
		return inputErr("there is no profile %q: the profiles file could not be read (%v)", name, s.problem)
	}
	return inputErr("there is no profile %q%s", name, s.known())
}

func (s *Store) known() string {
	names := s.doc.names()
	if len(names) == 0 {
		return "; no profile is saved yet"
	}
	if len(names) > 10 {
		names = append(names[:10], "…")
	}
	return fmt.Sprintf(" (saved: %s)", join(names))
}

func join(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// PutOptions say how Put treats an existing profile and the secret.
type PutOptions struct {
	// Replace allows replacing a profile of the same name; without it an
	// existing name is refused.
	Replace bool
	// KeepSecret keeps the secret already stored for this name and ignores
	// Profile.ClientSecret.
	KeepSecret bool
	// MakeDefault makes this profile the default. The first profile saved
	// becomes the default anyway.
	MakeDefault bool
}

// account is the keyring account this store keeps name's secret under.
// Entries under any other account (a profiles file copied from another
// directory names the original's) are never deleted or replaced by it.
func (s *Store) account(name string) string { return name + "@" + s.dir }

// Put saves p: its client secret to the keyring when one answers, else in
// plain text in the 0600 file, in which case a notice says so. The notices
// are sentences to show the person once.
func (s *Store) Put(p Profile, o PutOptions) (notices []string, err error) {
	if !p.Saveable() {
		return nil, inputErr("the %s profile %q is never written to disk", p.Origin, p.Name)
	}
	if err := ValidateName(p.Name); err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	d, err := NormalizeDomain(p.Domain)
	if err != nil {
		return nil, &InputError{Msg: err.Error()}
	}
	np := p.public()
	np.Domain, np.Origin, np.Secret, np.keyringRef = d, FromFile, NoSecret, ""
	account := s.account(p.Name)

	s.mu.Lock()
	defer s.mu.Unlock()
	var cleanup []string // keyring accounts to delete once the file is written
	var foreign string   // an entry of another directory the old profile used
	var rollback func()
	var prev string
	var prevErr error
	// A keyring write that times out may still land later; by then this
	// Put has saved the secret elsewhere (or failed), so the goroutine that
	// sees it land deletes it again, or puts back the secret it replaced
	// when the file still names it.
	saved := make(chan bool, 1)
	savedOK := false
	defer func() { saved <- savedOK }()
	late := func(k Keyring) {
		if <-saved || prev == "" || prevErr != nil {
			_ = k.Delete(KeyringService, account)
		} else {
			_ = k.Set(KeyringService, account, prev)
		}
	}
	err = s.transact(func(doc *document) error {
		old := doc.Profiles[p.Name]
		if old != nil && !o.Replace {
			return inputErr("a profile named %q already exists", p.Name)
		}
		if old != nil {
			np.extra = old.extra
		}
		switch {
		case o.KeepSecret && old != nil:
			np.Secret, np.keyringRef, np.ClientSecret = old.Secret, old.keyringRef, old.ClientSecret
		case !o.KeepSecret && p.ClientSecret != "":
			if old != nil && old.Secret == SecretKeyring && old.keyringRef == account {
				prev, prevErr = s.keyringGet(account)
			}
			if err := s.keyringSet(account, p.ClientSecret, late); err == nil {
				np.Secret, np.keyringRef, np.ClientSecret = SecretKeyring, account, ""
				rollback = func() {
					if prev != "" && prevErr == nil {
						_ = s.keyringSet(account, prev, nil)
					} else {
						_ = s.keyringDelete(account)
					}
				}
			} else {
				np.Secret, np.ClientSecret = SecretFile, p.ClientSecret
				notices = append(notices, fmt.Sprintf("the client secret of profile %q is stored in plain text in %s (no system keyring answered)", p.Name, s.path))
			}
		}
		if old != nil && old.Secret == SecretKeyring && (np.Secret != SecretKeyring || np.keyringRef != old.keyringRef) {
			if old.keyringRef == account {
				cleanup = append(cleanup, old.keyringRef)
			} else {
				foreign = old.keyringRef
			}
		}
		doc.Profiles[p.Name] = &np
		if o.MakeDefault || doc.Default == "" {
			doc.Default = p.Name
		}
		return nil
	})
	if err != nil {
		if rollback != nil {
			rollback()
		}
		return nil, err
	}
	savedOK = true
	for _, acct := range cleanup {
		if err := s.keyringDelete(acct); err != nil && !errors.Is(err, ErrSecretNotFound) {
			notices = append(notices, fmt.Sprintf("the old client secret of profile %q could not be removed from the system keyring (%v); it is the %s", p.Name, err, keyringRemoveHint(acct)))
		}
	}
	if foreign != "" {
		notices = append(notices, foreignNotice("old client secret", p.Name, foreign))
	}
	return notices, nil
}

func foreignNotice(what, name, account string) string {
	return fmt.Sprintf("the %s of profile %q was left in the system keyring: its %s belongs to another configuration directory (perhaps the one this profiles file was copied from), which may still use it", what, name, keyringEntry(account))
}

// Remove deletes a profile and its keyring entry. An entry this store does
// not own (see account) is left, and a notice says so; an entry that cannot
// be deleted is named in a notice so the person can remove it.
func (s *Store) Remove(name string) (notices []string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old *Profile
	err = s.transact(func(doc *document) error {
		old = doc.Profiles[name]
		if old == nil {
			return s.notFound(name)
		}
		delete(doc.Profiles, name)
		if doc.Default == name {
			doc.Default = ""
			notices = append(notices, fmt.Sprintf("%q was the default profile; there is no default now", name))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if old.Secret == SecretKeyring {
		if old.keyringRef != s.account(name) {
			notices = append(notices, foreignNotice("client secret", name, old.keyringRef))
		} else if err := s.keyringDelete(old.keyringRef); err != nil && !errors.Is(err, ErrSecretNotFound) {
			notices = append(notices, fmt.Sprintf("the client secret of profile %q could not be removed from the system keyring (%v); it is the %s", name, err, keyringRemoveHint(old.keyringRef)))
		}
	}
	return notices, nil
}

// SetDefault makes name the default profile.
func (s *Store) SetDefault(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.transact(func(doc *document) error {
		if doc.Profiles[name] == nil {
			return s.notFound(name)
		}
		doc.Default = name
		return nil
	})
}

// transact is one save: under the lock, re-read the file (another process
// may have saved since Open), refuse a file that does not parse or is newer,
// apply change, and write the result atomically. s.mu is held.
func (s *Store) transact(change func(*document) error) error {
	if err := s.ensureDir(); err != nil {
		return err
	}
	unlock, err := lockFile(s.path+".lock", s.lockTimeout)
	if errors.Is(err, ErrLockBusy) {
		return &SaveError{Path: s.path, Err: err}
	}
	if err != nil {
		return &SaveError{Path: s.path, Err: fmt.Errorf("could not take the lock: %w", err)}
	}
	defer unlock()
	doc, warnings, err := s.read()
	if err != nil {
		var le *LoadError
		if errors.As(err, &le) {
			s.problem = le
			return fmt.Errorf("not saving: %v; the file is left as it is (move it aside to start afresh)", le)
		}
		return &SaveError{Path: s.path, Err: err}
	}
	if doc.Version > FileVersion {
		s.readOnly = fmt.Sprintf("%s was written by a newer auth0-explorer (file version %d; this one writes %d): it is read but never changed by this version", s.path, doc.Version, FileVersion)
		return errors.New("not saving: " + s.readOnly)
	}
	if doc.keepOut != "" {
		s.readOnly = doc.keepOut
		return errors.New("not saving: " + s.readOnly)
	}
	s.removeStaleTemps()
	if err := change(doc); err != nil {
		return err
	}
	doc.Version = FileVersion
	data, err := doc.marshal()
	if err != nil {
		return &SaveError{Path: s.path, Err: err}
	}
	if err := s.writeAtomic(data); err != nil {
		return err
	}
	s.doc, s.problem, s.warnings = doc, nil, warnings
	return nil
}

// MoveAside renames a profiles file that does not parse to
// profiles.json.corrupt-<UTC timestamp>, so the next save starts afresh.
// It returns the new path. A file that parses now is not moved.
func (s *Store) MoveAside() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := lockFile(s.path+".lock", s.lockTimeout)
	if errors.Is(err, ErrLockBusy) {
		return "", fmt.Errorf("could not move %s aside: %w", s.path, err)
	}
	if err != nil {
		return "", fmt.Errorf("could not take the lock on %s: %w", s.path, err)
	}
	defer unlock()
	doc, _, err := s.read()
	var le *LoadError
	if !errors.As(err, &le) {
		if err == nil {
			s.doc, s.problem = doc, nil
		}
		return "", inputErr("%s reads fine now; nothing was moved", s.path)
	}
	base := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	target := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
			break
		}
		target = fmt.Sprintf("%s-%d", base, i)
	}
	if err := s.fs.rename(s.path, target); err != nil {
		return "", fmt.Errorf("could not move %s aside: %w", s.path, err)
	}
	syncDir(s.dir)
	if checkModes {
		// The moved file keeps whatever secrets it held: keep it private.
		if st, err := os.Stat(target); err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(target, 0o600)
		}
	}
	s.doc, s.problem = newDocument(), nil
	return target, nil
}

// tempPattern is the name of a save's temporary file (os.CreateTemp's *).
const tempPattern = "." + FileName + ".tmp-*"

// removeStaleTemps removes temporary files of saves that never finished
// (a process killed between write and rename): files in the configuration
// directory named like tempPattern and older than this process. It runs
// under the lock, so no save of another process is under way.
func (s *Store) removeStaleTemps() {
	matches, err := filepath.Glob(filepath.Join(s.dir, tempPattern))
	if err != nil {
		return
	}
	prefix := strings.TrimSuffix(tempPattern, "*")
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), prefix)
		if rest == "" || strings.Trim(rest, "0123456789") != "" {
			continue // not a name os.CreateTemp makes
		}
		st, err := os.Lstat(m)
		if err != nil || !st.Mode().IsRegular() || !st.ModTime().Before(processStart) {
			continue
		}
		_ = os.Remove(m)
	}
}
