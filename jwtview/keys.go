package jwtview

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Defaults for KeyCacheOptions.
const (
	// DefaultMinRefresh is the shortest time between two fetches of one
	// JWKS caused by an unknown kid.
	DefaultMinRefresh = 30 * time.Second
	// DefaultMaxJWKSBody caps a JWKS response body.
	DefaultMaxJWKSBody = 1 << 20
)

// KeyCacheOptions tune a KeyCache. Zero fields take the defaults.
type KeyCacheOptions struct {
	// HTTP fetches the JWKS; default api.NewHTTPClient with the default
	// transport settings (timeouts, no cross-host redirects).
	HTTP *http.Client
	// Now is the clock used for the refresh rate limit; default time.Now.
	Now func() time.Time
	// MinRefresh is the rate limit for refreshes on an unknown kid.
	MinRefresh time.Duration
	// MaxBody caps the JWKS response body.
	MaxBody int64
}

// KeyCache holds the signing keys of each tenant's JWKS URL. Fetches run in
// the background; a kid the cache does not know triggers at most one
// refresh per MinRefresh; Reload refreshes by hand. Errors are values: they
// are kept and returned, never logged.
type KeyCache struct {
	http       *http.Client
	now        func() time.Time
	minRefresh time.Duration
	maxBody    int64
	ctx        context.Context
	cancel     context.CancelFunc

	mu      sync.Mutex
	entries map[string]*jwksEntry

	// testHookMiss, when set (by tests only), runs after a kid was not found
	// in the key set and before the refresh decision is taken.
	testHookMiss func()
}

type jwksEntry struct {
	url         string
	kf          keyfunc.Keyfunc // nil until a fetch succeeds
	keys        int
	fetchedAt   time.Time // last successful fetch
	lastAttempt time.Time
	attempted   bool
	gen         int           // successful fetches: changes whenever kf does
	err         error         // error of the last fetch, nil when it worked
	inflight    chan struct{} // non-nil while a fetch runs; closed when it ends
	fetches     int
}

// NewKeyCache returns an empty cache. Close stops its background fetches.
func NewKeyCache(o KeyCacheOptions) *KeyCache {
	if o.HTTP == nil {
		o.HTTP = api.NewHTTPClient(api.TransportOptions{})
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MinRefresh <= 0 {
		o.MinRefresh = DefaultMinRefresh
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxJWKSBody
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &KeyCache{
		http: o.HTTP, now: o.Now, minRefresh: o.MinRefresh, maxBody: o.MaxBody,
		ctx: ctx, cancel: cancel, entries: map[string]*jwksEntry{},
	}
}

// Close cancels fetches in flight. The cache answers from what it holds.
func (c *KeyCache) Close() { c.cancel() }

var defaultKeys = sync.OnceValue(func() *KeyCache { return NewKeyCache(KeyCacheOptions{}) })

// CheckJWKSURL refuses a JWKS URL that is not https (or http on a loopback
// address).
func CheckJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("JWKS URL %q is not an absolute URL", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		h := u.Hostname()
		ip := net.ParseIP(h)
		if !strings.EqualFold(h, "localhost") && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("JWKS URL %q: plain http is allowed for loopback addresses only", raw)
		}
	default:
		return fmt.Errorf("JWKS URL %q must use https", raw)
	}
	if u.User != nil {
		return fmt.Errorf("JWKS URL %q must not carry credentials", raw)
	}
	return nil
}

func (c *KeyCache) entry(u string) *jwksEntry {
	e := c.entries[u]
	if e == nil {
		e = &jwksEntry{url: u}
		c.entries[u] = e
	}
	return e
}

// startLocked starts a background fetch of e unless one is running, and
// returns the channel closed when it ends. c.mu must be held.
func (c *KeyCache) startLocked(e *jwksEntry) chan struct{} {
	if e.inflight != nil {
		return e.inflight
	}
	done := make(chan struct{})
	e.inflight = done
	e.lastAttempt = c.now()
	e.attempted = true
	e.fetches++
	go func() {
		kf, n, err := c.fetch(e.url)
		c.mu.Lock()
		if err == nil {
			e.kf, e.keys, e.fetchedAt = kf, n, c.now()
			e.gen++
		}
		e.err = err
		e.inflight = nil
		c.mu.Unlock()
		close(done)
	}()
	return done
}

// Prefetch starts fetching the JWKS at u in the background unless it is
// cached or already being fetched. It never blocks.
func (c *KeyCache) Prefetch(u string) {
	if CheckJWKSURL(u) != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(u)
	if e.kf == nil {
		c.startLocked(e)
	}
}

