package app

import "testing"

func TestPrettify(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"JSON keeps key order and numbers", `{"z":1,"a":1.50e3,"n":[true,null]}`,
			"{\n  \"z\": 1,\n  \"a\": 1.50e3,\n  \"n\": [\n    true,\n    null\n  ]\n}\n"},
		{"indented JSON is indented again", "{\n\"a\":  \"b\"}", "{\n  \"a\": \"b\"\n}\n"},
		{"text gets a final newline", "Unauthorized", "Unauthorized\n"},
		{"text with one keeps it", "line\n", "line\n"},
		{"broken JSON is text", `{"a":`, "{\"a\":\n"},
	}
	for _, c := range cases {
		if got := string(Prettify([]byte(c.in))); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	in := []byte("text")
	Prettify(in[:2])
	if string(in) != "text" {
		t.Errorf("the input was written to: %q", in)
	}
}
