package api

import (
	"fmt"
	"strings"
	"unicode"
)

// tokenParams are the names a token goes by in a URL fragment or query
// (#access_token=…&id_token=…), stripped when a paste starts with one.
var tokenParams = []string{"access_token", "id_token", "refresh_token"}

// CleanToken removes what comes along when a token is pasted or read from a
// file: a byte order mark, surrounding whitespace and line endings (a CR
// from a file with Windows line endings), surrounding quotes, an
// "Authorization:" and a "Bearer " prefix, and an access_token=, id_token= or
// refresh_token= prefix with what follows the next & (a URL fragment). Each
// removal comes back as a note ("removed the surrounding quotes"); the
// notes never hold the token. Nothing inside the token is changed.
func CleanToken(s string) (clean string, notes []string) {
	note := func(n string) {
		for _, x := range notes {
			if x == n {
				return
			}
		}
		notes = append(notes, n)
	}
	// Each pass peels one layer; layers can nest ("'Bearer x'\r\n"), and a
	// paste has few, so a handful of passes is plenty.
	for range 8 {
		before := s
		if t := strings.TrimPrefix(s, "\uFEFF"); t != s {
			s = t
			note("removed a byte order mark (U+FEFF) at the start")
		}
		if t := strings.TrimSpace(s); t != s {
			if strings.Count(s, "\r") > strings.Count(t, "\r") {
				note("removed the surrounding whitespace, a carriage return among it (a file with Windows line endings?)")
			} else {
				note("removed the surrounding whitespace")
			}
			s = t
		}
		if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
			s = s[1 : len(s)-1]
			note("removed the surrounding quotes")
		}
		if t, ok := cutPrefixFold(s, "authorization:"); ok {
			s = strings.TrimLeftFunc(t, unicode.IsSpace)
			note(`removed the "Authorization:" prefix`)
		}
		if t, ok := cutPrefixFold(s, "bearer"); ok && t != "" && (t[0] == ' ' || t[0] == '\t') {
			s = strings.TrimLeft(t, " \t")
			note(`removed the "Bearer " prefix (the request adds its own where one belongs)`)
		}
		t := strings.TrimLeft(s, "#?")
		for _, p := range tokenParams {
			if v, ok := strings.CutPrefix(t, p+"="); ok {
				s = v
				note(fmt.Sprintf("removed the %q prefix", p+"="))
				if i := strings.IndexByte(s, '&'); i >= 0 {
					s = s[:i]
					note(`kept only the part before "&" (the rest of the URL fragment)`)
				}
				break
			}
		}
		if s == before {
			break
		}
	}
	return s, notes
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// controlAt is the index of the first control character in s (a byte below
// 0x20 other than tab, or DEL: what an HTTP header value cannot hold, and
// what a credential never holds), or -1.
func controlAt(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
}

// ControlCharacter describes the first control character in s ("a carriage
// return (\r) at byte 40"), or "" when s has none. Tabs are allowed.
func ControlCharacter(s string) string {
	i := controlAt(s)
	if i < 0 {
		return ""
	}
	name := map[byte]string{'\r': "a carriage return", '\n': "a line feed", 0: "a NUL byte", 0x1b: "an escape"}[s[i]]
	if name == "" {
		name = "the control character"
	}
	q := fmt.Sprintf("%q", string(s[i]))
	return fmt.Sprintf("%s (%s) at byte %d", name, q[1:len(q)-1], i)
}
