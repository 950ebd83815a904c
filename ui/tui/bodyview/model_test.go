package bodyview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

func TestPrepareJSONKeepsKeyOrderAndNumbers(t *testing.T) {
	body := `{"z":1,"a":{"big":12345678901234567890123,"f":1.10,"e":-1E+400},"list":[true,false,null,"s"],"empty":{},"none":[]}`
	m := ready(t, body, "application/json; charset=utf-8", false, 60, 20)
	want := `{
  "z": 1,
  "a": {
    "big": 12345678901234567890123,
    "f": 1.10,
    "e": -1E+400
  },
  "list": [
    true,
    false,
    null,
    "s"
  ],
  "empty": {},
  "none": []
}`
	if got := m.Content(); got != want {
		t.Fatalf("Content():\n%s\nwant:\n%s", got, want)
	}
	r := rows(t, m)
	if r[0] != " 1 {" || r[3] != ` 4     "big": 12345678901234567890123,` {
		t.Fatalf("rows:\n%s", strings.Join(r, "\n"))
	}
	checkFrame(t, m, 60, 20)
	if m.Empty() {
		t.Fatal("Empty() with a body")
	}
}

func TestIndentJSONMatchesEncodingJSON(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `"s"`, `12.50`, `null`,
		` { "a" : [ 1 , { "b" : "x\"y\\" } , [ ] ] , "c" : { } } `,
		`[[[[{"deep":[1,[2,[3]]]}]]]]`,
		`{"k":"v with , : { [ inside","u":"\u202e\u0000"}`,
		string(usersJSON(4 << 10)),
	}
	for _, d := range docs {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(d), "", "  "); err != nil {
			t.Fatalf("json.Indent(%q): %v", d, err)
		}
		var got strings.Builder
		indentJSON(&got, []byte(d))
		if w := strings.TrimRight(want.String(), " "); got.String() != w {
			t.Fatalf("indentJSON(%q):\n%s\nwant:\n%s", d, got.String(), w)
		}
	}
	var deep strings.Builder // deeper than the indentation constant
	indentJSON(&deep, []byte(strings.Repeat("[", 50)+strings.Repeat("]", 50)))
	var want bytes.Buffer
	_ = json.Indent(&want, []byte(strings.Repeat("[", 50)+strings.Repeat("]", 50)), "", "  ")
	if deep.String() != want.String() {
		t.Fatal("indentJSON differs from json.Indent at depth 50")
	}
}

func TestPrepareText(t *testing.T) {
	m := ready(t, "line one\r\nline two\n\nlast", "text/plain", false, 40, 8)
	r := rows(t, m)
	if r[0] != "1 line one" || r[1] != "2 line two" || r[2] != "3 " || r[3] != "4 last" {
		t.Fatalf("rows:\n%q", r)
	}
	if m.Content() != "line one\r\nline two\n\nlast" {
		t.Fatalf("Content() = %q", m.Content())
	}
	// Invalid JSON that claims to be JSON is shown as text, not mangled.
	m = ready(t, `{"a": 1,, oops`, "application/json", false, 40, 8)
	if r := rows(t, m); r[0] != `1 {"a": 1,, oops` {
		t.Fatalf("invalid JSON row: %q", r[0])
	}
	// A JSON-looking text body that is not JSON keeps its lines.
	m = ready(t, "[section]\nkey=value\n", "text/plain", false, 40, 8)
	if r := rows(t, m); r[0] != "1 [section]" || r[1] != "2 key=value" {
		t.Fatalf("rows: %q", r)
	}
}

