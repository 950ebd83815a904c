package sandbox

import (
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// profile is a user's OIDC profile, limited to the claims the scope allows,
// as /userinfo and /tokeninfo answer it.
func profile(u *User, scope string, all bool) map[string]any {
	p := map[string]any{"sub": u.ID}
	if all || hasScope(scope, "profile") {
		p["name"], p["nickname"], p["picture"] = u.Name, u.Nickname, u.Picture
		p["updated_at"] = u.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		if u.GivenName != "" {
			p["given_name"] = u.GivenName
		}
		if u.FamilyName != "" {
			p["family_name"] = u.FamilyName
		}
	}
	if (all || hasScope(scope, "email")) && u.Email != "" {
		p["email"], p["email_verified"] = u.Email, u.EmailVerified
	}
	if (all || hasScope(scope, "phone")) && u.PhoneNumber != "" {
		p["phone_number"], p["phone_number_verified"] = u.PhoneNumber, true
	}
	return p
}

func unauthorized(w http.ResponseWriter, desc string) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="`+desc+`"`)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte("Unauthorized"))
}

// handleUserinfo answers GET (or POST) /userinfo with the profile the access
// token's scope allows. The token may be opaque, or a JWT whose audience
// includes /userinfo.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		unauthorized(w, "missing access token")
		return
	}
	var userID, scope string
	s.mu.Lock()
	g := s.opaque[tok]
	s.mu.Unlock()
	switch {
	case g != nil:
		if !s.now().Before(g.expires) {
			unauthorized(w, "the access token expired")
			return
		}
		userID, scope = g.userID, g.scope
	default:
		claims, err := s.parseOwn(tok, false)
		aud, _ := claims.GetAudience()
		if err != nil || !slices.Contains(aud, s.BaseURL+"/userinfo") {
			unauthorized(w, "invalid access token")
			return
		}
		userID, _ = claims.GetSubject()
		scope, _ = claims["scope"].(string)
	}
	s.mu.Lock()
	u := s.userByIDLocked(userID)
	s.mu.Unlock()
	if u == nil {
		unauthorized(w, "the token is not for a user")
		return
	}
	writeJSON(w, http.StatusOK, profile(u, scope, false))
}

// handleTokeninfo is the legacy /tokeninfo: the profile of the user of a
// valid id_token.
func (s *Server) handleTokeninfo(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok || missing(w, p, "id_token") {
		return
	}
	claims, err := s.parseOwn(p.str("id_token"), true)
	if err != nil {
		unauthorized(w, "invalid id_token")
		return
	}
	sub, _ := claims.GetSubject()
	s.mu.Lock()
	u := s.userByIDLocked(sub)
	s.mu.Unlock()
	if u == nil {
		unauthorized(w, "unknown user")
		return
	}
	out := profile(u, "", true)
	out["user_id"] = u.ID
	provider, id, _ := strings.Cut(u.ID, "|")
	s.mu.Lock()
	social := s.connections[u.Connection] == "social"
	s.mu.Unlock()
	out["identities"] = []any{map[string]any{"provider": provider, "user_id": id, "connection": u.Connection, "isSocial": social}}
	writeJSON(w, http.StatusOK, out)
}

// handleDelegation is the legacy /delegation: an id_token or a refresh token
// of one client for an id_token of a target client. As on Auth0, the grant
// is urn:ietf:params:oauth:grant-type:jwt-bearer either way: the subject is
// the id_token, or the refresh_token when no id_token is given (node-auth0's
// tokens.getDelegationToken sends one or the other). grant_type=refresh_token
// with a refresh_token is taken too.
func (s *Server) handleDelegation(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "grant_type", "target", "api_type") {
		return
	}
	var userID, scope string
	idToken, refresh := strings.TrimSpace(p.str("id_token")), strings.TrimSpace(p.str("refresh_token"))
	switch gt := p.str("grant_type"); {
	case gt != grantJWTBearer && gt != "refresh_token":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
		return
	case idToken != "" && refresh != "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Give id_token or refresh_token, not both")
		return
	case gt == grantJWTBearer && idToken != "":
		claims, err := s.parseOwn(idToken, true)
		if err != nil {
			oauthError(w, http.StatusUnauthorized, "invalid_token", "invalid id_token: "+err.Error())
			return
		}
		userID, _ = claims.GetSubject()
	case refresh != "":
		s.mu.Lock()
		rt := s.refresh[refresh]
		if rt != nil && !rt.revoked && !rt.rotated && rt.clientID == c.ID {
			userID, scope = rt.userID, rt.scope
		}
		s.mu.Unlock()
		if userID == "" {
			oauthError(w, http.StatusUnauthorized, "invalid_token", "invalid refresh_token")
			return
		}
	case gt == grantJWTBearer:
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: id_token or refresh_token")
		return
	default:
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: refresh_token")
		return
	}
	if p.str("api_type") != "app" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "api_type "+p.str("api_type")+" is not enabled in the sandbox; use app")
		return
	}
	s.mu.Lock()
	target := s.clients[p.str("target")]
	u := s.userByIDLocked(userID)
	s.mu.Unlock()
	if target == nil || !target.DelegationOK {
		oauthError(w, http.StatusBadRequest, "invalid_request", "invalid target client: "+p.str("target"))
		return
	}
	if u == nil {
		oauthError(w, http.StatusUnauthorized, "invalid_token", "unknown user")
		return
	}
	if asked := p.str("scope"); asked != "" {
		scope = asked
	}
	if scope == "" {
		scope = "openid"
	}
	s.mu.Lock()
	pending := s.idTokenLocked(target, u, scope, "", s.token(32), nil, s.now())
	s.mu.Unlock()
	idt, err := pending.sign()
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id_token": idt, "token_type": "Bearer", "expires_in": int(idTokenLifetime / time.Second)})
}

// handleImpersonate answers with a link that logs in as the user, given a
// Management API token of the sandbox.
func (s *Server) handleImpersonate(w http.ResponseWriter, r *http.Request) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	claims, err := s.parseOwn(tok, false)
	aud, _ := claims.GetAudience()
	if !strings.EqualFold(scheme, "Bearer") || err != nil || !slices.Contains(aud, s.ManagementAPI()) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "error": "Unauthorized", "message": "Invalid token"})
		return
	}
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	for _, f := range []string{"protocol", "impersonator_id", "client_id"} {
		if p.str(f) == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "error": "Bad Request", "message": "Missing required property: " + f})
			return
		}
	}
	id := r.PathValue("id")
	s.mu.Lock()
	u, imp, c := s.userByIDLocked(id), s.userByIDLocked(p.str("impersonator_id")), s.clients[p.str("client_id")]
	s.mu.Unlock()
	if u == nil || imp == nil || c == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "The user, impersonator or client does not exist"})
		return
	}
	q := url.Values{"client_id": {c.ID}, "login_hint": {u.ID}, "response_type": {"code"}, "impersonator": {imp.ID}}
	for k, v := range p.obj("additionalParameters") {
		if sv, ok := v.(string); ok {
			q.Set(k, sv)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(s.BaseURL + "/authorize?" + q.Encode()))
}

// handleAuthorize is a sandbox /authorize: no login page, it signs in the
// user named by login_hint (the seeded user by default) and redirects back
// with an authorization code, so code and PKCE flows can be finished by hand.
// An organization (id or name) is signed in to, or refused when unknown;
// prompt=none is refused with login_required, there being no session.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("request_uri") != "" {
		var ok bool
		if q, ok = s.takePushed(w, q); !ok {
			return
		}
	}
	s.mu.Lock()
	c := s.clients[q.Get("client_id")]
	var u *User
	if hint := q.Get("login_hint"); hint != "" {
		u = s.userByIDLocked(hint)
		if u == nil {
			u = s.findUserLocked(DatabaseConnection, hint)
		}
	} else {
		u = s.findUserLocked(DatabaseConnection, SeedEmail)
	}
	s.mu.Unlock()
	if c == nil {
		http.Error(w, "Unknown client: "+q.Get("client_id"), http.StatusBadRequest)
		return
	}
	if u == nil {
		http.Error(w, "Unknown user: "+q.Get("login_hint"), http.StatusBadRequest)
		return
	}
	if rt := q.Get("response_type"); rt != "" && rt != "code" {
		http.Error(w, "the sandbox supports response_type=code only", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" && len(c.Callbacks) > 0 {
		redirect = c.Callbacks[0]
	}
	if !callbackAllowed(c, redirect) {
		http.Error(w, "Callback URL mismatch: "+redirect+" is not in the list of allowed callback URLs", http.StatusBadRequest)
		return
	}
	if conn := q.Get("connection"); conn != "" {
		s.mu.Lock()
		_, known := s.connections[conn]
		s.mu.Unlock()
		if !known {
			// Auth0 sends the browser back with the error once the
			// callback is known to be the client's.
			redirectWithError(w, r, redirect, q.Get("state"), "invalid_request", "the connection was not found")
			return
		}
	}
	org, desc, ok := s.organization(q.Get("organization"))
	if !ok {
		redirectWithError(w, r, redirect, q.Get("state"), "invalid_request", desc)
		return
	}
	if q.Get("prompt") == "none" {
		// A silent sign-in needs a session at the tenant, and the
		// sandbox keeps none: Auth0's answer when there is none.
		// (prompt=login and prompt=consent sign in as without.)
		redirectWithError(w, r, redirect, q.Get("state"), "login_required", "Login required")
		return
	}
	s.redirectWithCode(w, r, c, u, redirect, q.Get("state"), q.Get("scope"), q.Get("audience"), q.Get("nonce"), q.Get("code_challenge"), q.Get("code_challenge_method"), org)
}

func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	b := s.BaseURL
	// The endpoints and grants the sandbox serves, named as Auth0's
	// discovery document names them.
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                           s.Issuer(),
		"authorization_endpoint":                           b + "/authorize",
		"token_endpoint":                                   b + "/oauth/token",
		"device_authorization_endpoint":                    b + "/oauth/device/code",
		"userinfo_endpoint":                                b + "/userinfo",
		"mfa_challenge_endpoint":                           b + "/mfa/challenge",
		"jwks_uri":                                         b + "/.well-known/jwks.json",
		"revocation_endpoint":                              b + "/oauth/revoke",
		"end_session_endpoint":                             b + "/oidc/logout",
		"pushed_authorization_request_endpoint":            b + "/oauth/par",
		"backchannel_authentication_endpoint":              b + "/bc-authorize",
		"backchannel_token_delivery_modes_supported":       []string{"poll"},
		"scopes_supported":                                 []string{"openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"},
		"response_types_supported":                         []string{"code"},
		"code_challenge_methods_supported":                 []string{"S256", "plain"},
		"response_modes_supported":                         []string{"query"},
		"subject_types_supported":                          []string{"public"},
		"id_token_signing_alg_values_supported":            []string{"HS256", "RS256"},
		"token_endpoint_auth_methods_supported":            []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"RS256", "RS384", "PS256"},
		"grant_types_supported": []string{
			"authorization_code", "client_credentials", "refresh_token", "password", grantPasswordRealm,
			grantOTP, grantDeviceCode, grantCIBA, grantTokenExchange, grantFederated,
			grantMFAOTP, grantMFAOOB, grantMFARecovery,
		},
		"claims_supported": []string{"aud", "auth_time", "created_at", "email", "email_verified", "exp", "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number", "picture", "sub"},
	})
}

func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	key, kid := s.signingKey()
	if key == nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "server_error", "error_description": "the sandbox has no signing key: " + s.keyErr.Error()})
		return
	}
	pub := key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// KeyID is the kid of the sandbox's signing key.
func (s *Server) KeyID() string {
	_, kid := s.signingKey()
	return kid
}

// redirectWithError sends the browser to redirect with an OAuth error, as
// Auth0 does once the callback URL is known to be allowed.
func redirectWithError(w http.ResponseWriter, r *http.Request, redirect, state, code, description string) {
	target, err := url.Parse(redirect)
	if err != nil {
		http.Error(w, description, http.StatusBadRequest)
		return
	}
	tq := target.Query()
	tq.Set("error", code)
	tq.Set("error_description", description)
	if state != "" {
		tq.Set("state", state)
	}
	target.RawQuery = tq.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}