// Reload fetches the JWKS at u now, whatever the rate limit, and waits for
// the answer or ctx. Once ctx is done it fetches nothing.
func (c *KeyCache) Reload(ctx context.Context, u string) error {
	if err := CheckJWKSURL(u); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("the keys from %s did not arrive: %s", u, waitSentence(err))
	}
	c.mu.Lock()
	done := c.startLocked(c.entry(u))
	c.mu.Unlock()
	if err := waitCtx(ctx, done); err != nil {
		return fmt.Errorf("the keys from %s did not arrive: %s", u, waitSentence(err))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[u].err
}

// KeyStatus describes what the cache holds for one JWKS URL.
type KeyStatus struct {
	Keys      int       // usable signing keys held
	FetchedAt time.Time // last successful fetch; zero when none
	Fetching  bool
	Fetches   int   // fetches started so far
	Err       error // error of the last fetch
}

// Status reports what the cache holds for u.
func (c *KeyCache) Status(u string) KeyStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[u]
	if e == nil {
		return KeyStatus{}
	}
	return KeyStatus{Keys: e.keys, FetchedAt: e.fetchedAt, Fetching: e.inflight != nil, Fetches: e.fetches, Err: e.err}
}

// keyErrKind classifies why no key came back.
type keyErrKind int

const (
	keysUnavailable keyErrKind = iota // could not fetch: unverified
	keyNotFound                       // no such kid: invalid
	keyMismatch                       // the JWK refuses this alg: invalid
)

type keyError struct {
	kind keyErrKind
	msg  string
}

func (e *keyError) Error() string { return e.msg }

// key returns the verification key (or jwt.VerificationKeySet when kid is
// empty) for kid and alg from the JWKS at u, fetching it first if needed
// and refreshing once for an unknown kid when the rate limit allows.
func (c *KeyCache) key(ctx context.Context, u, kid, alg string) (any, error) {
	if err := CheckJWKSURL(u); err != nil {
		return nil, &keyError{keysUnavailable, err.Error()}
	}
	c.mu.Lock()
	e := c.entry(u)
	var wait chan struct{}
	if e.kf == nil {
		// Nothing usable yet: fetch (or join the fetch in flight), unless the
		// last attempt failed within the rate limit.
		if e.inflight != nil || !e.attempted || c.now().Sub(e.lastAttempt) >= c.minRefresh {
			wait = c.startLocked(e)
		}
	}
	c.mu.Unlock()
	if wait != nil {
		if err := waitCtx(ctx, wait); err != nil {
			return nil, &keyError{keysUnavailable, fmt.Sprintf("the keys from %s did not arrive: %s", u, waitSentence(err))}
		}
	}

	for refreshed := false; ; refreshed = true {
		c.mu.Lock()
		kf, fetchErr, gen := e.kf, e.err, e.gen
		c.mu.Unlock()
		if kf == nil {
			msg := fmt.Sprintf("could not get the keys from %s", u)
			if fetchErr != nil {
				msg += ": " + fetchErr.Error()
			}
			return nil, &keyError{keysUnavailable, msg}
		}
		if kid == "" {
			return c.keysFor(ctx, kf, u, alg)
		}
		k, err := keyByKid(ctx, kf, u, kid, alg)
		if !errors.Is(err, jwkset.ErrKeyNotFound) {
			return k, err
		}
		if refreshed {
			return nil, kidMiss(u, kid)
		}
		if c.testHookMiss != nil {
			c.testHookMiss()
		}
		// Decide under the lock, on the entry as it is now: another caller
		// may have refreshed it since kf was read.
		c.mu.Lock()
		if e.gen != gen {
			c.mu.Unlock()
			continue // a newer key set landed meanwhile: look there, do not fetch
		}
		if e.inflight == nil && c.now().Sub(e.lastAttempt) < c.minRefresh {
			// Fetched moments ago: the rate limit keeps a stream of unknown
			// kids from hammering the tenant. The key set as fetched has no
			// such key, which is all a one-shot check can say.
			c.mu.Unlock()
			return nil, kidMiss(u, kid)
		}
		wait = c.startLocked(e)
		c.mu.Unlock()
		if err := waitCtx(ctx, wait); err != nil {
			return nil, &keyError{keysUnavailable, fmt.Sprintf("the refreshed keys from %s did not arrive: %s", u, waitSentence(err))}
		}
	}
}

