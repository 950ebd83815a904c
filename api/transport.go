package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transport defaults, used for zero TransportOptions fields.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBody        = 8 << 20 // 8 MiB, counted after decompression
	// MaxRedirects is how many same-origin redirects a request may follow.
	MaxRedirects = 3
)

// TransportOptions tune the HTTP client NewHTTPClient builds. Zero fields
// take the defaults (see withDefaults).
type TransportOptions struct {
	// ConnectTimeout bounds the TCP connect and the TLS handshake.
	ConnectTimeout time.Duration
	// Timeout bounds the whole exchange: connect, send, and reading the
	// response body.
	Timeout time.Duration
	// MaxBody caps the response body, counted after decompression.
	MaxBody int64
	// Resolver, when set, resolves host names instead of the default one.
	Resolver *net.Resolver
	// RootCAs, when set, replaces the system roots for TLS verification.
	RootCAs *x509.CertPool
}

func (o TransportOptions) withDefaults() TransportOptions {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	return o
}

// NewHTTPClient returns the client this tool sends with: proxies from the
// environment, connect and whole-exchange timeouts, TLS 1.2 or later with
// verification always on, and a redirect policy that never carries a request
// (and its client secret) to another host or from https down to http.
func NewHTTPClient(o TransportOptions) *http.Client {
	o = o.withDefaults()
	d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second, Resolver: o.Resolver}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, &connectError{addr: addr, limit: o.ConnectTimeout, err: err}
		}
		return c, nil
	}
	tr := &http.Transport{
		Proxy:       http.ProxyFromEnvironment,
		DialContext: dial,
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			RootCAs:    o.RootCAs,
		},
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          10,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       o.Timeout,
		CheckRedirect: checkRedirect,
	}
}

// connectError marks a failure to open the connection, remembering the
// connect timeout so a timeout can be named in the sentence.
type connectError struct {
	addr  string
	limit time.Duration
	err   error
}

func (e *connectError) Error() string { return e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }
func (e *connectError) Timeout() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}

// checkRedirect refuses redirects that leave the origin of the first request
// (scheme, host and port), saying what the request carries, and allows at
// most MaxRedirects same-origin hops. It runs before the redirected request
// is sent, so a refused redirect sends nothing to the other host.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) == 0 {
		return nil
	}
	from := via[len(via)-1].URL
	origin := via[0].URL
	downgrade := from.Scheme == "https" && req.URL.Scheme == "http"
	if downgrade || originString(req.URL) != originString(origin) {
		cred := requestCredentials(via[0])
		why := "it goes to another origin, and this tool never follows such a redirect (the request carries nothing secret)"
		switch {
		case downgrade && cred.secret():
			why = "it goes from https to plain http and the request carries " + cred.String()
		case downgrade:
			why = "it goes from https to plain http"
		case cred.secret():
			why = "the request carries " + cred.String()
		}
		return &Error{Kind: ErrRedirect, Msg: fmt.Sprintf("refused to follow a redirect from %s to %s: %s",
			originString(from), originString(req.URL), why)}
	}
	if len(via) > MaxRedirects {
		return &Error{Kind: ErrRedirect, Msg: fmt.Sprintf(
			"stopped after %d redirects on %s: the server keeps redirecting (a redirect loop?)", MaxRedirects, originString(origin))}
	}
	return nil
}

// credentials is what a request carries that must not reach a stranger.
type credentials struct {
	bearer   bool            // an Authorization: Bearer header
	basic    bool            // other Authorization credentials
	clientID bool            // a client_id in the body
	body     map[string]bool // "a client secret", "a password", "a code", "a token"
}

// secretKinds names the secret body fields by kind, in the order a sentence
// lists them; a secret field not named here is "a token".
var secretKinds = []struct {
	kind   string
	fields []string
}{
	{"a client secret", []string{"client_secret", "client_assertion"}},
	{"a password", []string{"password"}},
	{"a code", []string{"otp", "code", "oob_code", "binding_code", "recovery_code", "device_code", "code_verifier"}},
}

