package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted replaces every secret on display.
const Redacted = "[redacted]"

// requestSecretFields are body fields (JSON or form) whose values are secrets
// in a request. client_id, username and email are not among them: they are
// what a person needs to see.
var requestSecretFields = fieldSet(
	"client_secret", "client_assertion", "password", "otp", "code", "code_verifier",
	"refresh_token", "access_token", "id_token", "token", "mfa_token",
	"subject_token", "actor_token", "oob_code", "binding_code", "recovery_code",
	"device_code", "assertion", "auth_req_id",
)

// responseSecretFields are body fields whose values are secrets in an answer.
// "code" is not among them: in answers it is an error code.
var responseSecretFields = fieldSet(
	"access_token", "id_token", "refresh_token", "mfa_token", "client_secret",
	"password", "oob_code", "secret", "barcode_uri", "recovery_codes",
	"recovery_code", "device_code", "auth_req_id",
)

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// Redactor hides known secret values. Every display path (curl, JSON view,
// error sentences) goes through one, so a secret is hidden the same way
// everywhere. A nil *Redactor hides nothing.
//
// Bodies are redacted by field name (see RequestBody and ResponseBody). In
// free text (URLs, header values, the server's messages, the values of an
// answer) a Redactor looks only for secrets that cannot be ordinary words
// (see inText): a password "or" or "weak" must not turn "Wrong email or
// password." into "Wrong email [redacted] password.".
type Redactor struct {
	secrets []string
	repl    *strings.Replacer // forms of the secrets looked for in text; nil when none
}

// NewRedactor returns a Redactor for secrets, ignoring empty strings. Each
// secret that is looked for in text is also recognised in its JSON-escaped
// and URL-escaped forms.
func NewRedactor(secrets []string) *Redactor {
	r := &Redactor{}
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		r.secrets = append(r.secrets, s)
		if !inText(s) {
			continue
		}
		for _, f := range secretForms(s) {
			if f != "" && !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return r
	}
	// Longest first: strings.Replacer tries the old strings in argument
	// order at each position, so a secret containing another wins.
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	r.repl = strings.NewReplacer(pairs...)
	return r
}

// inText reports whether a secret is looked for in free text: at least 8
// characters with one that is not a letter, or at least 16 characters. A
// shorter secret, or a plain word such as "password", would match the
// server's own words; such secrets are hidden only where they stand in a
// secret field (client_secret, password, …) or the Authorization header.
func inText(secret string) bool {
	n := utf8.RuneCountInString(secret)
	if n >= 16 {
		return true
	}
	return n >= 8 && strings.ContainsFunc(secret, func(r rune) bool { return !unicode.IsLetter(r) })
}

// Secrets returns the secrets r hides.
func (r *Redactor) Secrets() []string {
	if r == nil {
		return nil
	}
	return slices.Clone(r.secrets)
}

// String replaces every occurrence of each secret that is looked for in
// text (see inText), raw, JSON-escaped or URL-escaped, by Redacted.
func (r *Redactor) String(s string) string {
	if r == nil || r.repl == nil {
		return s
	}
	return r.repl.Replace(s)
}

// Bytes is String for a byte slice.
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil || r.repl == nil {
		return b
	}
	return []byte(r.String(string(b)))
}

// Header redacts one header value: Authorization and Proxy-Authorization keep
// only their scheme ("Bearer [redacted]"), cookies are hidden whole, and any
// known secret in other values is replaced.
func (r *Redactor) Header(name, value string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		scheme, _, found := strings.Cut(strings.TrimSpace(value), " ")
		if !found || scheme == "" {
			return Redacted
		}
		return scheme + " " + Redacted
	case "Cookie", "Set-Cookie":
		return Redacted
	}
	return r.String(value)
}

// RequestBody redacts a request body: the values of the secret fields of a
// JSON or form body (requestSecretFields), and nothing else of it, so that
// every field that is not secret shows what was sent, whatever its value. A
// body that is neither is redacted as text.
func (r *Redactor) RequestBody(body []byte, contentType string) []byte {
	if isForm(contentType) {
		return redactForm(body, requestSecretFields)
	}
	if json.Valid(body) {
		return redactJSON(body, requestSecretFields)
	}
	return r.Bytes(body)
}

// ResponseBody redacts an answer's body: token and other secret fields of a
// JSON body, then the secrets looked for in text inside its values.
func (r *Redactor) ResponseBody(body []byte, contentType string) []byte {
	return r.values(redactFields(body, contentType, responseSecretFields), contentType)
}

func isForm(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/x-www-form-urlencoded"
}

// values replaces known secrets inside the values of a JSON or form body,
// never inside its keys. Other bodies are redacted as text.
func (r *Redactor) values(body []byte, contentType string) []byte {
	if r == nil || r.repl == nil || len(body) == 0 {
		return body
	}
	if isForm(contentType) {
		parts := strings.Split(string(body), "&")
		for i, p := range parts {
			if k, v, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + r.String(v)
			}
		}
		return []byte(strings.Join(parts, "&"))
	}
	if !json.Valid(body) {
		return r.Bytes(body)
	}
	var out []byte
	last := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		j := i + 1 // find the closing quote
		for ; j < len(body) && body[j] != '"'; j++ {
			if body[j] == '\\' {
				j++
			}
		}
		k := j + 1
		for k < len(body) && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r') {
			k++
		}
		if k >= len(body) || body[k] != ':' { // a value, not a key
			out = append(out, body[last:i+1]...)
			out = append(out, r.String(string(body[i+1:j]))...)
			last = j
		}
		i = j
	}
	return append(out, body[last:]...)
}