func TestEscapesControlSequences(t *testing.T) {
	body := "osc52 \x1b]52;c;SGVsbG8=\x07 end\n" +
		"clear \x1b[2J\x1b[H\n" +
		"bare\rCR\n" +
		"bidi \u202eevil\u202c and \u2066iso\u2069\n" +
		"bad utf8 \xff\xfe and c1 \u0085 del \x7f tab\there\n" +
		"ok é 中文\n"
	m := ready(t, body, "text/html", false, 80, 10)
	checkFrame(t, m, 80, 10)
	v := rows(t, m)
	want := []string{
		`1 osc52 \x1b]52;c;SGVsbG8=\a end`,
		`2 clear \x1b[2J\x1b[H`,
		`3 bare\rCR`,
		`4 bidi \u202eevil\u202c and \u2066iso\u2069`,
		`5 bad utf8 \xff\xfe and c1 \u0085 del \x7f tab\there`,
		`6 ok é 中文`,
	}
	for i, w := range want {
		if v[i] != w {
			t.Errorf("row %d = %q, want %q", i, v[i], w)
		}
	}
	if m.Content() != body {
		t.Error("Content() is not the raw body")
	}

	// In JSON, escapes stay JSON text; raw bidi and C1 runes are escaped.
	m = ready(t, "{\"a\":\"\\u001b[2J\",\"b\":\"x\u202ey\u0085\"}", "application/json", false, 80, 10)
	checkFrame(t, m, 80, 10)
	v = rows(t, m)
	if v[1] != `2   "a": "\u001b[2J",` || v[2] != `3   "b": "x\u202ey\u0085"` {
		t.Fatalf("rows: %q", v)
	}
}

func TestEscapeLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		"":                     "",
		"\x1b]52;c;QQ==\x1b\\": `\x1b]52;c;QQ==\x1b\`,
		"a\rb\tc\x00":          `a\rb\tc\x00`,
		"\u200f\ufeff\u2028":   `\u200f\ufeff\u2028`,
		"\xc3":                 `\xc3`,      // cut UTF-8 sequence
		"\u009b31m":            `\u009b31m`, // a C1 control, not the byte 0x9b
	} {
		if got := escapeLine(in); got != want {
			t.Errorf("escapeLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncatedNotice(t *testing.T) {
	full := string(usersJSON(3000))
	cut := full[:2000] // mid-object, maybe mid-string
	m := ready(t, cut, "application/json", true, 70, 12)
	checkFrame(t, m, 70, 12)
	r := rows(t, m)
	if !strings.Contains(r[0], "body cut at 8 MiB (the size limit)") {
		t.Fatalf("first row is not the notice: %q", r[0])
	}
	// Still indented as JSON, as far as it goes.
	if r[1] != " 1 [" || r[2] != " 2   {" || !strings.HasPrefix(r[3], ` 3     "user_id": "auth0|`) {
		t.Fatalf("rows:\n%s", strings.Join(r, "\n"))
	}
	press(t, m, "G")
	if r := rows(t, m); !strings.Contains(r[0], "body cut at 8 MiB") {
		t.Fatalf("notice scrolled away: %q", r[0])
	}
	// Without truncation no notice.
	m = ready(t, full, "application/json", false, 70, 12)
	if r := rows(t, m); strings.Contains(r[0], "cut") {
		t.Fatalf("notice on a whole body: %q", r[0])
	}
	// A cut text body that starts like JSON stays text.
	m = ready(t, "[section]\nkey=value, more\n[other", "text/plain", true, 70, 12)
	if r := rows(t, m); r[1] != "1 [section]" || r[2] != "2 key=value, more" || r[3] != "3 [other" {
		t.Fatalf("cut text body: %q", r)
	}
	// The notice tells the cap it was given.
	m = New(DefaultStyles(), DefaultKeyMap())
	m.SetSize(70, 5)
	m.Update(m.Prepare(1, []byte("abc"), "text/plain", true, 512<<10)())
	if r := rows(t, m); !strings.Contains(r[0], "body cut at 512 KiB") {
		t.Fatalf("notice: %q", r[0])
	}
}

