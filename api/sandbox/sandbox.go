// Package sandbox is a local Auth0 tenant: a real HTTP server on 127.0.0.1
// that answers every Authentication API operation of the catalogue as Auth0
// documents it, with real signed tokens, Auth0's error shapes and an outbox
// for the mails and texts a real tenant would send. It never reaches the
// network.
package sandbox

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Seeded names.
const (
	DatabaseConnection = "Username-Password-Authentication"
	SeedEmail          = "jane@example.com"
	SeedPassword       = "Passw0rd!"
)

// Options configure a sandbox. The zero value is a fresh tenant on a random
// 127.0.0.1 port with a new key.
type Options struct {
	// Addr to listen on; 127.0.0.1:0 when empty. Addresses that are not
	// loopback are refused unless AllowRemote is set.
	Addr        string
	AllowRemote bool
	// Seed makes the sandbox deterministic: a fixed signing key, client
	// secrets, codes and token strings derived from the seed. Seed 0 is
	// random unless Seeded is set.
	Seed   uint64
	Seeded bool
	// Now is the sandbox's clock; time.Now when nil. Tests fix it.
	Now func() time.Time
	// RateLimit is how many requests a window allows (Auth0's
	// x-ratelimit-* headers); 0 means 10,000. Past it, answers are 429.
	RateLimit int
	// RateWindow is the window length; one minute when zero.
	RateWindow time.Duration
}

// Client is an application registered in the sandbox.
type Client struct {
	ID           string
	Secret       string // empty for a public client (SPA, native)
	Name         string
	Alg          string // "RS256" (default) or "HS256": how its id_tokens are signed
	Callbacks    []string
	DelegationOK bool
	// NoClientCredentials: the Client Credentials grant is not enabled for
	// this client (a confidential client refused with unauthorized_client).
	NoClientCredentials bool
	// PublicKey: the client authenticates with client assertions
	// (private_key_jwt) signed by the matching private key (an
	// *rsa.PublicKey or *ecdsa.PublicKey); see assertion.go.
	PublicKey crypto.PublicKey
	// NonRotating: refresh tokens are not rotated (Auth0's rotation_type
	// "non-rotating"): a refresh answers no new refresh token and the one
	// sent stays good. By default they rotate.
	NonRotating bool
}

// User is a user of a connection.
type User struct {
	ID            string
	Connection    string
	Email         string
	PhoneNumber   string
	Username      string
	Name          string
	GivenName     string
	FamilyName    string
	Nickname      string
	Picture       string
	EmailVerified bool
	UserMetadata  map[string]any
	UpdatedAt     time.Time
	passwordHash  [32]byte
	salt          [16]byte
}

// API is a resource server: access tokens for its identifier are JWTs.
type API struct {
	Identifier string
	Name       string
	Scopes     []string
}

// Server is a running sandbox tenant.
type Server struct {
	// BaseURL is http://127.0.0.1:PORT (no trailing slash).
	BaseURL string
	// Client is the seeded confidential client; HSClient signs id_tokens
	// with HS256; Public is a public client (no secret) for PKCE.
	Client   Client
	HSClient Client
	Public   Client
	// KeyClient authenticates with client assertions (private_key_jwt)
	// only; its private key is KeyClientPEM.
	KeyClient Client

	opts Options
	now  func() time.Time
	ln   net.Listener
	srv  *http.Server
	// key and kid are set once, before keyReady closes (see signingKey).
	key      *rsa.PrivateKey
	kid      string
	keyErr   error
	keyReady chan struct{}
	mux      *http.ServeMux
	closed   chan struct{}

	mu          sync.Mutex
	rnd         *mrand.ChaCha8
	clients     map[string]*Client
	users       []*User
	apis        map[string]*API
	connections map[string]string // name → "database", "email", "sms", "social"
	refresh     map[string]*refreshToken
	opaque      map[string]*grantInfo
	codes       map[string]*authCode
	par         map[string]*pushedRequest // request_uri → pushed request (par.go)
	otps        map[string]*otp           // connection + "|" + address
	tickets     map[string]string
	devices     map[string]*deviceGrant // device flows by device_code (device.go)
	ciba        map[string]*cibaRequest // CIBA requests by auth_req_id (ciba.go)
	outbox      []Message
	rate        rateState
	mfa         mfaState
	assertion   assertionKeys

	orgs map[string]*Organization // added organizations by id (orgs.go)
}

// Start runs a sandbox until Close.
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if !opts.AllowRemote {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("sandbox address %q: %v", addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("sandbox address %q is not a loopback address; the sandbox listens on loopback addresses only", addr)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox cannot listen on %s: %v", addr, err)
	}
	s.ln = ln
	s.BaseURL = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		_ = s.srv.Serve(ln)
		close(s.closed)
	}()
	return s, nil
}

