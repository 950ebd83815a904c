//go:build unix

package tui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/jwtview/termbg"
	"auth0-explorer/ui/tui/termprobe"

	"github.com/charmbracelet/lipgloss"
	"github.com/creack/pty"
)

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// within waits up to 8 s for cond, checking every 10 ms.
func within(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened", what)
		}
		<-time.After(10 * time.Millisecond)
	}
}

// runOnPty runs Run on a fresh pseudo-terminal whose terminal side answers
// the background probe with reply (nothing when empty) and, once the
// program is on screen, types each of keys. It returns the debug log and
// whether the background was dark while the program ran.
func runOnPty(t *testing.T, reply string, keys []string, done func(log string) bool) (log string, dark bool) {
	t.Helper()
	t.Setenv(termbg.EnvTheme, "")
	t.Setenv("TERM", "xterm-256color")
	t.Cleanup(func() { lipgloss.SetHasDarkBackground(true) })
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	if err := pty.Setsize(master, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	var screen lockedBuffer
	go func() {
		buf := make([]byte, 4096)
		answered := false
		for {
			n, err := master.Read(buf)
			if err != nil {
				return
			}
			screen.Write(buf[:n])
			if !answered && strings.Contains(screen.String(), termprobe.Query) {
				answered = true
				if reply != "" {
					master.WriteString(reply)
				}
			}
		}
	}()
	debug := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- Run(ctx, Options{Session: sandboxSession(t), Now: now, Debug: debug}, tty, tty) }()
	within(t, "the program's first frame", func() bool { return strings.Contains(screen.String(), "\x1b[?1049h") })
	dark = lipgloss.HasDarkBackground()
	for _, k := range keys {
		if _, err := master.WriteString(k); err != nil {
			t.Fatal(err)
		}
	}
	within(t, "the keys' arrival", func() bool { return done(debug.String()) })
	// Quit with ctrl+c rather than by cancelling ctx: then Bubble Tea waits
	// for its input reader to stop before Run returns, and tty can be closed.
	if _, err := master.WriteString("\x03"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-ran:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("Run did not return after ctrl+c")
	}
	return debug.String(), dark
}

func TestRunAsksTheBackground(t *testing.T) {
	log, dark := runOnPty(t, "\x1b]11;rgb:fdfd/f6f6/e3e3\x1b\\\x1b[?62;22c", nil,
		func(log string) bool { return strings.Contains(log, "tea.WindowSizeMsg") })
	if dark {
		t.Errorf("the program ran with a dark background on a light terminal")
	}
	if !strings.Contains(log, "background: light, as the terminal reported") {
		t.Errorf("debug log lacks the probe's result:\n%s", log)
	}
}

func TestRunDropsALateReply(t *testing.T) {
	down := `KeyMsg "down"`
	log, dark := runOnPty(t, "", []string{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\", "\x1b[?62;22c", "\x1b[B"},
		func(log string) bool { return strings.Contains(log, down) })
	if !dark {
		t.Errorf("a reply after the deadline changed the background")
	}
	if strings.Contains(log, "alt+]") || strings.Contains(log, "rgb:") || strings.Contains(log, `alt+\\`) {
		t.Errorf("the late reply reached the program as keys:\n%s", log)
	}
	if !strings.Contains(log, "background: no reply within the deadline") {
		t.Errorf("debug log lacks the probe's result:\n%s", log)
	}
}
