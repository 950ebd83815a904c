package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client-initiated backchannel authentication (CIBA), token exchange and the
// federated connection access token. A CIBA request's approval lands in the
// outbox (the binding message, with a link that approves and the same link
// with &action=deny that denies), standing in for Guardian's push; the
// client polls /oauth/token with the CIBA grant meanwhile.

const (
	grantCIBA          = "urn:openid:params:grant-type:ciba"
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantFederated     = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token"
	tokenTypeRefresh   = "urn:ietf:params:oauth:token-type:refresh_token"
	tokenTypeFederated = "http://auth0.com/oauth/token-type/federated-connection-access-token"

	// KindCIBAApproval is the outbox message of a CIBA request: its Link
	// approves; with &action=deny it denies.
	KindCIBAApproval = "ciba-approval"

	// ExternalTokenType and ExternalToken are the subject token type the
	// sandbox's custom token exchange profile accepts and the one subject
	// token it knows (it stands for the seeded user).
	ExternalTokenType = "urn:sandbox:external-token"
	ExternalToken     = "sandbox-external-token-for-jane"

	cibaMaxExpiry = 300 * time.Second // Auth0's default and maximum requested_expiry
	cibaInterval  = 5 * time.Second
)

// cibaRequest is one CIBA request under way, by auth_req_id.
type cibaRequest struct {
	grantInfo // clientID, userID, scope, audience, expires
	polled    // pending, approved or denied, as a device flow
	ticket    string
}

// cibaRoutes adds /bc-authorize and the outbox's approval link.
func (s *Server) cibaRoutes(m *http.ServeMux) {
	m.HandleFunc("/bc-authorize", post(s.handleBCAuthorize))
	m.HandleFunc("/sandbox/ciba", s.handleCIBADecision)
}

// describeCIBA is the CIBA and token exchange part of the banner.
func (s *Server) describeCIBA(b *strings.Builder) {
	who := "<a user id>"
	if id := s.SeedUserID(); id != "" {
		who = id
	}
	fmt.Fprintf(b, "  CIBA            backchannel.authorize userId=%s;\n", who)
	fmt.Fprintf(b, "                  approve or deny through the outbox\n")
	fmt.Fprintf(b, "  token exchange  subject_token_type=%s\n", ExternalTokenType)
	fmt.Fprintf(b, "                  subject_token=%s\n", ExternalToken)
}

// handleBCAuthorize is POST /bc-authorize.
func (s *Server) handleBCAuthorize(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "scope", "login_hint", "binding_message") {
		return
	}
	if !hasScope(p.str("scope"), "openid") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The scope must include openid.")
		return
	}
	var hint struct{ Format, Iss, Sub string }
	if err := json.Unmarshal([]byte(p.str("login_hint")), &hint); err != nil || hint.Format != "iss_sub" {
		oauthError(w, http.StatusBadRequest, "invalid_request", `login_hint must be a JSON string {"format":"iss_sub","iss":"…","sub":"…"}`)
		return
	}
	expiry := cibaMaxExpiry
	if e := p.str("requested_expiry"); e != "" {
		n, err := strconv.Atoi(e)
		if err != nil || n < 1 || n > int(cibaMaxExpiry/time.Second) {
			oauthError(w, http.StatusBadRequest, "invalid_request", "requested_expiry must be an integer from 1 to 300.")
			return
		}
		expiry = time.Duration(n) * time.Second
	}
	aud := p.str("audience")
	s.mu.Lock()
	u := s.userByIDLocked(hint.Sub)
	switch {
	case hint.Iss != s.Issuer():
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_request", "The login_hint iss must be "+s.Issuer())
		return
	case u == nil:
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "unknown_user_id", "No user with id "+hint.Sub)
		return
	case aud != "" && s.apiLocked(aud) == nil:
		s.mu.Unlock()
		oauthError(w, http.StatusForbidden, "access_denied", "Service not found: "+aud)
		return
	}
	if s.ciba == nil {
		s.ciba = map[string]*cibaRequest{}
	}
	id, ticket := s.token(32), s.token(32)
	s.ciba[id] = &cibaRequest{
		grantInfo: grantInfo{clientID: c.ID, userID: u.ID, scope: p.str("scope"), audience: aud, expires: s.now().Add(expiry)},
		ticket:    ticket, polled: polled{interval: cibaInterval},
	}
	to := u.Email
	if to == "" {
		to = u.ID
	}
	msg := p.str("binding_message")
	link := s.BaseURL + "/sandbox/ciba?" + url.Values{"ticket": {ticket}}.Encode()
	s.mailLocked(Message{Kind: KindCIBAApproval, To: to, Subject: "Approve a sign-in: " + msg, Code: msg, Link: link,
		Body: fmt.Sprintf("%s asks you to sign in, showing %q. Open the link to approve (add &action=deny to deny).", c.Name, msg)})
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"auth_req_id": id,
		"expires_in":  int(expiry / time.Second),
		"interval":    int(cibaInterval / time.Second),
	})
}

