package flows

import (
	"strings"
	"testing"
	"time"

	"auth0-explorer/ui/app"
)

// pollViewArgs are the arguments of a polling block's View: wide, on a
// clock, live, on the sandbox.
func pollViewArgs(now time.Time) ViewArgs {
	return ViewArgs{Width: 200, Now: now, St: DefaultStyles(), Live: true, Sandbox: true}
}

// wantLines fails unless view has each of want as a whole line, and none
// of unwanted anywhere.
func wantLines(t *testing.T, view string, want []string, unwanted ...string) {
	t.Helper()
	lines := strings.Split(view, "\n")
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.TrimSpace(l) == w
		}
		if !found {
			t.Errorf("no line %q in:\n%s", w, view)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(view, u) {
			t.Errorf("%q in:\n%s", u, view)
		}
	}
}

// The device flow's block counts down to the code's expiry, counts the
// polls (one poll, then a slow_down in the warning line), says when the
// code has expired, and drops the countdown and the keys once over.
func TestDeviceDetailPolling(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &app.DeviceCode{DeviceCode: "secret-device-code", UserCode: "ABCD-EFGH", VerificationURI: "https://t.example/activate",
		Expires: t0.Add(15 * time.Minute), Interval: 5 * time.Second}
	d := newDeviceDetail(c)
	wantLines(t, d.View(pollViewArgs(t0)), []string{"Expires in 15:00", "Polling every 5s · 0 polls",
		"b opens the URL with the code · y copies the code", "Sandbox: the outbox (o) holds the approval link; enter on it approves."}, "secret-device-code")

	d = d.with(app.DeviceStep{Kind: app.DevicePending, Code: c, Interval: 5 * time.Second, Polls: 1})
	wantLines(t, d.View(pollViewArgs(t0.Add(5500*time.Millisecond))), []string{"Expires in 14:54", "Polling every 5s · 1 poll"})

	d = d.with(app.DeviceStep{Kind: app.DeviceSlowDown, Code: c, Interval: 10 * time.Second, Polls: 2})
	wantLines(t, d.View(pollViewArgs(t0.Add(time.Minute))), []string{"Polling every 10s (slow_down ×1) · 2 polls"})
	wantLines(t, d.View(pollViewArgs(t0.Add(16*time.Minute))), []string{"The code has expired"}, "Expires in")

	d = d.with(app.DeviceStep{Kind: app.DeviceFailed, Code: c, Interval: 10 * time.Second, Polls: 3})
	wantLines(t, d.View(pollViewArgs(t0.Add(time.Minute))), []string{"Polling every 10s (slow_down ×1) · 3 polls"}, "Expires", "Sandbox:", "b opens")
}

// The CIBA block does the same for the request's expiry, with its own
// sentence for an expired request and its own sandbox hint.
func TestCIBADetailPolling(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	req := &app.CIBARequest{AuthReqID: "secret-auth-req-id", BindingMessage: "Order 7421", Expires: t0.Add(5 * time.Minute), Interval: 5 * time.Second}
	d := newCIBADetail(req, req.Interval)
	wantLines(t, d.View(pollViewArgs(t0)), []string{"Expires in 5:00", "Polling every 5s · 0 polls",
		"Sandbox: the outbox (o) holds the approval: enter on it approves, x denies."}, "secret-auth-req-id")

	d = d.with(app.CIBAStep{Kind: app.CIBAPending, Request: req, Interval: 5 * time.Second, Polls: 1})
	wantLines(t, d.View(pollViewArgs(t0.Add(61*time.Second))), []string{"Expires in 3:59", "Polling every 5s · 1 poll"})

	d = d.with(app.CIBAStep{Kind: app.CIBASlowDown, Request: req, Interval: 10 * time.Second, Polls: 2})
	d = d.with(app.CIBAStep{Kind: app.CIBASlowDown, Request: req, Interval: 15 * time.Second, Polls: 3})
	wantLines(t, d.View(pollViewArgs(t0.Add(6*time.Minute))), []string{"The request has expired", "Polling every 15s (slow_down ×2) · 3 polls"}, "Expires in")

	d = d.with(app.CIBAStep{Kind: app.CIBAApproved, Request: req, Interval: 15 * time.Second, Polls: 4})
	wantLines(t, d.View(pollViewArgs(t0)), []string{"Polling every 15s (slow_down ×2) · 4 polls"}, "Expires", "Sandbox:")
}

// The MFA block counts down to a push notification's expiry as the
// others do, and ends with the number of polls once approved.
func TestMFADetailPushPolling(t *testing.T) {
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	d := mfaPushDetail("push notification to Pixel", t0.Add(5*time.Minute), 10*time.Second, 1, 1)
	wantLines(t, d.View(pollViewArgs(t0.Add(30*time.Second))), []string{"A push notification went to Pixel: approve it on the phone.",
		"Expires in 4:30", "Polling every 10s (slow_down ×1) · 1 poll",
		"Sandbox: the outbox holds the approval (tab, o opens it; enter on it approves, x denies; f comes back here)."})
	wantLines(t, d.View(pollViewArgs(t0.Add(5*time.Minute))), []string{"The notification has expired"}, "Expires in")

	d.polls, d.over, d.approved = 1, true, true
	wantLines(t, d.View(pollViewArgs(t0)), []string{"Approved after 1 poll."}, "Expires", "Polling", "Sandbox:")
}

// mfaPushDetail is the MFA block while a push is polled.
func mfaPushDetail(push string, expires time.Time, interval time.Duration, polls, slowDowns int) *mfaDetail {
	return &mfaDetail{push: push, polling: polling{expires: expires, interval: interval, polls: polls, slowDown: slowDowns}}
}
