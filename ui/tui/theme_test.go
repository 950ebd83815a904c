package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The blurred selection in the operations list underlines the name, not
// the padding to the pane's edge (which read as a rule across the pane).
func TestSelectedBlurUnderlinesTheNameOnly(t *testing.T) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI)
	defer lipgloss.SetColorProfile(old)

	out := NewStyles(DefaultTheme()).Operations.SelectedBlur.Render("▸ passwordGrant      ")
	underlined := regexp.MustCompile(`\x1b\[(\d+;)*4(;\d+)*m`)
	if !underlined.MatchString(out) || !strings.Contains(ansi.Strip(out), "passwordGrant") {
		t.Fatalf("the name is not underlined: %q", out)
	}
	if !strings.HasSuffix(out, "      ") {
		t.Errorf("the padding after the name is styled (underlined): %q", out)
	}
}
