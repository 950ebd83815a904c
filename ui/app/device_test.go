package app

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// deviceClock is a clock the test advances: Sleep moves it on by the
// duration asked and then runs onSleep (the user acting meanwhile).
type deviceClock struct {
	mu      sync.Mutex
	t       time.Time
	sleeps  []time.Duration
	onSleep func(n int)
}

func (c *deviceClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *deviceClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	n := len(c.sleeps)
	c.mu.Unlock()
	if c.onSleep != nil {
		c.onSleep(n)
	}
	return ctx.Err()
}

func deviceSession(t *testing.T) (*Session, *deviceClock) {
	t.Helper()
	c := &deviceClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	s, err := OpenSandbox(sandbox.Options{Seed: 7, Now: c.Now}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, c
}

// openApprovalLink opens the newest outbox link of kind (a device, CIBA or
// MFA push approval), as the user on their phone would, with extra
// appended ("&action=deny" denies).
func openApprovalLink(t *testing.T, s *Session, kind, extra string) {
	t.Helper()
	var link string
	for _, m := range s.Sandbox.Outbox() {
		if m.Kind == kind {
			link = m.Link
		}
	}
	if link == "" {
		t.Errorf("no %s in the outbox", kind)
		return
	}
	resp, err := http.Get(link + extra)
	if err != nil {
		t.Error(err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("the %s link answered %d", kind, resp.StatusCode)
	}
}

func newDeviceFlow(s *Session, c *deviceClock, steps *[]DeviceStep) *DeviceFlow {
	return &DeviceFlow{Session: s, Scope: "openid profile offline_access", Now: c.Now, Sleep: c.Sleep,
		OnStep: func(st DeviceStep) { *steps = append(*steps, st) }}
}

// Code, pending, approval through the outbox link, tokens whose id_token
// passes the session's checks; polled at the server's interval.
func TestDeviceFlowApproved(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) {
		if n == 2 {
			openApprovalLink(t, s, sandbox.KindDeviceApproval, "")
		}
	}
	var steps []DeviceStep
	r, err := newDeviceFlow(s, c, &steps).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Token("access_token") == "" || r.Token("refresh_token") == "" || r.IDToken == nil || !r.IDToken.Valid() {
		t.Fatalf("tokens %v, id_token verdict %v", r.Exchange.Tokens, r.IDToken)
	}
	var kinds []DeviceStepKind
	for _, st := range steps {
		kinds = append(kinds, st.Kind)
	}
	if want := []DeviceStepKind{DeviceCodeIssued, DevicePending, DeviceApproved}; !equalKinds(kinds, want) {
		t.Errorf("steps %v, want %v", kinds, want)
	}
	code := steps[0].Code
	if !strings.HasPrefix(code.VerificationURI, s.Sandbox.BaseURL+"/activate") || !strings.Contains(code.VerificationURIComplete, code.UserCode) ||
		code.Interval != 5*time.Second || steps[0].Remaining != 15*time.Minute {
		t.Errorf("code %+v, remaining %s", code, steps[0].Remaining)
	}
	if steps[1].Remaining != 15*time.Minute-5*time.Second || steps[1].Polls != 1 {
		t.Errorf("pending step: remaining %s, polls %d", steps[1].Remaining, steps[1].Polls)
	}
	for _, d := range c.sleeps {
		if d != 5*time.Second {
			t.Errorf("waited %s, want the server's interval 5s", d)
		}
	}
}

func equalKinds(a, b []DeviceStepKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A slow_down adds 5 s to the interval, and the flow waits the longer
// interval from then on (the sandbox answers slow_down to a poll sooner
// than its interval after the last; the test's first wait is cut short).
func TestDeviceFlowSlowDown(t *testing.T) {
	s, c := deviceSession(t)
	var steps []DeviceStep
	f := newDeviceFlow(s, c, &steps)
	base := f.Sleep
	f.Sleep = func(ctx context.Context, d time.Duration) error {
		if len(c.sleeps) == 1 {
			d -= 2 * time.Second // the second poll comes early: slow_down
		}
		return base(ctx, d)
	}
	c.onSleep = func(n int) {
		if n == 3 {
			openApprovalLink(t, s, sandbox.KindDeviceApproval, "")
		}
	}
	if _, err := f.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var kinds []DeviceStepKind
	for _, st := range steps {
		kinds = append(kinds, st.Kind)
	}
	if want := []DeviceStepKind{DeviceCodeIssued, DevicePending, DeviceSlowDown, DeviceApproved}; !equalKinds(kinds, want) {
		t.Fatalf("steps %v, want %v", kinds, want)
	}
	if steps[2].Interval != 10*time.Second {
		t.Errorf("interval after slow_down %s, want 10s", steps[2].Interval)
	}
	if got := c.sleeps[2]; got != 10*time.Second {
		t.Errorf("waited %s after slow_down, want 10s", got)
	}
}

func TestDeviceFlowDenied(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) {
		if n == 1 {
			openApprovalLink(t, s, sandbox.KindDeviceApproval, "&action=deny")
		}
	}
	var steps []DeviceStep
	_, err := newDeviceFlow(s, c, &steps).Run(context.Background())
	var de *DeviceError
	if !errors.As(err, &de) || de.Code != "access_denied" || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("error %v", err)
	}
	if last := steps[len(steps)-1]; last.Kind != DeviceFailed || last.Err != err {
		t.Errorf("last step %+v", last)
	}
	if api.ExitCode(err) != 1 {
		t.Errorf("exit %d", api.ExitCode(err))
	}
}

