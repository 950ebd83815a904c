package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

func newCIBAFlow(s *Session, c *deviceClock, steps *[]CIBAStep) *CIBAFlow {
	return &CIBAFlow{Session: s, UserID: s.Sandbox.Users()[0].ID, BindingMessage: "Order 7421",
		Now: c.Now, Sleep: c.Sleep, OnStep: func(st CIBAStep) { *steps = append(*steps, st) }}
}

func cibaKinds(steps []CIBAStep) []CIBAStepKind {
	var k []CIBAStepKind
	for _, s := range steps {
		k = append(k, s.Kind)
	}
	return k
}

func equalCIBAKinds(a, b []CIBAStepKind) bool {
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

// Requested (the binding message reaches the user's outbox), pending once,
// approved through the outbox link: tokens whose id_token passes the
// session's checks; polled at the tenant's interval; the scope defaults
// to openid.
func TestCIBAFlowApproved(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) {
		if n == 2 {
			openApprovalLink(t, s, sandbox.KindCIBAApproval, "")
		}
	}
	var steps []CIBAStep
	r, err := newCIBAFlow(s, c, &steps).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Token("access_token") == "" || r.Token("id_token") == "" || r.IDToken == nil || !r.IDToken.Valid() {
		t.Fatalf("tokens %v, id_token verdict %v", r.Exchange.Tokens, r.IDToken)
	}
	if r.Token("refresh_token") != "" {
		t.Error("a refresh token for scope openid alone")
	}
	if want := []CIBAStepKind{CIBARequested, CIBAPending, CIBAApproved}; !equalCIBAKinds(cibaKinds(steps), want) {
		t.Errorf("steps %v, want %v", cibaKinds(steps), want)
	}
	req := steps[0].Request
	if req.BindingMessage != "Order 7421" || req.AuthReqID == "" || req.Interval != 5*time.Second || steps[0].Remaining != 300*time.Second {
		t.Errorf("request %+v, remaining %s", req, steps[0].Remaining)
	}
	if m := s.Sandbox.Outbox()[0]; m.Kind != sandbox.KindCIBAApproval || m.Code != "Order 7421" {
		t.Errorf("outbox %+v", m)
	}
	if steps[1].Remaining != 295*time.Second || steps[1].Polls != 1 {
		t.Errorf("pending step: remaining %s, polls %d", steps[1].Remaining, steps[1].Polls)
	}
	for _, d := range c.sleeps {
		if d != 5*time.Second {
			t.Errorf("waited %s, want the tenant's interval 5s", d)
		}
	}
	if strings.Contains(string(steps[0].Exchange.Request.Body), "userId") {
		t.Errorf("userId sent as such: %s", steps[0].Exchange.Request.Body)
	}
}

func TestCIBAFlowDenied(t *testing.T) {
	s, c := deviceSession(t)
	c.onSleep = func(n int) {
		if n == 2 {
			openApprovalLink(t, s, sandbox.KindCIBAApproval, "&action=deny")
		}
	}
	var steps []CIBAStep
	_, err := newCIBAFlow(s, c, &steps).Run(context.Background())
	var ce *CIBAError
	if !errors.As(err, &ce) || ce.Code != "access_denied" || !strings.HasPrefix(err.Error(), "the user denied the request") {
		t.Fatalf("error %v", err)
	}
	if want := []CIBAStepKind{CIBARequested, CIBAPending, CIBAFailed}; !equalCIBAKinds(cibaKinds(steps), want) {
		t.Errorf("steps %v, want %v", cibaKinds(steps), want)
	}
	if last := steps[len(steps)-1]; last.Err != err {
		t.Errorf("last step %+v", last)
	}
	if api.ExitCode(err) != 1 {
		t.Errorf("exit %d", api.ExitCode(err))
	}
}

// Nobody decides: the request expires after requested_expiry on the
// injected clock, and the flow stops with expired_token.
func TestCIBAFlowExpired(t *testing.T) {
	s, c := deviceSession(t)
	var steps []CIBAStep
	f := newCIBAFlow(s, c, &steps)
	f.RequestedExpiry = 60 * time.Second
	_, err := f.Run(context.Background())
	var ce *CIBAError
	if !errors.As(err, &ce) || ce.Code != "expired_token" || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("error %v", err)
	}
	if steps[0].Remaining != 60*time.Second {
		t.Errorf("requested_expiry not honoured: %s", steps[0].Remaining)
	}
	if n := len(c.sleeps); n != 12 {
		t.Errorf("%d polls, want 12 (60 s at 5 s)", n)
	}
}

// A poll sooner than the interval gets slow_down: the interval grows by
// 5 s and the flow waits the longer interval from then on.
func TestCIBAFlowSlowDown(t *testing.T) {
	s, c := deviceSession(t)
	var steps []CIBAStep
	f := newCIBAFlow(s, c, &steps)
	base := f.Sleep
	f.Sleep = func(ctx context.Context, d time.Duration) error {
		if len(c.sleeps) == 1 {
			d -= 2 * time.Second // the second poll comes early: slow_down
		}
		return base(ctx, d)
	}
	c.onSleep = func(n int) {
		if n == 3 {
			openApprovalLink(t, s, sandbox.KindCIBAApproval, "")
		}
	}
	if _, err := f.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []CIBAStepKind{CIBARequested, CIBAPending, CIBASlowDown, CIBAApproved}; !equalCIBAKinds(cibaKinds(steps), want) {
		t.Fatalf("steps %v, want %v", cibaKinds(steps), want)
	}
	if steps[2].Interval != 10*time.Second || c.sleeps[2] != 10*time.Second {
		t.Errorf("interval after slow_down %s, waited %s; want 10s", steps[2].Interval, c.sleeps[2])
	}
}

// No user, no binding message: the catalogue refuses before sending; an
// unknown user is the tenant's refusal. Each is a failed step.
func TestCIBAFlowRefusedRequests(t *testing.T) {
	s, c := deviceSession(t)
	var steps []CIBAStep
	f := newCIBAFlow(s, c, &steps)
	f.UserID = ""
	_, err := f.Run(context.Background())
	var ie *api.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "the user is missing") {
		t.Errorf("no user: %v", err)
	}
	f = newCIBAFlow(s, c, &steps)
	f.UserID = "auth0|nobody"
	_, err = f.Run(context.Background())
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != "unknown_user_id" {
		t.Errorf("unknown user: %v", err)
	}
	if last := steps[len(steps)-1]; last.Kind != CIBAFailed || last.Err != err {
		t.Errorf("last step %+v", last)
	}
}
