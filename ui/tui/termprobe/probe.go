package termprobe

import (
	"io"
	"os"
	"strings"
	"time"

	"auth0-explorer/jwtview/termbg"

	"golang.org/x/term"
)

// Timeout is how long Detect waits for the terminal's replies. A local
// terminal answers in a millisecond or two; a relay that answers nothing
// costs exactly this.
const Timeout = 150 * time.Millisecond

// Result is what a probe did and learnt.
type Result struct {
	// Asked reports whether the queries were written.
	Asked bool
	Replies
	// Err is why the probe stopped early, if it failed (raw mode refused,
	// the write or a read failed); the background then stays dark.
	Err error
}

// Detect settles the background for the terminal UI. Unless
// AUTH0_EXPLORER_THEME fixes it (termbg.Override), TERM is dumb, or in and
// out are not both terminals, it probes the terminal for up to timeout and,
// when the terminal told its background colour, calls termbg.Set. Any
// other outcome keeps what termbg decided (dark). It never leaves a reader
// on in behind it and always restores the terminal's mode.
func Detect(in io.Reader, out io.Writer, timeout time.Duration) Result {
	if _, fixed := termbg.Override(); fixed {
		return Result{}
	}
	if t := os.Getenv("TERM"); strings.HasPrefix(t, "dumb") {
		return Result{}
	}
	fin, ok := in.(*os.File)
	if !ok {
		return Result{}
	}
	fout, ok := out.(*os.File)
	if !ok {
		return Result{}
	}
	if !term.IsTerminal(int(fin.Fd())) || !term.IsTerminal(int(fout.Fd())) {
		return Result{}
	}
	r := Probe(fin, fout, timeout)
	if r.Background {
		termbg.Set(r.Dark)
	}
	return r
}
