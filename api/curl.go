package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// curlSkipHeaders are left out of the curl command: curl sets its own, and
// they would only get in the way of copy and paste.
var curlSkipHeaders = map[string]bool{
	"User-Agent":      true,
	"Accept-Encoding": true,
	"Content-Length":  true,
	"Host":            true,
}

// Curl returns the request as a runnable curl command for a POSIX shell, one
// option per line joined with " \" continuations. Every argument is single
// quoted; an argument holding control characters is rebuilt with printf, so
// nothing reaches the terminal raw. With reveal the secrets are written in
// the command; without, it reads them from environment variables (see
// CurlCommand).
func (r *Request) Curl(reveal bool) string {
	cmd, _ := r.CurlCommand(reveal)
	return cmd
}

// CurlCommand is Curl together with a note for the person who runs the
// command, "" when there is nothing to say. Without reveal, the value of
// each secret field of a JSON or form body and the credentials of the
// Authorization header come from environment variables named after the
// field ("$AUTH0_CLIENT_SECRET", "$AUTH0_PASSWORD", "$AUTH0_ACCESS_TOKEN"
// for a bearer token), so the command sends the same request once they are
// set; the note names them. A form value goes through curl's
// --data-urlencode, which writes a space as %20 where the tool writes "+".
// A secret anywhere else (a URL, another header) is shown as [redacted],
// and the note says so.
func (r *Request) CurlCommand(reveal bool) (cmd, note string) {
	if r == nil {
		return "", ""
	}
	red := r.redactor(reveal)
	env := &curlEnv{value: map[string]string{}}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	if strings.Trim(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		method = shellQuote(method)
	}
	target := r.URL
	if !reveal {
		target = red.String(target)
	}
	hidden := target != r.URL

	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		if !curlSkipHeaders[http.CanonicalHeaderKey(name)] {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	var opts []string
	for _, name := range names {
		for _, v := range r.Header[name] {
			w := word{{text: strings.ToLower(name) + ": " + v}}
			if !reveal {
				w, hidden = env.header(strings.ToLower(name), v, red, hidden)
			}
			opts = append(opts, "-H "+w.shell())
		}
	}

	prefix := ""
	if r.Body != nil {
		var body []word // one word, or a form's parts
		form := false
		if reveal {
			body = []word{{{text: string(r.Body)}}}
		} else {
			ct := r.ContentType
			if ct == "" {
				ct = r.Header.Get("Content-Type")
			}
			body, form = env.body(r.Body, ct)
			if body == nil { // neither JSON nor a form: text
				shown := string(red.Bytes(r.Body))
				hidden = hidden || shown != string(r.Body)
				body = []word{{{text: shown}}}
			}
		}
		switch {
		case form:
			for _, w := range body {
				if len(w) == 2 && w[1].env != "" {
					opts = append(opts, "--data-urlencode "+w.shell())
				} else {
					opts = append(opts, "--data-raw "+w.shell())
				}
			}
		case !body[0].printable():
			// A body with control characters or invalid UTF-8: feed the
			// exact bytes through printf on standard input.
			prefix = body[0].printf() + " |\n  "
			opts = append(opts, "--data-binary @-")
		default:
			opts = append(opts, "--data-raw "+body[0].shell())
		}
	}
	lines := append([]string{prefix + "curl -sS -X " + method + " " + shellQuote(target)}, opts...)
	return strings.Join(lines, " \\\n  "), env.note(hidden)
}

// curlEnv is the environment variables a curl command reads its secrets
// from, in the order they first appear.
type curlEnv struct {
	names   []string
	value   map[string]string // the secret each variable holds
	escaped []string          // variables to give JSON-escaped
}

// variable names the variable holding secret, found in field: the one
// already named for the same secret, else AUTH0_FIELD (AUTH0_FIELD_2, … when
// that name holds another secret).
func (e *curlEnv) variable(field, secret string) string {
	for _, n := range e.names {
		if e.value[n] == secret {
			return n
		}
	}
	base := "AUTH0_" + strings.ToUpper(strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, field))
	name := base
	for i := 2; ; i++ {
		if _, taken := e.value[name]; !taken {
			break
		}
		name = base + "_" + strconv.Itoa(i)
	}
	e.names = append(e.names, name)
	e.value[name] = secret
	return name
}

// header is one -H argument: the Authorization header's credentials from a
// variable, cookies as [redacted], other values with the secrets looked for
// in text redacted. hidden becomes true when something is shown as
// [redacted].
func (e *curlEnv) header(name, value string, red *Redactor, hidden bool) (word, bool) {
	prefix := name + ": "
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		scheme, cred, found := strings.Cut(strings.TrimSpace(value), " ")
		switch {
		case !found || scheme == "":
			return word{{text: prefix}, {env: e.variable("authorization", value)}}, hidden
		case strings.EqualFold(scheme, "Bearer"):
			return word{{text: prefix + scheme + " "}, {env: e.variable("access_token", cred)}}, hidden
		}
		return word{{text: prefix + scheme + " "}, {env: e.variable("credentials", cred)}}, hidden
	}
	shown := red.Header(name, value)
	return word{{text: prefix + shown}}, hidden || shown != value
}

