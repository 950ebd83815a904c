package api

import (
	"auth0-explorer/api/safetext"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// ExchangeView is the shape Exchange.JSON writes (DESIGN.md, call
// --output json); the history reads it back with ToExchange.
type ExchangeView struct {
	Request    *RequestView   `json:"request"`
	Response   *ResponseView  `json:"response"`
	DurationMS float64        `json:"duration_ms"`
	Tokens     []TokenView    `json:"tokens"`
	RateLimit  *RateLimitView `json:"rate_limit,omitempty"`
	Error      string         `json:"error,omitempty"`
}

// RequestView is the request part of an ExchangeView.
type RequestView struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// ResponseView is the response part of an ExchangeView.
type ResponseView struct {
	Status    int               `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	Truncated bool              `json:"truncated"`
}

// TokenView is one token of an ExchangeView.
type TokenView struct {
	Field        string          `json:"field"`
	Kind         string          `json:"kind,omitempty"`
	Format       string          `json:"format,omitempty"`
	Value        string          `json:"value"`
	Header       json.RawMessage `json:"header,omitempty"`
	Payload      json.RawMessage `json:"payload,omitempty"`
	Verification *viewVerdict    `json:"verification,omitempty"`
}

// TokenVerdict is the outcome of checking a token as plain data (api does
// not verify tokens itself): Valid, State ("valid", "invalid",
// "unverified", …) and one Check per rule, as the token command reports
// them.
type TokenVerdict struct {
	Valid  bool
	State  string
	Checks []TokenCheck
}

// TokenCheck is one rule of a TokenVerdict; a Skipped check was not
// performed.
type TokenCheck struct {
	Name    string
	OK      bool
	Detail  string
	Skipped bool
}

// viewVerdict has the shape of the token command's --json verdict.
type viewVerdict struct {
	Valid  bool        `json:"valid"`
	State  string      `json:"state"`
	Checks []viewCheck `json:"checks"`
}

type viewCheck struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Detail  string `json:"detail"`
	Skipped bool   `json:"skipped,omitempty"`
}

// RateLimitView is the rate limit of an ExchangeView.
type RateLimitView struct {
	Limit     int    `json:"limit"`
	Remaining int    `json:"remaining"`
	Reset     string `json:"reset,omitempty"` // RFC 3339, UTC
}

// Redactor returns the Redactor for everything shown of e: the request's
// secrets, the tokens found in the answer and an mfa_token.
func (e *Exchange) Redactor() *Redactor {
	if e == nil {
		return NewRedactor(nil)
	}
	var secrets []string
	if e.Request != nil {
		secrets = append(secrets, e.Request.Secrets...)
	}
	for _, t := range e.Tokens {
		secrets = append(secrets, t.Value)
	}
	var ae *Error
	if errors.As(e.Err, &ae) && ae.MFAToken != "" {
		secrets = append(secrets, ae.MFAToken)
	}
	return NewRedactor(secrets)
}

// JSON renders e as indented JSON: request, response (null when no answer
// arrived), duration_ms, tokens (each with its kind, format, decoded
// header and payload when the caller decoded it (Decoded), and its
// verification when it was checked), rate_limit and error (both left out when absent). Bodies that are JSON appear as JSON with their key order kept;
// other bodies as strings. Secrets are redacted unless reveal.
func (e *Exchange) JSON(reveal bool) ([]byte, error) {
	if e == nil {
		e = &Exchange{}
	}
	var red *Redactor
	if !reveal {
		red = e.Redactor()
	}
	v := ExchangeView{
		DurationMS: math.Round(float64(e.Duration)/float64(time.Microsecond)) / 1000,
		Tokens:     []TokenView{},
	}
	if e.Request != nil {
		// The request is shown as Curl shows it: with the request's own
		// secrets, so the two always agree on what is hidden.
		shown := showRequest(e.Request, e.Request.redactor(reveal), reveal)
		v.Request = &RequestView{
			Method:  shown.Method,
			URL:     shown.URL,
			Headers: viewHeaders(shown.Header),
			Body:    viewBody(shown.Body),
		}
	}
	if r := e.Response; r != nil {
		h := r.Header
		body := r.Body
		if !reveal {
			h = redactHeader(h, red)
			body = red.ResponseBody(body, r.Header.Get("Content-Type"))
		}
		v.Response = &ResponseView{
			Status:    r.Status,
			Headers:   viewHeaders(h),
			Body:      viewBody(body),
			Truncated: r.Truncated,
		}
	}
	for _, t := range e.Tokens {
		val := t.Value
		if !reveal {
			val = Redacted
		}
		vt := TokenView{Field: t.Field, Value: val}
		if d := e.Decoded[t.Field]; d != nil {
			vt.Kind, vt.Format = d.Kind, d.Format
			// Claims are shown without reveal; a known secret (or a field
			// named as one) in them is hidden the way a body's is.
			for _, p := range []struct {
				in  json.RawMessage
				out *json.RawMessage
			}{{d.Header, &vt.Header}, {d.Payload, &vt.Payload}} {
				if len(p.in) == 0 || !json.Valid(p.in) {
					continue
				}
				b := []byte(p.in)
				if !reveal {
					b = red.ResponseBody(b, "application/json")
				}
				*p.out = b
			}
		}
		if vd := e.Verdicts[t.Field]; vd != nil {
			vt.Verification = &viewVerdict{Valid: vd.Valid, State: vd.State, Checks: []viewCheck{}}
			for _, c := range vd.Checks {
				vt.Verification.Checks = append(vt.Verification.Checks, viewCheck{Name: c.Name, OK: c.OK, Detail: red.String(c.Detail), Skipped: c.Skipped})
			}
		}
		v.Tokens = append(v.Tokens, vt)
	}
	if rl := e.RateLimit; rl != nil {
		v.RateLimit = &RateLimitView{Limit: rl.Limit, Remaining: rl.Remaining}
		if !rl.Reset.IsZero() {
			v.RateLimit.Reset = rl.Reset.UTC().Format(time.RFC3339)
		}
	}
	if e.Err != nil {
		v.Error = red.String(e.Err.Error())
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false) // "&" in a URL stays "&"
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return escapeJSONText(bytes.TrimSuffix(out.Bytes(), []byte("\n"))), nil
}

// redactor is the Redactor for showing r: nil with reveal.
func (r *Request) redactor(reveal bool) *Redactor {
	if reveal {
		return nil
	}
	return NewRedactor(r.Secrets)
}

// showRequest is what may be shown of r: with reveal, r as it is; without,
// a copy whose URL, headers and body have every secret redacted (structural
// redaction of the body's secret fields, the Authorization header reduced to
// its scheme, and every known secret replaced wherever it appears). red
// holds the secrets to hide.
func showRequest(r *Request, red *Redactor, reveal bool) *Request {
	shown := *r
	if reveal {
		return &shown
	}
	shown.URL = red.String(r.URL)
	shown.Header = redactHeader(r.Header, red)
	if r.Body != nil {
		ct := r.ContentType
		if ct == "" {
			ct = r.Header.Get("Content-Type")
		}
		shown.Body = red.RequestBody(r.Body, ct)
	}
	shown.Secrets = nil
	return &shown
}

func redactHeader(h http.Header, red *Redactor) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for name, vals := range h {
		rv := make([]string, len(vals))
		for i, v := range vals {
			rv[i] = red.Header(name, v)
		}
		out[name] = rv
	}
	return out
}

func viewHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, vals := range h {
		out[name] = strings.Join(vals, ", ")
	}
	return out
}

// viewBody is the body as a JSON value: itself when it is valid JSON (so key
// order and numbers are kept as sent), otherwise a JSON string; null when
// there is none.
func viewBody(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	return appendJSString(nil, string(b)) // no HTML escaping; invalid UTF-8 as \ufffd
}

// escapeJSONText writes, in JSON text, every character a terminal must not
// get raw as its \u escape, and invalid UTF-8 as \ufffd. In valid JSON such
// characters can only stand inside strings (C0 controls are escaped there
// already), so the text stays valid and means the same.
func escapeJSONText(b []byte) []byte {
	clean := true
	for _, c := range b {
		if c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case r >= 0x7f && terminalUnsafe(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// terminalUnsafe: the project's one rule for what a terminal must not be
// given raw.
func terminalUnsafe(r rune) bool { return safetext.Unsafe(r) }

// ToExchange is the exchange v shows, to show again: the request and the
// response as they were written (redacted, when they were), the error
// sentence; no tokens (their values are not in a redacted view).
func (v *ExchangeView) ToExchange(operation string) *Exchange {
	ex := &Exchange{Duration: time.Duration(v.DurationMS * float64(time.Millisecond))}
	if r := v.Request; r != nil {
		h := viewHeader(r.Headers)
		ex.Request = &Request{Operation: operation, Method: r.Method, URL: r.URL, Header: h,
			ContentType: h.Get("Content-Type"), Body: viewBodyBytes(r.Body, h.Get("Content-Type"))}
	}
	if r := v.Response; r != nil {
		h := viewHeader(r.Headers)
		ex.Response = &Response{Status: r.Status, Header: h, Body: viewBodyBytes(r.Body, h.Get("Content-Type")), Truncated: r.Truncated}
	}
	if rl := v.RateLimit; rl != nil {
		ex.RateLimit = &RateLimit{Limit: rl.Limit, Remaining: rl.Remaining}
		if t, err := time.Parse(time.RFC3339, rl.Reset); err == nil {
			ex.RateLimit.Reset = t
		}
	}
	if v.Error != "" {
		ex.Err = errors.New(v.Error)
	}
	return ex
}

func viewHeader(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

// viewBodyBytes is a body as JSON wrote it, back to bytes: a JSON body is
// its JSON; a text body was written as a JSON string.
func viewBodyBytes(raw json.RawMessage, contentType string) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' && !strings.Contains(strings.ToLower(contentType), "json") {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
	}
	return []byte(raw)
}
