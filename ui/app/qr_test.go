package app

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A QR code of a verification URL is a square of half blocks: the quiet
// zone (four light modules, drawn as full blocks) on every side, two
// modules per text row, the same text for the same input.
func TestQRTextShape(t *testing.T) {
	const uri = "https://tenant.eu.auth0.com/activate?user_code=BCDF-GHJK"
	a, err := QRText(uri)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := QRText(uri)
	if a != b {
		t.Error("the same input gave different drawings")
	}
	c, _ := QRText(uri + "X")
	if c == a {
		t.Error("different inputs gave the same drawing")
	}
	if !strings.HasSuffix(a, "\n") {
		t.Error("the drawing does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	width := utf8.RuneCountInString(lines[0])
	// A QR code is 21+4k modules wide, plus 4 of quiet zone each side.
	if (width-8-21)%4 != 0 || width < 29 {
		t.Fatalf("width %d is not a QR code's with its quiet zone", width)
	}
	if want := (width + 1) / 2; len(lines) != want {
		t.Errorf("%d rows for %d modules, want %d (two modules per row)", len(lines), width, want)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n != width {
			t.Fatalf("row %d has %d characters, want %d", i, n, width)
		}
		if strings.Trim(l, " ▀▄█") != "" {
			t.Fatalf("row %d has characters other than half blocks: %q", i, l)
		}
		// Quiet zone: the first and last four columns are light.
		r := []rune(l)
		for _, x := range []int{0, 1, 2, 3, width - 4, width - 3, width - 2, width - 1} {
			if r[x] != '█' && !(i == len(lines)-1 && r[x] == '▀') {
				t.Fatalf("row %d column %d is %q, not quiet zone", i, x, r[x])
			}
		}
	}
	// Rows 0 and 1 hold modules 0-3: all quiet zone.
	for i := 0; i < 2; i++ {
		if strings.Trim(lines[i], "█") != "" {
			t.Errorf("row %d is not all quiet zone: %q", i, lines[i])
		}
	}
	// Row 2 holds modules 4 and 5: the finder pattern's dark top edge
	// (module 4) over its light ring (module 5) at columns 4-10.
	r := []rune(lines[2])
	for x := 5; x <= 9; x++ {
		if r[x] != '▄' {
			t.Errorf("row 2 column %d is %q, want ▄ (the finder pattern's top edge)", x, r[x])
		}
	}
}

func TestQRTextRefusesNothingAndTooMuch(t *testing.T) {
	if _, err := QRText(""); err == nil {
		t.Error("an empty text gave a QR code")
	}
	if _, err := QRText(strings.Repeat("x", 5000)); err == nil {
		t.Error("5000 bytes gave a QR code")
	}
}

// A narrower quiet zone draws the same code with fewer blocks around it:
// two modules less on each side for a border of 2.
func TestQRTextBorder(t *testing.T) {
	const uri = "http://127.0.0.1:41234/activate?user_code=BCDF-GHJK"
	full, err := QRText(uri)
	if err != nil {
		t.Fatal(err)
	}
	if four, _ := QRTextBorder(uri, 4); four != full {
		t.Fatal("QRTextBorder(s, 4) differs from QRText(s)")
	}
	slim, err := QRTextBorder(uri, 2)
	if err != nil {
		t.Fatal(err)
	}
	fl := strings.Split(strings.TrimSuffix(full, "\n"), "\n")
	sl := strings.Split(strings.TrimSuffix(slim, "\n"), "\n")
	fw, sw := utf8.RuneCountInString(fl[0]), utf8.RuneCountInString(sl[0])
	if fw-sw != 4 {
		t.Fatalf("widths %d and %d, want 4 modules less", fw, sw)
	}
	if len(sl) != (sw+1)/2 {
		t.Fatalf("%d rows for %d modules", len(sl), sw)
	}
	// The code's first row of modules (row 4 of the full drawing, row 2 of
	// the slim one) is the same, shifted by the two modules.
	if got, want := []rune(sl[1])[2:sw-2], []rune(fl[2])[4:fw-4]; string(got) != string(want) {
		t.Fatalf("the code differs:\n%s\n%s", string(got), string(want))
	}
	if _, err := QRTextBorder("", 2); err == nil {
		t.Fatal("an empty text gave a code")
	}
}
