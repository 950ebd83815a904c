package sandbox

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Client authentication with a client assertion (private_key_jwt): a client
// registered with a public key (Client.PublicKey; the seeded KeyClient)
// signs a short JWT with its private key and sends it as client_assertion
// with client_assertion_type , in
// place of a client secret. The sandbox checks it as Auth0 documents:
// signature with the registered key, iss = sub = the client id, aud the
// tenant's issuer (https://TENANT/), exp not passed, and a jti not seen
// before (an assertion is single-use). Every failure is 401 invalid_client.

const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// fixedAssertionKeyPEM is the seeded KeyClient's private key (Options.Seed
// set), so seeded runs can be scripted. A local test key, public by design.
const fixedAssertionKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCtx06sYDHfBdmf
lCx7DjcwYn36dTK/lImcSbNQJvHlsQHhMnoNZrqlhSfV3kk/YZ5ermctgS4dIpr1
uPEK3ciYAQZXh/UVrMjAyxDpKrs33fVXFjR6bbdohhbO4Pw91yyZENIyDP3TkWFY
kucgUaUPSarJ0NbdaswVrYcJOHIwwPRhYM1e/Y15TRQUNsbfoDbKvwvn8t3kkaP3
7UXQiEThIHiIK+mzLw9ltz4BE8PrVcmSKivsff9IoqBMC9TwLKyJma5ZKPIo1BqH
y6HqXmxmSUXPB0Z6CMDYF2K0WWeN7wJeB/XId2uyImcfF5V1SmMOgFzDwlz0iCXf
WJeIeu13AgMBAAECggEAU6+mDvP6QE04apV4QEBtynK7+UfESydUh7ukSyaeGj9+
SL0+ssJ0gu5XazJzcr7nffAeBvdtRiGan1fTWKjKh40CyVdTav885D9GYwstgq90
jV5HomfAyei9Bh6pynwbYZEMsIa6G88ooneIL3Ox+eU/hpX4S0O5iXz6CTIyJ5CR
UFZgqIopaX2udVdFvb6SJ1Cw8oWooj2fpzAV0Cfq/yL47dkIvcOm1CsriiPKmOWD
iF7o+oqXvznGTtE5FIIix7yjfyh59iFbkjwAgbYPDSoODriPuLFA+fPLwcmquc6A
MG6sgsOsK0xEK5crVHIhccQheuZcLCSq4K3DaDxenQKBgQDW8LEO2ggvysC+7qqd
7QnBpoGQg1Se6UQabbbahRskMDZY41VvKfPJiLq3sLBryuDOSzSACKG0gr6I5n0c
xwVOkqqGSKPGJTo9JpJ0wGr2yiQu4LMlz3D/SEYmwmcQh7oze1BoIuksfHTMn/4u
Jd6ur0BEYoKMrIklpxptoVdHowKBgQDO+aucipbYGRD+u0xjLeM+uiTtOQOxsJ1y
mCE7bFgz/eE+wbPZsEO1QCDKAE0ti2BlN5W/R+G1ShYgVrrG/Zb4My6sziYa9HVg
xpMjV+GdwnRFdKw8+zIvCBlhHWykwpZ4MQNxruHdJrFeEVMoS70L8Ih7xMgUn7S9
o3M7WsXwHQKBgCyqefDfKEJePO2whS4qWxOt+VDBqe0YBnoDgLMqY/iCOFkCbPeb
3ThtPHf9tLvBvjPAdxmAMbJkVRn349n+FcE9Q0iCgd4kUFTy1g6DCfddDGXddf0O
fanfKAzX6zkJK42VO6FYV+JRvqfjO5v1bLAaZR2Q5xY6qIl1j01m8M9HAoGAZ0Ca
Yg+pTMjEd6+MXfXoZcSK42UL+Lr48M//1BsqrVU75wjO5gxO2r7RHLSly9C6GARw
yencKYp6G0vpBZhAljVCVabJz6ygWdT2Vi1jOkZlpribrBhMYrYRoycAqfkBA5i/
9RifSKoi1aCi8XlHKAuoqsXyYoeBrRE7TSLtl+kCgYBM5+hyfWlE9pap9TrXnbEJ
NUC5wRGpskuIkTsbtib8oxueEPNGKNOvubG3fm+nviyf3w4MuOCGdiGX16anUK6+
qolzw/Z8vMIGpinEAWkOnQ/tyaRUlFQ6HRExY519Z4eDdRyu0+NlRvY/d4NURM0g
atz9uXC3Jit2o0q4UvDyOQ==
-----END PRIVATE KEY-----
`

// assertionKeys holds the seeded key client's private key (made on first
// use, or fixed when seeded) and the jti values already used.
type assertionKeys struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
	seen map[string]time.Time // jti → its assertion's expiry
}

// keyClientKey is the private key of the seeded KeyClient.
func (s *Server) keyClientKey() (*rsa.PrivateKey, error) {
	a := &s.assertion
	a.once.Do(func() {
		if s.opts.Seed != 0 || s.opts.Seeded {
			block, _ := pem.Decode([]byte(fixedAssertionKeyPEM))
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			a.key, a.err = k.(*rsa.PrivateKey), err
			return
		}
		a.key, a.err = rsa.GenerateKey(rand.Reader, 2048)
	})
	return a.key, a.err
}

// KeyClientPEM is the PKCS#8 PEM private key of the seeded KeyClient, for a
// --client-assertion-key file.
func (s *Server) KeyClientPEM() ([]byte, error) {
	k, err := s.keyClientKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// publicKey is the key c authenticates with; nil when it has none.
func (s *Server) publicKey(c *Client) crypto.PublicKey {
	if c.PublicKey != nil {
		return c.PublicKey
	}
	if c.ID == s.KeyClient.ID {
		if k, err := s.keyClientKey(); err == nil {
			return &k.PublicKey
		}
	}
	return nil
}

// confidential: the client authenticates (a secret or a registered key).
func (s *Server) confidential(c *Client) bool {
	return c.Secret != "" || s.publicKey(c) != nil
}

// assertionClient authenticates the client of a request by its
// client_assertion, answering the error itself.
func (s *Server) assertionClient(w http.ResponseWriter, p params) (*Client, bool) {
	if t := p.str("client_assertion_type"); t != clientAssertionType {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_assertion_type must be "+clientAssertionType)
		return nil, false
	}
	raw := p.str("client_assertion")
	if raw == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: client_assertion")
		return nil, false
	}
	if p.str("client_secret") != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Use only one client authentication method: client_secret or client_assertion")
		return nil, false
	}
	var unverified jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &unverified); err != nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_assertion is not a valid JWT")
		return nil, false
	}
	id := p.str("client_id")
	if id == "" {
		id = unverified.Issuer
	}
	s.mu.Lock()
	c := s.clients[id]
	s.mu.Unlock()
	var key crypto.PublicKey
	if c != nil {
		key = s.publicKey(c)
	}
	if key == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "The client has no public key registered for client_assertion (private_key_jwt) authentication")
		return nil, false
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"}),
		jwt.WithIssuer(c.ID), jwt.WithSubject(c.ID), jwt.WithAudience(s.Issuer()),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_assertion has expired")
		return nil, false
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid signature for client_assertion")
		return nil, false
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_assertion aud must be "+s.Issuer())
		return nil, false
	case err != nil:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Invalid client_assertion: "+err.Error())
		return nil, false
	case claims.ID == "":
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_assertion has no jti")
		return nil, false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.assertion.seen == nil {
		s.assertion.seen = map[string]time.Time{}
	}
	for j, exp := range s.assertion.seen {
		if !exp.After(now) {
			delete(s.assertion.seen, j)
		}
	}
	if _, used := s.assertion.seen[c.ID+"|"+claims.ID]; used {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_assertion jti has already been used")
		return nil, false
	}
	s.assertion.seen[c.ID+"|"+claims.ID] = claims.ExpiresAt.Time
	return c, true
}