// New builds a sandbox without listening, for use as an http.Handler (for
// example behind httptest.NewServer). Set BaseURL before serving.
func New(opts Options) (*Server, error) {
	s := &Server{
		keyReady:    make(chan struct{}),
		opts:        opts,
		now:         opts.Now,
		closed:      make(chan struct{}),
		clients:     map[string]*Client{},
		apis:        map[string]*API{},
		connections: map[string]string{DatabaseConnection: "database", "email": "email", "sms": "sms", "facebook": "social", "google-oauth2": "social", "github": "social"},
		refresh:     map[string]*refreshToken{},
		opaque:      map[string]*grantInfo{},
		codes:       map[string]*authCode{},
		otps:        map[string]*otp{},
		tickets:     map[string]string{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	var seed [32]byte
	if opts.Seed != 0 || opts.Seeded {
		binary.LittleEndian.PutUint64(seed[:], opts.Seed)
		block, _ := pem.Decode([]byte(fixedKeyPEM))
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("sandbox fixed key: %v", err)
		}
		s.setKey(k)
	} else {
		if _, err := rand.Read(seed[:]); err != nil {
			return nil, err
		}
		// A new RSA-2048 key takes 20-100 ms here: made in the background,
		// so a program starting on the sandbox draws its first frame at
		// once; the first signature or JWKS answer waits for it.
		go func() {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				// crypto/rand does not fail on supported systems; should
				// it, signing answers 500 with this error.
				s.keyErr = err
				close(s.keyReady)
				return
			}
			s.setKey(k)
		}()
	}
	s.rnd = mrand.NewChaCha8(seed)

	s.Client = Client{ID: "sbx" + s.token(29), Secret: s.token(64), Name: "Sandbox App (confidential)",
		Callbacks: []string{"http://127.0.0.1/callback", "http://localhost:3000/callback", "https://app.example.com/cb"}, DelegationOK: true}
	s.HSClient = Client{ID: "sbx" + s.token(29), Secret: s.token(64), Name: "Sandbox Legacy App (HS256)", Alg: "HS256",
		Callbacks: s.Client.Callbacks, DelegationOK: true}
	s.Public = Client{ID: "sbx" + s.token(29), Name: "Sandbox SPA (public)", Callbacks: s.Client.Callbacks}
	s.KeyClient = Client{ID: "sbx" + s.token(29), Name: "Sandbox App (private_key_jwt)", Callbacks: s.Client.Callbacks}
	for _, c := range []Client{s.Client, s.HSClient, s.Public, s.KeyClient} {
		c := c
		s.clients[c.ID] = &c
	}
	s.addUserLocked(&User{Connection: DatabaseConnection, Email: SeedEmail, Name: "Jane Doe", GivenName: "Jane",
		FamilyName: "Doe", Nickname: "jane", EmailVerified: true}, SeedPassword)
	s.seedMFA(seed)
	s.mux = s.routes()
	return s, nil
}

// closeGrace is how long Close lets requests under way finish.
const closeGrace = time.Second

// setKey installs the signing key and its kid, and says it is ready.
func (s *Server) setKey(k *rsa.PrivateKey) {
	der, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	sum := sha256.Sum256(der)
	s.key, s.kid = k, base64.RawURLEncoding.EncodeToString(sum[:12])
	close(s.keyReady)
}

// signingKey waits until the key is made and returns it with its kid; nil
// when it could not be made.
func (s *Server) signingKey() (*rsa.PrivateKey, string) {
	<-s.keyReady
	return s.key, s.kid
}

// Close stops the server: requests under way get closeGrace to finish, then
// every connection is closed. (Shutdown alone would wait up to 5 s for a
// connection a client opened but has sent nothing on yet, as an HTTP client
// dialling a spare connection leaves.)
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	<-s.closed
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Issuer is the iss of the sandbox's tokens: the base URL with a trailing
// slash, as Auth0's is https://<domain>/.
func (s *Server) Issuer() string { return s.BaseURL + "/" }

// ManagementAPI is the identifier of the seeded Management API.
func (s *Server) ManagementAPI() string { return s.BaseURL + "/api/v2/" }

// AddAPI registers a resource server: access tokens asked for its
// identifier become JWTs.
func (s *Server) AddAPI(a API) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis[a.Identifier] = &a
}

// AddClient registers an application.
func (s *Server) AddClient(c Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[c.ID] = &c
}

// AddUser adds a user to a connection with a password.
func (s *Server) AddUser(u User, password string) *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addUserLocked(&u, password)
}

