package sandbox

import (
	"net/http"
	"net/url"
	"slices"
)

// logoutAllowed reports whether u is one of c's allowed logout URLs: in the
// sandbox, its callback URLs and their origins (with a final slash).
func logoutAllowed(c *Client, u string) bool {
	for _, cb := range c.Callbacks {
		if cb == u {
			return true
		}
		if p, err := url.Parse(cb); err == nil && p.Scheme+"://"+p.Host+"/" == u {
			return true
		}
	}
	return false
}

// handleLogout is GET /v2/logout: the session ends (the sandbox keeps none)
// and the browser goes to returnTo when the client allows it.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	returnTo := q.Get("returnTo")
	if returnTo == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("OK"))
		return
	}
	s.mu.Lock()
	c := s.clients[q.Get("client_id")]
	s.mu.Unlock()
	if c == nil || !logoutAllowed(c, returnTo) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The \"returnTo\" querystring parameter \""+returnTo+"\" is not defined as a valid URL in \"Allowed Logout URLs\".")
		return
	}
	http.Redirect(w, r, returnTo, http.StatusFound)
}

// handleOIDCLogout is GET /oidc/logout (OpenID Connect RP-initiated
// logout): the client comes from id_token_hint's audience or client_id;
// post_logout_redirect_uri must be one of its allowed logout URLs.
func (s *Server) handleOIDCLogout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var aud []string
	if hint := q.Get("id_token_hint"); hint != "" {
		claims, err := s.parseOwn(hint, true)
		if err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid id_token_hint")
			return
		}
		aud, _ = claims.GetAudience()
	}
	id := q.Get("client_id")
	if id == "" && len(aud) > 0 {
		id = aud[0]
	}
	if id != "" && len(aud) > 0 && !slices.Contains(aud, id) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_id does not match the id_token_hint's audience")
		return
	}
	redirect := q.Get("post_logout_redirect_uri")
	if redirect == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("OK"))
		return
	}
	s.mu.Lock()
	c := s.clients[id]
	s.mu.Unlock()
	if c == nil || !logoutAllowed(c, redirect) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "post_logout_redirect_uri \""+redirect+"\" is not one of the application's Allowed Logout URLs")
		return
	}
	target, _ := url.Parse(redirect)
	if st := q.Get("state"); st != "" {
		tq := target.Query()
		tq.Set("state", st)
		target.RawQuery = tq.Encode()
	}
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// callbackAllowed reports whether redirect is one of c's callback URLs. A
// loopback callback registered without a port (http://127.0.0.1/callback)
// allows any port, as RFC 8252 §7.3 asks of native apps' loopback
// redirects and as Auth0 does: the app listens on a port the system picks.
func callbackAllowed(c *Client, redirect string) bool {
	if slices.Contains(c.Callbacks, redirect) {
		return true
	}
	r, err := url.Parse(redirect)
	if err != nil || r.Scheme != "http" || r.Port() == "" || (r.Hostname() != "127.0.0.1" && r.Hostname() != "[::1]" && r.Hostname() != "::1") {
		return false
	}
	for _, cb := range c.Callbacks {
		p, err := url.Parse(cb)
		if err != nil || p.Scheme != "http" || p.Port() != "" || p.Hostname() != r.Hostname() {
			continue
		}
		if p.Path == r.Path && p.RawQuery == r.RawQuery {
			return true
		}
	}
	return false
}
