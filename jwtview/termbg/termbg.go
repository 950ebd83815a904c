// Package termbg is the one place auth0-explorer decides whether the
// terminal's background is dark, without asking the terminal.
//
// Bubble Tea v1 asks Lip Gloss for the background in a package init, and
// Lip Gloss then asks the terminal (OSC 11 and a cursor-position report)
// and waits up to 5 s for an answer. A pseudo-terminal that never answers
// (script, expect, ssh -tt relays) made every command stall for those 5 s,
// showed the query bytes and swallowed the keys typed meanwhile. This
// package's init settles the question first, so nothing is ever queried at
// start-up: dark unless AUTH0_EXPLORER_THEME says otherwise.
//
// Every package that imports Bubble Tea or Lip Gloss imports this one
// (blank, for its init). It imports nothing but Lip Gloss and os, and its
// import path sorts before github.com/charmbracelet/bubbletea, so Go (1.21
// and later initialise ready packages in import-path order) runs this init
// before Bubble Tea's; GODEBUG=inittrace=1 shows the order.
//
// The TUI learns the real background later (ui/tui/termprobe: its own
// short-deadline probe before the program starts) and calls Set, unless
// Override reports that the user fixed the theme.
package termbg

import (
	"os"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// EnvTheme names the environment variable that fixes the theme: "light" or
// "dark" (any case). Anything else, or nothing, leaves the default, dark.
const EnvTheme = "AUTH0_EXPLORER_THEME"

func init() {
	dark, _ := Override()
	Set(dark)
}

// Override reports the background EnvTheme asks for, and whether it asks
// for one; without it dark is true and ok false.
func Override() (dark, ok bool) {
	switch strings.ToLower(strings.TrimSpace(os.Getenv(EnvTheme))) {
	case "light":
		return false, true
	case "dark":
		return true, true
	}
	return true, false
}

// Set tells Lip Gloss whether the background is dark. Lip Gloss never asks
// the terminal once this was called.
func Set(dark bool) { lipgloss.SetHasDarkBackground(dark) }