// Nobody approves: the sandbox's code expires after 15 minutes on the
// injected clock and the flow stops with expired_token.
func TestDeviceFlowExpired(t *testing.T) {
	s, c := deviceSession(t)
	var steps []DeviceStep
	_, err := newDeviceFlow(s, c, &steps).Run(context.Background())
	var de *DeviceError
	if !errors.As(err, &de) || de.Code != "expired_token" || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("error %v", err)
	}
	if n := len(c.sleeps); n != 180 {
		t.Errorf("%d polls, want 180 (15 minutes at 5 s)", n)
	}
}

// Timeout stops the polling on the flow's clock; a cancelled context stops
// it with the context's cause.
func TestDeviceFlowTimeoutAndCancel(t *testing.T) {
	s, c := deviceSession(t)
	var steps []DeviceStep
	f := newDeviceFlow(s, c, &steps)
	f.Timeout = 12 * time.Second
	_, err := f.Run(context.Background())
	var de *DeviceError
	if !errors.As(err, &de) || de.Code != "timeout" || len(c.sleeps) != 3 {
		t.Errorf("error %v after %d waits", err, len(c.sleeps))
	}

	cause := errors.New("stop")
	ctx, cancel := context.WithCancelCause(context.Background())
	f = newDeviceFlow(s, c, &steps)
	c.onSleep = func(n int) { cancel(cause) }
	if _, err := f.Run(ctx); !errors.Is(err, cause) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestDeviceFlowOrganization: the organization is sent with the code
// request and the id_token must carry it (org_id for an id, org_name in
// any case for a name); a token for no organization, or another, fails
// with a sentence naming the one expected; an unknown one is refused.
func TestDeviceFlowOrganization(t *testing.T) {
	approve := func(s *Session, c *deviceClock) {
		c.onSleep = func(n int) {
			if n == 1 {
				openApprovalLink(t, s, sandbox.KindDeviceApproval, "")
			}
		}
	}
	for _, tc := range []struct{ org, claim string }{{sandbox.SeedOrganizationID, "org_id"}, {"Acme", "org_name"}} {
		s, c := deviceSession(t)
		approve(s, c)
		var steps []DeviceStep
		f := newDeviceFlow(s, c, &steps)
		f.Organization = tc.org
		r, err := f.Run(context.Background())
		if err != nil || !r.IDToken.Valid() {
			t.Fatalf("organization %s: %v", tc.org, err)
		}
		var checked bool
		for _, ch := range r.IDToken.Checks {
			checked = checked || (ch.Name == tc.claim && ch.OK && !ch.Skipped)
		}
		if !checked {
			t.Errorf("organization %s: %s not checked: %+v", tc.org, tc.claim, r.IDToken.Checks)
		}
	}

	for _, tc := range []struct{ sent, want string }{
		{"", `the id_token of the device's tokens is not valid (org_id: organization "org_sbxAcme0000001" was expected and the token has no org_id)`},
		{"org_beta0000000001", `the id_token of the device's tokens is not valid (org_id: organization "org_beta0000000001", expected "org_sbxAcme0000001")`},
	} {
		s, c := deviceSession(t)
		s.Sandbox.AddOrganization(sandbox.Organization{ID: "org_beta0000000001", Name: "beta"})
		approve(s, c)
		var steps []DeviceStep
		f := newDeviceFlow(s, c, &steps)
		// The code is asked for one organization (or none), the token
		// checked for the seeded one: a tenant answering for another.
		f.Organization = tc.sent
		code, err := f.Start(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		f.Organization = sandbox.SeedOrganizationID
		r, err := f.Poll(context.Background(), code)
		var de *DeviceError
		if !errors.As(err, &de) || de.Code != "id_token" || err.Error() != tc.want || r == nil || r.IDToken.Valid() {
			t.Errorf("token for %q: %v", tc.sent, err)
		}
	}

	s, c := deviceSession(t)
	var steps []DeviceStep
	f := newDeviceFlow(s, c, &steps)
	f.Organization = "org_nope"
	if _, err := f.Run(context.Background()); err == nil || api.ExitCode(err) != 1 || !strings.Contains(err.Error(), "organization org_nope") {
		t.Errorf("unknown organization: %v", err)
	}
}
