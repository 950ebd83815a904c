package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// node-auth0 builds its bodies as JavaScript objects and sends
// JSON.stringify of them. To send the same bytes, bodies here are ordered
// objects with JavaScript's rules: assigning an existing key keeps its place,
// a new key goes last, an undefined value keeps its place but is left out of
// the JSON, and raw JSON values given by the user are re-serialised the way
// JSON.stringify(JSON.parse(raw)) would (integer-like keys first, numbers in
// JavaScript's shortest form, only the escapes JavaScript makes).

// jsValue is one value of an object: undefined, or JSON text in JavaScript's
// serialisation.
type jsValue struct {
	raw       []byte // nil when undefined
	undefined bool
}

func undefinedValue() jsValue { return jsValue{undefined: true} }

func jsString(s string) jsValue { return jsValue{raw: appendJSString(nil, s)} }

// str returns the value as a Go string and whether it is a JSON string
// (JavaScript's typeof x === 'string').
func (v jsValue) str() (string, bool) {
	if v.undefined || len(v.raw) == 0 || v.raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(v.raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// truthy is JavaScript's truthiness of the value.
func (v jsValue) truthy() bool {
	if v.undefined {
		return false
	}
	switch string(v.raw) {
	case `""`, "0", "-0", "false", "null":
		return false
	}
	return true
}

// nonBlank is node-auth0's usual required-field check:
// typeof x === 'string' && x.trim().length > 0.
func (v jsValue) nonBlank() bool {
	s, ok := v.str()
	return ok && jsTrim(s) != ""
}

func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// object is an ordered JavaScript object.
type object struct {
	keys []string
	vals map[string]jsValue
}

func newObject() *object { return &object{vals: map[string]jsValue{}} }

// value is o[k]: undefined when absent.
func (o *object) value(k string) jsValue {
	if v, ok := o.vals[k]; ok {
		return v
	}
	return undefinedValue()
}

// set is o[k] = v.
func (o *object) set(k string, v jsValue) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// spread is {...o, ...src}: src's keys assigned in order.
func (o *object) spread(src *object) {
	for _, k := range src.keys {
		o.set(k, src.vals[k])
	}
}

func (o *object) clone() *object {
	c := newObject()
	c.spread(o)
	return c
}

// json is JSON.stringify(o).
func (o *object) json() []byte {
	b := []byte{'{'}
	first := true
	for _, k := range o.order() {
		v := o.vals[k]
		if v.undefined {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSString(b, k)
		b = append(b, ':')
		b = append(b, v.raw...)
	}
	return append(b, '}')
}

// order is the key order JavaScript uses: array-index keys ascending first,
// then the other keys in insertion order.
func (o *object) order() []string {
	var idx, rest []string
	for _, k := range o.keys {
		if isArrayIndex(k) {
			idx = append(idx, k)
		} else {
			rest = append(rest, k)
		}
	}
	if len(idx) == 0 {
		return rest
	}
	sort.Slice(idx, func(i, j int) bool {
		a, _ := strconv.ParseUint(idx[i], 10, 32)
		b, _ := strconv.ParseUint(idx[j], 10, 32)
		return a < b
	})
	return append(idx, rest...)
}

func isArrayIndex(k string) bool {
	if k == "" || (len(k) > 1 && k[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(k, 10, 32)
	return err == nil && n < math.MaxUint32
}

// form is the body as application/x-www-form-urlencoded, in the same order.
// Strings go as they are, other values as their JSON text.
func (o *object) form() []byte {
	var b strings.Builder
	for _, k := range o.order() {
		v := o.vals[k]
		if v.undefined {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		s, ok := v.str()
		if !ok {
			s = string(v.raw)
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(s))
	}
	return []byte(b.String())
}

// query is o as a URL query string, in the same order: strings go as they
// are, true as the bare name (logout's federated), false and undefined not
// at all, other values as their JSON text.
func (o *object) query() string {
	var b strings.Builder
	for _, k := range o.order() {
		v := o.vals[k]
		if v.undefined || string(v.raw) == "false" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		if string(v.raw) == "true" {
			continue
		}
		s, ok := v.str()
		if !ok {
			s = string(v.raw)
		}
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(s))
	}
	return b.String()
}

// appendJSString appends s as JSON.stringify writes a string: only '"', '\\'
// and control characters are escaped (no HTML escaping, no U+2028 escaping).
func appendJSString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				if c < 0x20 {
					b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
				} else {
					b = append(b, c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// normalizeJSON parses one JSON value and writes it back as
// JSON.stringify(JSON.parse(raw)) would.
func normalizeJSON(raw []byte) ([]byte, error) {
	if isPlainJSONString(raw) {
		return raw, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	out, err := readJS(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected text after the JSON value")
	}
	return out, nil
}

// isPlainJSONString reports whether raw is a JSON string without escapes or
// control characters, which JavaScript writes back unchanged: the common
// case, worth skipping the decoder for.
func isPlainJSONString(raw []byte) bool {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return false
	}
	inner := raw[1 : len(raw)-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return utf8.Valid(inner)
}

const maxJSONDepth = 64

func readJS(dec *json.Decoder, depth int) ([]byte, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("no JSON value")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := readJS(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.set(k, jsValue{raw: v})
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o.json(), nil
		case '[':
			b := []byte{'['}
			for n := 0; dec.More(); n++ {
				if n > 0 {
					b = append(b, ',')
				}
				v, err := readJS(dec, depth+1)
				if err != nil {
					return nil, err
				}
				b = append(b, v...)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return append(b, ']'), nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case string:
		return appendJSString(nil, t), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !isRangeErr(err) {
			return nil, err
		}
		return []byte(jsNumber(f)), nil
	case bool:
		return []byte(strconv.FormatBool(t)), nil
	case nil:
		return []byte("null"), nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// jsNumber formats f as JavaScript's Number.prototype.toString does
// (ECMAScript Number::toString, radix 10). Infinity is not JSON: JSON.stringify
// writes null.
func jsNumber(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if f == 0 {
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	// Shortest round-trip digits and exponent: d.ddd e±x.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k := len(digits)
	n := x + 1 // the position of the decimal point
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	es := "+"
	if n-1 < 0 {
		es = "-"
	}
	ev := strconv.Itoa(abs(n - 1))
	if k == 1 {
		return sign + digits + "e" + es + ev
	}
	return sign + digits[:1] + "." + digits[1:] + "e" + es + ev
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