// carried reads what a request with header h and body carries: its
// Authorization header and the secret fields (requestSecretFields) of a
// JSON or form body that hold a value.
func carried(h http.Header, body []byte) credentials {
	c := credentials{body: map[string]bool{}}
	if scheme, _, _ := strings.Cut(strings.TrimSpace(h.Get("Authorization")), " "); scheme != "" {
		if strings.EqualFold(scheme, "Bearer") {
			c.bearer = true
		} else {
			c.basic = true
		}
	}
	given := map[string]bool{}
	if obj, ok := jsonObject(body); ok {
		for k, v := range obj {
			v = bytes.TrimSpace(v)
			given[k] = len(v) > 0 && string(v) != "null" && string(v) != `""`
		}
	} else if q, err := url.ParseQuery(string(body)); err == nil {
		for k, v := range q {
			given[k] = len(v) > 0 && v[0] != ""
		}
	}
	c.clientID = given["client_id"]
	for k, ok := range given {
		if !ok || !requestSecretFields[k] {
			continue
		}
		kind := "a token"
		for _, sk := range secretKinds {
			if slices.Contains(sk.fields, k) {
				kind = sk.kind
			}
		}
		c.body[kind] = true
	}
	return c
}

// requestCredentials is carried for an outgoing request, reading its body
// again through GetBody.
func requestCredentials(r *http.Request) credentials {
	var body []byte
	if r.GetBody != nil {
		if rc, err := r.GetBody(); err == nil {
			body, _ = io.ReadAll(io.LimitReader(rc, DefaultMaxBody))
			rc.Close()
		}
	}
	return carried(r.Header, body)
}

func (c credentials) secret() bool { return c.bearer || c.basic || len(c.body) > 0 }

