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
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"auth0-explorer/api/safetext"
)

// ErrorKind says what went wrong with an exchange.
type ErrorKind int

const (
	ErrNetwork  ErrorKind = iota // another network failure
	ErrDNS                       // the host name did not resolve
	ErrRefused                   // nothing listens at host:port
	ErrTimeout                   // no answer within the limit
	ErrTLS                       // TLS handshake or certificate problem
	ErrRedirect                  // a redirect was refused
	ErrTooLarge                  // the body was larger than the cap and was cut
	ErrHTTP                      // an answer with status >= 400
	ErrCanceled                  // the caller cancelled the request
	ErrAnswer                    // a 2xx answer that is not what the operation returns
)

var kindNames = [...]string{
	ErrNetwork:  "network",
	ErrDNS:      "dns",
	ErrRefused:  "refused",
	ErrTimeout:  "timeout",
	ErrTLS:      "tls",
	ErrRedirect: "redirect",
	ErrTooLarge: "too_large",
	ErrHTTP:     "http",
	ErrCanceled: "canceled",
	ErrAnswer:   "answer",
}

// String is a short lower-case name for the kind ("dns", "http", …).
func (k ErrorKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "ErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a failed exchange. Msg is one sentence naming the host or the
// status, never holding a secret. For ErrHTTP, Status, Code and Description
// come from the answer, and MFAToken holds the mfa_token of an mfa_required
// answer (kept out of Msg).
type Error struct {
	Kind        ErrorKind
	Msg         string
	Status      int
	Code        string
	Description string
	MFAToken    string
	Err         error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// ExitCode maps an error to the process exit status: 0 for none, 2 for input
// refused before sending, 1 for an HTTP error answer or a 2xx answer that is
// not what the operation returns (or any other error), 3 for transport
// trouble (DNS, refused, timeout, TLS, redirect, too large, cancelled).
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return 2
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == ErrHTTP || e.Kind == ErrAnswer {
			return 1
		}
		return 3
	}
	return 1
}

// classify turns an error from http.Client.Do or from reading the body into
// an *Error with one sentence naming the host.
func classify(ctx context.Context, err error, u *url.URL, hc *http.Client, red *Redactor) error {
	host := hostPort(u)
	mk := func(kind ErrorKind, format string, a ...any) *Error {
		return &Error{Kind: kind, Msg: red.String(fmt.Sprintf(format, a...)), Err: err}
	}

	var own *Error
	if errors.As(err, &own) {
		return own // refused redirect, already a sentence
	}
	if ctx.Err() == context.Canceled || errors.Is(err, context.Canceled) {
		return mk(ErrCanceled, "the request to %s was cancelled", host)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		why := dnsErr.Err
		switch {
		case dnsErr.IsNotFound:
			why = "no such host"
		case dnsErr.IsTimeout:
			why = "the DNS lookup timed out"
		case why == "":
			why = "lookup failed"
		}
		return mk(ErrDNS, "could not resolve %s: %s", u.Hostname(), why)
	}
	var ce *connectError
	if errors.As(err, &ce) {
		if ce.Timeout() && !errors.Is(err, context.DeadlineExceeded) {
			return mk(ErrTimeout, "could not connect to %s within %s", host, ce.limit)
		}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return mk(ErrRefused, "connection refused by %s: nothing is listening there", host)
	}
	if kind, msg := classifyTLS(err, host, u.Hostname()); msg != "" {
		return mk(kind, "%s", msg)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		if ctx.Err() == context.DeadlineExceeded {
			return mk(ErrTimeout, "no answer from %s before the request's deadline", host)
		}
		if hc != nil && hc.Timeout > 0 {
			return mk(ErrTimeout, "no answer from %s within %s", host, hc.Timeout)
		}
		return mk(ErrTimeout, "no answer from %s in time", host)
	}
	if errors.Is(err, syscall.ECONNRESET) {
		return mk(ErrNetwork, "the connection to %s was reset", host)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return mk(ErrNetwork, "%s closed the connection without a complete answer", host)
	}
	return mk(ErrNetwork, "could not reach %s: %s", host, escapeText(unwrapURLError(err).Error(), 512))
}

