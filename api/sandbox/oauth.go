package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

const (
	grantPasswordRealm = "http://auth0.com/oauth/grant-type/password-realm"
	grantOTP           = "http://auth0.com/oauth/grant-type/passwordless/otp"
	grantJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok || missing(w, p, "grant_type") {
		return
	}
	switch gt := p.str("grant_type"); gt {
	case "password", grantPasswordRealm:
		s.passwordGrant(w, r, p)
	case "client_credentials":
		s.clientCredentials(w, r, p)
	case "refresh_token":
		s.refreshGrant(w, r, p)
	case "authorization_code":
		s.codeGrant(w, r, p)
	case grantOTP:
		s.otpGrant(w, r, p)
	case grantDeviceCode:
		s.deviceCodeGrant(w, r, p)
	case grantMFAOTP, grantMFAOOB, grantMFARecovery:
		s.mfaGrant(w, r, p)
	case grantCIBA:
		s.cibaGrant(w, r, p)
	case grantTokenExchange:
		s.tokenExchangeGrant(w, r, p)
	case grantFederated:
		s.federatedGrant(w, r, p)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
	}
}

func (s *Server) passwordGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "username", "password") {
		return
	}
	realm := p.str("realm")
	if p.str("grant_type") == grantPasswordRealm && realm == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: realm")
		return
	}
	if realm == "" {
		realm = DatabaseConnection // the tenant's default directory
	}
	s.mu.Lock()
	kind := s.connections[realm]
	u := s.findUserLocked(realm, p.str("username"))
	good := u != nil && u.checkPassword(p.str("password"))
	s.mu.Unlock()
	if kind != "database" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Unknown realm: "+realm)
		return
	}
	if !good {
		oauthError(w, http.StatusForbidden, "invalid_grant", "Wrong email or password.")
		return
	}
	tr := tokenRequest{client: c, user: u, scope: p.str("scope"), audience: p.str("audience"), nonce: p.str("nonce"), gty: "password"}
	if s.mfaRequired(w, tr) {
		return
	}
	s.issue(w, tr)
}

func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, true)
	if !ok {
		return
	}
	if !s.confidential(c) || c.NoClientCredentials {
		oauthError(w, http.StatusUnauthorized, "unauthorized_client", "Grant type 'client_credentials' not allowed for the client.")
		return
	}
	if p.str("audience") == "" {
		oauthError(w, http.StatusForbidden, "access_denied", "No audience parameter was provided, and no default audience has been configured")
		return
	}
	s.issue(w, tokenRequest{client: c, scope: p.str("scope"), audience: p.str("audience"), gty: "client-credentials"})
}

// refreshGrant exchanges a refresh token and rotates it: the old one is
// refused from then on, as with Auth0's refresh token rotation. A
// NonRotating client's token is not rotated: the answer has no new one.
func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "refresh_token") {
		return
	}
	s.mu.Lock()
	rt := s.refresh[p.str("refresh_token")]
	if rt == nil || rt.revoked || rt.rotated || rt.clientID != c.ID {
		if rt != nil && rt.rotated {
			// Reuse of a rotated token revokes the whole family, as Auth0's
			// reuse detection does.
			for _, o := range s.refresh {
				if o.userID == rt.userID && o.clientID == rt.clientID {
					o.revoked = true
				}
			}
		}
		s.mu.Unlock()
		oauthError(w, http.StatusForbidden, "invalid_grant", "Unknown or invalid refresh token.")
		return
	}
	scope := rt.scope
	if asked := p.str("scope"); asked != "" {
		// A refresh may narrow the scope, never widen it.
		for _, sc := range strings.Fields(asked) {
			if !hasScope(rt.scope, sc) {
				s.mu.Unlock()
				oauthError(w, http.StatusForbidden, "invalid_scope", "The scope "+sc+" was not granted with the refresh token")
				return
			}
		}
		scope = asked
	}
	rt.rotated = !c.NonRotating
	u := s.userByIDLocked(rt.userID)
	m, status, code, desc := s.issueLocked(tokenRequest{client: c, user: u, scope: scope, audience: rt.audience, org: rt.org, noRefresh: c.NonRotating, sid: rt.sid})
	if status == 0 && m.body.RefreshToken == "" && !c.NonRotating {
		// The new scope may lack offline_access: keep the family going.
		m.body.RefreshToken = s.token(48)
		s.refresh[m.body.RefreshToken] = &refreshToken{grantInfo: rt.grantInfo}
	}
	s.mu.Unlock()
	if status != 0 {
		oauthError(w, status, code, desc)
		return
	}
	s.answer(w, m)
}

func (s *Server) codeGrant(w http.ResponseWriter, r *http.Request, p params) {
	verifier := p.str("code_verifier")
	c, ok := s.authClient(w, r, p, verifier == "")
	if !ok || missing(w, p, "code") {
		return
	}
	s.mu.Lock()
	ac := s.codes[p.str("code")]
	valid := ac != nil && !ac.used && ac.clientID == c.ID && s.now().Before(ac.expires)
	if ac != nil {
		ac.used = true
	}
	s.mu.Unlock()
	if !valid {
		oauthError(w, http.StatusForbidden, "invalid_grant", "Invalid authorization code")
		return
	}
	if ac.redirectURI != "" && p.str("redirect_uri") != ac.redirectURI {
		oauthError(w, http.StatusForbidden, "invalid_grant", "The redirect_uri MUST match the registered callback URL for this application.")
		return
	}
	if ac.challenge != "" || verifier != "" {
		if !pkceOK(ac.challenge, ac.method, verifier) {
			oauthError(w, http.StatusForbidden, "invalid_grant", "Failed to verify code verifier")
			return
		}
	}
	s.mu.Lock()
	u := s.userByIDLocked(ac.userID)
	s.mu.Unlock()
	s.issue(w, tokenRequest{client: c, user: u, scope: ac.scope, audience: ac.audience, nonce: ac.nonce, org: ac.org})
}