// String lists what the request carries: "a client secret and a password",
// "a bearer token", "nothing secret".
func (c credentials) String() string {
	var parts []string
	if c.bearer {
		parts = append(parts, "a bearer token")
	}
	if c.basic {
		parts = append(parts, "credentials in its Authorization header")
	}
	for _, sk := range secretKinds {
		if c.body[sk.kind] {
			parts = append(parts, sk.kind)
		}
	}
	if c.body["a token"] {
		parts = append(parts, "a token")
	}
	switch len(parts) {
	case 0:
		return "nothing secret"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// originString is scheme://host:port with the default port made explicit and
// the host lower-cased.
func originString(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + hostPort(u)
}

// hostPort is host:port of u, with the scheme's default port when none is
// given.
func hostPort(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	if port == "" {
		return host
	}
	return net.JoinHostPort(host, port)
}

var defaultHTTP = sync.OnceValue(func() *http.Client { return NewHTTPClient(TransportOptions{}) })

// Send sends req and returns what came of it. It never panics: a request
// that cannot be sent comes back as an Exchange with Err set. Cancelling ctx
// cancels the request. Exchange.Request is a copy of req carrying the headers
// that were actually set (User-Agent, Accept, Content-Type).
func (c *Client) Send(ctx context.Context, req *Request) (ex *Exchange) {
	ex = &Exchange{}
	defer func() {
		if p := recover(); p != nil {
			ex.Err = &Error{Kind: ErrNetwork, Msg: fmt.Sprintf("internal error while sending the request: %v", p)}
		}
	}()
	if req == nil {
		ex.Err = &InputError{Field: "request", Msg: "no request to send"}
		return ex
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var cl Client
	if c != nil {
		cl = *c
	}
	if cl.HTTP == nil {
		cl.HTTP = defaultHTTP()
	}
	if cl.MaxBody <= 0 {
		cl.MaxBody = DefaultMaxBody
	}
	if cl.UserAgent == "" {
		cl.UserAgent = "auth0-explorer"
	}

	sent := *req
	sent.Header = req.Header.Clone()
	if sent.Header == nil {
		sent.Header = http.Header{}
	}
	if sent.URLOnly {
		// A browser URL: the URL is the answer, nothing goes out.
		sent.Secrets = append([]string(nil), req.Secrets...)
		ex.Request = &sent
		return ex
	}
	if sent.Header.Get("User-Agent") == "" {
		sent.Header.Set("User-Agent", cl.UserAgent)
	}
	if sent.Header.Get("Accept") == "" {
		sent.Header.Set("Accept", "application/json")
	}
	if sent.ContentType != "" && sent.Body != nil && sent.Header.Get("Content-Type") == "" {
		sent.Header.Set("Content-Type", sent.ContentType)
	}
	sent.Secrets = append([]string(nil), req.Secrets...)
	ex.Request = &sent
	red := NewRedactor(sent.Secrets)

	method := sent.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if sent.Body != nil {
		body = bytes.NewReader(sent.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, method, sent.URL, body)
	if err != nil {
		ex.Err = &InputError{Field: "url", Msg: red.String(fmt.Sprintf("cannot build the request: %v", unwrapURLError(err)))}
		return ex
	}
	if hreq.URL.Host == "" || (hreq.URL.Scheme != "http" && hreq.URL.Scheme != "https") {
		ex.Err = &InputError{Field: "url", Msg: red.String(fmt.Sprintf("cannot send to %q: the URL needs an http or https scheme and a host", sent.URL))}
		return ex
	}
	hreq.Header = sent.Header.Clone()

	now := cl.Now
	if now == nil {
		now = time.Now
	}
	// The duration is measured on the client's clock, so a frozen clock
	// (the screenshots' --now) gives the same duration on every run.
	start := now()
	resp, err := cl.HTTP.Do(hreq)
	if err != nil {
		ex.Duration = now().Sub(start)
		if resp != nil {
			// A refused redirect: Go hands back the redirect answer (its body
			// already closed) with the error. Keep what it said.
			ex.Response = newResponse(resp, nil, false)
		}
		ex.Err = classify(ctx, err, hreq.URL, cl.HTTP, red)
		return ex
	}
	defer resp.Body.Close()

	data, readErr := io.ReadAll(io.LimitReader(resp.Body, cl.MaxBody+1))
	ex.Duration = now().Sub(start)
	truncated := int64(len(data)) > cl.MaxBody
	if truncated {
		data = data[:cl.MaxBody]
	}
	ex.Response = newResponse(resp, data, truncated)
	ex.Response.Partial = readErr != nil
	ex.RateLimit = parseRateLimit(resp.Header)
	ex.Tokens = findTokens(data)

	switch {
	case readErr != nil:
		ex.Err = classify(ctx, readErr, hreq.URL, cl.HTTP, red)
		if e, ok := ex.Err.(*Error); ok && e.Kind == ErrNetwork {
			e.Msg = red.String(fmt.Sprintf("the connection to %s broke while reading the response body: %v", hostPort(hreq.URL), unwrapURLError(readErr)))
		}
	case resp.StatusCode >= 400:
		e := httpError(ex.Response, red)
		addHints(e, ex.Response, ex.RateLimit, carried(sent.Header, sent.Body), now())
		ex.Err = e
	case truncated:
		ex.Err = &Error{Kind: ErrTooLarge, Status: resp.StatusCode, Msg: fmt.Sprintf(
			"the response body is larger than %s; kept the first %s", formatSize(cl.MaxBody), formatSize(cl.MaxBody))}
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		if e := checkAnswer(ByName(sent.Operation), ex.Response, red); e != nil {
			ex.Err = e
		}
	}
	return ex
}

func newResponse(resp *http.Response, body []byte, truncated bool) *Response {
	st := resp.Status
	if st == "" {
		st = strconv.Itoa(resp.StatusCode)
		if t := http.StatusText(resp.StatusCode); t != "" {
			st += " " + t
		}
	}
	return &Response{
		Status:     resp.StatusCode,
		StatusText: st,
		Header:     resp.Header.Clone(),
		Body:       body,
		Truncated:  truncated,
	}
}

// parseRateLimit reads Auth0's x-ratelimit-* headers; nil when none of them
// is present and valid.
func parseRateLimit(h http.Header) *RateLimit {
	var rl RateLimit
	found := false
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Limit"))); err == nil {
		rl.Limit, found = n, true
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining"))); err == nil {
		rl.Remaining, found = n, true
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Ratelimit-Reset")), 10, 64); err == nil {
		rl.Reset, found = time.Unix(n, 0), true
	}
	if !found {
		return nil
	}
	return &rl
}

// tokenFields are the body fields holding tokens, in the order reported.
var tokenFields = []string{"access_token", "id_token", "refresh_token", "mfa_token"}

// findTokens returns the string-valued token fields of a JSON object body.
func findTokens(body []byte) []Token {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil
	}
	var out []Token
	for _, f := range tokenFields {
		raw, ok := obj[f]
		if !ok {
			continue
		}
		if s, ok := stringValue(raw); ok {
			out = append(out, Token{Field: f, Value: s})
		}
	}
	return out
}

// formatSize is n bytes in the largest binary unit that divides it.
// FormatSize says a size limit the way the tool's sentences do: "8 MiB",
// "512 bytes".
func FormatSize(n int64) string { return formatSize(n) }

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
