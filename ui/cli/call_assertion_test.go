package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"auth0-explorer/api/sandbox"
)

// TestCallClientAssertion: call --client-assertion-key signs the sandbox key
// client's assertion and gets a token; json and curl output never show the
// assertion; a bad key file is exit 2 with one sentence and nothing sent.
func TestCallClientAssertion(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	pemBytes, err := srv.KeyClientPEM()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(key, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"call", "clientCredentialsGrant", "audience=" + srv.ManagementAPI(), "--domain", srv.BaseURL, "--client-id", srv.KeyClient.ID}

	code, stdout, stderr := run(t, nil, append(base, "--client-assertion-key", key)...)
	if code != 0 || !strings.Contains(stdout, "access_token") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "client_assertion: a RS256 JWT signed with") {
		t.Errorf("no note about the assertion: %q", stderr)
	}

	code, stdout, stderr = run(t, nil, append(base, "--client-assertion-key", key, "--output", "json")...)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var out struct {
		Request struct {
			Body map[string]string `json:"body"`
		} `json:"request"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if a := out.Request.Body["client_assertion"]; a == "" || strings.Count(a, ".") == 2 {
		t.Errorf("json output shows the client_assertion %q", a)
	}
	if out.Request.Body["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		t.Errorf("json body %v", out.Request.Body)
	}

	code, stdout, _ = run(t, nil, append(base, "--client-assertion-key", key, "--output", "curl")...)
	if code != 0 || !strings.Contains(stdout, "client_assertion") || strings.Contains(stdout, "eyJ") {
		t.Errorf("curl: exit %d, assertion shown or missing:\n%s", code, stdout)
	}

	bad := filepath.Join(dir, "bad.pem")
	_ = os.WriteFile(bad, []byte("not a key"), 0o600)
	for _, args := range [][]string{
		append(base, "--client-assertion-key", bad),
		append(base, "--client-assertion-key", filepath.Join(dir, "missing.pem")),
		append(base, "--client-assertion-key", key, "--client-assertion-alg", "ES256"),
		append(base, "--client-assertion-key", key, "--client-secret", "x"),
		append(base, "--client-assertion-alg", "RS256"),
	} {
		code, stdout, stderr := run(t, nil, args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, %q / %q; want 2 and one sentence", args[len(args)-2:], code, stdout, stderr)
		}
	}
}

// TestProfileClientAssertionKey: profile add --client-assertion-key keeps
// the key file's path (not the key) and call --profile signs with it; a bad
// key file is refused at add.
func TestProfileClientAssertionKey(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	pemBytes, _ := srv.KeyClientPEM()
	dir := t.TempDir()
	key := filepath.Join(dir, "key.pem")
	_ = os.WriteFile(key, pemBytes, 0o600)
	env := map[string]string{"AUTH0_EXPLORER_CONFIG": filepath.Join(dir, "cfg")}

	code, stdout, stderr := run(t, env, "profile", "add", "kc", "--domain", srv.BaseURL, "--client-id", srv.KeyClient.ID, "--client-assertion-key", key)
	if code != 0 || !strings.Contains(stdout, "client assertion key: "+key) || !strings.Contains(stdout, "not the key") {
		t.Fatalf("profile add: exit %d: %s %s", code, stdout, stderr)
	}
	file, _ := os.ReadFile(filepath.Join(dir, "cfg", "profiles.json"))
	if !strings.Contains(string(file), `"client_assertion_key": "`+key+`"`) || strings.Contains(string(file), "PRIVATE KEY") {
		t.Errorf("profiles.json:\n%s", file)
	}
	code, stdout, stderr = run(t, env, "call", "clientCredentialsGrant", "audience="+srv.ManagementAPI(), "--profile", "kc")
	if code != 0 || !strings.Contains(stdout, "access_token") {
		t.Fatalf("call --profile: exit %d: %s %s", code, stdout, stderr)
	}

	bad := filepath.Join(dir, "bad.pem")
	_ = os.WriteFile(bad, []byte("x"), 0o600)
	code, _, stderr = run(t, env, "profile", "add", "kc2", "--domain", srv.BaseURL, "--client-id", "x", "--client-assertion-key", bad)
	if code != 2 || !strings.Contains(stderr, "not a PEM file") {
		t.Errorf("bad key at profile add: exit %d %q", code, stderr)
	}
}
