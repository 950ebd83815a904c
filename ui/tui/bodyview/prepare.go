package bodyview

import (
	"auth0-explorer/api/safetext"
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// PreparedMsg carries a body made ready for display by the Cmd that
// Prepare returns. Update applies it only when ID is the id of the last
// Prepare; older ones are dropped.
type PreparedMsg struct {
	ID  uint64
	doc *document
}

// document is a body ready for display.
type document struct {
	content   string   // the prettified body, raw (what Content returns)
	lines     []string // display lines: escaped, safe to print
	json      bool     // lines come from indented JSON (coloured as JSON)
	maxWidth  int      // widest display line, in cells
	truncated bool
	capBytes  int
}

// prepare indents a JSON body (keeping key order and every number's text)
// or takes a text body as is, splits it into lines and escapes each line.
// A truncated body that looks like JSON is indented too, as far as it goes.
func prepare(body []byte, contentType string, truncated bool, capBytes int) *document {
	d := &document{truncated: truncated, capBytes: capBytes}
	if isJSON(body, contentType, truncated) {
		var b strings.Builder
		b.Grow(len(body) + len(body)/2)
		indentJSON(&b, body)
		d.content = b.String()
		d.json = true
	} else {
		d.content = string(body)
	}
	if d.content == "" {
		return d
	}
	raw := strings.Split(d.content, "\n")
	if !d.json && raw[len(raw)-1] == "" {
		raw = raw[:len(raw)-1] // a final newline ends the last line
	}
	var disp []string // allocated only when a line needs escaping
	for i, l := range raw {
		if !d.json && strings.HasSuffix(l, "\r") {
			l = l[:len(l)-1] // CRLF line ending; a bare CR elsewhere stays and is escaped
		}
		e := escapeLine(l)
		if disp == nil && e != raw[i] {
			disp = make([]string, len(raw))
			copy(disp, raw[:i])
		}
		if disp != nil {
			disp[i] = e
		}
		if len(e) > d.maxWidth { // cells never exceed bytes
			if w := textWidth(e); w > d.maxWidth {
				d.maxWidth = w
			}
		}
	}
	if disp == nil {
		disp = raw
	}
	d.lines = disp
	return d
}

// isJSON reports whether body is shown as JSON: valid JSON that is an
// object or array or has a JSON content type; or, when it was cut at the
// size limit (and so is not valid), JSON by its content type, or an object
// or array with no content type at all.
func isJSON(body []byte, contentType string, truncated bool) bool {
	t := bytes.TrimLeft(body, " \t\r\n")
	if len(t) == 0 {
		return false
	}
	jsonType := strings.Contains(strings.ToLower(contentType), "json")
	composite := t[0] == '{' || t[0] == '['
	if truncated {
		return jsonType || (composite && strings.TrimSpace(contentType) == "")
	}
	return (jsonType || composite) && json.Valid(body)
}

// indentJSON writes src indented by two spaces per level, as json.Indent
// with prefix "" and indent "  " does for valid JSON (a test holds them
// equal), copying every token's bytes unchanged. Unlike json.Indent it
// does not stop at an error, so a body cut at the size limit is still
// indented up to where it ends.
func indentJSON(dst *strings.Builder, src []byte) {
	depth := 0
	open := false // just after { or [: the newline waits for the next token
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if open && c != '}' && c != ']' {
			open = false
			depth++
			newline(dst, depth)
		}
		switch c {
		case '"':
			j := stringEnd(src, i)
			dst.Write(src[i:j])
			i = j - 1
		case '{', '[':
			open = true
			dst.WriteByte(c)
		case ',':
			dst.WriteByte(c)
			newline(dst, depth)
		case ':':
			dst.WriteString(": ")
		case '}', ']':
			if open {
				open = false // empty object or array stays on one line
			} else {
				if depth > 0 {
					depth--
				}
				newline(dst, depth)
			}
			dst.WriteByte(c)
		default:
			j := i + 1
			for j < len(src) && !isJSONDelim(src[j]) {
				j++
			}
			dst.Write(src[i:j])
			i = j - 1
		}
	}
}

// stringEnd returns the index after the string starting at src[i] (a
// quote), or len(src) when it is not closed.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); {
		k := bytes.IndexAny(src[j:], "\"\\")
		if k < 0 {
			return len(src)
		}
		j += k
		if src[j] == '"' {
			return j + 1
		}
		j += 2 // a backslash and the byte it escapes
	}
	return len(src)
}

func isJSONDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '{', '}', '[', ']', ',', ':':
		return true
	}
	return false
}

const indentSpaces = "\n                                                                "

func newline(dst *strings.Builder, depth int) {
	n := 2 * depth
	dst.WriteByte('\n')
	for n > len(indentSpaces)-1 {
		dst.WriteString(indentSpaces[1:])
		n -= len(indentSpaces) - 1
	}
	dst.WriteString(indentSpaces[1 : 1+n])
}

// escapeLine makes one line of server text safe to draw: the project's one
// escaper.
func escapeLine(s string) string { return safetext.Escape(s) }

// textWidth is the width in cells of an escaped line.
func textWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		n, cw := nextCluster(s, i)
		i += n
		w += cw
	}
	return w
}

// nextCluster returns the byte length and cell width of the grapheme
// cluster starting at s[i], measured as lipgloss measures.
func nextCluster(s string, i int) (n, w int) {
	if s[i] < utf8.RuneSelf {
		// Printable ASCII (escaped lines hold no controls) is one cell on
		// its own, as ansi.StringWidth counts it, even before a combining
		// mark.
		return 1, 1
	}
	cl, w := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
	if len(cl) == 0 {
		return 1, 0
	}
	return len(cl), w
}

// prepareCmd builds the Cmd for Prepare from values only.
func prepareCmd(id uint64, body []byte, contentType string, truncated bool, capBytes int) tea.Cmd {
	return func() tea.Msg {
		return PreparedMsg{ID: id, doc: prepare(body, contentType, truncated, capBytes)}
	}
}
