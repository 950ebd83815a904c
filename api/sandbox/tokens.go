package sandbox

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Lifetimes, Auth0's defaults.
const (
	idTokenLifetime     = 10 * time.Hour
	accessTokenLifetime = 24 * time.Hour
	codeLifetime        = 5 * time.Minute
	otpLifetime         = 3 * time.Minute
	otpAttempts         = 3
)

// grantInfo is what a token was issued for.
type grantInfo struct {
	clientID string
	userID   string // empty for client credentials
	scope    string
	audience string
	org      *Organization // the organization signed in to, if any
	expires  time.Time
	// sid is the session id of the sign-in the tokens came from (the
	// id_token's sid): a refresh keeps it, as Auth0 does.
	sid string
}

type refreshToken struct {
	grantInfo
	revoked bool
	rotated bool
}

type authCode struct {
	grantInfo
	redirectURI string
	challenge   string
	method      string
	nonce       string
	used        bool
}

type otp struct {
	code       string
	expires    time.Time
	attempts   int
	clientID   string
	authParams map[string]any
}

// tokenRequest is what a grant resolved to: who, for which client, with
// which scope and audience.
type tokenRequest struct {
	client   *Client
	user     *User // nil for client credentials
	scope    string
	audience string
	nonce    string
	gty      string
	org      *Organization
	// noRefresh: issue no refresh token (a refresh on a non-rotating
	// client keeps the one sent).
	noRefresh bool
	// sid: the session the grant continues (a refresh); empty for a new
	// sign-in, which gets a new one.
	sid string
}

// tokens is the success body of /oauth/token.
type tokens struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	// RecoveryCode: the next recovery code, after an mfa-recovery-code grant.
	RecoveryCode string `json:"recovery_code,omitempty"`
}

func hasScope(scope, want string) bool {
	return slices.Contains(strings.Fields(scope), want)
}

// apiLocked finds a registered API by identifier; the Management API is
// always there.
func (s *Server) apiLocked(aud string) *API {
	if aud == s.ManagementAPI() {
		return &API{Identifier: aud, Name: "Auth0 Management API", Scopes: []string{"read:users", "update:users", "create:users", "delete:users"}}
	}
	return s.apis[aud]
}

// issue mints the tokens for a resolved grant and answers. The caller holds
// no lock.
func (s *Server) issue(w http.ResponseWriter, tr tokenRequest) {
	s.mu.Lock()
	m, status, code, desc := s.issueLocked(tr)
	s.mu.Unlock()
	if status != 0 {
		oauthError(w, status, code, desc)
		return
	}
	s.answer(w, m)
}

