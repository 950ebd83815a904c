// Package safetext is the one place auth0-explorer makes text it did not
// write safe to show on a terminal: response bodies, headers and error text
// from servers, claims from tokens, names from hand-edited files.
//
// A terminal acts on control characters: ESC starts sequences that set the
// window title (ESC ]0;…), write the clipboard (ESC ]52;…), clear the screen
// (ESC [2J); a bare CR moves back over what was printed; C1 controls (U+009B
// is CSI) and DEL do the same on some terminals; bidi controls (U+202E) and
// other format characters reorder or hide text. Such runes (see Unsafe) and
// bytes that are not UTF-8 are written as the Go escapes strconv uses
// (\x1b, \a, \r, \u009b, \u202e, \xff), so they are visible and harmless.
//
// It imports only the standard library, so every package may use it.
package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a terminal raw: C0 controls (tab
// and newline included: callers that keep lines say so), DEL, C1 controls,
// the line and paragraph separators U+2028 and U+2029, and format
// characters (bidi embeddings, overrides and isolates, marks such as U+200E,
// zero-width space, byte-order mark, tag characters) except the zero-width
// joiner and non-joiner, which emoji sequences and several scripts need.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r < 0xa0:
		return false
	case r == 0x200c, r == 0x200d:
		return false
	case r == 0x2028, r == 0x2029:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Clean reports whether s is valid UTF-8 without an Unsafe rune, that is
// whether Escape(s) is s.
func Clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cleanFrom(s, i, false)
		}
	}
	return true
}

// cleanFrom checks s from index i (a rune start) on; with lines, newlines,
// tabs and a CR before a newline are allowed.
func cleanFrom(s string, i int, lines bool) bool {
	for i < len(s) {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return false
		case lines && keepInLines(s, i):
		case Unsafe(r):
			return false
		}
		i += size
	}
	return true
}

// keepInLines reports whether the byte at s[i] is a newline, a tab, or a
// CR that ends a line (followed by a newline), which stay in multi-line
// text.
func keepInLines(s string, i int) bool {
	switch s[i] {
	case '\n', '\t':
		return true
	case '\r':
		return i+1 < len(s) && s[i+1] == '\n'
	}
	return false
}

// Escape returns s for one line of a terminal: every Unsafe rune (newline,
// tab and CR included) is written as its Go escape (\n, \t, \r, \x1b, \a,
// \u0085, \u202e) and every byte that is not UTF-8 as \xff; the rest stays.
// It returns s itself when nothing needs escaping.
func Escape(s string) string {
	if Clean(s) {
		return s
	}
	return string(appendEscaped(make([]byte, 0, len(s)+16), s, false))
}

// Body returns b for a terminal, its lines kept: like Escape, but newlines,
// tabs and a CR before a newline stay as they are. It returns b itself when
// nothing needs escaping. For a response body shown on a terminal; a body
// written to a pipe or file stays exact.
func Body(b []byte) []byte {
	i := 0
	for i < len(b) {
		c := b[i]
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			break
		}
		i++
	}
	if i == len(b) {
		return b
	}
	s := string(b)
	if cleanFrom(s, i, true) {
		return b
	}
	return appendEscaped(make([]byte, 0, len(b)+64), s, true)
}

// appendEscaped appends s to dst with Unsafe runes and invalid bytes
// escaped; with lines, what keepInLines allows stays.
func appendEscaped(dst []byte, s string, lines bool) []byte {
	for i := 0; i < len(s); {
		if j := printableASCII(s, i); j > i {
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = appendByteEscape(dst, s[i])
		case lines && keepInLines(s, i):
			dst = append(dst, s[i])
		case Unsafe(r):
			dst = appendRuneEscape(dst, r)
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// printableASCII is the end of the run of printable ASCII starting at s[i].
func printableASCII(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	return i
}

// appendRuneEscape appends the escape strconv writes for r, without quotes
// (\x1b, \a, \u202e, \U000e0001).
func appendRuneEscape(dst []byte, r rune) []byte {
	var buf [16]byte
	q := strconv.AppendQuoteRuneToASCII(buf[:0], r)
	return append(dst, q[1:len(q)-1]...)
}

func appendByteEscape(dst []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'x', hex[c>>4], hex[c&0xf])
}

// Line returns s as part of a one-line sentence: runs of spaces, tabs,
// newlines and CRs become one space, the ends are trimmed, and after max
// bytes of s (when max > 0; never inside a character) the rest is cut and
// "…" added; what remains is escaped as Escape does.
func Line(s string, max int) string {
	cut := false
	if max > 0 && len(s) > max {
		s = s[:max]
		if i := lastRuneStart(s); !utf8.FullRuneInString(s[i:]) {
			s = s[:i] // do not split a character
		}
		cut = true
	}
	b := make([]byte, 0, len(s)+16)
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if !space {
				b = append(b, ' ')
			}
			space = true
			i += size
			continue
		case r == utf8.RuneError && size == 1:
			b = appendByteEscape(b, s[i])
		case Unsafe(r):
			b = appendRuneEscape(b, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		space = false
		i += size
	}
	out := strings.TrimSpace(string(b))
	if cut {
		out += "…"
	}
	return out
}

// lastRuneStart is the index where the last (possibly partial) UTF-8
// sequence of s starts.
func lastRuneStart(s string) int {
	i := len(s) - 1
	for i > 0 && i > len(s)-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// Quote returns s in double quotes, for a value named or compared in a
// sentence: " and \ are escaped, and so is every rune that does not show as
// itself, Unsafe runes and also non-ASCII spaces, joiners and unassigned
// code points, so two values that differ invisibly look different. The
// escapes are those of Escape (it is strconv.Quote).
func Quote(s string) string { return strconv.Quote(s) }
