//go:build !unix

package termprobe

import (
	"os"
	"time"
)

// Probe does nothing where there is no unix terminal to poll (Windows'
// console has no OSC 11 reply to read this way): the background stays as
// termbg decided.
func Probe(in, out *os.File, timeout time.Duration) Result { return Result{} }
