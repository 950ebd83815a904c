package bodyview

import "github.com/charmbracelet/lipgloss"

// Styles are the looks of the body viewer. The root fills them from its
// theme; DefaultStyles is a readable set for light and dark terminals.
type Styles struct {
	Key     lipgloss.Style // object keys
	String  lipgloss.Style // string values
	Number  lipgloss.Style // numbers
	Literal lipgloss.Style // true, false, null
	Punct   lipgloss.Style // { } [ ] : ,
	Text    lipgloss.Style // lines of a body that is not JSON

	Gutter       lipgloss.Style // line numbers
	Match        lipgloss.Style // search matches
	CurrentMatch lipgloss.Style // the match n/N moved to
	Status       lipgloss.Style // position and search line at the bottom
	Notice       lipgloss.Style // "body cut at 8 MiB"
	Placeholder  lipgloss.Style // "preparing body…", "no response yet"
	Prompt       lipgloss.Style // the "/" of the search input
}

// DefaultStyles returns the built-in styles; every colour adapts to a light
// or dark background.
func DefaultStyles() Styles {
	fg := func(light, dark string) lipgloss.Style {
		return lipgloss.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: light, Dark: dark})
	}
	return Styles{
		Key:     fg("#1F5FAF", "#7AA2F7"),
		String:  fg("#2E7D32", "#9ECE6A"),
		Number:  fg("#B35900", "#FF9E64"),
		Literal: fg("#8E44AD", "#BB9AF7"),
		Punct:   fg("#6B6B6B", "#8A8FA0"),
		Text:    lipgloss.NewStyle(),

		Gutter: fg("#A0A0A0", "#4B5263"),
		Match: lipgloss.NewStyle().
			Foreground(lipgloss.AdaptiveColor{Light: "#000000", Dark: "#000000"}).
			Background(lipgloss.AdaptiveColor{Light: "#FFE08A", Dark: "#C9A227"}),
		CurrentMatch: lipgloss.NewStyle().Bold(true).
			Foreground(lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#000000"}).
			Background(lipgloss.AdaptiveColor{Light: "#D35400", Dark: "#FF9E3D"}),
		Status:      fg("#6B6B6B", "#8A8FA0"),
		Notice:      fg("#B00020", "#F7768E").Bold(true),
		Placeholder: fg("#8A8A8A", "#6B7089").Italic(true),
		Prompt:      fg("#1F5FAF", "#7AA2F7").Bold(true),
	}
}
