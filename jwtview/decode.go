// Package jwtview decodes JSON Web Tokens, validates OIDC id_tokens the way
// node-auth0 v2 and Auth0's "Validate ID Tokens" rules describe, and shows
// them in a Bubble Tea view (view.go, the only file here that imports
// Bubble Tea or Lip Gloss).
//
// Decode never verifies. Verify returns a Report with one Check per rule.
// Keys come only from the configured JWKS URL (via a KeyCache) or from the
// client secret: the token's own jku, x5u, jwk and x5c headers are never
// followed or used.
package jwtview

import (
	"encoding/base64"
	"fmt"
	"strings"

	"auth0-explorer/api"
)

// MaxTokenSize is the largest token Decode accepts, checked before any
// decoding.
const MaxTokenSize = 64 << 10

// Kind says what a pasted string turned out to be.
type Kind int

const (
	// KindJWS is a signed JWT: three segments.
	KindJWS Kind = iota
	// KindJWE is an encrypted token: five segments. Its payload cannot be read.
	KindJWE
	// KindOpaque is an opaque Auth0 access token: not a JWT at all.
	KindOpaque
)

func (k Kind) String() string {
	switch k {
	case KindJWS:
		return "JWS"
	case KindJWE:
		return "JWE"
	case KindOpaque:
		return "opaque"
	}
	return "unknown"
}

// Token is a decoded token. For KindJWS, Header, Payload, Signature and
// SigningInput are set; for KindJWE only Header; for KindOpaque none.
type Token struct {
	// Raw is the token as decoded: surrounding whitespace and a "Bearer "
	// prefix removed.
	Raw  string
	Kind Kind
	// Header and Payload keep their members in the order they were written.
	Header  Object
	Payload Object
	// Signature is the decoded third segment.
	Signature []byte
	// SigningInput is the first two segments and the dot between them: what
	// the signature covers.
	SigningInput string
	// Note explains a JWE or an opaque token in one sentence.
	Note string
	// Broken lists, for a token DecodePartial could only partly decode,
	// every segment that did not decode, in order; the others are set.
	// Empty for a token Decode returns.
	Broken []*DecodeError
}

// Alg is the header's alg when it is a string.
func (t *Token) Alg() string {
	if t == nil {
		return ""
	}
	s, _ := t.Header.String("alg")
	return s
}

// DecodeError says why a string is not a token. Part is "token", "header",
// "payload" or "signature".
type DecodeError struct {
	Part string
	Msg  string
}

func (e *DecodeError) Error() string {
	if e.Part == "token" {
		return e.Msg
	}
	return "the " + e.Part + " " + e.Msg
}

// Segment says which segment broke, for a view that shows the others:
// "the payload segment does not decode: it is not a JSON object: …". For
// the token as a whole (Part "token") it is Error.
func (e *DecodeError) Segment() string {
	if e.Part == "token" {
		return e.Msg
	}
	return "the " + e.Part + " segment does not decode: it " + e.Msg
}

// Clean removes what people paste around a token (api.CleanToken):
// surrounding whitespace, a trailing newline, quotes, an "Authorization:
// Bearer " or "Bearer " prefix, an access_token= or id_token= prefix.
func Clean(raw string) string {
	s, _ := api.CleanToken(raw)
	return s
}

// Decode splits and decodes raw without verifying anything. It accepts
// surrounding whitespace and a Bearer prefix and is strict about everything
// else: the segment count, unpadded base64url without stray characters, and
// header and payload that are JSON objects (valid UTF-8, no duplicate
// names). A token larger than MaxTokenSize is refused before decoding. A
// five-segment token comes back as KindJWE and an opaque Auth0 access token
// as KindOpaque, each with a Note, not an error.
func Decode(raw string) (*Token, error) {
	t, err := DecodePartial(raw)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// DecodePartial is Decode that keeps what decodes of a broken token: when
// a segment of a three-segment (signed) or five-segment (encrypted) token
// does not decode, it returns the error of the first broken segment (a
// *DecodeError whose Part names it) together with a Token holding the
// segments that did decode (Header and/or Payload; Signature and
// SigningInput stay empty) and Broken listing every segment that did not.
// The token is nil when nothing decodes or the string is not a token at
// all (wrong segment count, stray characters, too large). Without an
// error it is exactly Decode.
func DecodePartial(raw string) (*Token, error) {
	if len(raw) > MaxTokenSize+1024 { // room for whitespace and a prefix
		return nil, &DecodeError{Part: "token", Msg: fmt.Sprintf("the token is %d bytes, over the %d KiB limit; not decoded", len(raw), MaxTokenSize>>10)}
	}
	s := Clean(raw)
	if len(s) > MaxTokenSize {
		return nil, &DecodeError{Part: "token", Msg: fmt.Sprintf("the token is %d bytes, over the %d KiB limit; not decoded", len(s), MaxTokenSize>>10)}
	}
	if s == "" {
		return nil, &DecodeError{Part: "token", Msg: "no token given"}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return nil, &DecodeError{Part: "token", Msg: fmt.Sprintf("the token has %s at byte %d; a JWT is base64url segments separated by dots", describeByte(s, i), i)}
		}
	}
	dots := strings.Count(s, ".")
	switch dots {
	case 0:
		if looksOpaque(s) {
			return &Token{Raw: s, Kind: KindOpaque, Note: opaqueNote}, nil
		}
		return nil, &DecodeError{Part: "token", Msg: "the token has no dots; a JWT has three dot-separated segments"}
	case 2:
		return decodeJWS(s)
	case 4:
		return decodeJWE(s)
	}
	return nil, &DecodeError{Part: "token", Msg: fmt.Sprintf("the token has %d segments; a signed JWT has 3 (and an encrypted one 5)", dots+1)}
}

