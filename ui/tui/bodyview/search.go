package bodyview

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// maxMatches bounds the matches kept for one search, so that searching a
// large body for "e" does not hold millions of them.
const maxMatches = 100_000

// match is one occurrence of the query: bytes [start, end) of a display
// line.
type match struct {
	line, start, end int
}

// findAll returns the non-overlapping, case-insensitive occurrences of q
// in lines, in order, and whether it stopped at maxMatches.
func findAll(lines []string, q string) ([]match, bool) {
	if q == "" {
		return nil, false
	}
	var ms []match
	for li, l := range lines {
		for from := 0; ; {
			i := indexFold(l, q, from)
			if i < 0 {
				break
			}
			if len(ms) == maxMatches {
				return ms, true
			}
			ms = append(ms, match{li, i, i + len(q)})
			from = i + len(q)
		}
	}
	return ms, false
}

// indexFold returns the first index at or after from where s holds q,
// ignoring case (Unicode simple folding, for text of q's byte length), or
// -1.
func indexFold(s, q string, from int) int {
	first := q[0]
	ascii := first < utf8.RuneSelf
	if ascii {
		first = lowerASCII(first)
	}
	for i := from; i+len(q) <= len(s); i++ {
		c := s[i]
		if ascii {
			if lowerASCII(c) != first {
				continue
			}
		} else if c < utf8.RuneSelf || !utf8.RuneStart(c) {
			continue
		}
		if strings.EqualFold(s[i:i+len(q)], q) {
			return i
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lineMatches returns the matches on line li, and the index of the first
// of them in ms.
func lineMatches(ms []match, li int) ([]match, int) {
	lo := sort.Search(len(ms), func(k int) bool { return ms[k].line >= li })
	hi := lo
	for hi < len(ms) && ms[hi].line == li {
		hi++
	}
	return ms[lo:hi], lo
}
