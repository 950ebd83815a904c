package sandbox

import (
	"net/http"
	"net/url"
	"time"
)

// parLifetime is how long a pushed authorization request's request_uri
// lasts, as on Auth0 (expires_in 30).
const parLifetime = 30 * time.Second

const parURIPrefix = "urn:ietf:params:oauth:request_uri:"

// pushedRequest is one pushed authorization request (RFC 9126): the
// authorization parameters, for one client, used once before expires.
type pushedRequest struct {
	clientID string
	params   url.Values
	expires  time.Time
}

// handlePAR is POST /oauth/par: a confidential client pushes its
// authorization parameters and gets a request_uri for /authorize.
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	p, ok := readParams(w, r)
	if !ok {
		return
	}
	c, ok := s.authClient(w, r, p, true)
	if !ok {
		return
	}
	if !s.confidential(c) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication is required for pushed authorization requests")
		return
	}
	if missing(w, p, "response_type", "redirect_uri") {
		return
	}
	if p.str("request_uri") != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "request_uri is not allowed in a pushed authorization request")
		return
	}
	if !callbackAllowed(c, p.str("redirect_uri")) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Callback URL mismatch. "+p.str("redirect_uri")+" is not in the list of allowed callback URLs")
		return
	}
	q := url.Values{}
	for k := range p {
		if k != "client_secret" && k != "client_assertion" && k != "client_assertion_type" {
			q.Set(k, p.str(k))
		}
	}
	s.mu.Lock()
	if s.par == nil {
		s.par = map[string]*pushedRequest{}
	}
	uri := parURIPrefix + s.token(24)
	s.par[uri] = &pushedRequest{clientID: c.ID, params: q, expires: s.now().Add(parLifetime)}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"request_uri": uri, "expires_in": int(parLifetime / time.Second)})
}

// takePushed resolves /authorize's request_uri: the parameters pushed for
// this client, once, within their lifetime. Anything else is answered with
// Auth0's invalid_request and false.
func (s *Server) takePushed(w http.ResponseWriter, q url.Values) (url.Values, bool) {
	uri := q.Get("request_uri")
	s.mu.Lock()
	pr := s.par[uri]
	if pr != nil && pr.clientID == q.Get("client_id") {
		delete(s.par, uri) // once, even when it expired
	}
	now := s.now()
	s.mu.Unlock()
	switch {
	case pr == nil || pr.clientID != q.Get("client_id"):
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request_uri: unknown, already used, or not for this client")
		return nil, false
	case !now.Before(pr.expires):
		oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request_uri: it expired")
		return nil, false
	}
	return pr.params, true
}
