// Package fit cuts and pads styled text to a width in terminal cells, for
// every pane of the TUI.
package fit

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Cut shortens s to at most w cells, ending with "…" when it was cut.
// Escape sequences (styles) are kept intact.
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// Pad fills s with spaces to w cells.
func Pad(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
