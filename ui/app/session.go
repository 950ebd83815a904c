// Package app is what the command line and the terminal UI both need from
// the domain packages, with no cobra and no Bubble Tea: a tenant resolved
// from flags, a profile, the environment or the default profile (Resolve,
// StartTenant), opened into a session (client, profile, key cache, an
// in-process sandbox when asked), the options id_tokens are checked with
// (NewIDTokenCheck, Session.VerifyOptions), and body prettifying. It
// returns notes and errors with an exit code instead of printing.
package app

import (
	"strings"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/jwtview"
)

// SandboxName is the session name shown for an in-process sandbox tenant.
const SandboxName = "SANDBOX"

// Session is one tenant the program talks to.
type Session struct {
	// Name is the profile's name, "env" for the environment's, or
	// SandboxName.
	Name string
	// Client sends the operations.
	Client *api.Client
	// Profile is the profile the tenant came from; nil for the sandbox and
	// for a tenant made of flags and the environment alone.
	Profile *config.Profile
	// Sandbox is the in-process sandbox tenant, when the session runs one.
	Sandbox *sandbox.Server
	// Keys caches the tenant's JWKS for the session.
	Keys *jwtview.KeyCache
	// Tenant is what the session was opened on; id_tokens are checked
	// against it (VerifyOptions).
	Tenant Tenant
}

// Tenant is what a session is made of: the tenant a command talks to, and
// the profile it came from.
type Tenant struct {
	// Name is the profile's name ("env" for the environment's), or empty
	// for a tenant made of flags and the environment alone.
	Name                           string
	Domain, ClientID, ClientSecret string
	// Profile is the profile used (saved, or the env profile), or nil when
	// everything came from flags and the environment. Its ClientSecret is
	// filled when it could be had.
	Profile *config.Profile
	// Assertion, when its Path is set, is the private key the client signs
	// client assertions with, in place of its secret.
	Assertion AssertionKey
}

// AssertionKey names a client assertion key: a PEM file, its algorithm
// ("" for RS256) and key id ("" for none).
type AssertionKey struct {
	Path, Alg, Kid string
}

// Open makes a session for t. The error is one sentence (a bad domain, a
// client assertion key that cannot be used).
func Open(t Tenant, transport api.TransportOptions, userAgent string) (*Session, error) {
	var signer *api.AssertionSigner
	if t.Assertion.Path != "" {
		var err error
		if signer, err = api.LoadAssertionKey(t.Assertion.Path, t.Assertion.Alg, t.Assertion.Kid); err != nil {
			return nil, err
		}
	}
	c, err := api.New(api.Config{
		Domain:       t.Domain,
		ClientID:     t.ClientID,
		ClientSecret: t.ClientSecret,
		UserAgent:    userAgent,
		Transport:    transport,
		Assertion:    signer,
	})
	if err != nil {
		return nil, err
	}
	return &Session{Name: t.Name, Client: c, Profile: t.Profile, Tenant: t,
		Keys: jwtview.NewKeyCache(jwtview.KeyCacheOptions{HTTP: c.HTTP})}, nil
}

// OpenSandbox starts an in-process sandbox tenant on 127.0.0.1 and makes a
// session on its confidential client. Close stops it.
func OpenSandbox(opts sandbox.Options, transport api.TransportOptions, userAgent string) (*Session, error) {
	srv, err := sandbox.Start(opts)
	if err != nil {
		return nil, err
	}
	s, err := Open(Tenant{Name: SandboxName, Domain: srv.BaseURL, ClientID: srv.Client.ID, ClientSecret: srv.Client.Secret}, transport, userAgent)
	if err != nil {
		_ = srv.Close()
		return nil, err
	}
	s.Sandbox = srv
	return s, nil
}

// Close stops what the session started: the sandbox and the key cache.
func (s *Session) Close() {
	if s == nil {
		return
	}
	if s.Keys != nil {
		s.Keys.Close()
	}
	if s.Sandbox != nil {
		_ = s.Sandbox.Close()
	}
}

// IsSandbox reports whether the session talks to an in-process sandbox.
func (s *Session) IsSandbox() bool { return s != nil && s.Sandbox != nil }

// Domain is the tenant as a person reads it: the host, or the base URL
// for a loopback tenant.
func (s *Session) Domain() string {
	if s == nil || s.Client == nil {
		return ""
	}
	if strings.HasPrefix(s.Client.BaseURL, "https://") {
		return strings.TrimPrefix(s.Client.BaseURL, "https://")
	}
	return s.Client.BaseURL
}

// SandboxUser is the seeded user of the sandbox, for the status bar.
func (s *Session) SandboxUser() (email, password string) {
	if !s.IsSandbox() {
		return "", ""
	}
	return sandbox.SeedEmail, sandbox.SeedPassword
}
