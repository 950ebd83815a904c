package bodyview

import "github.com/charmbracelet/bubbles/key"

// KeyMap are the keys of the body viewer. The root fills it from its keys;
// DefaultKeyMap is the built-in set.
type KeyMap struct {
	Up, Down           key.Binding
	PageUp, PageDown   key.Binding
	HalfUp, HalfDown   key.Binding
	Top, Bottom        key.Binding
	Left, Right        key.Binding // horizontal scroll for long lines
	Search             key.Binding // opens the search input
	Next, Prev         key.Binding // next and previous match
	ClearSearch        key.Binding // drops the search and its highlights
	Submit, CancelEdit key.Binding // while the query is typed
}

// DefaultKeyMap returns the built-in keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "f", " "), key.WithHelp("pgdn/f", "page down")),
		HalfUp:      key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown:    key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:         key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:      key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Left:        key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "scroll left")),
		Right:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		Search:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Next:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		Prev:        key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		ClearSearch: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		Submit:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		CancelEdit:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}
