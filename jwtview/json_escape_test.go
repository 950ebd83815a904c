package jwtview

import (
	"encoding/json"
	"strings"
	"testing"
)

// Claims are shown as JSON with every unsafe rune escaped; one beyond U+FFFF
// (a tag character, used to hide text) is written as a surrogate pair, so
// the JSON stays valid and decodes to the same string.
func TestAppendJSONStringEscapesEveryUnsafeRune(t *testing.T) {
	for _, s := range []string{"a\x1b[2Jb", "\u009b\u202e", "flag\U000E0067\U000E007F", "ok 🙂"} {
		out := string(appendJSONString(nil, s))
		for _, r := range out {
			if unsafeRune(r) {
				t.Errorf("appendJSONString(%q) = %q holds %U", s, out, r)
			}
		}
		var back string
		if err := json.Unmarshal([]byte(out), &back); err != nil || back != s {
			t.Errorf("appendJSONString(%q) = %s decodes to %q, %v", s, out, back, err)
		}
	}
	if out := string(appendJSONString(nil, "\U000E0067")); !strings.EqualFold(out, `"\udb40\udc67"`) {
		t.Errorf("tag character: %s", out)
	}
}
