package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/config"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// Switching tenant stops a flow under way: approved afterwards on its own
// tenant, its tokens never land in the new tenant's Answer or history.
func TestTenantSwitchStopsAFlow(t *testing.T) {
	c := &testClock{t: clock}
	sess, gc := flowSandbox(t, c)
	second, err := sandbox.Start(sandbox.Options{Seed: 11, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = second.Close() })
	_, getenv := tenantsDir(t, config.Profile{Name: "second", Domain: second.BaseURL, ClientID: second.Client.ID,
		ClientSecret: second.Client.Secret})
	tenants := &app.Tenants{Getenv: getenv, Sandbox: sess, Transport: api.TransportOptions{Timeout: 5 * time.Second}, UserAgent: "test"}
	t.Cleanup(tenants.Close)
	g := &gatedSleep{clock: c, gate: make(chan struct{})}
	tm := start(t, Options{Session: sess, Now: c.Now, Sleep: g.Sleep, Tenants: tenants}, 120, 36)
	startDevice(t, tm)
	waitFor(t, tm, "Wait for the approval", "User code")
	mail, ok := sess.Sandbox.LastMessage(sandbox.SeedEmail)
	if !ok || mail.Link == "" {
		t.Fatalf("no approval in the outbox: %+v", mail)
	}

	typeText(tm, "p")
	waitFor(t, tm, "Tenants", "second")
	typeText(tm, "j")
	tm.Send(keyMsg(tea.KeyEnter))
	waitFor(t, tm, "Now on second", "The flow under way on the other tenant was stopped.")

	// Approved on the first tenant now: the stopped flow must not poll
	// again, and nothing of it reaches the Answer or the history.
	resp, err := http.Get(mail.Link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case g.gate <- struct{}{}:
		t.Fatal("the stopped flow still waits to poll")
	case <-time.After(50 * time.Millisecond):
	}
	m := final(t, tm)
	if m.fl.pane.Running() {
		t.Fatal("the flow still runs after the switch")
	}
	if n := gc.polls.Load(); n != 0 {
		t.Fatalf("%d polls after the switch, want 0", n)
	}
	if ex := m.resp.Exchange(); ex != nil {
		t.Fatalf("the new tenant's Answer shows %s", ex.Request.URL)
	}
	for _, le := range m.hs.live {
		if strings.Contains(le.op.Name, "deviceCodeGrant") {
			t.Fatal("the stopped flow's grant reached the history")
		}
	}
}

// r runs a finished refresh flow again from the session's tokens as they
// are now: not from the refresh token the first run revoked.
func TestRefreshFlowAgainStartsFromUsableToken(t *testing.T) {
	c := &movingClock{}
	tm := start(t, Options{Session: movingSandbox(t, c), Now: c.now}, 80, 24)
	signInWith(t, tm, "openid profile offline_access")
	waitFor(t, tm, "200 OK")
	startRefresh(t, tm)
	waitFor(t, tm, "✓ The revoked refresh token is refused:", "r run again")
	typeText(tm, "r")
	waitFor(t, tm, "revoke after refresh", "No refresh token in this session")
	if v := tm.p.view.Load().(string); strings.Contains(v, "passwordGrant at 12:") || strings.Contains(v, "oauth.refreshToken at") {
		t.Fatalf("run again offers a revoked or rotated refresh token:\n%s", v)
	}
	final(t, tm)
}
