package config

import (
	"errors"
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
// would cost the full timeout).
func (s *Store) call(op func(Keyring) (string, error)) (string, error) {
	if s.keyring == nil || s.keyringDown {
		return "", ErrNoKeyring
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1)
	kr := s.keyring
	go func() {
		v, err := op(kr)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-s.after(s.timeout):
		s.keyringDown = true
		return "", ErrNoKeyring
	}
}

func (s *Store) keyringGet(account string) (string, error) {
	return s.call(func(k Keyring) (string, error) { return k.Get(KeyringService, account) })
}

func (s *Store) keyringSet(account, secret string) error {
	_, err := s.call(func(k Keyring) (string, error) { return "", k.Set(KeyringService, account, secret) })
	return err
}

func (s *Store) keyringDelete(account string) error {
	_, err := s.call(func(k Keyring) (string, error) { return "", k.Delete(KeyringService, account) })
	return err
}