// Users returns a copy of the users.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.users))
	for i, u := range s.users {
		out[i] = *u
	}
	return out
}

// SeedUserID is the user id (auth0|…) of the seeded user jane@example.com:
// what CIBA's userId and `ciba --user-id` name. Empty once she is deleted.
func (s *Server) SeedUserID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.findUserLocked(DatabaseConnection, SeedEmail); u != nil {
		return u.ID
	}
	return ""
}

func (s *Server) addUserLocked(u *User, password string) *User {
	if u.ID == "" {
		prefix := "auth0"
		switch s.connections[u.Connection] {
		case "email":
			prefix = "email"
		case "sms":
			prefix = "sms"
		case "social":
			prefix = u.Connection
		}
		u.ID = prefix + "|" + s.hex(12)
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = s.now().UTC()
	}
	if u.Nickname == "" && u.Email != "" {
		u.Nickname, _, _ = strings.Cut(u.Email, "@")
	}
	if u.Name == "" {
		u.Name = u.Email
		if u.Name == "" {
			u.Name = u.PhoneNumber
		}
	}
	if u.Picture == "" {
		u.Picture = "https://s.gravatar.com/avatar/" + s.hex(16) + "?s=480&r=pg&d=identicon"
	}
	s.setPasswordLocked(u, password)
	s.users = append(s.users, u)
	return u
}

// setPasswordLocked stores a salted SHA-256 of the password. A sandbox needs
// no slow hash: it holds test users only, and grants must stay fast.
func (s *Server) setPasswordLocked(u *User, password string) {
	for i := range u.salt {
		u.salt[i] = byte(s.rnd.Uint64())
	}
	u.passwordHash = sha256.Sum256(append(u.salt[:], password...))
}

func (u *User) checkPassword(password string) bool {
	h := sha256.Sum256(append(u.salt[:], password...))
	return h == u.passwordHash
}

func (s *Server) findUserLocked(connection, login string) *User {
	login = strings.ToLower(strings.TrimSpace(login))
	for _, u := range s.users {
		if u.Connection != connection {
			continue
		}
		if strings.ToLower(u.Email) == login || (u.Username != "" && strings.ToLower(u.Username) == login) || (u.PhoneNumber != "" && u.PhoneNumber == login) {
			return u
		}
	}
	return nil
}

func (s *Server) userByIDLocked(id string) *User {
	for _, u := range s.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// token is n random characters from [A-Za-z0-9], from the sandbox's stream.
func (s *Server) token(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rnd.Uint64()%uint64(len(alphabet))]
	}
	return string(b)
}

func (s *Server) hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(s.rnd.Uint64())
	}
	return hex.EncodeToString(b)
}

func (s *Server) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + s.rnd.Uint64()%10)
	}
	return string(b)
}

// Describe is what `auth0-explorer sandbox` prints at start.
func (s *Server) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sandbox Auth0 tenant at %s (local only, nothing leaves this machine)\n", s.BaseURL)
	fmt.Fprintf(&b, "  domain          %s\n", s.BaseURL)
	fmt.Fprintf(&b, "  client id       %s\n", s.Client.ID)
	fmt.Fprintf(&b, "  client secret   %s\n", s.Client.Secret)
	fmt.Fprintf(&b, "  HS256 client    %s (id_tokens signed with its secret)\n", s.HSClient.ID)
	fmt.Fprintf(&b, "  HS256 secret    %s\n", s.HSClient.Secret)
	fmt.Fprintf(&b, "  public client   %s (no secret; PKCE)\n", s.Public.ID)
	fmt.Fprintf(&b, "  key client      %s (client assertions, RS256;\n", s.KeyClient.ID)
	fmt.Fprintf(&b, "                  its private key: sandbox --key-client-pem FILE)\n")
	fmt.Fprintf(&b, "  user            %s / %s on %s\n", SeedEmail, SeedPassword, DatabaseConnection)
	fmt.Fprintf(&b, "  user id         %s (jane's)\n", s.SeedUserID())
	s.describeMFA(&b)
	s.describeCIBA(&b)
	fmt.Fprintf(&b, "  organization    %s (%s)\n", SeedOrganizationID, SeedOrganizationName)
	fmt.Fprintf(&b, "  APIs            %s (Management API)\n", s.ManagementAPI())
	fmt.Fprintf(&b, "  discovery       %s/.well-known/openid-configuration\n", s.BaseURL)
	fmt.Fprintf(&b, "  outbox          %s/sandbox/outbox (codes, magic links, reset mails)\n", s.BaseURL)
	return b.String()
}
