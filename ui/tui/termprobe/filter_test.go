package termprobe

import (
	"context"
	"io"
	"reflect"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// chunks is an input that hands out one chunk per Read, as a terminal's
// writes arrive, so Bubble Tea's own parser turns them into messages.
type chunks []string

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	(*c)[0] = (*c)[0][n:]
	if (*c)[0] == "" {
		*c = (*c)[1:]
	}
	return n, nil
}

// recorder keeps the keys that reach it and quits on "q".
type recorder struct{ keys []string }

func (r *recorder) Init() tea.Cmd { return nil }
func (r *recorder) View() string  { return "" }
func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		r.keys = append(r.keys, k.String())
		if k.String() == "q" {
			return r, tea.Quit
		}
	}
	return r, nil
}

// keysThrough runs a Bubble Tea program reading input, with r's late-reply
// filter made at asked and then run on a clock that reads at, and returns
// the keys that reached the model.
func keysThrough(t *testing.T, r Result, asked, at time.Time, input ...string) []string {
	t.Helper()
	in := chunks(append(input, "q"))
	m := &recorder{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	opts := []tea.ProgramOption{tea.WithInput(&in), tea.WithOutput(io.Discard), tea.WithoutRenderer(),
		tea.WithoutSignalHandler(), tea.WithContext(ctx)}
	clock := asked
	if f := r.LateFilter(func() time.Time { return clock }); f != nil {
		opts = append(opts, tea.WithFilter(f))
	}
	clock = at
	if _, err := tea.NewProgram(m, opts...).Run(); err != nil {
		t.Fatalf("the program stopped: %v (keys so far %q)", err, m.keys)
	}
	return m.keys
}

func TestLateFilter(t *testing.T) {
	asked := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	unanswered := Result{Asked: true}
	soon := asked.Add(300 * time.Millisecond)
	cases := []struct {
		name  string
		r     Result
		at    time.Time
		input []string
		want  []string
	}{
		{"late OSC 11 with ST, then DA1, then keys", unanswered, soon,
			[]string{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\", "\x1b[?62;22c", "j", "?", "1", "c"},
			[]string{"j", "?", "1", "c", "q"}},
		{"late OSC 11 with BEL", unanswered, soon,
			[]string{"\x1b]11;rgb:1e/1e/1e\a\x1b[?62;22c", "k"},
			[]string{"k", "q"}},
		{"all in one read with keys after", unanswered, soon,
			[]string{"\x1b]11;rgb:f/f/f\x1b\\\x1b[?1;2cab"},
			[]string{"ab", "q"}},
		{"the probe read the start of the colour", Result{Asked: true, Replies: Replies{Open: ']'}}, soon,
			[]string{"ff/ffff/ffff\x1b\\", "a"},
			[]string{"a", "q"}},
		{"the probe read the ESC", Result{Asked: true, Replies: Replies{Open: '\x1b'}}, soon,
			[]string{"]11;rgb:0/0/0\a", "x"},
			[]string{"x", "q"}},
		{"the probe read the ESC of ST", Result{Asked: true, Replies: Replies{Open: '\x1b'}}, soon,
			[]string{"\\", "x"},
			[]string{"x", "q"}},
		{"the probe read the start of DA1", Result{Asked: true, Replies: Replies{Open: '['}}, soon,
			[]string{"2;22c", "x"},
			[]string{"x", "q"}},
		{"DA1 apart from its ESC", unanswered, soon,
			[]string{"[?62;22c", "x"},
			[]string{"x", "q"}},
		{"ordinary keys pass", unanswered, soon,
			[]string{"\x07", "a", "\x1bx", "\r", "\t", "?", "11", "\x1b[A"},
			[]string{"ctrl+g", "a", "alt+x", "enter", "tab", "?", "11", "up", "q"}},
		{"after the window replies pass", unanswered, asked.Add(LateWindow),
			[]string{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\"},
			[]string{"alt+]", "11;rgb:ffff/ffff/ffff", "alt+\\", "q"}},
		{"the sentinel arrived: no filter", Result{Asked: true, Replies: Replies{Sentinel: true}}, soon,
			[]string{"\x1b]11;rgb:ffff/ffff/ffff\a"},
			[]string{"alt+]", "11;rgb:ffff/ffff/ffff", "ctrl+g", "q"}},
		{"nothing asked: no filter", Result{}, soon,
			[]string{"\x1b]", "a"},
			[]string{"alt+]", "a", "q"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := keysThrough(t, c.r, asked, c.at, c.input...); !reflect.DeepEqual(got, c.want) {
				t.Errorf("keys that reached the model: %q, want %q", got, c.want)
			}
		})
	}
}

func TestLateFilterPassesOtherMessages(t *testing.T) {
	asked := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f := Result{Asked: true}.LateFilter(func() time.Time { return asked })
	for _, msg := range []tea.Msg{tea.WindowSizeMsg{Width: 80, Height: 24}, tea.MouseMsg{X: 1}, nil} {
		if got := f(nil, msg); !reflect.DeepEqual(got, msg) {
			t.Errorf("filter(%#v) = %#v, want it unchanged", msg, got)
		}
	}
}