// answer signs the tokens (outside the lock: RSA signing is the slow part)
// and writes them.
func (s *Server) answer(w http.ResponseWriter, m *minted) {
	body, err := m.finish()
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// minted is a token response whose JWTs are still to be signed.
type minted struct {
	body    tokens
	access  *unsigned
	idToken *unsigned
}

// unsigned is a JWT ready to sign.
type unsigned struct {
	method jwt.SigningMethod
	key    any
	kid    string
	claims []claim
}

func (m *minted) finish() (tokens, error) {
	var err error
	if m.access != nil {
		if m.body.AccessToken, err = m.access.sign(); err != nil {
			return m.body, err
		}
	}
	if m.idToken != nil {
		if m.body.IDToken, err = m.idToken.sign(); err != nil {
			return m.body, err
		}
	}
	return m.body, nil
}

// issueLocked decides and records the tokens of a grant; status is non-zero
// when the grant is refused.
func (s *Server) issueLocked(tr tokenRequest) (m *minted, status int, code, desc string) {
	now := s.now()
	if tr.audience != "" {
		api := s.apiLocked(tr.audience)
		if api == nil {
			return nil, http.StatusForbidden, "access_denied", "Service not found: " + tr.audience
		}
		if tr.user == nil && len(api.Scopes) > 0 {
			// Client credentials get the API's scopes, and no others.
			if tr.scope == "" {
				tr.scope = strings.Join(api.Scopes, " ")
			}
			var bad []string
			for _, sc := range strings.Fields(tr.scope) {
				if !slices.Contains(api.Scopes, sc) {
					bad = append(bad, sc)
				}
			}
			if len(bad) > 0 {
				return nil, http.StatusForbidden, "access_denied", "Client has not been granted scopes: " + strings.Join(bad, ",")
			}
		}
	}
	m = &minted{}
	out := &m.body
	out.TokenType = "Bearer"
	out.ExpiresIn = int(accessTokenLifetime / time.Second)
	out.Scope = tr.scope
	info := grantInfo{clientID: tr.client.ID, scope: tr.scope, audience: tr.audience, org: tr.org, expires: now.Add(accessTokenLifetime), sid: tr.sid}
	if tr.user != nil {
		info.userID = tr.user.ID
	}
	if tr.audience == "" {
		// No audience: an opaque token, good only for /userinfo.
		out.AccessToken = s.token(32)
		s.opaque[out.AccessToken] = &info
	} else {
		m.access = s.accessJWTLocked(tr, now)
	}
	if tr.user != nil && hasScope(tr.scope, "openid") {
		if info.sid == "" { // a new sign-in: a new session
			info.sid = s.token(32)
		}
		m.idToken = s.idTokenLocked(tr.client, tr.user, tr.scope, tr.nonce, info.sid, tr.org, now)
	}
	if tr.user != nil && hasScope(tr.scope, "offline_access") && !tr.noRefresh {
		out.RefreshToken = s.token(48)
		s.refresh[out.RefreshToken] = &refreshToken{grantInfo: info}
	}
	return m, 0, "", ""
}

// claim is one claim of a token; tokens keep their claims in the order
// Auth0 writes them, so what the token view shows is what a real tenant sends.
type claim struct {
	k string
	v any
}

func (s *Server) accessJWTLocked(tr tokenRequest, now time.Time) *unsigned {
	sub := tr.client.ID + "@clients"
	aud := []string{tr.audience}
	if tr.user != nil {
		sub = tr.user.ID
		if hasScope(tr.scope, "openid") {
			aud = append(aud, s.BaseURL+"/userinfo")
		}
	}
	var audience any = aud
	if len(aud) == 1 {
		audience = aud[0]
	}
	claims := []claim{{"iss", s.Issuer()}, {"sub", sub}, {"aud", audience},
		{"iat", now.Unix()}, {"exp", now.Add(accessTokenLifetime).Unix()}, {"jti", s.token(22)}}
	if tr.scope != "" {
		claims = append(claims, claim{"scope", tr.scope})
	}
	claims = append(claims, orgClaims(tr.org)...)
	claims = append(claims, claim{"azp", tr.client.ID})
	if tr.gty != "" {
		claims = append(claims, claim{"gty", tr.gty})
	}
	key, kid := s.signingKey()
	return &unsigned{jwt.SigningMethodRS256, key, kid, claims}
}

// idTokenLocked mints an id_token: RS256 with the tenant key, or HS256 with
// the client secret for a client configured so. Profile claims follow the
// scope, as Auth0's do; org_id and org_name follow a sign-in to an
// organization. sid is the session id.
func (s *Server) idTokenLocked(c *Client, u *User, scope, nonce, sid string, org *Organization, now time.Time) *unsigned {
	var claims []claim
	if hasScope(scope, "profile") {
		if u.GivenName != "" {
			claims = append(claims, claim{"given_name", u.GivenName})
		}
		if u.FamilyName != "" {
			claims = append(claims, claim{"family_name", u.FamilyName})
		}
		claims = append(claims, claim{"nickname", u.Nickname}, claim{"name", u.Name}, claim{"picture", u.Picture},
			claim{"updated_at", u.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z")})
	}
	if hasScope(scope, "email") && u.Email != "" {
		claims = append(claims, claim{"email", u.Email}, claim{"email_verified", u.EmailVerified})
	}
	if hasScope(scope, "phone") && u.PhoneNumber != "" {
		claims = append(claims, claim{"phone_number", u.PhoneNumber}, claim{"phone_number_verified", true})
	}
	claims = append(claims, claim{"iss", s.Issuer()}, claim{"aud", c.ID}, claim{"sub", u.ID},
		claim{"iat", now.Unix()}, claim{"exp", now.Add(idTokenLifetime).Unix()}, claim{"sid", sid})
	claims = append(claims, orgClaims(org)...)
	if nonce != "" {
		claims = append(claims, claim{"nonce", nonce})
	}
	if c.Alg == "HS256" {
		return &unsigned{jwt.SigningMethodHS256, []byte(c.Secret), "", claims}
	}
	key, kid := s.signingKey()
	return &unsigned{jwt.SigningMethodRS256, key, kid, claims}
}

// sign writes header and claims in order and signs them.
func (u *unsigned) sign() (string, error) {
	header := []claim{{"alg", u.method.Alg()}, {"typ", "JWT"}}
	if u.kid != "" {
		header = append(header, claim{"kid", u.kid})
	}
	h, err := orderedJSON(header)
	if err != nil {
		return "", err
	}
	p, err := orderedJSON(u.claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	sig, err := u.method.Sign(input, u.key)
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func orderedJSON(cs []claim) ([]byte, error) {
	b := []byte{'{'}
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := marshalJSON(c.k)
		v, err := marshalJSON(c.v)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// parseOwn verifies a token the sandbox issued and returns its claims: an
// id_token may be RS256 (the tenant key) or HS256 (its client's secret); an
// access token (idToken false) only RS256, or anyone holding the printed
// HS256 secret could mint one.
func (s *Server) parseOwn(raw string, idToken bool) (jwt.MapClaims, error) {
	methods := []string{"RS256"}
	if idToken {
		methods = append(methods, "HS256")
	}
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		switch t.Method.Alg() {
		case "RS256":
			key, _ := s.signingKey()
			if key == nil {
				return nil, s.keyErr
			}
			return &key.PublicKey, nil
		case "HS256":
			aud, _ := claims.GetAudience()
			s.mu.Lock()
			defer s.mu.Unlock()
			for _, a := range aud {
				if c := s.clients[a]; c != nil && c.Alg == "HS256" {
					return []byte(c.Secret), nil
				}
			}
		}
		return nil, errors.New("unknown signing key")
	}, jwt.WithValidMethods(methods), jwt.WithIssuer(s.Issuer()),
		jwt.WithTimeFunc(s.now), jwt.WithExpirationRequired())
	return claims, err
}

// authClient authenticates the client of a request: client_id (body or
// HTTP Basic) must be known, and a confidential client must present its
// secret when needSecret. It answers the error itself.
func (s *Server) authClient(w http.ResponseWriter, r *http.Request, p params, needSecret bool) (*Client, bool) {
	if p.str("client_assertion") != "" || p.str("client_assertion_type") != "" {
		return s.assertionClient(w, p)
	}
	id, secret := p.str("client_id"), p.str("client_secret")
	if u, pw, ok := r.BasicAuth(); ok {
		id, secret = u, pw
	}
	if id == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: client_id")
		return nil, false
	}
	s.mu.Lock()
	c := s.clients[id]
	s.mu.Unlock()
	if c == nil {
		oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
		return nil, false
	}
	if needSecret && c.Secret == "" && s.publicKey(c) != nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "This client authenticates with a client_assertion (private_key_jwt)")
		return nil, false
	}
	if secret != "" || (needSecret && c.Secret != "") {
		if c.Secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
			oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
			return nil, false
		}
	}
	return c, true
}
