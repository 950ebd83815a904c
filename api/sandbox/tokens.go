package sandbox

import (
	"crypto/subtle"
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
	expires  time.Time
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
}

// tokens is the success body of /oauth/token.
type tokens struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
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

// issue mints the tokens for a resolved grant. The caller holds no lock.
func (s *Server) issue(w http.ResponseWriter, tr tokenRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, status, code, desc := s.issueLocked(tr)
	if status != 0 {
		oauthError(w, status, code, desc)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) issueLocked(tr tokenRequest) (out tokens, status int, code, desc string) {
	now := s.now()
	if tr.audience != "" && s.apiLocked(tr.audience) == nil {
		return out, http.StatusForbidden, "access_denied", "Service not found: " + tr.audience
	}
	out.TokenType = "Bearer"
	out.ExpiresIn = int(accessTokenLifetime / time.Second)
	out.Scope = tr.scope
	info := grantInfo{clientID: tr.client.ID, scope: tr.scope, audience: tr.audience, expires: now.Add(accessTokenLifetime)}
	if tr.user != nil {
		info.userID = tr.user.ID
	}
	if tr.audience == "" {
		// No audience: an opaque token, good only for /userinfo.
		out.AccessToken = s.token(32)
		s.opaque[out.AccessToken] = &info
	} else {
		at, err := s.accessJWTLocked(tr, now)
		if err != nil {
			return out, http.StatusInternalServerError, "server_error", err.Error()
		}
		out.AccessToken = at
	}
	if tr.user != nil && hasScope(tr.scope, "openid") {
		idt, err := s.idTokenLocked(tr.client, tr.user, tr.scope, tr.nonce, now)
		if err != nil {
			return out, http.StatusInternalServerError, "server_error", err.Error()
		}
		out.IDToken = idt
	}
	if tr.user != nil && hasScope(tr.scope, "offline_access") {
		out.RefreshToken = s.token(48)
		s.refresh[out.RefreshToken] = &refreshToken{grantInfo: info}
	}
	return out, 0, "", ""
}

func (s *Server) accessJWTLocked(tr tokenRequest, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iss": s.Issuer(),
		"iat": now.Unix(),
		"exp": now.Add(accessTokenLifetime).Unix(),
		"azp": tr.client.ID,
		"jti": s.token(22),
	}
	aud := []string{tr.audience}
	if tr.user != nil {
		claims["sub"] = tr.user.ID
		if hasScope(tr.scope, "openid") {
			aud = append(aud, s.BaseURL+"/userinfo")
		}
	} else {
		claims["sub"] = tr.client.ID + "@clients"
	}
	if len(aud) == 1 {
		claims["aud"] = aud[0]
	} else {
		claims["aud"] = aud
	}
	if tr.scope != "" {
		claims["scope"] = tr.scope
	}
	if tr.gty != "" {
		claims["gty"] = tr.gty
	}
	s.issuedAccess++
	return s.signRS256Locked(claims)
}

// idTokenLocked mints an id_token: RS256 with the tenant key, or HS256 with
// the client secret for a client configured so. Profile claims follow the
// scope, as Auth0's do.
func (s *Server) idTokenLocked(c *Client, u *User, scope, nonce string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iss": s.Issuer(),
		"sub": u.ID,
		"aud": c.ID,
		"iat": now.Unix(),
		"exp": now.Add(idTokenLifetime).Unix(),
		"sid": s.token(32),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if hasScope(scope, "profile") {
		claims["name"] = u.Name
		claims["nickname"] = u.Nickname
		claims["picture"] = u.Picture
		claims["updated_at"] = u.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		if u.GivenName != "" {
			claims["given_name"] = u.GivenName
		}
		if u.FamilyName != "" {
			claims["family_name"] = u.FamilyName
		}
	}
	if hasScope(scope, "email") && u.Email != "" {
		claims["email"] = u.Email
		claims["email_verified"] = u.EmailVerified
	}
	if hasScope(scope, "phone") && u.PhoneNumber != "" {
		claims["phone_number"] = u.PhoneNumber
		claims["phone_number_verified"] = true
	}
	if c.Alg == "HS256" {
		s.signedByAlg["HS256"]++
		return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(c.Secret))
	}
	return s.signRS256Locked(claims)
}

func (s *Server) signRS256Locked(claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = s.kid
	s.signedByAlg["RS256"]++
	return t.SignedString(s.key)
}

// parseOwn verifies a token the sandbox issued (RS256 with its key, or
// HS256 with a client's secret) and returns its claims.
func (s *Server) parseOwn(raw string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		switch t.Method.Alg() {
		case "RS256":
			return &s.key.PublicKey, nil
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
	}, jwt.WithValidMethods([]string{"RS256", "HS256"}), jwt.WithIssuer(s.Issuer()),
		jwt.WithTimeFunc(s.now), jwt.WithExpirationRequired())
	return claims, err
}

// authClient authenticates the client of a request: client_id (body or
// HTTP Basic) must be known, and a confidential client must present its
// secret when needSecret. It answers the error itself.
func (s *Server) authClient(w http.ResponseWriter, r *http.Request, p params, needSecret bool) (*Client, bool) {
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
	if secret != "" || (needSecret && c.Secret != "") {
		if c.Secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
			oauthError(w, http.StatusUnauthorized, "access_denied", "Unauthorized")
			return nil, false
		}
	}
	return c, true
}