// classifyTLS returns a sentence for a TLS failure, or "" if err is not one.
// A handshake that did not finish in time is ErrTimeout, the rest ErrTLS.
func classifyTLS(err error, host, hostname string) (ErrorKind, string) {
	var (
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		rhe tls.RecordHeaderError
		ae  tls.AlertError
		cve *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &ua):
		return ErrTLS, fmt.Sprintf("the TLS certificate of %s is signed by an unknown authority (self-signed, or a private CA that is not trusted here)", host)
	case errors.As(err, &he):
		valid := ""
		if he.Certificate != nil {
			names := he.Certificate.DNSNames
			for _, ip := range he.Certificate.IPAddresses {
				names = append(names, ip.String())
			}
			if len(names) > 0 {
				valid = " (it is valid for " + escapeText(strings.Join(names, ", "), 256) + ")"
			}
		}
		return ErrTLS, fmt.Sprintf("the TLS certificate of %s is for a different host name than %s%s", host, hostname, valid)
	case errors.As(err, &ci):
		switch ci.Reason {
		case x509.Expired:
			return ErrTLS, fmt.Sprintf("the TLS certificate of %s has expired or is not yet valid", host)
		case x509.NotAuthorizedToSign:
			return ErrTLS, fmt.Sprintf("the TLS certificate of %s is signed by a certificate that may not sign others", host)
		case x509.IncompatibleUsage:
			return ErrTLS, fmt.Sprintf("the TLS certificate of %s is not meant for server authentication", host)
		}
		return ErrTLS, fmt.Sprintf("the TLS certificate of %s is invalid: %s", host, escapeText(ci.Error(), 256))
	case errors.As(err, &cve):
		return ErrTLS, fmt.Sprintf("the TLS certificate of %s could not be verified: %s", host, escapeText(cve.Err.Error(), 256))
	case errors.As(err, &rhe):
		return ErrTLS, fmt.Sprintf("%s did not answer with TLS (is it a plain http:// address?)", host)
	case errors.As(err, &ae):
		return ErrTLS, fmt.Sprintf("the TLS handshake with %s failed: the server sent alert %q", host, ae.Error())
	}
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return ErrTLS, fmt.Sprintf("%s did not answer with TLS (is it a plain http:// address?)", host)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() && strings.Contains(err.Error(), "TLS handshake timeout") {
		return ErrTimeout, fmt.Sprintf("the TLS handshake with %s did not finish in time", host)
	}
	if strings.Contains(err.Error(), "tls: ") {
		return ErrTLS, fmt.Sprintf("the TLS handshake with %s failed: %s", host, escapeText(unwrapURLError(err).Error(), 256))
	}
	return ErrTLS, ""
}

// httpError reads Auth0's error shapes from an answer with status >= 400.
func httpError(resp *Response, red *Redactor) *Error {
	e := &Error{Kind: ErrHTTP, Status: resp.Status}
	status := escapeText(red.String(resp.StatusText), 128)
	if status == "" {
		status = strconv.Itoa(resp.Status)
	}
	reason := http.StatusText(resp.Status)
	if _, after, ok := strings.Cut(resp.StatusText, " "); ok {
		reason = after
	}

	var sentence string
	if obj, ok := jsonObject(resp.Body); ok {
		e.Code, e.Description, e.MFAToken = auth0Error(obj, reason)
		// Redact before escaping and cutting: a cut or a collapsed space
		// would hide a secret from the redactor, not from the reader.
		e.Code, e.Description = red.String(e.Code), red.String(e.Description)
		if e.Code != "" || e.Description != "" {
			parts := []string{status}
			if e.Code != "" {
				parts = append(parts, escapeText(e.Code, 128))
			}
			if e.Description != "" {
				parts = append(parts, escapeText(e.Description, 1024))
			}
			sentence = strings.Join(parts, ": ")
			if e.Code == "mfa_required" || e.MFAToken != "" {
				sentence += " (multi-factor authentication is required; the answer carries an mfa_token to use with the MFA API)"
			}
		}
	}
	if sentence == "" {
		sentence = status
		if body := bytes.TrimSpace(resp.Body); len(body) > 0 {
			ct := resp.Header.Get("Content-Type")
			if mt, _, err := mime.ParseMediaType(ct); err == nil {
				ct = mt
			}
			if ct == "" {
				ct = "no content type"
			}
			snippet := escapeText(red.String(string(body)), 512)
			sentence = fmt.Sprintf("%s: %s body: %s", status, escapeText(ct, 64), snippet)
		}
	}
	if resp.Truncated {
		sentence += " (the body was cut at the size limit)"
	}
	e.Msg = red.String(sentence)
	return e
}