// body splits a JSON or form body around the values of its secret fields,
// each taken from a variable: one word for a JSON body, a word per option
// for a form with secret fields (each alone, for --data-urlencode), and
// form reports the latter. It returns nil for a body that is neither.
func (e *curlEnv) body(body []byte, contentType string) (words []word, form bool) {
	if isForm(contentType) {
		var lits []string // literal parts not yet written
		flush := func() {
			if len(lits) > 0 {
				words = append(words, word{{text: strings.Join(lits, "&")}})
				lits = nil
			}
		}
		for _, p := range strings.Split(string(body), "&") {
			name, ok := formSecret(p, requestSecretFields)
			if !ok {
				lits = append(lits, p)
				continue
			}
			flush()
			form = true
			k, raw, _ := strings.Cut(p, "=")
			secret, err := url.QueryUnescape(raw)
			if err != nil {
				secret = raw
			}
			words = append(words, word{{text: k + "="}, {env: e.variable(name, secret)}})
		}
		if !form {
			return []word{{{text: string(body)}}}, false
		}
		flush()
		return words, true
	}
	if !json.Valid(body) {
		return nil, false
	}
	spans := jsonSecretSpans(body, requestSecretFields)
	var w word
	last := 0
	for _, s := range spans {
		raw := body[s.start:s.end]
		if raw[0] != '"' {
			// A number, object, … given as JSON: the variable holds its text.
			w = append(w, part{text: string(body[last:s.start])}, part{env: e.variable(s.key, string(raw))})
			last = s.end
			continue
		}
		var secret string
		_ = json.Unmarshal(raw, &secret) // valid: the body is valid JSON
		name := e.variable(s.key, secret)
		if inner := string(raw[1 : len(raw)-1]); inner != secret && !slices.Contains(e.escaped, name) {
			e.escaped = append(e.escaped, name)
		}
		w = append(w, part{text: string(body[last : s.start+1])}, part{env: name})
		last = s.end - 1
	}
	return []word{append(w, part{text: string(body[last:])})}, false
}

// note tells what the command needs: the variables to set, or that some
// secret is shown as [redacted].
func (e *curlEnv) note(hidden bool) string {
	vars := e.names
	switch {
	case len(vars) == 0 && !hidden:
		return ""
	case len(vars) == 0:
		return "secrets are shown as " + Redacted + "; add --reveal to print a command that runs"
	}
	them := "them"
	if len(vars) == 1 {
		them = "it"
	}
	var b strings.Builder
	b.WriteString("the command reads secrets from " + andList(vars))
	if n := len(e.escaped); n > 0 {
		pasted := "as the command pastes it into the JSON body"
		if n > 1 {
			pasted = "as the command pastes them into the JSON body"
		}
		b.WriteString(" (" + andList(e.escaped) + " JSON-escaped, " + pasted + ")")
	}
	if hidden {
		b.WriteString(" and shows others as " + Redacted + "; set " + them + ", or add --reveal to print a command that runs")
	} else {
		b.WriteString(": set " + them + " before running it, or add --reveal to print the secrets in the command")
	}
	return b.String()
}

func andList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// word is one shell word made of literal text and variables.
type word []part

// part is literal text, or the value of the environment variable env.
type part struct{ text, env string }

// shell writes w for a POSIX shell: literal text single quoted (see
// shellQuote), variables as "$NAME".
func (w word) shell() string {
	var b strings.Builder
	for _, p := range w {
		switch {
		case p.env != "":
			b.WriteString(`"$` + p.env + `"`)
		case p.text != "":
			b.WriteString(shellQuote(p.text))
		}
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

func (w word) printable() bool {
	for _, p := range w {
		if !shellPrintable(p.text) {
			return false
		}
	}
	return true
}

// printf is a command writing exactly the bytes of w, for a pipe.
func (w word) printf() string {
	if len(w) == 1 {
		return "printf " + printfArg(w[0].text)
	}
	var cmds []string
	for _, p := range w {
		switch {
		case p.env != "":
			cmds = append(cmds, `printf '%s' "$`+p.env+`"`)
		case p.text != "":
			cmds = append(cmds, "printf "+printfArg(p.text))
		}
	}
	return "{ " + strings.Join(cmds, "; ") + "; }"
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is
// special but the single quote itself, which closes the quotes, adds an
// escaped quote and reopens them. A string holding
// control characters is produced by printf instead, so the command shows no
// raw escape sequence and still passes the same bytes.
func shellQuote(s string) string {
	if !shellPrintable(s) {
		return `"$(printf ` + printfArg(s) + `)"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ShellQuote is shellQuote for the command line's hints and environment
// lines.
func ShellQuote(s string) string { return shellQuote(s) }

// shellPrintable reports whether s is valid UTF-8 holding only printable
// characters, spaces, tabs and newlines.
func shellPrintable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

// printfArg writes s as a single-quoted printf format that prints exactly
// the bytes of s: % and \ are doubled, and every byte that is not printable
// ASCII is an octal escape (\033), which POSIX printf understands.
func printfArg(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			b.WriteString(`'\''`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '%':
			b.WriteString("%%")
		case c >= 0x20 && c < 0x7f && !(i == 0 && c == '-'): // a leading - would read as an option
			b.WriteByte(c)
		default:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + (c>>3)&7)
			b.WriteByte('0' + c&7)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Curl renders the exchange's request as a curl command (see Request.Curl).
func (e *Exchange) Curl(reveal bool) string {
	if e == nil {
		return ""
	}
	return e.Request.Curl(reveal)
}