func TestStalePreparedMsgDropped(t *testing.T) {
	m := New(DefaultStyles(), DefaultKeyMap())
	m.SetSize(40, 5)
	if r := rows(t, m); r[0] != "no response yet" {
		t.Fatalf("initial row: %q", r[0])
	}
	first := m.Prepare(1, []byte(`{"first":1}`), "application/json", false, 0)
	second := m.Prepare(2, []byte(`{"second":2}`), "application/json", false, 0)
	if r := rows(t, m); r[0] != "preparing body…" {
		t.Fatalf("while preparing: %q", r[0])
	}
	m.Update(first())
	if r := rows(t, m); r[0] != "preparing body…" || m.Content() != "" {
		t.Fatalf("stale message applied: %q %q", r[0], m.Content())
	}
	m.Update(second())
	if !strings.Contains(m.Content(), "second") {
		t.Fatalf("current message not applied: %q", m.Content())
	}
	m.Update(first()) // late again, after the current one
	if !strings.Contains(m.Content(), "second") {
		t.Fatal("a late message replaced the shown body")
	}
	// After Clear, a pending result is dropped too.
	third := m.Prepare(3, []byte(`{"third":3}`), "application/json", false, 0)
	m.Clear()
	m.Update(third())
	if !m.Empty() {
		t.Fatal("a result arriving after Clear was applied")
	}
	m.Update(m.Prepare(4, nil, "", false, 0)())
	if r := rows(t, m); r[0] != "the response has no body" || !m.Empty() {
		t.Fatalf("empty body: %q", r[0])
	}
}

// numbered is a text body of n lines "line 1".."line n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

func TestScrollingBounds(t *testing.T) {
	m := ready(t, numbered(100), "text/plain", false, 40, 11) // 10 text rows
	first := func() string { return rows(t, m)[0] }
	status := func() string { return strings.TrimSpace(rows(t, m)[10]) }
	steps := []struct {
		keys  []string
		first string
		stat  string
	}{
		{nil, "  1 line 1", "L1-10 of 100 Top"},
		{[]string{"k"}, "  1 line 1", "L1-10 of 100 Top"},
		{[]string{"up"}, "  1 line 1", "L1-10 of 100 Top"},
		{[]string{"j"}, "  2 line 2", "L2-11 of 100 1%"},
		{[]string{"down", "down"}, "  4 line 4", "L4-13 of 100 3%"},
		{[]string{"pgdown"}, " 14 line 14", "L14-23 of 100 14%"},
		{[]string{"ctrl+d"}, " 19 line 19", "L19-28 of 100 20%"},
		{[]string{"ctrl+u"}, " 14 line 14", "L14-23 of 100 14%"},
		{[]string{"pgup", "pgup"}, "  1 line 1", "L1-10 of 100 Top"},
		{[]string{"G"}, " 91 line 91", "L91-100 of 100 Bot"},
		{[]string{"j", "pgdown", "ctrl+d"}, " 91 line 91", "L91-100 of 100 Bot"},
		{[]string{"g"}, "  1 line 1", "L1-10 of 100 Top"},
		{[]string{"end"}, " 91 line 91", "L91-100 of 100 Bot"},
		{[]string{"home"}, "  1 line 1", "L1-10 of 100 Top"},
	}
	for _, s := range steps {
		press(t, m, s.keys...)
		if first() != s.first || status() != s.stat {
			t.Fatalf("after %v: first row %q, status %q; want %q, %q", s.keys, first(), status(), s.first, s.stat)
		}
		checkFrame(t, m, 40, 11)
	}
	// A short body does not scroll at all.
	m = ready(t, numbered(3), "text/plain", false, 40, 11)
	press(t, m, "G", "j", "pgdown")
	if r := rows(t, m); r[0] != "1 line 1" || strings.TrimSpace(r[10]) != "L1-3 of 3 All" {
		t.Fatalf("short body: %q / %q", r[0], r[10])
	}
	// Keys do nothing while the pane is not focused.
	m = ready(t, numbered(100), "text/plain", false, 40, 11)
	m.Blur()
	press(t, m, "G")
	if rows(t, m)[0] != "  1 line 1" {
		t.Fatal("a blurred pane scrolled on a key")
	}
}