// keysFor returns, for a token without kid, the keys of the set that may
// verify alg: a JWK whose alg names another algorithm, or whose use is not
// "sig", is not a candidate.
func (c *KeyCache) keysFor(ctx context.Context, kf keyfunc.Keyfunc, u, alg string) (any, error) {
	all, err := kf.Storage().KeyReadAll(ctx)
	if err != nil {
		return nil, &keyError{keysUnavailable, fmt.Sprintf("could not read the keys from %s: %v", u, err)}
	}
	var set jwt.VerificationKeySet
	var declared []string
	for _, j := range all {
		m := j.Marshal()
		if m.USE != "" && m.USE != jwkset.UseSig {
			continue
		}
		if a := m.ALG.String(); a != "" && a != alg {
			if !slices.Contains(declared, a) {
				declared = append(declared, a)
			}
			continue
		}
		key := j.Key()
		if pk, ok := key.(interface{ Public() crypto.PublicKey }); ok {
			key = pk.Public()
		}
		set.Keys = append(set.Keys, key)
	}
	if len(set.Keys) == 0 {
		msg := fmt.Sprintf("the token names no kid, and no key in %s may verify %s", u, alg)
		if len(declared) > 0 {
			msg += fmt.Sprintf(" (its keys are declared for %s only)", strings.Join(declared, ", "))
		}
		return nil, &keyError{keyMismatch, msg}
	}
	return set, nil
}

// kidMiss is the sentence for a kid the tenant's key set does not hold.
func kidMiss(u, kid string) error {
	return &keyError{keyNotFound, fmt.Sprintf("the tenant's key set (%s) has no key with kid %q: the token was not signed by this tenant, or with a key it no longer publishes", u, kid)}
}

// keyByKid returns the public key with kid from the set, checking that
// the JWK may verify alg (a JWK that declares another alg may not). It
// returns jwkset.ErrKeyNotFound when there is no such kid.
func keyByKid(ctx context.Context, kf keyfunc.Keyfunc, u, kid, alg string) (any, error) {
	j, err := kf.Storage().KeyRead(ctx, kid)
	if errors.Is(err, jwkset.ErrKeyNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, &keyError{keysUnavailable, fmt.Sprintf("could not read the keys from %s", u)}
	}
	if a := j.Marshal().ALG.String(); a != "" && a != alg {
		return nil, &keyError{keyMismatch, fmt.Sprintf("the tenant's key %q is declared for %s, so it cannot verify an %s signature", kid, escapeText(a), alg)}
	}
	key := j.Key()
	if pk, ok := key.(interface{ Public() crypto.PublicKey }); ok {
		key = pk.Public()
	}
	return key, nil
}

// waitSentence says why a wait for keys ended early, without Go's
// "context deadline exceeded".
func waitSentence(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the time allowed ran out"
	}
	return "the check was cancelled"
}

func waitCtx(ctx context.Context, ch chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fetch downloads and parses the JWKS at u. Keys that are unsupported or
// meant for encryption are skipped. It sends with api's Send, so a failure
// reads as call's do ("no answer from host within 10s"), never as Go's
// transport text.
func (c *KeyCache) fetch(u string) (keyfunc.Keyfunc, int, error) {
	cl := api.Client{HTTP: c.http, MaxBody: c.maxBody, UserAgent: "auth0-explorer"}
	ex := cl.Send(c.ctx, &api.Request{Method: http.MethodGet, URL: u, Header: http.Header{"Accept": {"application/json"}}})
	var ae *api.Error
	switch {
	case ex.Err == nil:
	case errors.As(ex.Err, &ae) && ae.Kind == api.ErrHTTP:
		return nil, 0, fmt.Errorf("the server answered %s", escapeText(ex.Response.StatusText))
	case errors.As(ex.Err, &ae) && ae.Kind == api.ErrTooLarge:
		return nil, 0, fmt.Errorf("the JWKS at %s is larger than %d KiB", u, c.maxBody>>10)
	default:
		return nil, 0, ex.Err
	}
	body := ex.Response.Body
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, 0, fmt.Errorf("%s is not a JWKS (not a JSON object with a keys array)", u)
	}
	store := jwkset.NewMemoryStorage()
	n := 0
	for _, m := range set.Keys {
		if m.USE != "" && m.USE != jwkset.UseSig {
			continue // meant for encryption (or anything but signatures)
		}
		jwk, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil {
			continue // unsupported or broken key: not usable for verification
		}
		if err := store.KeyWrite(c.ctx, jwk); err != nil {
			continue
		}
		n++
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("the JWKS at %s holds no usable signing key", u)
	}
	kf, err := keyfunc.New(keyfunc.Options{Ctx: c.ctx, Storage: store})
	if err != nil {
		return nil, 0, fmt.Errorf("could not hold the keys from %s", u)
	}
	return kf, n, nil
}