// handleCIBADecision is the outbox link: it approves, or denies with
// action=deny; a link decides once.
func (s *Server) handleCIBADecision(w http.ResponseWriter, r *http.Request) {
	ticket := r.FormValue("ticket")
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.ciba {
		if ticketMatches(ticket, c.ticket) {
			decideLocked(w, r, &c.polled, &c.ticket, c.expires, now, "The sign-in was denied.")
			return
		}
	}
	badApprovalLink(w)
}

// cibaWords are the CIBA grant's refusals, as Auth0 words them.
var cibaWords = pollWords{status: http.StatusBadRequest,
	expired: "The auth_req_id has expired; start again with /bc-authorize.", deniedCode: "access_denied",
	denied:  "The end-user denied the authorization request or it has been expired.",
	pending: "The end-user authorization is pending."}

// cibaGrant is the CIBA grant on /oauth/token: authorization_pending
// (400, as Auth0 answers CIBA polls) until the user decides, slow_down
// when polled faster than the interval (which then grows by 5 s),
// access_denied once denied, expired_token after the request's expiry, the
// tokens once approved (one set per auth_req_id).
func (s *Server) cibaGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "auth_req_id") {
		return
	}
	id := p.str("auth_req_id")
	now := s.now()
	s.mu.Lock()
	req := s.ciba[id]
	if req == nil || req.clientID != c.ID {
		s.mu.Unlock()
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid or expired auth_req_id.")
		return
	}
	if v := req.poll(now, req.expires); v != pollApproved {
		status, code, desc, over := req.refusal(v, cibaWords)
		if over {
			delete(s.ciba, id)
		}
		s.mu.Unlock()
		oauthError(w, status, code, desc)
		return
	}
	delete(s.ciba, id)
	u := s.userByIDLocked(req.userID)
	s.mu.Unlock()
	s.issue(w, tokenRequest{client: c, user: u, scope: req.scope, audience: req.audience})
}

// tokenExchangeGrant is the token-exchange grant: the sandbox has one custom
// token exchange profile, for ExternalTokenType, whose one known subject
// token (ExternalToken) stands for the seeded user. Other types have no
// profile (native social types included: the sandbox has no Apple or
// Facebook), other tokens are invalid.
func (s *Server) tokenExchangeGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, false)
	if !ok || missing(w, p, "subject_token", "subject_token_type") {
		return
	}
	if tt := p.str("subject_token_type"); tt != ExternalTokenType {
		oauthError(w, http.StatusBadRequest, "invalid_request", "No Token Exchange Profile found for subject_token_type "+tt)
		return
	}
	if subtle.ConstantTimeCompare([]byte(p.str("subject_token")), []byte(ExternalToken)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_grant", "Invalid subject token")
		return
	}
	s.mu.Lock()
	u := s.findUserLocked(DatabaseConnection, SeedEmail)
	s.mu.Unlock()
	s.issue(w, tokenRequest{client: c, user: u, scope: p.str("scope"), audience: p.str("audience")})
}

// federatedGrant is the federated connection access token grant (Token
// Vault): a live refresh token of this client and a social connection give a
// fake access token of that connection's provider.
func (s *Server) federatedGrant(w http.ResponseWriter, r *http.Request, p params) {
	c, ok := s.authClient(w, r, p, true)
	if !ok || missing(w, p, "subject_token", "subject_token_type", "requested_token_type", "connection") {
		return
	}
	if p.str("subject_token_type") != tokenTypeRefresh || p.str("requested_token_type") != tokenTypeFederated {
		oauthError(w, http.StatusBadRequest, "invalid_request", "subject_token_type must be "+tokenTypeRefresh+" and requested_token_type "+tokenTypeFederated)
		return
	}
	conn := p.str("connection")
	s.mu.Lock()
	kind := s.connections[conn]
	rt := s.refresh[p.str("subject_token")]
	valid := rt != nil && !rt.revoked && !rt.rotated && rt.clientID == c.ID
	var tok string
	if valid && kind == "social" {
		tok = "sandbox-" + conn + "-" + s.token(32)
	}
	s.mu.Unlock()
	switch {
	case kind != "social":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Unknown or non-federated connection: "+conn)
	case !valid:
		oauthError(w, http.StatusUnauthorized, "invalid_grant", "Invalid refresh token")
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token":      tok,
			"issued_token_type": tokenTypeFederated,
			"token_type":        "Bearer",
			"expires_in":        3600,
		})
	}
}
