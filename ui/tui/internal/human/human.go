// Package human writes quantities the way every pane of the TUI shows
// them.
package human

import (
	"fmt"
	"time"
)

// Duration is an exchange's duration, short: "<1ms" under a millisecond
// (a loopback answer), "123ms" under a second, "1.2s" under a minute, then
// whole seconds ("2m5s"). A negative duration (a clock set back) reads as
// "<1ms".
func Duration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute-50*time.Millisecond: // 59.95s would print as 60.0s
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}
