package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client sends catalogue operations to one Auth0 tenant.
type Client struct {
	// BaseURL is the tenant's base URL without a trailing slash:
	// "https://tenant.eu.auth0.com" or "http://127.0.0.1:8080".
	BaseURL      string
	ClientID     string
	ClientSecret string
	// HTTP sends the requests; NewHTTPClient builds one with the timeouts,
	// redirect policy and proxy settings this tool promises.
	HTTP *http.Client
	// MaxBody caps the response body, counted after decompression.
	MaxBody   int64
	UserAgent string
	// Now is the clock for the sentences that name a time (when a rate
	// limit resets), for client assertions and for an exchange's
	// Duration; nil means time.Now.
	Now func() time.Time
	// Assertion, when set, signs a client_assertion (private_key_jwt)
	// that goes in place of the client secret wherever an operation
	// authenticates the client and no client_secret field was given.
	Assertion *AssertionSigner
}

// Config is what New needs. Zero Transport fields take the defaults.
type Config struct {
	Domain       string // a host ("tenant.eu.auth0.com", https assumed) or a base URL
	ClientID     string
	ClientSecret string
	UserAgent    string
	Transport    TransportOptions
	// Assertion signs client assertions (LoadAssertionKey); nil for none.
	Assertion *AssertionSigner
}

// New returns a client for cfg.Domain, or an error sentence when the domain
// cannot be used.
func New(cfg Config) (*Client, error) {
	base, err := BaseURL(cfg.Domain)
	if err != nil {
		return nil, err
	}
	t := cfg.Transport.withDefaults()
	ua := cfg.UserAgent
	if ua == "" {
		ua = "auth0-explorer"
	}
	return &Client{
		BaseURL:      base,
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		HTTP:         NewHTTPClient(t),
		MaxBody:      t.MaxBody,
		UserAgent:    ua,
		Assertion:    cfg.Assertion,
	}, nil
}

// BaseURL turns what a person types as a domain into a base URL: a bare host
// means https; a full URL keeps its scheme. Plain http is only for loopback
// addresses, since the body carries a client secret.
func BaseURL(domain string) (string, error) {
	d := strings.TrimSpace(domain)
	if d == "" {
		return "", &InputError{Field: "domain", Msg: "no domain given: pass --domain (a tenant host such as tenant.eu.auth0.com) or set AUTH0_DOMAIN"}
	}
	if !strings.Contains(d, "://") {
		d = "https://" + d
	}
	u, err := url.Parse(d)
	if err != nil || u.Host == "" {
		return "", &InputError{Field: "domain", Msg: fmt.Sprintf("domain %q is not a host name or a base URL", domain)}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", &InputError{Field: "domain", Msg: fmt.Sprintf("domain %q: only https (or http on loopback) is supported", domain)}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", &InputError{Field: "domain", Msg: fmt.Sprintf("domain %q must be a host or a base URL without path, query or credentials", domain)}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", &InputError{Field: "domain", Msg: fmt.Sprintf("domain %q: plain http is allowed for loopback addresses only", domain)}
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// isLoopback: "localhost" or a loopback IP address. A name that merely
// starts with "127." (127.0.0.1.nip.io) is not.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Do builds the request for op from v and sends it. Input the SDK would
// refuse comes back as an Exchange whose Err is an *InputError and whose
// Request is nil: nothing was sent.
func (c *Client) Do(ctx context.Context, op *Operation, v Values) *Exchange {
	req, err := c.Build(op, v)
	if err != nil {
		return &Exchange{Err: err}
	}
	return c.Send(ctx, req)
}
