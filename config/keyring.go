package config

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name client secrets are stored under.
const KeyringService = "auth0-explorer"

// DefaultKeyringTimeout is how long the keyring may take to answer before
// the secret goes to the profiles file instead.
const DefaultKeyringTimeout = 3 * time.Second

// Keyring is the OS secret store, as github.com/zalando/go-keyring sees it.
// Get returns an error wrapping ErrSecretNotFound when there is no entry.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// ErrSecretNotFound is a keyring with no entry for the account asked.
var ErrSecretNotFound = errors.New("no such keyring entry")

// ErrNoKeyring is a keyring that is not there or did not answer in time.
var ErrNoKeyring = errors.New("no system keyring answered")

// OSKeyring is the operating system's keyring (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows).
func OSKeyring() Keyring { return osKeyring{} }

type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	s, err := keyring.Get(service, user)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrSecretNotFound
	}
	return s, err
}

func (osKeyring) Set(service, user, secret string) error { return keyring.Set(service, user, secret) }

func (osKeyring) Delete(service, user string) error {
	err := keyring.Delete(service, user)
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrSecretNotFound
	}
	return err
}

// NoKeyring is a keyring that is never there: secrets go to the file.
func NoKeyring() Keyring { return noKeyring{} }

type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", ErrNoKeyring }
func (noKeyring) Set(string, string, string) error   { return ErrNoKeyring }
func (noKeyring) Delete(string, string) error        { return ErrNoKeyring }

// call runs one keyring operation, giving up after the store's timeout. A
// keyring that timed out once is not asked again by this store (each ask
// would cost the full timeout). When late is not nil and the operation
// finishes without error after the store gave up on it, late runs in the
// background goroutine with the keyring, to undo what the caller no longer
// counts on (a secret written after the caller fell back to the file).
func (s *Store) call(op func(Keyring) (string, error), late func(Keyring)) (string, error) {
	if s.keyring == nil || s.keyringDown {
		return "", ErrNoKeyring
	}
	type result struct {
		v   string
		err error
	}
	const (
		pending = iota
		delivered
		abandoned
	)
	var (
		mu    sync.Mutex
		state = pending
	)
	done := make(chan result, 1)
	kr := s.keyring
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		v, err := op(kr)
		mu.Lock()
		if state == abandoned {
			mu.Unlock()
			if err == nil && late != nil {
				late(kr)
			}
			return
		}
		state = delivered
		mu.Unlock()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-s.after(s.timeout):
		mu.Lock()
		if state == delivered {
			// It answered just as the time ran out: use the answer.
			mu.Unlock()
			r := <-done
			return r.v, r.err
		}
		state = abandoned
		mu.Unlock()
		s.keyringDown = true
		return "", ErrNoKeyring
	}
}

func (s *Store) keyringGet(account string) (string, error) {
	return s.call(func(k Keyring) (string, error) { return k.Get(KeyringService, account) }, nil)
}

// keyringSet stores secret under account. When the keyring times out and
// the write still lands later, late (if not nil) runs then.
func (s *Store) keyringSet(account, secret string, late func(Keyring)) error {
	_, err := s.call(func(k Keyring) (string, error) { return "", k.Set(KeyringService, account, secret) }, late)
	return err
}

func (s *Store) keyringDelete(account string) error {
	_, err := s.call(func(k Keyring) (string, error) { return "", k.Delete(KeyringService, account) }, nil)
	return err
}

// keyringEntry names a keyring entry the way the system's tools show it.
func keyringEntry(account string) string {
	return fmt.Sprintf("keyring entry with service %q and account %q", KeyringService, account)
}

// keyringRemoveHint names a keyring entry and how to remove it by hand.
func keyringRemoveHint(account string) string {
	h := keyringEntry(account)
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		h += fmt.Sprintf("; remove it with: secret-tool clear service %s username %s", shellQuote(KeyringService), shellQuote(account))
	case "darwin":
		h += fmt.Sprintf("; remove it with: security delete-generic-password -s %s -a %s", shellQuote(KeyringService), shellQuote(account))
	}
	return h
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '@' || r == ':' || r == '+' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