func TestMouseWheel(t *testing.T) {
	m := ready(t, numbered(100), "text/plain", false, 40, 11)
	m.Blur() // the wheel scrolls the pane under the pointer, focused or not
	wheel := func(b tea.MouseButton, shift bool) {
		m.Update(tea.MouseMsg{Button: b, Action: tea.MouseActionPress, Shift: shift})
	}
	wheel(tea.MouseButtonWheelDown, false)
	wheel(tea.MouseButtonWheelDown, false)
	if r := rows(t, m); r[0] != "  7 line 7" {
		t.Fatalf("after two wheel steps down: %q", r[0])
	}
	wheel(tea.MouseButtonWheelUp, false)
	if r := rows(t, m); r[0] != "  4 line 4" {
		t.Fatalf("after a wheel step up: %q", r[0])
	}
	for range 5 {
		wheel(tea.MouseButtonWheelUp, false)
	}
	if r := rows(t, m); r[0] != "  1 line 1" {
		t.Fatalf("wheel past the top: %q", r[0])
	}
	m.Update(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionRelease})
	if r := rows(t, m); r[0] != "  1 line 1" {
		t.Fatalf("a release scrolled: %q", r[0])
	}

	// Sideways: wheel left/right and shift+wheel move the columns.
	m = ready(t, "0123456789abcdefghijklmnopqrstuvwxyz0123456789\n", "text/plain", false, 30, 3)
	wheel(tea.MouseButtonWheelRight, false)
	if r := rows(t, m); r[0] != "1 6789abcdefghijklmnopqrstuvwx" {
		t.Fatalf("wheel right: %q", r[0])
	}
	wheel(tea.MouseButtonWheelDown, true)
	if r := rows(t, m); r[0] != "1 cdefghijklmnopqrstuvwxyz0123" {
		t.Fatalf("shift+wheel down: %q", r[0])
	}
	wheel(tea.MouseButtonWheelUp, true)
	wheel(tea.MouseButtonWheelLeft, false)
	if r := rows(t, m); r[0] != "1 0123456789abcdefghijklmnopqr" {
		t.Fatalf("back left: %q", r[0])
	}
}

func TestHorizontalScroll(t *testing.T) {
	long := strings.Repeat("abcdefghij", 30) // 300 columns
	m := ready(t, "short\n"+long+"\na中文中文中文中文中文中文中文中文中文中文中文中文中文中文\n", "text/plain", false, 30, 5)
	r := rows(t, m)
	if r[1] != "2 abcdefghijabcdefghijabcdefgh" {
		t.Fatalf("row: %q", r[1])
	}
	press(t, m, "right") // half the 28 text columns
	r = rows(t, m)
	if r[0] != "1 " || r[1] != "2 efghijabcdefghijabcdefghijab" || !strings.Contains(r[4], "col 15") {
		t.Fatalf("after right: %q", r)
	}
	// A wide character cut by the left edge becomes a blank.
	if r[2] != "3  文中文中文中文中文中文中文" {
		t.Fatalf("wide row: %q", r[2])
	}
	for range 50 {
		press(t, m, "l")
	}
	r = rows(t, m)
	if r[1] != "2 cdefghijabcdefghijabcdefghij" { // the end of the longest line
		t.Fatalf("at the right end: %q", r[1])
	}
	checkFrame(t, m, 30, 5)
	press(t, m, "left", "h", "left", "left", "left", "left", "left", "left", "left", "left", "left", "left", "left")
	if r = rows(t, m); r[1] != "2 abcdefghijabcdefghijabcdefgh" {
		t.Fatalf("back at the left: %q", r[1])
	}
}

