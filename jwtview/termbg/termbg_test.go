package termbg

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestOverride(t *testing.T) {
	for v, want := range map[string][2]bool{
		"":        {true, false},
		"dark":    {true, true},
		" Light ": {false, true},
		"LIGHT":   {false, true},
		"blue":    {true, false},
	} {
		t.Setenv(EnvTheme, v)
		if dark, ok := Override(); dark != want[0] || ok != want[1] {
			t.Errorf("%s=%q: Override() = %v, %v; want %v, %v", EnvTheme, v, dark, ok, want[0], want[1])
		}
	}
}

func TestSet(t *testing.T) {
	t.Cleanup(func() { Set(true) })
	Set(false)
	if lipgloss.HasDarkBackground() {
		t.Error("after Set(false) Lip Gloss still says the background is dark")
	}
	Set(true)
	if !lipgloss.HasDarkBackground() {
		t.Error("after Set(true) Lip Gloss says the background is light")
	}
}
