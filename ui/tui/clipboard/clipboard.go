// Package clipboard copies text for the TUI by the first path that works
// here: the system clipboard tool when a display and a tool exist, tmux's
// buffer inside tmux, else an OSC 52 sequence to the terminal. Over SSH the
// system tool is skipped (it would fill the remote machine's clipboard).
package clipboard

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/atotto/clipboard"
)

// Clipboard copies text and says how.
type Clipboard interface {
	// Copy puts text on the clipboard and returns how ("system clipboard",
	// "tmux buffer", "terminal (OSC 52)"), or why it could not.
	Copy(ctx context.Context, text string) (how string, err error)
	// Holds reports whether the clipboard still holds text; false when it
	// cannot tell (OSC 52 cannot be read back).
	Holds(ctx context.Context, text string) bool
	// Clear empties the clipboard by the path that copied.
	Clear(ctx context.Context) error
}

// MaxOSC52 is the largest text sent through OSC 52: terminals drop
// sequences past roughly 74-100 KB.
const MaxOSC52 = 74_000

// System is the real clipboard. Zero fields take the process's.
type System struct {
	Getenv   func(string) string
	LookPath func(string) (string, error)
	// Out is the terminal the program draws on: OSC 52 is written there in
	// one Write.
	Out io.Writer
	// Timeout bounds one external tool; 2 s when zero.
	Timeout time.Duration

	mu   sync.Mutex
	last string // the path of the last copy (Copy runs in a Cmd)
}

func (s *System) setLast(p string) {
	s.mu.Lock()
	s.last = p
	s.mu.Unlock()
}

func (s *System) lastPath() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Clearable reports whether the last copy can be read back and cleared:
// not an OSC 52 one (the terminal's clipboard cannot be read).
func (s *System) Clearable() bool {
	p := s.lastPath()
	return p == "system clipboard" || p == "tmux buffer"
}

func (s *System) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

func (s *System) lookPath(n string) bool {
	lp := s.LookPath
	if lp == nil {
		lp = exec.LookPath
	}
	_, err := lp(n)
	return err == nil
}

func (s *System) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 2 * time.Second
}

// Paths lists the ways Copy will try, in order.
func (s *System) Paths() []string {
	ssh := s.getenv("SSH_TTY") != "" || s.getenv("SSH_CONNECTION") != ""
	tmux := s.getenv("TMUX") != "" && s.lookPath("tmux")
	var p []string
	if !ssh && (s.getenv("WAYLAND_DISPLAY") != "" && s.lookPath("wl-copy") ||
		s.getenv("DISPLAY") != "" && (s.lookPath("xclip") || s.lookPath("xsel"))) {
		p = append(p, "system clipboard")
	}
	if tmux {
		p = append(p, "tmux buffer")
	}
	if s.Out != nil {
		p = append(p, "terminal (OSC 52)")
	}
	return p
}

// Copy tries each path in turn.
func (s *System) Copy(ctx context.Context, text string) (string, error) {
	var errs []string
	for _, p := range s.Paths() {
		var err error
		switch p {
		case "system clipboard":
			err = s.withTimeout(ctx, func() error { return clipboard.WriteAll(text) })
		case "tmux buffer":
			err = s.tmux(ctx, text)
		case "terminal (OSC 52)":
			if len(text) > MaxOSC52 {
				err = fmt.Errorf("%d bytes is more than terminals take through OSC 52 (%d)", len(text), MaxOSC52)
				break
			}
			seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\a"
			if s.getenv("TMUX") != "" {
				// Passed through to the outer terminal where tmux allows it.
				seq = "\x1bPtmux;\x1b" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
			}
			_, err = io.WriteString(s.Out, seq)
		}
		if err == nil {
			s.setLast(p)
			return p, nil
		}
		errs = append(errs, p+": "+err.Error())
	}
	if len(errs) == 0 {
		return "", errors.New("no clipboard here: no display with a clipboard tool, not in tmux, no terminal")
	}
	return "", errors.New(strings.Join(errs, "; "))
}

func (s *System) withTimeout(ctx context.Context, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %s", s.timeout())
	}
}

func (s *System) tmux(ctx context.Context, text string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", "load-buffer", "-w", "-")
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return errors.New(msg)
		}
		return err
	}
	return nil
}

// Holds reads the clipboard back where it can.
func (s *System) Holds(ctx context.Context, text string) bool {
	switch s.lastPath() {
	case "system clipboard":
		var got string
		err := s.withTimeout(ctx, func() error {
			var err error
			got, err = clipboard.ReadAll()
			return err
		})
		return err == nil && got == text
	case "tmux buffer":
		ctx, cancel := context.WithTimeout(ctx, s.timeout())
		defer cancel()
		out, err := exec.CommandContext(ctx, "tmux", "show-buffer").Output()
		return err == nil && string(out) == text
	}
	return false
}

// Clear empties the clipboard by the last path used.
func (s *System) Clear(ctx context.Context) error {
	switch s.lastPath() {
	case "system clipboard":
		return s.withTimeout(ctx, func() error { return clipboard.WriteAll("") })
	case "tmux buffer":
		ctx, cancel := context.WithTimeout(ctx, s.timeout())
		defer cancel()
		return exec.CommandContext(ctx, "tmux", "delete-buffer").Run()
	}
	return errors.New("this clipboard cannot be cleared from here")
}

// Fake is a clipboard for tests: it keeps what was copied.
type Fake struct {
	mu    sync.Mutex
	text  string
	count int
	Err   error
}

// Copy records text.
func (f *Fake) Copy(_ context.Context, text string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return "", f.Err
	}
	f.text = text
	f.count++
	return "test clipboard", nil
}

// Clearable: the fake can always be read back.
func (f *Fake) Clearable() bool { return true }

// Text is what was copied last, and how many copies there were.
func (f *Fake) Text() (string, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text, f.count
}

// Holds compares with what was copied.
func (f *Fake) Holds(_ context.Context, text string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.text == text
}

// Clear forgets the text.
func (f *Fake) Clear(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.text = ""
	return nil
}