// addHints ends an HTTP error sentence with what may help, after Auth0's own
// words: when a 429's limit resets (from x-ratelimit-reset or Retry-After,
// against now), what to check when a 401 refuses the request's credentials
// (cred is what the request carried), and where to look on a 5xx.
func addHints(e *Error, resp *Response, rl *RateLimit, cred credentials, now time.Time) {
	var hint string
	switch {
	case resp.Status == http.StatusTooManyRequests:
		hint = rateLimitHint(resp, rl, now)
	case resp.Status == http.StatusUnauthorized && refusesCredentials(e):
		switch {
		case cred.bearer:
			hint = "check the access token: it may have expired, been revoked, or be for another tenant or API"
		case cred.basic || cred.body["a client secret"]:
			hint = "check the client id and client secret"
		case cred.clientID:
			hint = "check the client id"
		}
	case resp.Status >= 500 && resp.Status <= 599:
		hint = "Auth0 may be down or the tenant misconfigured (see https://status.auth0.com)"
	default:
		hint = settingsHint(e)
	}
	if hint != "" {
		e.Msg += "; " + hint
	}
}

// settingsHint names the tenant or application setting behind Auth0's
// common refusals, which its own words do not.
func settingsHint(e *Error) string {
	code, desc := strings.ToLower(e.Code), strings.ToLower(e.Description)
	switch {
	case code == "unauthorized_client" && strings.Contains(desc, "grant type"):
		return "enable that grant for the application (Applications → the application → Advanced Settings → Grant Types)"
	case strings.Contains(desc, "no default audience"):
		return "give an audience, or set a Default Audience (Settings → API Authorization Settings)"
	case strings.Contains(desc, "default connection"):
		return "give a realm (the connection), or set a Default Directory (Settings → API Authorization Settings)"
	case strings.Contains(desc, "missing required parameter: client_id"):
		return "give client_id=… yourself: this operation, like node-auth0's, does not add the application's"
	case code == "invalid_scope" || strings.Contains(desc, "not been granted scopes"):
		return "ask only for scopes the API defines and the application was granted (APIs → the API → Machine to Machine Applications)"
	}
	return ""
}

// refusesCredentials: a 401 whose error says the client or token was not
// accepted (access_denied, invalid_client, unauthorized, or no code at all,
// as in a bare "Unauthorized"), rather than, say, a wrong user password.
func refusesCredentials(e *Error) bool {
	switch strings.ToLower(e.Code) {
	case "", "access_denied", "invalid_client", "unauthorized", "invalid_token":
		return true
	}
	return false
}

// rateLimitHint says when a rate limit resets: "rate limited; the limit
// resets at 15:04:05 (in 42 s)", in now's time zone.
func rateLimitHint(resp *Response, rl *RateLimit, now time.Time) string {
	var reset time.Time
	if rl != nil && !rl.Reset.IsZero() {
		reset = rl.Reset
	} else if ra := strings.TrimSpace(resp.Header.Get("Retry-After")); ra != "" {
		if n, err := strconv.ParseInt(ra, 10, 64); err == nil && n >= 0 && n < 1<<31 {
			reset = now.Add(time.Duration(n) * time.Second)
		} else if t, err := http.ParseTime(ra); err == nil {
			reset = t
		}
	}
	if reset.IsZero() {
		return "rate limited; wait a little before trying again"
	}
	at := reset.In(now.Location()).Format("15:04:05")
	d := reset.Sub(now)
	if d <= 0 {
		return "rate limited; the limit reset at " + at + ", so try again"
	}
	return fmt.Sprintf("rate limited; the limit resets at %s (in %s)", at, roughDuration(d))
}

// roughDuration is d rounded up to whole seconds: "42 s", "3 min 5 s", "2 h 1 min".
func roughDuration(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%d min", s/60)
		}
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	}
	m := (s + 59) / 60
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

// jsonObject decodes body as a JSON object keeping raw values.
func jsonObject(body []byte) (map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &obj) != nil || obj == nil {
		return nil, false
	}
	return obj, true
}

