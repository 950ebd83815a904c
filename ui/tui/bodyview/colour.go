package bodyview

import "strings"

// Classes of text on a line, for colouring.
const (
	clsText uint8 = iota
	clsKey
	clsString
	clsNumber
	clsLiteral
	clsPunct
	clsMatch
	clsCurrent
)

// span is a run of one class on a line: bytes [start, end).
type span struct {
	start, end int
	cls        uint8
}

// tokenize splits one line of indented JSON into coloured spans that cover
// it from start to end. After indentation each line holds at most a key
// and a value, so a string followed by a colon is a key and any other
// string is a value; no context from earlier lines is needed. Spans that
// start at or after limit are not produced.
func tokenize(line string, limit int, spans []span) []span {
	add := func(start, end int, cls uint8) {
		if n := len(spans); n > 0 && spans[n-1].cls == cls && spans[n-1].end == start {
			spans[n-1].end = end
			return
		}
		spans = append(spans, span{start, end, cls})
	}
	for i := 0; i < len(line) && i < limit; {
		c := line[i]
		switch {
		case c == '"':
			j := stringClose(line, i)
			cls := clsString
			k := j
			for k < len(line) && line[k] == ' ' {
				k++
			}
			if k < len(line) && line[k] == ':' {
				cls = clsKey
			}
			add(i, j, cls)
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(line) && isNumberByte(line[j]) {
				j++
			}
			add(i, j, clsNumber)
			i = j
		case c >= 'a' && c <= 'z':
			j := i + 1
			for j < len(line) && line[j] >= 'a' && line[j] <= 'z' {
				j++
			}
			switch line[i:j] {
			case "true", "false", "null":
				add(i, j, clsLiteral)
			default:
				add(i, j, clsText)
			}
			i = j
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':':
			add(i, i+1, clsPunct)
			i++
		default:
			add(i, i+1, clsText)
			i++
		}
	}
	return spans
}

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// stringClose returns the index after the string that starts with the
// quote at line[i], or len(line) when it is not closed (a cut body).
func stringClose(line string, i int) int {
	for j := i + 1; ; {
		k := strings.IndexByte(line[j:], '"')
		if k < 0 {
			return len(line)
		}
		j += k
		bs := 0
		for p := j - 1; p > i && line[p] == '\\'; p-- {
			bs++
		}
		j++
		if bs%2 == 0 {
			return j
		}
	}
}
