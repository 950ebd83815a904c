package jwtview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"auth0-explorer/api"
)

// DiscoveryPath is where an OpenID Provider publishes its metadata (OpenID
// Connect Discovery 1.0 §4), under its issuer URL.
const DiscoveryPath = "/.well-known/openid-configuration"

// maxDiscoveryBody caps a discovery document.
const maxDiscoveryBody = 1 << 20

// Discovery is what a provider's discovery document says about its tokens:
// the exact iss they carry and where their signing keys are.
type Discovery struct {
	Issuer  string
	JWKSURL string
}

// Discover reads the discovery document under base (a base URL such as
// "https://idp.example.com" or "http://127.0.0.1:8080") with hc. The
// document's issuer must be base itself, with or without a trailing slash
// (Auth0 writes "https://tenant/", others "https://idp"): a document
// naming another issuer is refused, as the spec says. Its jwks_uri must
// pass CheckJWKSURL. Errors are one sentence; transport failures read as
// call's do.
func Discover(ctx context.Context, hc *http.Client, base string) (Discovery, error) {
	base = strings.TrimRight(base, "/")
	u := base + DiscoveryPath
	cl := api.Client{HTTP: hc, MaxBody: maxDiscoveryBody, UserAgent: "auth0-explorer"}
	ex := cl.Send(ctx, &api.Request{Method: http.MethodGet, URL: u, Header: http.Header{"Accept": {"application/json"}}})
	var ae *api.Error
	switch {
	case ex.Err == nil:
	case errors.As(ex.Err, &ae) && ae.Kind == api.ErrHTTP:
		return Discovery{}, fmt.Errorf("there is no discovery document at %s (the server answered %s)", u, escapeText(ex.Response.StatusText))
	case errors.As(ex.Err, &ae) && ae.Kind == api.ErrTooLarge:
		return Discovery{}, fmt.Errorf("the discovery document at %s is larger than %d KiB", u, maxDiscoveryBody>>10)
	default:
		return Discovery{}, fmt.Errorf("could not read the discovery document at %s: %v", u, ex.Err)
	}
	var doc struct {
		Issuer  *string `json:"issuer"`
		JWKSURI *string `json:"jwks_uri"`
	}
	if json.Unmarshal(ex.Response.Body, &doc) != nil || doc.Issuer == nil || doc.JWKSURI == nil {
		return Discovery{}, fmt.Errorf("%s is not a discovery document (a JSON object with issuer and jwks_uri)", u)
	}
	if strings.TrimSuffix(*doc.Issuer, "/") != base {
		return Discovery{}, fmt.Errorf("the discovery document at %s names the issuer %s, not %s", u, quote(*doc.Issuer), base)
	}
	if err := CheckJWKSURL(*doc.JWKSURI); err != nil {
		return Discovery{}, fmt.Errorf("the discovery document at %s: %s", u, escapeText(err.Error()))
	}
	return Discovery{Issuer: *doc.Issuer, JWKSURL: *doc.JWKSURI}, nil
}
