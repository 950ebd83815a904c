package api

import (
	"net/http"
	"slices"
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
// nothing reaches the terminal raw. Secrets are redacted unless reveal.
func (r *Request) Curl(reveal bool) string {
	if r == nil {
		return ""
	}
	var red *Redactor
	if !reveal {
		red = NewRedactor(r.Secrets)
	}
	shown := showRequest(r, red, reveal)
	method := shown.Method
	if method == "" {
		method = http.MethodGet
	}

	var lines []string
	prefix := ""
	if len(shown.Body) > 0 && !shellPrintable(string(shown.Body)) {
		// A body with control characters or invalid UTF-8: feed the exact
		// bytes through printf on standard input.
		prefix = "printf " + printfArg(string(shown.Body)) + " |\n  "
	}
	if strings.Trim(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		method = shellQuote(method)
	}
	lines = append(lines, prefix+"curl -sS -X "+method+" "+shellQuote(shown.URL))

	names := make([]string, 0, len(shown.Header))
	for name := range shown.Header {
		if !curlSkipHeaders[http.CanonicalHeaderKey(name)] {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	for _, name := range names {
		for _, v := range shown.Header[name] {
			lines = append(lines, "-H "+shellQuote(strings.ToLower(name)+": "+v))
		}
	}
	switch {
	case prefix != "":
		lines = append(lines, "--data-binary @-")
	case shown.Body != nil:
		lines = append(lines, "--data-raw "+shellQuote(string(shown.Body)))
	}
	return strings.Join(lines, " \\\n  ")
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