func pkceOK(challenge, method, verifier string) bool {
	if challenge == "" || verifier == "" {
		return false
	}
	want := verifier
	if method == "" || method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// otpGrant is the passwordless one-time-code grant.
func (s *Server) otpGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "username", "otp", "realm") {
		return
	}
	realm := p.str("realm")
	if realm != "email" && realm != "sms" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "realm must be email or sms")
		return
	}
	u, desc := s.useOTP(c, realm, p.str("username"), p.str("otp"))
	if u == nil {
		oauthError(w, http.StatusForbidden, "invalid_grant", desc)
		return
	}
	s.issue(w, tokenRequest{client: c, user: u, scope: p.str("scope"), audience: p.str("audience"), nonce: p.str("nonce")})
}

// useOTP checks and consumes a passwordless code, creating the user on first
// sign-in as Auth0 does. It returns the user, or nil and Auth0's sentence.
func (s *Server) useOTP(c *Client, connection, address, code string) (*User, string) {
	wrong := "Wrong email or verification code."
	if connection == "sms" {
		wrong = "Wrong phone number or verification code."
	}
	address = strings.TrimSpace(address)
	if connection == "email" {
		address = strings.ToLower(address)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := connection + "|" + address
	o := s.otps[key]
	if o == nil || o.clientID != c.ID {
		return nil, wrong
	}
	if !s.now().Before(o.expires) {
		delete(s.otps, key)
		return nil, "The verification code has expired. Please try to login again."
	}
	if subtle.ConstantTimeCompare([]byte(o.code), []byte(code)) != 1 {
		o.attempts++
		if o.attempts >= otpAttempts {
			delete(s.otps, key)
			return nil, "You've reached the maximum number of attempts. Please try to login again."
		}
		return nil, wrong
	}
	delete(s.otps, key) // one use only
	u := s.findUserLocked(connection, address)
	if u == nil {
		nu := &User{Connection: connection, EmailVerified: connection == "email"}
		if connection == "email" {
			nu.Email = address
		} else {
			nu.PhoneNumber = address
		}
		u = s.addUserLocked(nu, s.token(32))
	}
	return u, ""
}

// handleRO is the legacy Resource Owner endpoint: database users with their
// password, passwordless users with their code as password.
func (s *Server) handleRO(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "username", "password", "connection") {
		return
	}
	if gt := p.str("grant_type"); gt != "password" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
		return
	}
	conn := p.str("connection")
	s.mu.Lock()
	kind := s.connections[conn]
	s.mu.Unlock()
	var u *User
	switch kind {
	case "database":
		s.mu.Lock()
		u = s.findUserLocked(conn, p.str("username"))
		good := u != nil && u.checkPassword(p.str("password"))
		s.mu.Unlock()
		if !good {
			oauthError(w, http.StatusUnauthorized, "invalid_user_password", "Wrong email or password.")
			return
		}
	case "email", "sms":
		var desc string
		if u, desc = s.useOTP(c, conn, p.str("username"), p.str("password")); u == nil {
			oauthError(w, http.StatusUnauthorized, "invalid_user_password", desc)
			return
		}
	default:
		oauthError(w, http.StatusBadRequest, "invalid_request", "unknown connection: "+conn)
		return
	}
	scope := p.str("scope")
	if scope == "" {
		scope = "openid"
	}
	s.issue(w, tokenRequest{client: c, user: u, scope: scope})
}

// handleSocialAccessToken is the legacy /oauth/access_token: a social
// provider's access token for Auth0 tokens. The sandbox accepts any
// provider token and maps it to a stable user of that connection.
func (s *Server) handleSocialAccessToken(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "access_token", "connection") {
		return
	}
	conn := p.str("connection")
	s.mu.Lock()
	if s.connections[conn] != "social" {
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_request", "the connection is not a social connection: "+conn)
		return
	}
	sum := sha256.Sum256([]byte(conn + "|" + p.str("access_token")))
	id := conn + "|" + base64.RawURLEncoding.EncodeToString(sum[:9])
	u := s.userByIDLocked(id)
	if u == nil {
		u = s.addUserLocked(&User{ID: id, Connection: conn, Name: "Social User", Email: strings.ToLower(base64.RawURLEncoding.EncodeToString(sum[9:15])) + "@" + conn + ".example.com"}, s.token(32))
	}
	scope := p.str("scope")
	if scope == "" {
		scope = "openid"
	}
	m, status, code, desc := s.issueLocked(tokenRequest{client: c, user: u, scope: scope})
	s.mu.Unlock()
	if status != 0 {
		oauthError(w, status, code, desc)
		return
	}
	s.answer(w, m)
}

// handleRevoke revokes a refresh token (RFC 7009: unknown tokens are not an
// error).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "token") {
		return
	}
	s.mu.Lock()
	if rt := s.refresh[p.str("token")]; rt != nil && rt.clientID == c.ID {
		rt.revoked = true
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
