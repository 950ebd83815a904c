package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
	"auth0-explorer/jwtview"
)

const refreshAPI = "https://api.example.com/"

// signIn gets the seeded user's tokens on the session's client with a
// refresh token and an access token for refreshAPI (a JWT).
func signIn(t *testing.T, s *Session) *GrantResult {
	t.Helper()
	s.Sandbox.AddAPI(sandbox.API{Identifier: refreshAPI, Name: "Example API"})
	ex := s.Client.Do(context.Background(), api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword),
		api.String("scope", "openid profile offline_access"), api.String("audience", refreshAPI)}})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	r := &GrantResult{Exchange: ex}
	if r.Token("refresh_token") == "" || r.Token("access_token") == "" || r.Token("id_token") == "" {
		t.Fatalf("sign-in answered %s", ex.Response.Body)
	}
	return r
}

func newRefreshFlow(s *Session, g *GrantResult, steps *[]RefreshStep) *RefreshFlow {
	return &RefreshFlow{Session: s, RefreshToken: g.Token("refresh_token"), AccessToken: g.Token("access_token"), IDToken: g.Token("id_token"),
		OnStep: func(st RefreshStep) { *steps = append(*steps, st) }}
}

// The sandbox's client rotates: the refresh answers a new refresh token,
// the new access and id tokens differ from the old ones by their times;
// the rotated token is revoked, and refreshing with it is then refused
// with invalid_grant.
func TestRefreshFlowRotateRevokeRefused(t *testing.T) {
	s, c := deviceSession(t)
	g := signIn(t, s)
	c.Sleep(context.Background(), 10*time.Minute)
	var steps []RefreshStep
	f := newRefreshFlow(s, g, &steps)
	r, err := f.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.Rotated || r.RefreshToken == "" || r.RefreshToken == g.Token("refresh_token") || r.Token("refresh_token") != r.RefreshToken {
		t.Errorf("rotated %v, newest %q", r.Rotated, r.RefreshToken)
	}
	if len(steps) != 3 {
		t.Fatalf("steps %+v", steps)
	}
	for i, want := range []struct {
		kind RefreshStepKind
		text string
	}{
		{RefreshStepRefresh, "refreshed; rotated: yes"},
		{RefreshStepRevoke, "revoked the rotated refresh token"},
		{RefreshStepRefused, "the revoked refresh token is refused: invalid_grant (Unknown or invalid refresh token)"},
	} {
		if st := steps[i]; st.Kind != want.kind || st.Failed() || !strings.HasPrefix(st.Text, want.text) || st.Exchange == nil {
			t.Errorf("step %d: %v %q %v, want %v %q", i, st.Kind, st.Text, st.Err, want.kind, want.text)
		}
	}
	if steps[0].Result != r {
		t.Error("the refresh step does not carry the result")
	}
	// The revoke named the rotated token, the check sent it.
	if body := string(steps[1].Exchange.Request.Body); !strings.Contains(body, r.RefreshToken) {
		t.Error("the revoke did not send the rotated refresh token")
	}
	if len(r.Diffs) != 2 || r.Diffs[0].Field != "access_token" || r.Diffs[1].Field != "id_token" {
		t.Fatalf("diffs %+v", r.Diffs)
	}
	for _, d := range r.Diffs {
		changed := map[string]bool{}
		for _, c := range d.Changed() {
			changed[c.Name] = c.Change == jwtview.Changed
		}
		if d.Note != "" || !changed["iat"] || !changed["exp"] || changed["sub"] {
			t.Errorf("%s: note %q, changed %v", d.Field, d.Note, changed)
		}
		if !strings.Contains(d.Lifetime.Summary(), "10m later") {
			t.Errorf("%s lifetime: %s", d.Field, d.Lifetime.Summary())
		}
	}
}

// A non-rotating client: no new refresh token in the answer; the original
// is the one revoked and then refused. StopAfterRefresh stops after the
// refresh, and the token stays good.
func TestRefreshFlowWithoutRotation(t *testing.T) {
	s, _ := deviceSession(t)
	s.Sandbox.AddClient(sandbox.Client{ID: "nonrotating-client-0001", Secret: "nonrotating-secret-0001", Name: "Non-rotating", NonRotating: true})
	ns, err := Open(Tenant{Domain: s.Sandbox.BaseURL, ClientID: "nonrotating-client-0001", ClientSecret: "nonrotating-secret-0001"}, api.TransportOptions{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	ns.Sandbox = s.Sandbox
	g := signIn(t, ns)

	var steps []RefreshStep
	f := newRefreshFlow(ns, g, &steps)
	f.StopAfterRefresh = true
	r, err := f.Run(context.Background())
	if err != nil || len(steps) != 1 {
		t.Fatalf("%v, steps %+v", err, steps)
	}
	if r.Rotated || r.RefreshToken != g.Token("refresh_token") || r.Token("refresh_token") != "" ||
		!strings.HasPrefix(steps[0].Text, "refreshed; rotated: no") {
		t.Errorf("rotated %v, text %q", r.Rotated, steps[0].Text)
	}

	steps = nil
	f = newRefreshFlow(ns, g, &steps)
	if _, err := f.Refresh(context.Background()); err != nil {
		t.Fatal(err) // the original still works: not rotated, not revoked
	}
	if err := f.Revoke(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := f.CheckRefused(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[1].Text != "revoked the refresh token" || !strings.HasPrefix(steps[2].Text, "the revoked refresh token is refused: invalid_grant") ||
		!strings.Contains(string(steps[1].Exchange.Request.Body), g.Token("refresh_token")) {
		t.Errorf("steps %+v", steps)
	}
}

// A tenant that still takes the revoked token is a finding: a failed
// step, not a crash. (A revoke sent for another client is ignored, as
// RFC 7009 has it, so the token stays good.) CheckRefused before Revoke
// says so.
func TestRefreshFlowStillAccepted(t *testing.T) {
	s, _ := deviceSession(t)
	g := signIn(t, s)
	var steps []RefreshStep
	f := newRefreshFlow(s, g, &steps)
	if err := f.CheckRefused(context.Background()); err == nil || !strings.Contains(err.Error(), "revoke one first") {
		t.Errorf("before revoke: %v", err)
	}
	f.revoked = g.Token("refresh_token") // as if revoked, but it was not
	err := f.CheckRefused(context.Background())
	var fe *FlowError
	if !errors.As(err, &fe) || fe.Code != "still_accepted" || !strings.Contains(err.Error(), "still accepts the revoked refresh token") {
		t.Fatalf("error %v", err)
	}
	if last := steps[len(steps)-1]; last.Kind != RefreshStepRefused || !last.Failed() || last.Text != err.Error() {
		t.Errorf("last step %+v", last)
	}
}

// A refresh token the tenant does not know: the refresh step fails with
// the tenant's error, and Run stops there.
func TestRefreshFlowUnknownToken(t *testing.T) {
	s, _ := deviceSession(t)
	var steps []RefreshStep
	f := &RefreshFlow{Session: s, RefreshToken: "not-a-refresh-token", OnStep: func(st RefreshStep) { steps = append(steps, st) }}
	r, err := f.Run(context.Background())
	var ae *api.Error
	if r != nil || !errors.As(err, &ae) || ae.Code != "invalid_grant" || len(steps) != 1 || !steps[0].Failed() {
		t.Errorf("result %v, error %v, steps %+v", r, err, steps)
	}
}
