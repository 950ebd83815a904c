//go:build unix

package termprobe

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"auth0-explorer/jwtview/termbg"

	"github.com/charmbracelet/lipgloss"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// openPty returns both ends of a fresh pseudo-terminal: the test plays the
// terminal on master, the probe runs on tty.
func openPty(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	return master, tty
}

// answer plays the terminal: it reads what the program writes until the
// whole Query arrived, then writes reply (nothing when reply is empty).
// The returned channel reports what was read, once the reply is written.
func answer(master *os.File, reply string) <-chan []byte {
	done := make(chan []byte, 1)
	go func() {
		var got []byte
		buf := make([]byte, 256)
		for !bytes.Contains(got, []byte(Query)) {
			n, err := master.Read(buf)
			if err != nil {
				done <- got
				return
			}
			got = append(got, buf[:n]...)
		}
		if reply != "" {
			io.WriteString(master, reply)
		}
		done <- got
	}()
	return done
}

func termios(t *testing.T, f *os.File) unix.Termios {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatalf("read the terminal's mode: %v", err)
	}
	return *tio
}

// readReady reads what tty has ready, waiting up to 5 s for something.
func readReady(t *testing.T, tty *os.File) string {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(tty.Fd()), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, 5000)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || n == 0 {
			t.Fatalf("nothing to read on the terminal within 5 s (poll: %v)", err)
		}
		break
	}
	buf := make([]byte, 256)
	n, err := unix.Read(int(tty.Fd()), buf)
	if err != nil {
		t.Fatalf("read the terminal: %v", err)
	}
	return string(buf[:n])
}

func TestProbeOnAPty(t *testing.T) {
	const da1 = "\x1b[?62;22c"
	cases := []struct {
		name       string
		reply      string
		background bool
		dark       bool
		sentinel   bool
	}{
		{"light colour and DA1", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\" + da1, true, false, true},
		{"light colour with BEL, two digits", "\x1b]11;rgb:fd/f6/e3\a" + da1, true, false, true},
		{"dark colour", "\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\" + da1, true, true, true},
		{"only DA1", da1, false, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			master, tty := openPty(t)
			before := termios(t, tty)
			served := answer(master, c.reply)
			start := time.Now()
			// A long timeout: the sentinel, not the deadline, must end it.
			r := Probe(tty, tty, 10*time.Second)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("Probe took %v: it waited for the deadline despite the DA1 reply", took)
			}
			if r.Err != nil || !r.Asked {
				t.Fatalf("Probe = %+v, want asked without error", r)
			}
			if r.Background != c.background || (c.background && r.Dark != c.dark) || r.Sentinel != c.sentinel {
				t.Errorf("Probe = %+v, want background=%v dark=%v sentinel=%v", r, c.background, c.dark, c.sentinel)
			}
			if got := <-served; !bytes.Contains(got, []byte(Query)) {
				t.Errorf("the terminal saw %q, want the query %q", got, Query)
			}
			if after := termios(t, tty); after != before {
				t.Errorf("the terminal's mode was not restored:\nbefore %+v\nafter  %+v", before, after)
			}
			if r.LateFilter(time.Now) != nil {
				t.Errorf("a late-reply filter for a probe that read the sentinel")
			}
		})
	}
}

func TestProbeNoAnswerReturnsAtTheDeadline(t *testing.T) {
	master, tty := openPty(t)
	before := termios(t, tty)
	served := answer(master, "")
	const timeout = 100 * time.Millisecond
	start := time.Now()
	r := Probe(tty, tty, timeout)
	took := time.Since(start)
	<-served
	if took < timeout || took > timeout+time.Second {
		t.Errorf("Probe took %v with nobody answering, want about %v", took, timeout)
	}
	if r.Err != nil || !r.Asked || r.Background || r.Sentinel {
		t.Errorf("Probe = %+v, want asked, nothing learnt", r)
	}
	if after := termios(t, tty); after != before {
		t.Errorf("the terminal's mode was not restored")
	}
	if r.LateFilter(time.Now) == nil {
		t.Errorf("no late-reply filter although the replies may still come")
	}
	// A reply arriving now goes to the next reader: the probe left nothing
	// behind reading the terminal.
	late := "\x1b]11;rgb:ffff/ffff/ffff\a"
	if _, err := io.WriteString(master, late+"\n"); err != nil {
		t.Fatal(err)
	}
	if got := readReady(t, tty); got != late+"\n" {
		t.Errorf("after the probe the terminal gave %q, want the late reply %q", got, late+"\n")
	}
}

func TestDetect(t *testing.T) {
	t.Cleanup(func() { termbg.Set(true) })
	const light = "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"

	t.Run("light terminal", func(t *testing.T) {
		t.Setenv(termbg.EnvTheme, "")
		t.Setenv("TERM", "xterm-256color")
		termbg.Set(true)
		master, tty := openPty(t)
		answer(master, light)
		r := Detect(tty, tty, 10*time.Second)
		if !r.Asked || !r.Background || r.Dark {
			t.Fatalf("Detect = %+v, want a light background learnt", r)
		}
		if lipgloss.HasDarkBackground() {
			t.Errorf("Lip Gloss still thinks the background is dark")
		}
	})

	skips := []struct {
		name, theme, term string
		pipe              bool
		dark              bool
	}{
		{"theme fixed dark", "dark", "xterm-256color", false, true},
		{"theme fixed light", "LIGHT", "xterm-256color", false, false},
		{"dumb terminal", "", "dumb", false, true},
		{"not a terminal", "", "xterm-256color", true, true},
	}
	for _, c := range skips {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(termbg.EnvTheme, c.theme)
			t.Setenv("TERM", c.term)
			dark, _ := termbg.Override()
			termbg.Set(dark) // what termbg's init did
			master, tty := openPty(t)
			var r Result
			if c.pipe {
				pr, pw, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				defer pr.Close()
				defer pw.Close()
				r = Detect(pr, pw, 10*time.Second)
			} else {
				r = Detect(tty, tty, 10*time.Second)
			}
			if r.Asked {
				t.Errorf("Detect asked the terminal: %+v", r)
			}
			// Nothing was written to the terminal before this marker.
			if _, err := io.WriteString(tty, "X"); err != nil {
				t.Fatal(err)
			}
			if got := readReady(t, master); got != "X" {
				t.Errorf("the terminal received %q before the marker, want nothing", got)
			}
			if lipgloss.HasDarkBackground() != c.dark {
				t.Errorf("dark background = %v, want %v", !c.dark, c.dark)
			}
		})
	}
}
