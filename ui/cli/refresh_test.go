package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

// signInJSON signs the seeded user in on the rig's client, with a refresh
// token and an access token (a JWT) for an API, and returns the answer.
func (r *deviceRig) signInJSON() []byte {
	r.t.Helper()
	r.srv.AddAPI(sandbox.API{Identifier: "https://api.example.com/", Name: "Example API"})
	c, err := api.New(api.Config{Domain: r.srv.BaseURL, ClientID: r.srv.Client.ID, ClientSecret: r.srv.Client.Secret})
	if err != nil {
		r.t.Fatal(err)
	}
	ex := c.Do(context.Background(), api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword),
		api.String("scope", "openid profile offline_access"), api.String("audience", "https://api.example.com/")}})
	if ex.Err != nil {
		r.t.Fatal(ex.Err)
	}
	return ex.Response.Body
}

func (r *deviceRig) runRefresh(stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	args = append([]string{"refresh", "--domain", r.srv.BaseURL, "--client-id", r.srv.Client.ID, "--client-secret", r.srv.Client.Secret}, args...)
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
	return code, out.String(), errb.String()
}

// The tokens JSON of a sign-in piped in, --revoke: exit 0, the new tokens
// on stdout, and on stderr the rotation, the claim changes, the revocation
// and the refusal of the revoked token.
func TestRefreshCommandRevoke(t *testing.T) {
	r := newDeviceRig(t)
	signed := r.signInJSON()
	r.now = r.now.Add(time.Hour)
	code, out, errs := r.runRefresh(string(signed), "--revoke")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var before, after map[string]any
	_ = json.Unmarshal(signed, &before)
	if err := json.Unmarshal([]byte(out), &after); err != nil || after["refresh_token"] == nil || after["refresh_token"] == before["refresh_token"] {
		t.Fatalf("stdout %s (%v)", out, err)
	}
	for _, want := range []string{
		"refreshed; rotated: yes",
		"  access_token: ", "  id_token: ", "issued 1h later", "~ iat: ",
		"revoked the rotated refresh token\n",
		"the revoked refresh token is refused: invalid_grant (Unknown or invalid refresh token)\n",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, before["refresh_token"].(string)) || strings.Contains(errs, after["refresh_token"].(string)) {
		t.Error("a refresh token on stderr")
	}
}

// --refresh-token given, no --revoke: the refresh alone, no claim diff
// (no earlier tokens), --print prints the rotated refresh token, which
// still works; the original is refused now (rotation).
func TestRefreshCommandPrint(t *testing.T) {
	r := newDeviceRig(t)
	var signed map[string]any
	_ = json.Unmarshal(r.signInJSON(), &signed)
	rt := signed["refresh_token"].(string)
	code, out, errs := r.runRefresh("", "--refresh-token", rt, "--print", "refresh_token")
	newRT := strings.TrimSuffix(out, "\n")
	if code != 0 || newRT == "" || newRT == rt || strings.Contains(errs, "revoked") || strings.Contains(errs, "access_token:") {
		t.Fatalf("exit %d, stdout %q\n%s", code, out, errs)
	}
	if code, _, errs := r.runRefresh("Bearer "+newRT+"\n", "--refresh-token", "-"); code != 0 || !strings.Contains(errs, "note: refresh token: removed") {
		t.Errorf("the rotated token from stdin: exit %d\n%s", code, errs)
	}
	if code, out, errs := r.runRefresh("", "--refresh-token", rt); code != 1 || out != "" || !strings.Contains(errs, "invalid_grant") {
		t.Errorf("the rotated-away token: exit %d, stdout %q\n%s", code, out, errs)
	}
}

// No token anywhere, or tokens JSON without a refresh token: exit 2.
func TestRefreshCommandUsage(t *testing.T) {
	r := newDeviceRig(t)
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", nil, "no refresh token given"},
		{"  \n", []string{"--refresh-token", "-"}, "no refresh token given"},
		{`{"access_token":"x"}`, nil, "has no refresh_token"},
		{`{"refresh_token":`, nil, "not valid"},
		{"", []string{"--refresh-token", "x", "--print", "code"}, "--print must be"},
	} {
		code, out, errs := r.runRefresh(c.stdin, c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%q %v: exit %d %s", c.stdin, c.args, code, errs)
		}
	}
}

// A tenant that does not rotate: --print refresh_token prints the refresh
// token sent, which stays valid (exit 0), not the hint about
// offline_access; with --revoke it is revoked, and that is said.
func TestRefreshCommandPrintNonRotating(t *testing.T) {
	r := newDeviceRig(t)
	r.srv.AddClient(sandbox.Client{ID: "nonrotating-client-0001", Secret: "nonrotating-secret-0001", Name: "Non-rotating", NonRotating: true})
	c, err := api.New(api.Config{Domain: r.srv.BaseURL, ClientID: "nonrotating-client-0001", ClientSecret: "nonrotating-secret-0001"})
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Do(context.Background(), api.ByName("passwordGrant"), api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword), api.String("scope", "openid offline_access")}})
	if ex.Err != nil {
		t.Fatal(ex.Err)
	}
	var signed map[string]any
	_ = json.Unmarshal(ex.Response.Body, &signed)
	rt := signed["refresh_token"].(string)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		args = append([]string{"refresh", "--domain", r.srv.BaseURL, "--client-id", "nonrotating-client-0001", "--client-secret", "nonrotating-secret-0001", "--refresh-token", rt, "--print", "refresh_token"}, args...)
		code := Run(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getenv: func(string) string { return "" }, Now: r.clock, Sleep: r.sleep})
		return code, out.String(), errb.String()
	}
	for i := range 2 { // the token printed is the one sent, and it keeps working
		code, out, errs := run()
		if code != 0 || out != rt+"\n" || !strings.Contains(errs, "rotated: no") || strings.Contains(errs, "offline_access") {
			t.Fatalf("run %d: exit %d, stdout %q\n%s", i+1, code, out, errs)
		}
	}
	code, out, errs := run("--revoke")
	if code != 1 || out != "" || !strings.Contains(errs, "does not rotate refresh tokens and the one sent was revoked") || strings.Contains(errs, rt) {
		t.Errorf("--revoke: exit %d, stdout %q\n%s", code, out, errs)
	}
}
