package browser

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestOpenRunsTheSystemOpener(t *testing.T) {
	const u = "https://tenant.example/authorize?client_id=abc&state=x"
	for _, tc := range []struct {
		goos string
		env  map[string]string
		want []string
	}{
		{"linux", map[string]string{"DISPLAY": ":0"}, []string{"xdg-open", u}},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, []string{"xdg-open", u}},
		{"linux", map[string]string{"DISPLAY": "localhost:10.0", "SSH_CONNECTION": "1 2 3 4"}, []string{"xdg-open", u}},
		{"freebsd", map[string]string{"DISPLAY": ":0"}, []string{"xdg-open", u}},
		{"darwin", nil, []string{"open", u}},
		{"windows", nil, []string{"rundll32", "url.dll,FileProtocolHandler", u}},
	} {
		var got []string
		o := &Opener{GOOS: tc.goos, Getenv: env(tc.env), Run: func(_ context.Context, name string, args ...string) error {
			got = append([]string{name}, args...)
			return nil
		}}
		if err := o.Open(context.Background(), u); err != nil {
			t.Errorf("%s %v: %v", tc.goos, tc.env, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %v ran %q, want %q", tc.goos, tc.env, got, tc.want)
		}
	}
}

func TestOpenWithoutADisplayRunsNothing(t *testing.T) {
	for _, tc := range []struct {
		goos string
		env  map[string]string
	}{
		{"linux", nil},
		{"linux", map[string]string{"SSH_CONNECTION": "1 2 3 4", "SSH_TTY": "/dev/pts/1"}},
		{"darwin", map[string]string{"SSH_TTY": "/dev/ttys001"}},
		{"windows", map[string]string{"SSH_CONNECTION": "1 2 3 4"}},
	} {
		ran := false
		o := &Opener{GOOS: tc.goos, Getenv: env(tc.env), Run: func(context.Context, string, ...string) error {
			ran = true
			return nil
		}}
		err := o.Open(context.Background(), "https://tenant.example/v2/logout")
		if !errors.Is(err, ErrNoDisplay) {
			t.Errorf("%s %v: err = %v, want ErrNoDisplay", tc.goos, tc.env, err)
		}
		if ran {
			t.Errorf("%s %v: an opener was run without a display", tc.goos, tc.env)
		}
	}
}

func TestOpenSaysWhyTheOpenerFailed(t *testing.T) {
	o := &Opener{GOOS: "linux", Getenv: env(map[string]string{"DISPLAY": ":0"}), Run: func(context.Context, string, ...string) error {
		return errors.New("exit status 3")
	}}
	err := o.Open(context.Background(), "https://x/")
	if err == nil || err.Error() != "xdg-open: exit status 3" {
		t.Fatalf("err = %v", err)
	}
}

// BROWSER wins, as other tools honour it: the first command of the list,
// with %s replaced by the URL or the URL appended; no display needed.
func TestBrowserVariable(t *testing.T) {
	const u = "http://127.0.0.1:1/authorize?x=1"
	for _, c := range []struct {
		env  string
		name string
		args []string
	}{
		{"curl -sSL", "curl", []string{"-sSL", u}},
		{"w3m %s:lynx", "w3m", []string{u}},
		{"  firefox --new-tab  ", "firefox", []string{"--new-tab", u}},
	} {
		o := &Opener{GOOS: "linux", Getenv: func(k string) string {
			if k == "BROWSER" {
				return c.env
			}
			return ""
		}}
		name, args, err := o.Command(u)
		if err != nil || name != c.name || strings.Join(args, " ") != strings.Join(c.args, " ") {
			t.Errorf("BROWSER=%q: %s %q %v", c.env, name, args, err)
		}
	}
}