func jsonString(raw json.RawMessage) string {
	s, _ := stringValue(raw)
	return strings.TrimSpace(s)
}

// auth0Error reads the error shapes of the Authentication API:
//
//	{"error","error_description"}                        OAuth endpoints
//	{"error":"mfa_required","error_description","mfa_token"}
//	{"code","description","name","message","statusCode"} /dbconnections,
//	    description a string or a PasswordStrengthError rules object
//	{"statusCode","error","message"[,"errorCode"]}        other endpoints
//
// reason is the status reason phrase, which "error" often repeats.
func auth0Error(obj map[string]json.RawMessage, reason string) (code, desc, mfaToken string) {
	mfaToken = jsonString(obj["mfa_token"])
	errStr := jsonString(obj["error"])
	switch {
	case jsonString(obj["code"]) != "":
		code = jsonString(obj["code"])
	case jsonString(obj["errorCode"]) != "":
		code = jsonString(obj["errorCode"])
	case errStr != "" && !strings.EqualFold(errStr, reason):
		code = errStr
	}
	if code == "" && errStr != "" && jsonString(obj["message"]) == "" && jsonString(obj["error_description"]) == "" {
		code = errStr // {"error":"Not Found"} alone: keep it
	}

	message := jsonString(obj["message"])
	switch {
	case jsonString(obj["error_description"]) != "":
		desc = jsonString(obj["error_description"])
	case jsonString(obj["description"]) != "":
		desc = jsonString(obj["description"])
	default:
		rules := passwordRules(obj["description"])
		switch {
		case rules != "" && message != "":
			desc = message + ": " + rules
		case rules != "":
			desc = rules
		case message != "":
			desc = message
		}
	}
	if desc == "" && code == "" {
		if name := jsonString(obj["name"]); name != "" {
			code = name
		}
	}
	return code, desc, mfaToken
}

type passwordRule struct {
	Message  string            `json:"message"`
	Format   []json.RawMessage `json:"format"`
	Code     string            `json:"code"`
	Verified *bool             `json:"verified"`
	Items    []passwordRule    `json:"items"`
}

// passwordRules turns a PasswordStrengthError description object into text
// listing the rules that failed, with their format values substituted.
func passwordRules(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var d struct {
		Rules []passwordRule `json:"rules"`
	}
	if json.Unmarshal(raw, &d) != nil || len(d.Rules) == 0 {
		return ""
	}
	var failed []string
	for _, r := range d.Rules {
		if r.Verified != nil && *r.Verified {
			continue
		}
		failed = append(failed, ruleText(r))
	}
	return strings.Join(failed, "; ")
}

func ruleText(r passwordRule) string {
	text := substitute(r.Message, r.Format)
	if text == "" {
		text = r.Code
	}
	if len(r.Items) > 0 {
		var items []string
		for _, it := range r.Items {
			t := substitute(it.Message, it.Format)
			if t == "" {
				t = it.Code
			}
			if it.Verified != nil && !*it.Verified {
				t += " (missing)"
			}
			items = append(items, t)
		}
		text = strings.TrimRight(text, ": ") + ": " + strings.Join(items, ", ")
	}
	return text
}

// substitute replaces %d, %s and %i in msg with the format values in turn,
// as Auth0's password policy messages expect; %% is a percent sign.
func substitute(msg string, format []json.RawMessage) string {
	var b strings.Builder
	next := 0
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' || i+1 >= len(msg) {
			b.WriteByte(msg[i])
			continue
		}
		switch msg[i+1] {
		case '%':
			b.WriteByte('%')
			i++
		case 'd', 's', 'i':
			if next < len(format) {
				v := format[next]
				if s, ok := stringValue(v); ok {
					b.WriteString(s)
				} else {
					b.Write(bytes.TrimSpace(v))
				}
				next++
			} else {
				b.WriteString(msg[i : i+2])
			}
			i++
		default:
			b.WriteByte('%')
		}
	}
	return b.String()
}

// stringValue is raw as a string when it is a JSON string (not null).
func stringValue(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// escapeText is safetext.Line: server- or user-provided text for one line
// of a sentence, controls and escape sequences shown escaped, cut after max
// bytes.
func escapeText(s string, max int) string { return safetext.Line(s, max) }
