package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
)

var checkClock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func checkSandbox(t *testing.T) *Session {
	t.Helper()
	s, err := OpenSandbox(sandbox.Options{Seed: 3, Now: func() time.Time { return checkClock }}, api.TransportOptions{Timeout: 5 * time.Second}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func lineNamed(t *testing.T, lines []CheckLine, name string) CheckLine {
	t.Helper()
	for _, l := range lines {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no line %q in %+v", name, lines)
	return CheckLine{}
}

func TestCheckTenantSandboxIsAllGreen(t *testing.T) {
	s := checkSandbox(t)
	lines := CheckTenant(context.Background(), s, func() time.Time { return checkClock.Add(3 * time.Second) })
	for _, name := range []string{"discovery", "clock", "keys", "client credentials"} {
		lineNamed(t, lines, name)
	}
	for _, l := range lines {
		if l.State != CheckOK {
			t.Errorf("%s: %+v, want green", l.Name, l)
		}
	}
	if k := lineNamed(t, lines, "keys"); !strings.Contains(k.Detail, "1 signing key: RS256") {
		t.Errorf("keys: %q", k.Detail)
	}
	if f, n := CheckFailed(lines); f || n {
		t.Errorf("CheckFailed = %v, %v", f, n)
	}
}

func TestCheckTenantNamesWhatIsWrong(t *testing.T) {
	sb := checkSandbox(t)
	srv := sb.Sandbox
	srv.AddClient(sandbox.Client{ID: "m2m-without-grant", Secret: "a-secret-of-the-client-0123456789", NoClientCredentials: true})
	open := func(id, secret string, p *config.Profile) *Session {
		s, err := Open(Tenant{Name: "x", Domain: srv.BaseURL, ClientID: id, ClientSecret: secret, Profile: p}, api.TransportOptions{Timeout: 5 * time.Second}, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	ctx := context.Background()
	at := func() time.Time { return checkClock }

	// A confidential client without the grant: unauthorized_client, and
	// where to enable it.
	l := lineNamed(t, CheckTenant(ctx, open("m2m-without-grant", "a-secret-of-the-client-0123456789", nil), at), "client credentials")
	if l.State != CheckFail || !strings.Contains(l.Detail, "unauthorized_client") || !strings.Contains(l.Fix, "Grant Types") {
		t.Errorf("no grant: %+v", l)
	}
	// A wrong secret: access_denied.
	l = lineNamed(t, CheckTenant(ctx, open(srv.Client.ID, "wrong", nil), at), "client credentials")
	if l.State != CheckFail || !strings.Contains(l.Detail, "access_denied") {
		t.Errorf("wrong secret: %+v", l)
	}
	// No audience anywhere: the credentials are good, the audience is a note.
	lines := CheckTenant(ctx, open(srv.Client.ID, srv.Client.Secret, &config.Profile{Name: "x"}), at)
	if l := lineNamed(t, lines, "client credentials"); l.State != CheckOK {
		t.Errorf("no audience: %+v", l)
	}
	if l := lineNamed(t, lines, "audience"); l.State != CheckNote || !strings.Contains(l.Fix, "Default Audience") {
		t.Errorf("no audience: %+v", l)
	}
	// An audience the tenant does not have.
	lines = CheckTenant(ctx, open(srv.Client.ID, srv.Client.Secret, &config.Profile{Name: "x", Audience: "https://nope/"}), at)
	if l := lineNamed(t, lines, "audience"); l.State != CheckFail || !strings.Contains(l.Detail, "Service not found") {
		t.Errorf("unknown audience: %+v", l)
	}
	// A clock five minutes ahead.
	l = lineNamed(t, CheckTenant(ctx, sb, func() time.Time { return checkClock.Add(5 * time.Minute) }), "clock")
	if l.State != CheckFail || !strings.Contains(l.Detail, "5m0s ahead of") {
		t.Errorf("clock: %+v", l)
	}
}

func TestCheckTenantIssuerMismatchAndNetwork(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"issuer":"https://login.example.com/","jwks_uri":"https://login.example.com/.well-known/jwks.json"}`))
	})
	srv := httptest.NewServer(h)
	s, err := Open(Tenant{Domain: srv.URL, ClientID: "id", ClientSecret: "secret"}, api.TransportOptions{Timeout: 5 * time.Second}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := lineNamed(t, CheckTenant(context.Background(), s, nil), "discovery")
	if l.State != CheckFail || !strings.Contains(l.Detail, "https://login.example.com/") || !strings.Contains(l.Fix, "login.example.com") {
		t.Errorf("issuer: %+v", l)
	}
	srv.Close()
	lines := CheckTenant(context.Background(), s, nil)
	if f, n := CheckFailed(lines); !f || !n || len(lines) != 1 {
		t.Errorf("closed server: %+v", lines)
	}
}

func TestLooksProduction(t *testing.T) {
	for d, want := range map[string]bool{
		"acme.eu.auth0.com": true, "login.acme.com": true,
		"acme-dev.eu.auth0.com": false, "acme-staging.us.auth0.com": false, "test-acme.auth0.com": false,
		"sandbox.acme.com": false, "http://127.0.0.1:8080": false, "http://localhost:3000": false, "http://[::1]:80": false, "": false,
	} {
		if got := LooksProduction(d); got != want {
			t.Errorf("LooksProduction(%q) = %v", d, got)
		}
	}
	no := false
	if ProfileIsProduction(config.Profile{Domain: "acme.eu.auth0.com", Production: &no}) {
		t.Error("the profile's own word does not win")
	}
}

func TestProfileFromInputNamesTheField(t *testing.T) {
	for _, c := range []struct {
		in    ProfileInput
		field string
	}{
		{ProfileInput{Name: "sandbox", Domain: "a.auth0.com", ClientID: "x"}, "name"},
		{ProfileInput{Name: "ok", Domain: "a.auth0.com/path", ClientID: "x"}, "domain"},
		{ProfileInput{Name: "ok", Domain: "a.auth0.com"}, "client_id"},
		{ProfileInput{Name: "ok", Domain: "a.auth0.com", ClientID: "x", Algorithms: "RS256,none"}, "algorithms"},
		{ProfileInput{Name: "ok", Domain: "a.auth0.com", ClientID: "x", Production: "maybe"}, "production"},
	} {
		if _, err := ProfileFromInput(c.in); err == nil || err.Field != c.field {
			t.Errorf("%+v: %v, want an error on %s", c.in, err, c.field)
		}
	}
	p, err := ProfileFromInput(ProfileInput{Name: "ok", Domain: "A.auth0.com/", ClientID: "x", Algorithms: "rs256, hs256", Production: "yes"})
	if err != nil || p.Domain != "a.auth0.com" || strings.Join(p.Algorithms, ",") != "RS256,HS256" || p.Production == nil || !*p.Production {
		t.Errorf("got %+v, %v", p, err)
	}
}
