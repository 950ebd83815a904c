package tui

import (
	"auth0-explorer/ui/tui/bodyview"
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/form"
	"auth0-explorer/ui/tui/history"
	"auth0-explorer/ui/tui/operations"
	"auth0-explorer/ui/tui/outbox"
	"auth0-explorer/ui/tui/profiles"
	"auth0-explorer/ui/tui/response"
	"auth0-explorer/ui/tui/tokenpane"

	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every key of the program: the global ones here, and each
// pane's own, filled from the panes' defaults so the keys live in one place.
type KeyMap struct {
	Send, Cancel, Quit, QuitQ, Help, Filter      key.Binding
	NextPane, PrevPane, Back                     key.Binding
	Copy, CopyCurl, OpenURL, Mouse, Zoom         key.Binding
	TokenPane, Tenants, Outbox, HistoryPane, SDK key.Binding
	// Flows opens the guided flows (browser and device login…).
	Flows key.Binding

	Operations operations.KeyMap
	Form       form.KeyMap
	Response   response.KeyMap
	Token      tokenpane.KeyMap
	OutboxPane outbox.KeyMap
	// Profiles are the tenant picker's keys (Tenants opens it).
	Profiles profiles.KeyMap
	History  history.KeyMap
	FlowPane flows.KeyMap
}

// DefaultKeyMap is the program's keys.
func DefaultKeyMap() KeyMap {
	body := bodyview.DefaultKeyMap()
	// h opens the history wherever no text is typed: the answer's
	// horizontal scroll and previous token keep ← (and l stays with →).
	body.Left = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "scroll left"))
	// f opens the flows wherever no text is typed: paging down keeps
	// pgdown and space.
	pageDown := key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down"))
	body.PageDown = pageDown
	resp := response.DefaultKeyMap()
	resp.PrevToken = key.NewBinding(key.WithKeys("left"))
	resp.Body = body
	resp.Token.PageDown = pageDown
	tok := tokenpane.DefaultKeyMap()
	tok.Token.PageDown = pageDown
	return KeyMap{
		Send:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel request")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:        key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		QuitQ:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter operations")),
		NextPane:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		PrevPane:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous")),
		Copy:        key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		CopyCurl:    key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy as curl")),
		OpenURL:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "open the URL in a browser")),
		Mouse:       key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "mouse on/off (select text)")),
		Zoom:        key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "zoom answer")),
		SDK:         key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "node-auth0 v2/v4 requests")),
		TokenPane:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "inspect a token")),
		Tenants:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "tenants")),
		Operations:  operations.DefaultKeyMap(),
		Form:        form.DefaultKeyMap(),
		Response:    resp,
		Token:       tok,
		Outbox:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "outbox")),
		OutboxPane:  outbox.DefaultKeyMap(),
		Profiles:    profiles.DefaultKeyMap(),
		HistoryPane: key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "history")),
		History:     history.DefaultKeyMap(),
		Flows:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "flows")),
		FlowPane:    flows.DefaultKeyMap(),
	}
}