func TestSearch(t *testing.T) {
	body := `{"name":"Foo","list":["a","foo bar FOO",3],"n":{"food":true},"x":1,"y":2,"z":3,"w":4}`
	m := ready(t, body, "application/json", false, 50, 8) // 7 text rows, 15 lines
	if m.Capturing() {
		t.Fatal("capturing before /")
	}
	press(t, m, "/")
	if !m.Capturing() {
		t.Fatal("not capturing after /")
	}
	typeText(m, "fOo")
	if r := rows(t, m); !strings.HasPrefix(r[7], "/fOo") {
		t.Fatalf("input row: %q", r[7])
	}
	press(t, m, "q", "backspace") // keys that are global elsewhere are text here
	press(t, m, "enter")
	if m.Capturing() {
		t.Fatal("still capturing after enter")
	}
	status := func() string { return rows(t, m)[7] }
	if !strings.HasPrefix(status(), `1/4 "fOo"`) {
		t.Fatalf("status after enter: %q", status())
	}
	// n walks the matches in order and wraps; N goes back and wraps.
	for _, want := range []string{"2/4", "3/4", "4/4", "1/4"} {
		press(t, m, "n")
		if !strings.HasPrefix(status(), want) {
			t.Fatalf("after n: %q, want %s", status(), want)
		}
	}
	press(t, m, "N")
	if !strings.HasPrefix(status(), "4/4") {
		t.Fatalf("after N from the first: %q", status())
	}
	// The 4th match ("food", line 11) is out of the first 7 rows: revealed.
	if r := rows(t, m); !strings.Contains(strings.Join(r[:7], "\n"), `"food": true`) {
		t.Fatalf("current match not visible:\n%s", strings.Join(r, "\n"))
	}

	// Matches are highlighted in visible lines, the current one differently.
	press(t, m, "g")
	withProfile(termenv.ANSI256, func() {
		m.cur = 1 // "foo" in "foo bar FOO"
		v := m.View()
		cur := m.styles.CurrentMatch.Render("foo")
		other := m.styles.Match.Render("FOO")
		if !strings.Contains(v, cur) || !strings.Contains(v, other) || cur == other {
			t.Fatalf("matches not highlighted:\n%q", v)
		}
		if !strings.Contains(v, m.styles.Key.Render(`"name"`)) || !strings.Contains(v, m.styles.Number.Render("3")) {
			t.Fatalf("JSON not coloured:\n%q", v)
		}
	})

	// esc clears the search.
	press(t, m, "esc")
	if m.Searching() || strings.Contains(status(), "/4") {
		t.Fatalf("after esc: %q", status())
	}
	press(t, m, "n")
	if strings.Contains(status(), "/4") {
		t.Fatal("n after esc found a match")
	}

	// No match, then esc while typing drops the input and the search.
	press(t, m, "/")
	typeText(m, "zzz")
	press(t, m, "enter")
	if !strings.HasPrefix(status(), `no match for "zzz"`) {
		t.Fatalf("status: %q", status())
	}
	press(t, m, "/")
	typeText(m, "foo")
	press(t, m, "esc")
	if m.Capturing() || m.Searching() {
		t.Fatal("esc while typing left the input or the search")
	}
	// Blur drops the input too.
	press(t, m, "/")
	m.Blur()
	if m.Capturing() {
		t.Fatal("capturing after Blur")
	}
}

func TestSearchMatchesEscapedTextAndUnicode(t *testing.T) {
	m := ready(t, "Ünïcode ÉCOLE\nesc \x1b[2J here\n", "text/plain", false, 50, 5)
	press(t, m, "/")
	typeText(m, "école")
	press(t, m, "enter")
	if r := rows(t, m); !strings.HasPrefix(r[4], `1/1 "école"`) {
		t.Fatalf("unicode search: %q", r[4])
	}
	press(t, m, "/")
	typeText(m, `\x1b[2j`)
	press(t, m, "enter")
	if r := rows(t, m); !strings.HasPrefix(r[4], `1/1`) {
		t.Fatalf("search of the shown escape: %q", r[4])
	}
}

