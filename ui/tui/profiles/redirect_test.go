package profiles

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"auth0-explorer/api"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// The picker's add form has a redirect_uri field, with its help: one that
// is not a loopback http URL is refused on the field with login's sentence;
// a loopback one is saved in the profile, and the edit form shows it.
func TestProfileFormRedirectURI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cfg")
	tenants := &app.Tenants{Keyring: config.NoKeyring(), Getenv: func(k string) string {
		if k == config.EnvConfig {
			return dir
		}
		return ""
	}}
	m := New(Options{Tenants: tenants}, Styles{}, DefaultKeyMap())
	m.SetSize(200, 60)
	m.openForm(nil)
	for name, v := range map[string]string{"name": "dev", "domain": "dev.eu.auth0.com", "client_id": "cid",
		"redirect_uri": "https://app.example.com/callback"} {
		m.frm.SetValue(name, v)
	}
	if m.frm.AttemptSend() {
		t.Fatal("a redirect URI that is not loopback was accepted")
	}
	var ie *api.InputError
	if err := m.frm.Refusal(); !errors.As(err, &ie) || ie.Field != "redirect_uri" ||
		!strings.Contains(ie.Msg, "is not a loopback URL (http://127.0.0.1:PORT/PATH)") {
		t.Fatalf("refusal: %v", err)
	}
	if m.frm.FocusedField() != "redirect_uri" {
		t.Errorf("focused %q", m.frm.FocusedField())
	}
	help := "the loopback callback listed in the application's Allowed Callback URLs, e.g. http://127.0.0.1:8484/callback"
	if v := m.View(); !strings.Contains(v, help) {
		t.Errorf("the field's help is not shown:\n%s", v)
	}

	const ru = "http://127.0.0.1:8484/callback"
	m.frm.SetValue("redirect_uri", ru)
	if !m.frm.AttemptSend() {
		t.Fatalf("refused: %v", m.frm.Refusal())
	}
	batch, ok := m.save()().(tea.BatchMsg)
	if !ok || len(batch) == 0 {
		t.Fatal("save did not start")
	}
	// The last command saves (the first is the spinner's tick).
	if done, ok := batch[len(batch)-1]().(doneMsg); !ok || done.err != nil {
		t.Fatalf("save: %+v", done)
	}
	s, err := tenants.Store()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := s.Lookup("dev")
	if !ok || p.RedirectURI != ru {
		t.Fatalf("saved %+v", p)
	}
	m.openForm(&app.Entry{Name: "dev", Profile: p})
	if got := m.frm.Value("redirect_uri"); got != ru {
		t.Errorf("the edit form shows redirect_uri %q, want %q", got, ru)
	}
}
