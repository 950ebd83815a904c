package termprobe

import (
	"math"
	"testing"
)

func TestParseColor(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		r, g, b float64
	}{
		{"rgb:ffff/ffff/ffff", true, 1, 1, 1},
		{"rgb:0000/0000/0000", true, 0, 0, 0},
		{"rgb:1e1e/1e1e/1e1e", true, 0x1e1e / 65535.0, 0x1e1e / 65535.0, 0x1e1e / 65535.0},
		{"rgb:FDFD/F6F6/E3E3", true, 0xfdfd / 65535.0, 0xf6f6 / 65535.0, 0xe3e3 / 65535.0},
		{"rgb:fd/f6/e3", true, 0xfd / 255.0, 0xf6 / 255.0, 0xe3 / 255.0},
		{"rgb:f/0/8", true, 1, 0, 8 / 15.0},
		{"rgb:fff/000/888", true, 1, 0, 0x888 / 4095.0},
		{"rgba:ffff/ffff/ffff/8000", true, 1, 1, 1},
		{"rgb:ffff/ffff", false, 0, 0, 0},
		{"rgb:ffff/ffff/ffff/ffff", false, 0, 0, 0},
		{"rgb:fffff/0/0", false, 0, 0, 0},
		{"rgb://", false, 0, 0, 0},
		{"rgb:gg/00/00", false, 0, 0, 0},
		{"rgb:-1/00/00", false, 0, 0, 0},
		{"rgb:+f/00/00", false, 0, 0, 0},
		{"#ffffff", false, 0, 0, 0},
		{"", false, 0, 0, 0},
		{"?", false, 0, 0, 0},
	}
	for _, c := range cases {
		got, ok := ParseColor(c.in)
		if ok != c.ok {
			t.Errorf("ParseColor(%q) ok = %v, want %v", c.in, ok, c.ok)
			continue
		}
		if ok && (!near(got.R, c.r) || !near(got.G, c.g) || !near(got.B, c.b)) {
			t.Errorf("ParseColor(%q) = %+v, want {%v %v %v}", c.in, got, c.r, c.g, c.b)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDark(t *testing.T) {
	cases := []struct {
		spec string
		dark bool
	}{
		{"rgb:0000/0000/0000", true},
		{"rgb:1e1e/1e1e/1e1e", true}, // ptyframe's default, VS Code dark
		{"rgb:0000/2b2b/3636", true}, // Solarized dark
		{"rgb:2828/2a2a/3636", true}, // Dracula
		{"rgb:75/75/75", true},       // just under a mid grey
		{"rgb:76/76/76", false},
		{"rgb:fdfd/f6f6/e3e3", false}, // Solarized light
		{"rgb:ffff/ffff/ffff", false},
		{"rgb:0/0/f", true},  // pure blue is dark
		{"rgb:0/f/0", false}, // pure green is light
	}
	for _, c := range cases {
		rgb, ok := ParseColor(c.spec)
		if !ok {
			t.Fatalf("ParseColor(%q) failed", c.spec)
		}
		if got := rgb.Dark(); got != c.dark {
			t.Errorf("%s: Dark() = %v (luminance %.3f), want %v", c.spec, got, rgb.Luminance(), c.dark)
		}
	}
}

func TestScan(t *testing.T) {
	const da1 = "\x1b[?62;22c"
	cases := []struct {
		name string
		in   string
		want Replies
	}{
		{"light, ST", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\" + da1, Replies{Background: true, Dark: false, Sentinel: true}},
		{"light, BEL", "\x1b]11;rgb:ffff/ffff/ffff\a" + da1, Replies{Background: true, Dark: false, Sentinel: true}},
		{"dark, 2 digits", "\x1b]11;rgb:1e/1e/1e\a" + da1, Replies{Background: true, Dark: true, Sentinel: true}},
		{"light, 1 digit", "\x1b]11;rgb:f/f/f\x1b\\" + da1, Replies{Background: true, Dark: false, Sentinel: true}},
		{"typed keys around", "ab\x1b]11;rgb:ffff/ffff/ffff\x1b\\cd" + da1 + "ef", Replies{Background: true, Dark: false, Sentinel: true}},
		{"only DA1", da1, Replies{Sentinel: true}},
		{"DA1 of another terminal", "\x1b[?1;2c", Replies{Sentinel: true}},
		{"nothing", "", Replies{}},
		{"colour without DA1", "\x1b]11;rgb:ffff/ffff/ffff\a", Replies{Background: true, Dark: false}},
		{"cut in the colour", "\x1b]11;rgb:ffff/ff", Replies{Open: ']'}},
		{"cut in DA1", "\x1b]11;rgb:0/0/0\a\x1b[?62;", Replies{Background: true, Dark: true, Open: '['}},
		{"cut after ESC", "\x1b]11;rgb:0/0/0\x1b", Replies{Open: '\x1b'}},
		{"garbage colour", "\x1b]11;bright\a" + da1, Replies{Sentinel: true}},
		{"garbage digits", "\x1b]11;rgb:zz/zz/zz\a" + da1, Replies{Sentinel: true}},
		{"other OSC", "\x1b]10;rgb:ffff/ffff/ffff\a" + da1, Replies{Sentinel: true}},
		{"unterminated then DA1", "\x1b]11;rgb:ffff/ffff/ffff" + da1, Replies{Sentinel: true}},
		{"DA2 is no sentinel", "\x1b[>1;10;0c", Replies{}},
		{"binary noise", "\x00\xff\xfe\x1b\x1b]]11;;", Replies{Open: ']'}},
	}
	for _, c := range cases {
		if got := Scan([]byte(c.in)); got != c.want {
			t.Errorf("%s: Scan(%q) = %+v, want %+v", c.name, c.in, got, c.want)
		}
	}
}
