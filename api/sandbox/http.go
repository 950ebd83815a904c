package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody caps request bodies, as a real tenant would.
const maxBody = 1 << 20

type rateState struct {
	windowStart time.Time
	used        int
}

// ServeHTTP answers one request: rate limiting and its headers first, then
// the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	limit := s.opts.RateLimit
	if limit <= 0 {
		limit = 10000
	}
	window := s.opts.RateWindow
	if window <= 0 {
		window = time.Minute
	}
	now := s.now()
	s.mu.Lock()
	if s.rate.windowStart.IsZero() || !now.Before(s.rate.windowStart.Add(window)) {
		s.rate = rateState{windowStart: now}
	}
	s.rate.used++
	used, reset := s.rate.used, s.rate.windowStart.Add(window)
	s.mu.Unlock()
	remaining := max(limit-used, 0)
	h := w.Header()
	// The Date header tells the sandbox's clock, as a tenant's tells its own
	// (net/http would write the wall clock's).
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("x-ratelimit-limit", strconv.Itoa(limit))
	h.Set("x-ratelimit-remaining", strconv.Itoa(remaining))
	h.Set("x-ratelimit-reset", strconv.FormatInt(reset.Unix(), 10))
	if used > limit {
		h.Set("Retry-After", strconv.Itoa(max(int(reset.Sub(now).Seconds()), 1)))
		oauthError(w, http.StatusTooManyRequests, "too_many_requests", "Global limit has been reached")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// marshalJSON is json.Marshal without Go's HTML escaping: & < > stay as they
// are, as in Auth0's answers (JSON.stringify), not \u0026 \u003c \u003e.
// Every JSON the sandbox writes, bodies and token claims, goes through it.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// oauthError is the OAuth error shape of /oauth/*, /userinfo, /passwordless.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// dbError is the /dbconnections error shape.
func dbError(w http.ResponseWriter, status int, name, code string, description any) {
	writeJSON(w, status, map[string]any{"name": name, "code": code, "description": description, "statusCode": status})
}

// params is a request body, JSON or form-encoded, as Auth0 accepts both.
type params map[string]any

func (p params) str(k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func (p params) obj(k string) map[string]any {
	switch v := p[k].(type) {
	case map[string]any:
		return v
	case string: // form-encoded bodies carry objects as JSON text
		var m map[string]any
		if json.Unmarshal([]byte(v), &m) == nil {
			return m
		}
	}
	return nil
}

// readParams parses the body; a body that is neither JSON nor form gets a
// 400 and false.
func readParams(w http.ResponseWriter, r *http.Request) (params, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Could not read the request body")
		return nil, false
	}
	if len(body) > maxBody {
		oauthError(w, http.StatusRequestEntityTooLarge, "invalid_request", "Request body too large")
		return nil, false
	}
	p := params{}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(strings.TrimSpace(string(body))) == 0:
	case mt == "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(body))
		if err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid form body")
			return nil, false
		}
		for k, v := range q {
			p[k] = v[0]
		}
	default:
		if err := json.Unmarshal(body, &p); err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Invalid request body. All and only of client_id, client_secret and grant_type must be present, and body must be valid JSON")
			return nil, false
		}
	}
	return p, true
}

// missing answers Auth0's "Missing required parameter" for the first empty
// name, and reports whether it did.
func missing(w http.ResponseWriter, p params, names ...string) bool {
	for _, n := range names {
		if strings.TrimSpace(p.str(n)) == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("Missing required parameter: %s", n))
			return true
		}
	}
	return false
}

func post(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "Not Found"})
			return
		}
		h(w, r)
	}
}

func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/oauth/token", post(s.handleToken))
	m.HandleFunc("/oauth/ro", post(s.handleRO))
	m.HandleFunc("/oauth/access_token", post(s.handleSocialAccessToken))
	m.HandleFunc("/oauth/revoke", post(s.handleRevoke))
	m.HandleFunc("/oauth/device/code", post(s.handleDeviceCode))
	m.HandleFunc("/activate", s.handleActivate)
	m.HandleFunc("/userinfo", s.handleUserinfo)
	m.HandleFunc("/tokeninfo", post(s.handleTokeninfo))
	m.HandleFunc("/delegation", post(s.handleDelegation))
	m.HandleFunc("/dbconnections/signup", post(s.handleSignup))
	m.HandleFunc("/dbconnections/change_password", post(s.handleChangePassword))
	m.HandleFunc("/passwordless/start", post(s.handlePasswordlessStart))
	m.HandleFunc("/passwordless/verify_redirect", s.handleVerifyRedirect)
	m.HandleFunc("/users/{id}/impersonate", post(s.handleImpersonate))
	m.HandleFunc("/authorize", s.handleAuthorize)
	m.HandleFunc("/oauth/par", post(s.handlePAR))
	m.HandleFunc("/v2/logout", s.handleLogout)
	m.HandleFunc("/oidc/logout", s.handleOIDCLogout)
	m.HandleFunc("/lo/reset", s.handleReset)
	m.HandleFunc("/.well-known/openid-configuration", s.handleDiscovery)
	m.HandleFunc("/.well-known/jwks.json", s.handleJWKS)
	m.HandleFunc("/sandbox/outbox", s.handleOutbox)
	s.mfaRoutes(m)
	s.cibaRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "error": "Not Found", "message": "Not Found"})
	})
	return m
}
