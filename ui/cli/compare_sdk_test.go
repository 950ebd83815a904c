package cli

import (
	"strings"
	"testing"
)

// TestCallCompareSDK: call --compare-sdk prints the request as both
// generations would send it and their line difference (form pairs against
// JSON members), sends nothing, redacts secrets unless --reveal, shows a
// generation's refusal as its side, and refuses an operation only one
// generation has with exit 2.
func TestCallCompareSDK(t *testing.T) {
	rec := newRecorder(t)
	base := []string{"call", "oauth.passwordGrant", "username=jane@example.com", "password=Passw0rd-0123456789", "realm=db",
		"--domain", rec.srv.URL, "--client-id", "cid", "--client-secret", "s3cr3t-Client-Secret-0123456789", "--compare-sdk"}
	code, stdout, stderr := run(t, nil, base...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := len(rec.take()); n != 0 {
		t.Fatalf("--compare-sdk sent %d requests", n)
	}
	for _, want := range []string{
		"As node-auth0 v2 would send it:\n  POST " + rec.srv.URL + "/oauth/token\n  content-type: application/json\n  body, JSON:\n    client_id = \"cid\"\n    client_secret = \"[redacted]\"\n",
		"As node-auth0 v4 would send it:\n  POST " + rec.srv.URL + "/oauth/token\n  content-type: application/x-www-form-urlencoded\n  body, form-encoded:\n    client_id = \"cid\"\n    username = \"jane@example.com\"\n",
		"--- node-auth0 v2\n+++ node-auth0 v4\n",
		"-content-type: application/json\n-body, JSON:\n+content-type: application/x-www-form-urlencoded\n+body, form-encoded:\n   client_id = \"cid\"\n-  client_secret = \"[redacted]\"\n",
		"\n   realm = \"db\"\n+  client_secret = \"[redacted]\"\n+  grant_type = \"http://auth0.com/oauth/grant-type/password-realm\"\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "Passw0rd-0123456789") || strings.Contains(stdout, "s3cr3t") {
		t.Errorf("a secret is shown without --reveal:\n%s", stdout)
	}
	_, stdout, _ = run(t, nil, append(base, "--reveal")...)
	if !strings.Contains(stdout, `password = "Passw0rd-0123456789"`) {
		t.Errorf("--reveal does not show the password:\n%s", stdout)
	}

	// v4 refuses client credentials without an audience; v2 sends them.
	code, stdout, stderr = run(t, nil, "call", "oauth.clientCredentialsGrant", "--domain", rec.srv.URL, "--client-id", "cid", "--client-secret", "x-secret", "--compare-sdk")
	if code != 0 || !strings.Contains(stdout, "As node-auth0 v4 would send it:\n  refused, nothing would be sent: ") || !strings.Contains(stdout, "audience") {
		t.Errorf("exit %d, stderr %q, output:\n%s", code, stderr, stdout)
	}
	// The same request: said so, no diff.
	code, stdout, _ = run(t, nil, "call", "users.getInfo", "accessToken=at-0123456789abcdef", "--domain", rec.srv.URL, "--compare-sdk")
	if code != 0 || !strings.Contains(stdout, "-content-type: application/json\n (no body)") {
		t.Errorf("userinfo: exit %d:\n%s", code, stdout)
	}
	if n := len(rec.take()); n != 0 {
		t.Fatalf("--compare-sdk sent %d requests", n)
	}
	// An operation only one generation has.
	code, stdout, stderr = run(t, nil, "call", "mfa.challenge", "mfa_token=m", "--domain", rec.srv.URL, "--client-id", "cid", "--compare-sdk")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "nothing to compare") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("mfa.challenge: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
