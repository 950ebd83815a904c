// Package browser opens a URL in the system's browser: xdg-open on Linux and
// the BSDs when a display exists (DISPLAY or WAYLAND_DISPLAY), open on
// macOS, rundll32's FileProtocolHandler on Windows. Over SSH on macOS and
// Windows, or with no display elsewhere, nothing is run: the browser would
// open on another screen, or not at all.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// ErrNoDisplay: there is no screen here for a browser to open on.
var ErrNoDisplay = errors.New("no display to open a browser on here")

// Opener opens URLs. Zero fields take the process's.
type Opener struct {
	// GOOS is the system; runtime.GOOS when empty.
	GOOS string
	// Getenv reads the environment; os.Getenv when nil.
	Getenv func(string) string
	// Run starts the opener command and waits for it until ctx ends; a
	// command still running then is taken to have opened the browser.
	// Tests replace it to see what would be run.
	Run func(ctx context.Context, name string, args ...string) error
	// Timeout bounds the wait for the opener; 5 s when zero.
	Timeout time.Duration
}

func (o *Opener) getenv(k string) string {
	if o.Getenv == nil {
		return os.Getenv(k)
	}
	return o.Getenv(k)
}

// Command is the command Open runs for url, or ErrNoDisplay. BROWSER, as
// other tools read it, wins: a colon-separated list of commands, the first
// of which is run, with "%s" replaced by the URL or the URL appended (a
// text browser, or `curl -sSL`, needs no display).
func (o *Opener) Command(url string) (string, []string, error) {
	if b := strings.TrimSpace(o.getenv("BROWSER")); b != "" {
		first := strings.TrimSpace(strings.Split(b, ":")[0])
		words := strings.Fields(first)
		if len(words) > 0 {
			args := words[1:]
			replaced := false
			for i, a := range args {
				if strings.Contains(a, "%s") {
					args[i] = strings.ReplaceAll(a, "%s", url)
					replaced = true
				}
			}
			if !replaced {
				args = append(args, url)
			}
			return words[0], args, nil
		}
	}
	goos := o.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	ssh := o.getenv("SSH_CONNECTION") != "" || o.getenv("SSH_TTY") != ""
	switch goos {
	case "darwin":
		if ssh {
			return "", nil, fmt.Errorf("%w (this is an SSH session: the browser would open on the remote Mac)", ErrNoDisplay)
		}
		return "open", []string{url}, nil
	case "windows":
		if ssh {
			return "", nil, fmt.Errorf("%w (this is an SSH session)", ErrNoDisplay)
		}
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}, nil
	}
	// Linux and the BSDs: a display, local or forwarded over SSH.
	if o.getenv("DISPLAY") == "" && o.getenv("WAYLAND_DISPLAY") == "" {
		if ssh {
			return "", nil, fmt.Errorf("%w (an SSH session without a forwarded display)", ErrNoDisplay)
		}
		return "", nil, fmt.Errorf("%w (neither DISPLAY nor WAYLAND_DISPLAY is set)", ErrNoDisplay)
	}
	return "xdg-open", []string{url}, nil
}

// Open opens url in the browser, or says why it could not. It returns
// ErrNoDisplay (wrapped) without running anything when there is no screen.
func (o *Opener) Open(ctx context.Context, url string) error {
	name, args, err := o.Command(url)
	if err != nil {
		return err
	}
	d := o.Timeout
	if d <= 0 {
		d = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	run := o.Run
	if run == nil {
		run = start
	}
	if err := run(ctx, name, args...); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// start runs name and waits for it to exit until ctx ends. An opener that
// is still running then (some wait for the browser) is left running: it
// is not killed, which would close the browser it started.
func start(ctx context.Context, name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("not found: %w", err)
	}
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdin and stdout: the null device, off the screen
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			if msg := strings.TrimSpace(stderr.String()); msg != "" {
				return fmt.Errorf("%v: %s", err, msg)
			}
			return err
		}
		return nil
	case <-ctx.Done():
		return nil // still running: it has the browser
	}
}
