package api

import (
	"encoding/json"
	"net/http"
	"time"
)

// Request is one request, built from an operation and its values, ready to be
// sent. Body holds the exact bytes that go on the wire; Secrets lists the
// values that must never be shown (client secret, password, tokens, otp), so
// every display path can redact them with Redact.
type Request struct {
	Operation   string
	Method      string
	URL         string // absolute URL, as sent
	Header      http.Header
	Body        []byte // nil for a request without a body
	ContentType string // "application/json", "application/x-www-form-urlencoded" or ""
	Secrets     []string
	// Notes are things the caller should know about the input, such as a
	// field the operation does not send.
	Notes []string
	// URLOnly: the request is a URL for a browser, not sent (see
	// Operation.URLOnly); URL is the answer.
	URLOnly bool
}

// Response is the answer as received. Body is capped at the client's limit;
// Truncated says that more was sent and dropped. Partial says that reading
// the body failed (a timeout, a broken connection): Body is only what arrived
// before, not fit to print as the answer.
type Response struct {
	Status     int
	StatusText string // e.g. "403 Forbidden"
	Header     http.Header
	Body       []byte
	Truncated  bool
	Partial    bool
}

// RateLimit is Auth0's x-ratelimit-* headers, parsed. Reset is when the
// bucket refills (the header is epoch seconds).
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// Token is a token found in a response body: the JSON field it came from
// ("id_token", "access_token", "refresh_token", …) and its value.
type Token struct {
	Field string
	Value string
}

// Exchange is one request and what came of it. Err is nil when an HTTP answer
// with a 2xx status came back whole and holds what the operation returns
// (Operation.Returns); otherwise it is an *Error whose message is one clear
// sentence. Response is set whenever an HTTP answer arrived, even with an
// error status.
type Exchange struct {
	Request   *Request
	Response  *Response
	Duration  time.Duration
	RateLimit *RateLimit
	Tokens    []Token
	// Verdicts holds the outcome of checking tokens of the answer, by field
	// ("id_token"), filled by the caller (call checks an id_token as
	// node-auth0 does); api itself verifies nothing.
	Verdicts map[string]*TokenVerdict
	// Decoded holds what the tokens of the answer say, by field, filled by
	// the caller (call decodes each with jwtview); api decodes nothing.
	Decoded map[string]*DecodedToken
	Err     error
}

// DecodedToken is what a token says, as plain data (api does not decode
// tokens itself): Kind is its use ("id_token", "access_token",
// "refresh_token", …), Format its form ("JWS", "JWE", "opaque"), and Header
// and Payload, for a token that decodes, its JSON objects (members in the
// token's order; nil otherwise). Claims are not credentials: Exchange.JSON
// shows them without reveal; only the token string stays hidden, and the
// signature is never part of this.
type DecodedToken struct {
	Kind    string
	Format  string
	Header  json.RawMessage
	Payload json.RawMessage
}
