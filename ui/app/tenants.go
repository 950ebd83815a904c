package app

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/config/history"
)

// nonProdWords are the words in a domain that say it is not a production
// tenant.
var nonProdWords = []string{"dev", "test", "stag", "sandbox", "localhost", "127.0.0.1"}

// LooksProduction reports whether a domain looks like a production tenant:
// none of dev, test, stag(ing), sandbox, localhost in it, and not on
// loopback. A profile's own flag (config.Profile.Production) wins over it.
func LooksProduction(domain string) bool {
	d := strings.ToLower(strings.TrimSpace(domain))
	if d == "" {
		return false
	}
	host := d
	if u, err := url.Parse(d); err == nil && u.Host != "" {
		host = u.Hostname()
	} else if h, _, err := net.SplitHostPort(d); err == nil {
		host = h
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return false
	}
	for _, w := range nonProdWords {
		if strings.Contains(d, w) {
			return false
		}
	}
	return true
}

// ProfileIsProduction is the profile's own word when it has one, else the
// guess from its domain.
func ProfileIsProduction(p config.Profile) bool {
	if p.Production != nil {
		return *p.Production
	}
	return LooksProduction(p.Domain)
}

// Production reports whether the session talks to a production tenant: the
// profile's flag, else a guess from the domain; never for the sandbox.
func (s *Session) Production() bool {
	switch {
	case s == nil || s.IsSandbox():
		return false
	case s.Profile != nil && s.Profile.Production != nil:
		return *s.Profile.Production
	}
	return LooksProduction(s.Domain())
}

// Tenants is what the terminal UI switches tenants with: the profiles of
// the configuration directory, the keyring, and the sandbox the program
// started (offered too). Sessions it opens are closed by Close.
type Tenants struct {
	Getenv    func(string) string
	Keyring   config.Keyring
	Transport api.TransportOptions
	UserAgent string
	// Sandbox is the program's in-process sandbox session, when it has one.
	Sandbox *Session
	// KeyringTimeout and After are the store's keyring timeout (0: 3 s)
	// and timer (nil: time.After); tests set After.
	KeyringTimeout time.Duration
	After          func(time.Duration) <-chan time.Time

	mu     sync.Mutex
	opened []*Session
}

// Store opens the profiles afresh (another process may have saved since).
func (t *Tenants) Store() (*config.Store, error) {
	getenv := t.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	dir, err := config.DefaultDir(getenv)
	if err != nil {
		return nil, err
	}
	kr := t.Keyring
	if kr == nil {
		kr = config.NoKeyring()
	}
	return config.Open(config.Options{Dir: dir, Keyring: kr, KeyringTimeout: t.KeyringTimeout, After: t.After})
}

// Entry is one line of the profile picker.
type Entry struct {
	Name, Domain string
	Default      bool
	Secret       config.SecretPlace
	Production   bool
	// Sandbox: the program's in-process sandbox, not a saved profile.
	Sandbox bool
	Profile config.Profile // without its secret; zero for the sandbox
	// LastUsed is when the profile's history was last written; zero when
	// it has none (or history is off).
	LastUsed time.Time
}

// List is the sandbox (when the program has one) and the saved profiles,
// with the profiles file's warnings.
func (t *Tenants) List() ([]Entry, []Note, error) {
	var out []Entry
	if t.Sandbox != nil {
		out = append(out, Entry{Name: SandboxName, Domain: t.Sandbox.Domain(), Secret: config.SecretMemory, Sandbox: true})
	}
	s, err := t.Store()
	if err != nil {
		return out, nil, err
	}
	def := s.Default()
	for _, p := range s.Profiles() {
		out = append(out, Entry{Name: p.Name, Domain: p.Domain, Default: p.Name == def, Secret: p.Secret,
			Production: ProfileIsProduction(p), Profile: p, LastUsed: t.lastUsed(p.Name)})
	}
	return out, StoreNotes(s), nil
}

// lastUsed is the time the profile's history file was last written: the
// last exchange sent on it.
func (t *Tenants) lastUsed(name string) time.Time {
	getenv := t.Getenv
	if getenv == nil {
		return time.Time{}
	}
	dir, err := history.DefaultDir(getenv)
	if err != nil {
		return time.Time{}
	}
	fi, err := os.Stat(filepath.Join(dir, history.FileName(name)))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// Open loads the saved profile name (its secret from the keyring) and opens
// a session on it. The error is one sentence.
func (t *Tenants) Open(name string) (*Session, error) {
	if name == SandboxName && t.Sandbox != nil {
		return t.Sandbox, nil
	}
	store, err := t.Store()
	if err != nil {
		return nil, err
	}
	p, err := LoadProfile(store, name, false)
	if err != nil {
		return nil, err
	}
	s, err := Open(fromProfile(p), t.Transport, t.UserAgent)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", Printable(name), err)
	}
	t.mu.Lock()
	t.opened = append(t.opened, s)
	t.mu.Unlock()
	return s, nil
}

// Close closes the sessions Open opened (not the sandbox's).
func (t *Tenants) Close() {
	if t == nil {
		return
	}
	t.mu.Lock()
	opened := t.opened
	t.opened = nil
	t.mu.Unlock()
	for _, s := range opened {
		s.Close()
	}
}
