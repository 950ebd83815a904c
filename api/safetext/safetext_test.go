package safetext

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The sequences a hostile server or token may carry, and how they show.
var hostile = []struct {
	name, raw, shown string
}{
	{"window title", "\x1b]0;pwned\x07", `\x1b]0;pwned\a`},
	{"clipboard write", "\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\a`},
	{"clear screen", "\x1b[2J", `\x1b[2J`},
	{"bare CR", "ok\rFAIL", `ok\rFAIL`},
	{"C1 CSI", "\u009b2J", `\u009b2J`},
	{"C1 NEL", "a\u0085b", `a\u0085b`},
	{"DEL", "a\x7fb", `a\x7fb`},
	{"bidi override", "\u202eevil", `\u202eevil`},
	{"bidi isolate", "a\u2066b\u2069", `a\u2066b\u2069`},
	{"line separator", "a\u2028b", `a\u2028b`},
	{"zero-width space", "a\u200bb", `a\u200bb`},
	{"byte-order mark", "\ufeffx", `\ufeffx`},
	{"tag character", "a\U000E0041", `a\U000e0041`},
	{"invalid UTF-8", "bad \xff\xfe", `bad \xff\xfe`},
	{"NUL", "a\x00b", `a\x00b`},
}

func TestEscape(t *testing.T) {
	for _, c := range hostile {
		if got := Escape(c.raw); got != c.shown {
			t.Errorf("%s: Escape(%q) = %q, want %q", c.name, c.raw, got, c.shown)
		}
	}
	for in, want := range map[string]string{
		"":                            "",
		"plain text, naïve café 東京 🙂": "plain text, naïve café 東京 🙂",
		"a\nb\tc\r\n":                 `a\nb\tc\r\n`,
		"family 👩\u200d👩\u200d👧, ZWNJ می\u200cخواهم": "family 👩\u200d👩\u200d👧, ZWNJ می\u200cخواهم",
		"no\u00a0break":        "no\u00a0break",
		`a literal \x1b stays`: `a literal \x1b stays`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBody(t *testing.T) {
	for _, c := range hostile {
		for _, wrap := range []string{"%s", "line one\n%s\nline three\n", "{\"error\":\"%s\"}\r\n"} {
			raw := strings.Replace(wrap, "%s", c.raw, 1)
			want := strings.Replace(wrap, "%s", c.shown, 1)
			if got := Body([]byte(raw)); string(got) != want {
				t.Errorf("%s: Body(%q) = %q, want %q", c.name, raw, got, want)
			}
		}
	}
	// Lines, tabs and CRLF line ends stay; a clean body comes back as is.
	for _, in := range []string{"", "{\n  \"a\": 1\n}\n", "a\tb\r\nc\r\n", "naïve\n🙂\n"} {
		b := []byte(in)
		got := Body(b)
		if !bytes.Equal(got, b) {
			t.Errorf("Body(%q) = %q, want it unchanged", in, got)
		}
		if len(b) > 0 && &got[0] != &b[0] {
			t.Errorf("Body(%q) copied a clean body", in)
		}
	}
	if got := Body([]byte("a\r\r\nb\r")); string(got) != `a\r`+"\r\nb"+`\r` {
		t.Errorf("Body: CR not before a newline: %q", got)
	}
}

func TestLine(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"plain text, naïve café", 0, "plain text, naïve café"},
		{"a\n\n  b\tc\r\n", 0, "a b c"},
		{"\x1b[31mred\x1b[0m", 0, `\x1b[31mred\x1b[0m`},
		{"bell\x07 del\x7f", 0, `bell\a del\x7f`},
		{"csi \u009b2J", 0, `csi \u009b2J`},
		{"rtl \u202eevil", 0, `rtl \u202eevil`},
		{"bad \xff\xfe utf8", 0, `bad \xff\xfe utf8`},
		{"abcdef", 3, "abc…"},
		{"ab€", 3, "ab…"}, // the cut falls inside €: drop the partial character
		{"ab€", 5, "ab€"},
	}
	for _, c := range cases {
		if got := Line(c.in, c.max); got != c.want {
			t.Errorf("Line(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         `"plain"`,
		"a\"b\\c":       `"a\"b\\c"`,
		"\x1b]0;t\x07":  `"\x1b]0;t\a"`,
		"a\u202eb":      `"a\u202eb"`,
		"no\u00a0break": `"no\u00a0break"`, // invisible differences show
		"a\u200db":      `"a\u200db"`,
		"a\xff\x9b":     `"a\xff\x9b"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every rune Unsafe names is escaped by Escape, Body, Line and Quote, in the
// same form, and what they return is itself clean.
func TestEveryUnsafeRuneIsEscaped(t *testing.T) {
	n := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !Unsafe(r) {
			continue
		}
		n++
		s := "a" + string(r) + "b"
		q := strconv.QuoteRuneToASCII(r)
		want := "a" + q[1:len(q)-1] + "b"
		if got := Escape(s); got != want || !Clean(got) {
			t.Fatalf("Escape(%q) = %q, want %q", s, got, want)
		}
		if r != '\n' && r != '\t' {
			if got := Body([]byte(s)); string(got) != want {
				t.Fatalf("Body(%q) = %q, want %q", s, got, want)
			}
		}
		if got := Quote(s); !Clean(got) || strings.ContainsRune(got, r) {
			t.Fatalf("Quote(%q) = %q is not clean", s, got)
		}
		if got := Line(s, 0); !Clean(got) {
			t.Fatalf("Line(%q) = %q is not clean", s, got)
		}
	}
	if n < 200 {
		t.Errorf("only %d unsafe runes", n)
	}
	for _, r := range []rune{' ', 'a', 'é', '東', '🙂', 0xa0, 0x200c, 0x200d, 0xfe0f} {
		if Unsafe(r) {
			t.Errorf("Unsafe(%U) = true, want false", r)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, c := range hostile {
		f.Add(c.raw)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, out := range map[string]string{"Escape": Escape(s), "Body": string(Body([]byte(s))), "Line": Line(s, 40), "Quote": Quote(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q is not UTF-8", name, s, out)
			}
			if name != "Body" && !Clean(out) {
				t.Fatalf("%s(%q) = %q is not clean", name, s, out)
			}
			for _, r := range out {
				if Unsafe(r) && r != '\n' && r != '\t' && r != '\r' {
					t.Fatalf("%s(%q) = %q holds %U", name, s, out, r)
				}
			}
		}
	})
}

func BenchmarkBody(b *testing.B) {
	clean := bytes.Repeat([]byte(`{"access_token":"eyJhbGciOi","naïve":"café"}`+"\n"), 100_000)
	dirty := append(append([]byte{}, clean...), "\x1b[2J"...)
	b.Run("clean", func(b *testing.B) {
		b.SetBytes(int64(len(clean)))
		for b.Loop() {
			Body(clean)
		}
	})
	b.Run("dirty", func(b *testing.B) {
		b.SetBytes(int64(len(dirty)))
		for b.Loop() {
			Body(dirty)
		}
	})
}
