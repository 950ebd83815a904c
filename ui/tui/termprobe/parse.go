// Package termprobe asks the terminal for its background colour before the
// terminal UI starts, with a short deadline, so the palette can suit light
// and dark backgrounds without ever stalling the start-up.
//
// The probe writes two queries: OSC 11 (the background colour) and then
// DA1 (primary device attributes). Every terminal answers DA1, and answers
// queries in order, so the DA1 reply is a sentinel: once it arrived, an
// OSC 11 reply either came before it or will never come. A terminal (or a
// pty relay with no terminal behind it) that answers nothing costs the
// deadline and no more.
//
// Only the terminal UI probes; headless commands never query the terminal.
package termprobe

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Query is what the probe writes: OSC 11 asking for the background colour
// (ST-terminated, as xterm documents), then DA1.
const Query = "\x1b]11;?\x1b\\" + "\x1b[c"

// da1Reply matches a primary device attributes reply: CSI ? Ps ; ... c.
var da1Reply = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)

// Replies is what was learnt from the bytes the terminal sent back.
type Replies struct {
	// Background reports whether an OSC 11 reply with a colour we could
	// read arrived; Dark is meaningful only then.
	Background bool
	Dark       bool
	// Sentinel reports whether the DA1 reply arrived, after which the
	// terminal will send nothing more in answer to the probe.
	Sentinel bool
	// Open is the kind of escape sequence the bytes end inside, whose
	// rest is still to come: ']' (OSC), '[' (CSI), ESC (a lone ESC at the
	// end), or 0.
	Open byte
}

// Scan reads the replies found in b, the bytes read from the terminal so
// far. Bytes around and between the replies (keys typed meanwhile) are
// ignored.
func Scan(b []byte) Replies {
	var r Replies
	if body, ok := osc11Body(b); ok {
		if rgb, ok := ParseColor(body); ok {
			r.Background = true
			r.Dark = rgb.Dark()
		}
	}
	r.Sentinel = da1Reply.Match(b)
	r.Open = openSequence(b)
	return r
}

// openSequence reports the kind of escape sequence b ends inside (see
// Replies.Open).
func openSequence(b []byte) byte {
	i := bytes.LastIndexByte(b, '\x1b')
	switch {
	case i < 0:
		return 0
	case i == len(b)-1:
		return '\x1b'
	}
	rest := b[i+2:]
	switch b[i+1] {
	case ']':
		if bytes.IndexByte(rest, '\a') < 0 {
			return ']'
		}
	case '[':
		if bytes.IndexFunc(rest, func(r rune) bool { return r >= 0x40 && r <= 0x7e }) < 0 {
			return '['
		}
	}
	return 0
}

// osc11Body returns the text of the first complete OSC 11 reply in b,
// between "ESC ] 11 ;" and its terminator (BEL or ST, ESC \).
func osc11Body(b []byte) (string, bool) {
	const intro = "\x1b]11;"
	i := bytes.Index(b, []byte(intro))
	if i < 0 {
		return "", false
	}
	rest := b[i+len(intro):]
	for j, c := range rest {
		switch {
		case c == '\a':
			return string(rest[:j]), true
		case c == '\x1b':
			if j+1 < len(rest) && rest[j+1] == '\\' {
				return string(rest[:j]), true
			}
			return "", false // another sequence began: not a reply we can read
		}
	}
	return "", false // incomplete
}

// RGB is a colour with each channel between 0 and 1.
type RGB struct{ R, G, B float64 }

// ParseColor reads an X11 colour specification as terminals send it in an
// OSC 11 reply: "rgb:R/G/B" with 1 to 4 hex digits per channel, or
// "rgba:R/G/B/A" (rxvt with transparency; the alpha is ignored).
func ParseColor(s string) (RGB, bool) {
	var want int
	switch {
	case strings.HasPrefix(s, "rgb:"):
		s, want = s[len("rgb:"):], 3
	case strings.HasPrefix(s, "rgba:"):
		s, want = s[len("rgba:"):], 4
	default:
		return RGB{}, false
	}
	parts := strings.Split(s, "/")
	if len(parts) != want {
		return RGB{}, false
	}
	var ch [4]float64
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return RGB{}, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return RGB{}, false
		}
		ch[i] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	return RGB{ch[0], ch[1], ch[2]}, true
}

// Luminance is the colour's relative luminance (WCAG: sRGB channels made
// linear, weighted by Rec. 709), from 0 (black) to 1 (white).
func (c RGB) Luminance() float64 {
	return 0.2126*linear(c.R) + 0.7152*linear(c.G) + 0.0722*linear(c.B)
}

func linear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// Dark reports whether text in light colours reads better on c than text
// in dark colours: c's contrast with white beats its contrast with black.
// The boundary is a luminance of about 0.18, a perceptual mid grey: #757575
// is dark, #767676 light.
func (c RGB) Dark() bool {
	l := c.Luminance()
	return (1+0.05)/(l+0.05) > (l+0.05)/(0+0.05)
}
