package jwtview

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A malformed, an opaque and an encrypted token: the view (narrow and
// wide) and the text output say why once (a word of the reason appears
// once), under a short verdict, and the format check does not repeat it.
func TestViewSaysTheReasonOnce(t *testing.T) {
	c := newClock()
	cases := []struct {
		name, raw, word string
		want            []string // present, once each
	}{
		{"malformed", enc(`{"alg":"RS256","typ":"JWT"}`) + "." + enc(`{"iss":"https://x/","sub":"abc`) + "." + enc("sig"), "unexpected",
			[]string{"MALFORMED: the payload segment does not decode", "the payload is not a JSON object: unexpected", "nothing of them is verified", "payload does not decode"}},
		{"opaque", "abcdefghijklmnopqrstuvwxyz012345", "/userinfo",
			[]string{"OPAQUE: not checked", "opaque access token: not a JWT", "opaque token"}},
		{"jwe", enc(`{"alg":"RSA-OAEP","enc":"A256GCM"}`) + "." + enc("k") + "." + enc("iv") + "." + enc("c") + "." + enc("t"), "decryption",
			[]string{"ENCRYPTED: not checked", "encrypted token (JWE, alg RSA-OAEP, enc A256GCM)", `alg "RSA-OAEP"`}},
	}
	for _, tc := range cases {
		r := Verify(context.Background(), tc.raw, Options{Now: c.Now})
		var text strings.Builder
		if err := r.WriteText(&text, time.UTC); err != nil {
			t.Fatal(err)
		}
		outs := map[string]string{"text": text.String()}
		for _, w := range []int{80, 140} {
			outs["view/"+itoa(w)] = sized(NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC}), w, 0).View()
		}
		for where, out := range outs {
			if n := strings.Count(out, tc.word); n != 1 {
				t.Errorf("%s, %s: %q appears %d times, not once:\n%s", tc.name, where, tc.word, n, out)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, s := range tc.want {
				if !strings.Contains(flat, s) && !strings.Contains(out, s) {
					t.Errorf("%s, %s: %q missing:\n%s", tc.name, where, s, out)
				}
			}
		}
	}
}
