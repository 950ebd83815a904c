package main

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// liveTUI is the terminal UI running on a pty, with what it drew so far.
type liveTUI struct {
	cmd  *exec.Cmd
	pty  io.ReadWriteCloser
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

func startTUI(t *testing.T, args ...string) *liveTUI {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	l := &liveTUI{done: make(chan error, 1)}
	l.cmd = exec.CommandContext(ctx, binary(t), args...)
	l.cmd.Env = ptyEnv(filepath.Join(t.TempDir(), "config"))
	master, err := pty.StartWithSize(l.cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatalf("start on a pty: %v", err)
	}
	l.pty = master
	t.Cleanup(func() { master.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			l.mu.Lock()
			l.out.Write(buf[:n])
			l.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { l.done <- l.cmd.Wait() }()
	return l
}

func (l *liveTUI) seen(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Contains(l.out.Bytes(), []byte(s))
}

// waitFor waits until the terminal has shown s.
func (l *liveTUI) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !l.seen(s) {
		if time.Now().After(deadline) {
			t.Fatalf("never shown: %q", s)
		}
		<-time.After(10 * time.Millisecond)
	}
}

func (l *liveTUI) exit(t *testing.T) error {
	t.Helper()
	select {
	case err := <-l.done:
		return err
	case <-time.After(10 * time.Second):
		_ = l.cmd.Process.Signal(syscall.SIGQUIT)
		<-time.After(time.Second)
		l.mu.Lock()
		t.Logf("%s", l.out.Bytes()[max(0, l.out.Len()-6000):])
		l.mu.Unlock()
		t.Fatal("the program did not exit")
		return nil
	}
}

// The terminal is given back as it was: on q, and on SIGTERM.
func TestTUIRestoresTheTerminal(t *testing.T) {
	for _, how := range []string{"q", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			l := startTUI(t, "--sandbox")
			l.waitFor(t, "passwordGrant")
			if !l.seen("\x1b[?1049h") {
				t.Fatal("the UI did not use the alternate screen")
			}
			if how == "q" {
				_, _ = io.WriteString(l.pty, "q")
			} else {
				_ = l.cmd.Process.Signal(syscall.SIGTERM)
			}
			if err := l.exit(t); err != nil {
				t.Errorf("exit: %v", err)
			}
			l.waitFor(t, "\x1b[?1049l") // the alternate screen left
		})
	}
}