func TestSearchRevealsColumn(t *testing.T) {
	m := ready(t, strings.Repeat("x", 200)+"needle"+strings.Repeat("y", 50)+"\n", "text/plain", false, 40, 4)
	press(t, m, "/")
	typeText(m, "needle")
	press(t, m, "enter")
	if r := rows(t, m); !strings.Contains(r[0], "needle") {
		t.Fatalf("match not scrolled into view: %q", r[0])
	}
}

func TestResize(t *testing.T) {
	m := ready(t, numbered(50), "text/plain", false, 40, 20)
	press(t, m, "G")
	if r := rows(t, m); r[0] != "32 line 32" {
		t.Fatalf("bottom at 20 rows: %q", r[0])
	}
	m.SetSize(30, 60) // taller than needed: back to the top, the rest blank
	checkFrame(t, m, 30, 60)
	if r := rows(t, m); r[0] != " 1 line 1" || r[49] != "50 line 50" || r[50] != "" || !strings.HasSuffix(r[59], "L1-50 of 50 All") {
		t.Fatalf("after growing: %q %q %q %q", r[0], r[49], r[50], r[59])
	}
	for _, sz := range [][2]int{{10, 3}, {1, 1}, {5, 2}, {80, 24}, {25, 2}} {
		m.SetSize(sz[0], sz[1])
		checkFrame(t, m, sz[0], sz[1])
	}
	m.SetSize(0, 0)
	if m.View() != "" {
		t.Fatal("a 0x0 pane rendered something")
	}
}

func TestHelpShowsOnlyWorkingKeys(t *testing.T) {
	names := func(m *Model) string {
		var s []string
		for _, b := range m.ShortHelp() {
			s = append(s, b.Help().Key)
		}
		return strings.Join(s, " ")
	}
	m := New(DefaultStyles(), DefaultKeyMap())
	m.SetSize(40, 10)
	m.Focus()
	if h := names(m); h != "" {
		t.Fatalf("help with no body: %q", h)
	}
	m = ready(t, `{"a":1}`, "application/json", false, 40, 10)
	if h := names(m); h != "/" {
		t.Fatalf("help for a short body: %q", h)
	}
	m = ready(t, numbered(30)+strings.Repeat("w", 100), "text/plain", false, 40, 10)
	if h := names(m); h != "↑/k ↓/j pgdn/f ←/h →/l /" {
		t.Fatalf("help for a long, wide body: %q", h)
	}
	press(t, m, "/")
	if h := names(m); h != "enter esc" {
		t.Fatalf("help while typing: %q", h)
	}
	typeText(m, "line 1")
	press(t, m, "enter")
	if h := names(m); !strings.HasSuffix(h, "/ n N esc") {
		t.Fatalf("help with matches: %q", h)
	}
	if len(m.FullHelp()) != 3 {
		t.Fatalf("full help groups: %d", len(m.FullHelp()))
	}
	m.Blur()
	if m.ShortHelp() != nil || m.FullHelp() != nil {
		t.Fatal("help from a blurred pane")
	}
}

func FuzzPrepareView(f *testing.F) {
	f.Add([]byte(`{"a":[1,"\u001b",{"b":null}]}`), true, false)
	f.Add([]byte("\x1b]52;c;QQ==\x07\r\n\u202e\xff"), false, true)
	f.Add(usersJSON(600)[:333], true, true)
	f.Fuzz(func(t *testing.T, body []byte, jsonType, truncated bool) {
		ct := "text/plain"
		if jsonType {
			ct = "application/json"
		}
		m := ready(t, string(body), ct, truncated, 30, 6)
		checkFrame(t, m, 30, 6)
		press(t, m, "G", "right", "/")
		typeText(m, "a")
		press(t, m, "enter", "n")
		checkFrame(t, m, 30, 6)
	})
}
