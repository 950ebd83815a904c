package tui

import (
	"auth0-explorer/jwtview"
	"auth0-explorer/ui/tui/bodyview"
	"auth0-explorer/ui/tui/flows"
	"auth0-explorer/ui/tui/form"
	"auth0-explorer/ui/tui/history"
	"auth0-explorer/ui/tui/operations"
	"auth0-explorer/ui/tui/outbox"
	"auth0-explorer/ui/tui/profiles"
	"auth0-explorer/ui/tui/response"
	"auth0-explorer/ui/tui/tokenpane"

	"github.com/charmbracelet/lipgloss"
)

// Theme is the palette: every colour adapts to light and dark backgrounds.
type Theme struct {
	Accent, Dim, Text, Good, Bad, Warn, Border, BorderFocus, Badge, BadgeText lipgloss.AdaptiveColor
}

// DefaultTheme is the palette the program uses.
func DefaultTheme() Theme {
	return Theme{
		Accent:      lipgloss.AdaptiveColor{Light: "#5B21B6", Dark: "#C4B5FD"},
		Dim:         lipgloss.AdaptiveColor{Light: "#6B7280", Dark: "#9CA3AF"},
		Text:        lipgloss.AdaptiveColor{Light: "#111827", Dark: "#E5E7EB"},
		Good:        lipgloss.AdaptiveColor{Light: "#0B6E2E", Dark: "#4ADE80"},
		Bad:         lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#F87171"},
		Warn:        lipgloss.AdaptiveColor{Light: "#92400E", Dark: "#FBBF24"},
		Border:      lipgloss.AdaptiveColor{Light: "#9CA3AF", Dark: "#4B5563"},
		BorderFocus: lipgloss.AdaptiveColor{Light: "#5B21B6", Dark: "#A78BFA"},
		Badge:       lipgloss.AdaptiveColor{Light: "#5B21B6", Dark: "#A78BFA"},
		BadgeText:   lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#111827"},
	}
}

// Styles are the root's own styles and every pane's, built from a Theme.
type Styles struct {
	Border, BorderFocus, Title, TitleFocus lipgloss.Style
	Badge, BadgeProd, Status, StatusDim    lipgloss.Style
	Toast, ToastErr, HelpKey, HelpDesc     lipgloss.Style

	Operations operations.Styles
	Form       form.Styles
	Response   response.Styles
	Token      tokenpane.Styles
	Outbox     outbox.Styles
	Profiles   profiles.Styles
	History    history.Styles
	Flows      flows.Styles
}

// NewStyles builds the styles of t.
func NewStyles(t Theme) Styles {
	s := lipgloss.NewStyle
	dim := s().Foreground(t.Dim)
	body := bodyview.DefaultStyles()
	tok := jwtview.DefaultStyles()
	out := Styles{
		Border:      s().Foreground(t.Border),
		BorderFocus: s().Foreground(t.BorderFocus).Bold(true),
		Title:       s().Foreground(t.Dim),
		TitleFocus:  s().Foreground(t.Accent).Bold(true),
		Badge:       s().Background(t.Badge).Foreground(t.BadgeText).Bold(true).Padding(0, 1),
		BadgeProd:   s().Background(t.Bad).Foreground(t.BadgeText).Bold(true).Padding(0, 1),
		Status:      s().Foreground(t.Text),
		StatusDim:   dim,
		Toast:       s().Foreground(t.Good).Bold(true),
		ToastErr:    s().Foreground(t.Bad).Bold(true),
		HelpKey:     s().Foreground(t.Accent),
		HelpDesc:    dim,
		Operations: operations.Styles{
			Group:        s().Foreground(t.Accent).Bold(true),
			Item:         s().Foreground(t.Text),
			Selected:     s().Reverse(true).Bold(true),
			SelectedBlur: s().Bold(true).Underline(true).UnderlineSpaces(false),
			Deprecated:   dim,
			Filter:       s().Foreground(t.Accent),
			Dim:          dim,
		},
		Form: form.Styles{
			Title:        s().Bold(true).Foreground(t.Accent),
			Endpoint:     s().Foreground(t.Text),
			Summary:      dim,
			Deprecated:   s().Foreground(t.Warn),
			Label:        s().Foreground(t.Text),
			LabelFocused: s().Reverse(true).Bold(true),
			Required:     s().Foreground(t.Warn).Bold(true),
			Tag:          dim.Italic(true),
			Help:         dim,
			Error:        s().Foreground(t.Bad),
			OK:           s().Foreground(t.Good),
			Dim:          dim,
		},
		Response: response.Styles{
			Tab:       dim,
			TabActive: s().Reverse(true).Bold(true),
			Status2xx: s().Foreground(t.Good).Bold(true),
			Status4xx: s().Foreground(t.Warn).Bold(true),
			Status5xx: s().Foreground(t.Bad).Bold(true),
			Error:     s().Foreground(t.Bad),
			Dim:       dim,
			Hint:      dim,
			Body:      body,
			Token:     tok,
		},
		Token: tokenpane.Styles{
			Label:        s().Foreground(t.Text),
			LabelFocused: s().Reverse(true).Bold(true),
			Input:        s().Foreground(t.Text),
			Hint:         dim,
			Note:         dim,
			Error:        s().Foreground(t.Bad),
			Dim:          dim,
			Token:        tok,
		},
		Outbox: outbox.Styles{
			Item:     s().Foreground(t.Text),
			Selected: s().Reverse(true).Bold(true),
			Body:     s().Foreground(t.Text),
			Hint:     dim,
			Label:    s().Foreground(t.Accent).Bold(true),
			Good:     s().Foreground(t.Good),
			Bad:      s().Foreground(t.Bad),
			Dim:      dim,
		},
		Profiles: profiles.Styles{
			Title:    s().Foreground(t.Accent).Bold(true),
			Item:     s().Foreground(t.Text),
			Selected: s().Reverse(true).Bold(true),
			Dim:      dim,
			Good:     s().Foreground(t.Good),
			Bad:      s().Foreground(t.Bad).Bold(true),
			Warn:     s().Foreground(t.Warn),
			Prod:     s().Background(t.Bad).Foreground(t.BadgeText).Bold(true),
		},
		History: history.Styles{
			Header:       s().Foreground(t.Accent).Bold(true),
			Item:         s().Foreground(t.Text),
			Selected:     s().Reverse(true).Bold(true),
			SelectedBlur: s().Bold(true).Underline(true).UnderlineSpaces(false),
			Dim:          dim,
			Good:         s().Foreground(t.Good),
			Bad:          s().Foreground(t.Bad),
			Warn:         s().Foreground(t.Warn).Bold(true),
			Session:      s().Foreground(t.Accent),
		},
	}
	out.Flows = flows.Styles{
		Title:    s().Foreground(t.Accent).Bold(true),
		Item:     s().Foreground(t.Text),
		Selected: s().Reverse(true).Bold(true),
		Dim:      dim,
		Hint:     dim,
		Label:    s().Foreground(t.Accent),
		Good:     s().Foreground(t.Good),
		Bad:      s().Foreground(t.Bad),
		Warn:     s().Foreground(t.Warn),
		Code:     s().Background(t.Badge).Foreground(t.BadgeText).Bold(true),
		Marks:    flows.UnicodeMarks,
	}
	out.Profiles.Form = out.Form // the profile form is a request form
	return out
}
