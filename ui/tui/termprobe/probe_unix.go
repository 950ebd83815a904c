//go:build unix

package termprobe

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// maxReply bounds what Probe keeps of the terminal's replies; the two
// replies are well under 100 bytes, the rest would be typing.
const maxReply = 4096

// Probe writes Query to out and reads replies from in (both the terminal)
// in raw mode until the DA1 sentinel arrives or timeout passes, then
// restores in's mode. It reads only while it runs: it polls in's
// descriptor with the time left and reads what is ready, so no goroutine
// is left blocked on the terminal afterwards to steal the program's keys.
//
// A process in the background of its terminal's job control does not
// probe: changing the mode or reading would stop it (SIGTTOU, SIGTTIN).
func Probe(in, out *os.File, timeout time.Duration) Result {
	fd := int(in.Fd())
	if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
		if own, err := unix.Getpgid(0); err == nil && fg != own {
			return Result{}
		}
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return Result{Err: err}
	}
	defer term.Restore(fd, old)

	var r Result
	start := time.Now()
	if _, err := out.WriteString(Query); err != nil {
		r.Err = err
		return r
	}
	r.Asked = true
	deadline := start.Add(timeout)
	var got []byte
	var chunk [256]byte
	for len(got) < maxReply {
		left := time.Until(deadline)
		if left <= 0 {
			return r
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int((left+time.Millisecond-1)/time.Millisecond))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			r.Err = err
			return r
		}
		if n == 0 {
			return r // deadline
		}
		if fds[0].Revents&unix.POLLIN == 0 {
			r.Err = errors.New("the terminal hung up")
			return r
		}
		k, err := unix.Read(fd, chunk[:])
		if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
			continue
		}
		if err != nil {
			r.Err = err
			return r
		}
		if k == 0 {
			return r // end of input
		}
		got = append(got, chunk[:k]...)
		r.Replies = Scan(got)
		if r.Sentinel {
			return r
		}
	}
	return r
}