// Redact hides the request's secrets in s.
func (req *Request) Redact(s string) string {
	if req == nil {
		return s
	}
	return NewRedactor(req.Secrets).String(s)
}

func redactFields(body []byte, contentType string, fields map[string]bool) []byte {
	if len(body) == 0 {
		return body
	}
	if isForm(contentType) {
		return redactForm(body, fields)
	}
	return redactJSON(body, fields)
}

// RedactJSONFields replaces the value of every secret field of a JSON request
// body (client_secret, password, otp, code, tokens, …, at any depth) by
// "[redacted]", keeping key order and every other byte as it was. A body that
// is not valid JSON comes back unchanged.
func RedactJSONFields(body []byte) []byte {
	return redactJSON(body, requestSecretFields)
}

// RedactFormFields does what RedactJSONFields does for a form-encoded body.
func RedactFormFields(body []byte) []byte {
	return redactForm(body, requestSecretFields)
}

// span is the value of a secret field: body[start:end], the value's JSON text
// (quotes included) or, in a form, its escaped text.
type span struct {
	start, end int
	key        string
}

func redactJSON(body []byte, fields map[string]bool) []byte {
	return splice(body, jsonSecretSpans(body, fields), `"`+Redacted+`"`)
}

// jsonSecretSpans finds the values of the fields named in fields, at any
// depth, in a JSON body, in order. A body that is not valid JSON has none.
func jsonSecretSpans(body []byte, fields map[string]bool) []span {
	if !json.Valid(body) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct{ object, expectKey bool }
	var (
		spans []span
		stack []frame
	)
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expectKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		n := len(stack)
		if n == 0 || !stack[n-1].object || !stack[n-1].expectKey {
			valueDone()
			continue
		}
		// tok is a key.
		stack[n-1].expectKey = false
		if key, _ := tok.(string); fields[key] {
			start := valueStart(body, int(dec.InputOffset()))
			end, err := skipValue(dec)
			if err != nil {
				return nil
			}
			spans = append(spans, span{start, end, key})
			stack[n-1].expectKey = true
		}
	}
	return spans
}

// valueStart skips white space and the colon after a key.
func valueStart(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r' || body[i] == ':') {
		i++
	}
	return i
}

// skipValue reads one complete value from dec and returns the offset just
// after it.
func skipValue(dec *json.Decoder) (int, error) {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return int(dec.InputOffset()), nil
		}
	}
}

func redactForm(body []byte, fields map[string]bool) []byte {
	return splice(body, formSecretSpans(body, fields), Redacted)
}

// splice replaces each span of body with repl; body itself when there is
// none.
func splice(body []byte, spans []span, repl string) []byte {
	if len(spans) == 0 {
		return body
	}
	var out bytes.Buffer
	last := 0
	for _, sp := range spans {
		out.Write(body[last:sp.start])
		out.WriteString(repl)
		last = sp.end
	}
	out.Write(body[last:])
	return out.Bytes()
}

// formSecretSpans finds the values of the fields named in fields in a form
// body, in order.
func formSecretSpans(body []byte, fields map[string]bool) []span {
	var spans []span
	start := 0
	for _, p := range strings.Split(string(body), "&") {
		if name, ok := formSecret(p, fields); ok {
			spans = append(spans, span{start + strings.IndexByte(p, '=') + 1, start + len(p), name})
		}
		start += len(p) + 1
	}
	return spans
}

// formSecret reports whether the form part "name=value" is a field named in
// fields, and its name.
func formSecret(part string, fields map[string]bool) (string, bool) {
	k, _, hasValue := strings.Cut(part, "=")
	name, err := url.QueryUnescape(k)
	if err != nil {
		name = k
	}
	return name, hasValue && fields[name]
}

// secretForms are the ways a secret can appear in a body, a URL or a header.
func secretForms(s string) []string {
	forms := []string{s}
	if b, err := json.Marshal(s); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		b := bytes.TrimSpace(buf.Bytes())
		forms = append(forms, string(b[1:len(b)-1]))
	}
	forms = append(forms,
		jsStringify(s),
		url.QueryEscape(s),
		url.PathEscape(s),
		percentEncode(s, "*-._", true),       // WHATWG form encoding (URLSearchParams)
		percentEncode(s, "-_.!~*'()", false), // encodeURIComponent
	)
	return forms
}

// jsStringify escapes s as JavaScript's JSON.stringify does (without quotes).
func jsStringify(s string) string {
	b := appendJSString(nil, s)
	return string(b[1 : len(b)-1])
}

// percentEncode escapes every byte of s except ASCII letters, digits and the
// bytes in keep; spacePlus writes a space as "+".
func percentEncode(s, keep string, spacePlus bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && spacePlus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	return b.String()
}
