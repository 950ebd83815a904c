package app

import (
	"errors"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QRText draws a QR code of s for a terminal: two modules per character
// row with Unicode half blocks (▀ ▄ █ and space), the standard four-module
// quiet zone around it. The light modules (and the quiet zone) are drawn
// with blocks and the dark ones left blank, as qrencode -t UTF8 does: the
// code reads the right way round on a terminal with a dark background, the
// usual one (on a light one it is inverted, which most phone cameras still
// read). Each line ends with a newline; the same s always gives the same
// text. Error correction is Medium.
func QRText(s string) (string, error) { return QRTextBorder(s, 4) }

// QRTextBorder is QRText with a quiet zone of quiet modules (0 to 4)
// around the code: a pane with little room draws the code with the 2 most
// phone cameras need rather than not at all.
func QRTextBorder(s string, quiet int) (string, error) {
	quiet = min(max(quiet, 0), 4)
	if s == "" {
		return "", errors.New("there is nothing to put in the QR code")
	}
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return "", errors.New("the text is too long for a QR code")
	}
	q.DisableBorder = true
	code := q.Bitmap()
	n := len(code) + 2*quiet
	bm := make([][]bool, n) // the code inside its quiet zone
	for y := range bm {
		bm[y] = make([]bool, n)
		if y >= quiet && y < quiet+len(code) {
			copy(bm[y][quiet:], code[y-quiet])
		}
	}
	var b strings.Builder
	for y := 0; y < len(bm); y += 2 {
		for x := range bm[y] {
			// Bitmap's true is a dark module; a block is drawn light.
			top := !bm[y][x]
			bottom := y+1 < len(bm) && !bm[y+1][x]
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}
