package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"auth0-explorer/config/history"
)

// The picker's "last used" is when the profile's history was last written.
func TestTenantsListLastUsed(t *testing.T) {
	getenv := with(profilesDir(t))
	dir, err := history.DefaultDir(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	f := filepath.Join(dir, history.FileName("dev"))
	if err := os.WriteFile(f, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(f, when, when); err != nil {
		t.Fatal(err)
	}
	entries, _, err := (&Tenants{Getenv: getenv}).List()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Time{}
	for _, e := range entries {
		got[e.Name] = e.LastUsed
	}
	if !got["dev"].Equal(when) || !got["prod"].IsZero() {
		t.Errorf("last used: %v", got)
	}
}
