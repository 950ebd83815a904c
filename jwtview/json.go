package jwtview

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"auth0-explorer/api/safetext"
)

// A decoded JSON value is one of: nil, bool, json.Number, string, []any or
// Object. Objects keep their members in the order they were written, so a
// token's claims read in the order they were issued.

// Object is a JSON object whose members keep their written order.
type Object []Member

// Member is one name/value pair of an Object.
type Member struct {
	Name  string
	Value any
}

// Get returns the value of the member called name.
func (o Object) Get(name string) (any, bool) {
	for i := range o {
		if o[i].Name == name {
			return o[i].Value, true
		}
	}
	return nil, false
}

// String returns the member's value when it is a string.
func (o Object) String(name string) (string, bool) {
	v, ok := o.Get(name)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// MarshalJSON writes the object in member order, with every control
// character escaped (see appendJSON).
func (o Object) MarshalJSON() ([]byte, error) {
	return appendJSON(nil, o), nil
}

// maxDepth bounds nesting, which the parser (and appendJSON) follow by
// recursion. The size cap is the real guard: nesting costs at least one
// byte a level, so a header or payload under MaxTokenSize (at most 48 KiB
// of JSON) nests at most 49,152 levels, a few megabytes of goroutine stack
// (which grows as needed, up to 1 GB). A token under the cap is therefore
// never refused for its nesting alone; the bound only stops parseObject if
// it is ever handed more than a token's worth.
const maxDepth = MaxTokenSize

// parseObject parses data, which must be exactly one JSON object, strictly:
// RFC 8259 grammar, valid UTF-8, no duplicate member names at any level.
func parseObject(data []byte) (Object, error) {
	p := parser{data: data}
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, errors.New("it is empty")
	}
	if p.data[p.pos] != '{' {
		return nil, fmt.Errorf("it is JSON %s, not an object", p.kind())
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return nil, fmt.Errorf("unexpected data after the object at byte %d", p.pos)
	}
	return v.(Object), nil
}

type parser struct {
	data []byte
	pos  int
}

func (p *parser) kind() string {
	switch c := p.data[p.pos]; {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "something"
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) errf(format string, a ...any) error {
	return fmt.Errorf(format+" at byte %d", append(a, p.pos)...)
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errf("nested deeper than %d levels", maxDepth)
	}
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, errors.New("unexpected end of JSON")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	return nil, p.errf("invalid character %q", p.data[p.pos])
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.errf("invalid literal")
	}
	p.pos += len(word)
	return nil
}

func (p *parser) object(depth int) (Object, error) {
	p.pos++ // {
	obj := Object{}
	var seen map[string]struct{} // for duplicates, once obj is not small
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errf("expected a member name")
		}
		name, err := p.str()
		if err != nil {
			return nil, err
		}
		dup := false
		switch {
		case seen != nil:
			_, dup = seen[name]
		case len(obj) < 16:
			_, dup = obj.Get(name)
		default:
			seen = make(map[string]struct{}, 2*len(obj))
			for _, m := range obj {
				seen[m.Name] = struct{}{}
			}
			_, dup = seen[name]
		}
		if dup {
			return nil, fmt.Errorf("member %q appears twice", name)
		}
		if seen != nil {
			seen[name] = struct{}{}
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errf("expected ':' after member name")
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj = append(obj, Member{Name: name, Value: v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, errors.New("unexpected end of JSON in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return obj, nil
		default:
			return nil, p.errf("expected ',' or '}'")
		}
	}
}

func (p *parser) array(depth int) ([]any, error) {
	p.pos++ // [
	arr := []any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return arr, nil
	}
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, errors.New("unexpected end of JSON in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return arr, nil
		default:
			return nil, p.errf("expected ',' or ']'")
		}
	}
}

func (p *parser) number() (json.Number, error) {
	start := p.pos
	d := p.data
	if d[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(d) && d[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return "", p.errf("invalid number")
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return "", p.errf("invalid number")
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return "", p.errf("invalid number")
		}
	}
	return json.Number(d[start:p.pos]), nil
}

func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	d := p.data
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(d) {
		c := d[p.pos]
		if c == '"' {
			s := d[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return "", errors.New("a string is not valid UTF-8")
			}
			return string(s), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errf("unescaped control character in a string")
		}
		p.pos++
	}
	var b strings.Builder
	b.Write(d[start:p.pos])
	for p.pos < len(d) {
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			s := b.String()
			if !utf8.ValidString(s) {
				return "", errors.New("a string is not valid UTF-8")
			}
			return s, nil
		case c < 0x20:
			return "", p.errf("unescaped control character in a string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(d) {
			break
		}
		e := d[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					p.pos += 2
					if r2, ok = p.hex4(); !ok {
						return "", p.errf("invalid \\u escape")
					}
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					return "", p.errf("unpaired UTF-16 surrogate")
				}
			}
			b.WriteRune(r)
		default:
			return "", p.errf("invalid escape %q", []byte{'\\', e})
		}
	}
	return "", errors.New("unexpected end of JSON in a string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

// appendJSON writes v as JSON. Strings escape every C0 and C1 control
// character, DEL, and the Unicode line and paragraph separators and bidi
// controls, so the output can go to a terminal as it is.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case json.Number:
		return append(b, v...)
	case string:
		return appendJSONString(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case Object:
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, m.Name)
			b = append(b, ':')
			b = appendJSON(b, m.Value)
		}
		return append(b, '}')
	}
	// Not produced by the parser; fall back to encoding/json.
	out, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, '\\', '"')
		case r == '\\':
			b = append(b, '\\', '\\')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\r':
			b = append(b, '\\', 'r')
		case safetext.Unsafe(r):
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				b = fmt.Appendf(b, `\u%04x\u%04x`, r1, r2) // beyond U+FFFF: a surrogate pair
			} else {
				b = fmt.Appendf(b, `\u%04x`, r)
			}
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// unsafeRune and escapeText are safetext's Unsafe and Escape, under the
// names this package's files use.
func unsafeRune(r rune) bool { return safetext.Unsafe(r) }

func escapeText(s string) string { return safetext.Escape(s) }
