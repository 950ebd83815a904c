package profiles

import (
	"strings"
	"testing"

	"auth0-explorer/ui/app"
)

// A check line or a fix longer than the pane wraps under its own text
// (a hanging indent), not back at the pane's left edge where it would read
// as a line of its own.
func TestCheckLinesWrapWithAHangingIndent(t *testing.T) {
	m := New(Options{}, Styles{}, DefaultKeyMap())
	m.SetSize(40, 20)
	m.Update(checkedMsg{name: "staging", lines: []app.CheckLine{
		{Name: "audience", State: app.CheckNote,
			Detail: "neither the profile nor the tenant names an audience for client credentials",
			Fix:    "give the profile an audience (an API identifier) or set a Default Audience"},
	}})
	lines := strings.Split(m.View(), "\n")
	var item []string
	for _, l := range lines[2:] {
		if strings.TrimSpace(l) != "" {
			item = append(item, strings.TrimRight(l, " "))
		}
	}
	if len(item) < 4 || !strings.HasPrefix(item[0], "! audience: ") {
		t.Fatalf("check view:\n%s", strings.Join(lines, "\n"))
	}
	inFix := false
	for _, l := range item[1:] {
		if strings.HasPrefix(l, "  fix: ") {
			inFix = true
			continue
		}
		indent := "  "
		if inFix {
			indent = "       "
		}
		if !strings.HasPrefix(l, indent) || l[len(indent)] == ' ' {
			t.Errorf("line %q is not indented by %d under its item:\n%s", l, len(indent), strings.Join(item, "\n"))
		}
		if len([]rune(l)) > 40 {
			t.Errorf("line %q is wider than the pane", l)
		}
	}
	if !inFix {
		t.Errorf("no fix line:\n%s", strings.Join(item, "\n"))
	}
}