const opaqueNote = "opaque access token: not a JWT, only Auth0 can read it (use it with /userinfo); " +
	"Auth0 issues one when no audience was requested"

// looksOpaque recognises Auth0's legacy opaque access tokens: 16 to 128
// base64url characters without dots.
func looksOpaque(s string) bool {
	return len(s) >= 16 && len(s) <= 128 && !strings.Contains(s, ".")
}

func describeByte(s string, i int) string {
	c := s[i]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return "whitespace"
	case c == '=':
		return "base64 padding ('=')"
	case c == '+' || c == '/':
		return fmt.Sprintf("%q, which is standard base64, not base64url,", string(c))
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("a control character (\\x%02x)", c)
	case c >= 0x80:
		return "a non-ASCII character"
	}
	return fmt.Sprintf("the character %q", string(c))
}

var b64 = base64.RawURLEncoding.Strict()

func decodeSegment(part, seg string) ([]byte, error) {
	out, err := b64.DecodeString(seg)
	if err != nil {
		return nil, &DecodeError{Part: part, Msg: "is not valid unpadded base64url (" + strings.Replace(err.Error(), "illegal base64 data", "bad data", 1) + ": wrong length or stray bits)"}
	}
	return out, nil
}

func decodeJSONSegment(part, seg string) (Object, error) {
	if seg == "" {
		return nil, &DecodeError{Part: part, Msg: "is empty"}
	}
	data, err := decodeSegment(part, seg)
	if err != nil {
		return nil, err
	}
	obj, err := parseObject(data)
	if err != nil {
		return nil, &DecodeError{Part: part, Msg: "is not a JSON object: " + err.Error()}
	}
	return obj, nil
}

func decodeJWS(s string) (*Token, error) {
	i := strings.IndexByte(s, '.')
	j := i + 1 + strings.IndexByte(s[i+1:], '.')
	h, p, sig := s[:i], s[i+1:j], s[j+1:]
	t := &Token{Raw: s, Kind: KindJWS, SigningInput: s[:j]}
	var err error
	if t.Header, err = decodeJSONSegment("header", h); err != nil {
		t.Broken = append(t.Broken, err.(*DecodeError))
	}
	if t.Payload, err = decodeJSONSegment("payload", p); err != nil {
		de := err.(*DecodeError)
		if cty, _ := t.Header.String("cty"); strings.EqualFold(cty, "JWT") {
			de.Msg += ` (the header says "cty": "JWT": a nested token, which is not supported)`
		}
		if b, ok := t.Header.Get("b64"); ok && b == false {
			de.Msg += ` (the header says "b64": false: an unencoded payload, RFC 7797, which is not supported)`
		}
		t.Broken = append(t.Broken, de)
	}
	if t.Signature, err = decodeSegment("signature", sig); err != nil {
		t.Broken = append(t.Broken, err.(*DecodeError))
	}
	return partial(t)
}

// partial returns t when every segment decoded; else the first error and,
// when something decoded, t with the signature parts cleared.
func partial(t *Token) (*Token, error) {
	if len(t.Broken) == 0 {
		return t, nil
	}
	err := t.Broken[0]
	if t.Header == nil && t.Payload == nil {
		return nil, err
	}
	t.Signature, t.SigningInput = nil, ""
	return t, err
}

// jweParts names the segments of a compact JWE after the header.
var jweParts = [...]string{"encrypted key", "initialization vector", "ciphertext", "authentication tag"}

func decodeJWE(s string) (*Token, error) {
	segs := strings.SplitN(s, ".", 5)
	hdr, err := decodeJSONSegment("header", segs[0])
	if err != nil {
		return nil, err
	}
	t := &Token{Raw: s, Kind: KindJWE, Header: hdr}
	// The rest cannot be read without the key, but must still be base64url
	// (each may be empty: no encrypted key with "dir", for instance).
	for i, seg := range segs[1:] {
		if _, err := decodeSegment(jweParts[i], seg); err != nil {
			t.Broken = append(t.Broken, err.(*DecodeError))
		}
	}
	if len(t.Broken) > 0 {
		t.Note = jweNote(hdr)
		return partial(t)
	}
	alg, _ := hdr.String("alg")
	enc, _ := hdr.String("enc")
	iss, _ := hdr.String("iss")
	if alg == "dir" && iss != "" {
		t.Note = fmt.Sprintf("opaque access token (encrypted by %s, %s): only Auth0 can read it (use it with /userinfo); "+
			"Auth0 issues one when no audience was requested", escapeText(iss), escapeText(enc))
		t.Kind = KindOpaque
		return t, nil
	}
	t.Note = jweNote(hdr)
	return t, nil
}

func jweNote(hdr Object) string {
	alg, _ := hdr.String("alg")
	enc, _ := hdr.String("enc")
	return fmt.Sprintf("encrypted token (JWE, alg %s, enc %s): its claims cannot be read without the decryption key", escapeText(alg), escapeText(enc))
}
