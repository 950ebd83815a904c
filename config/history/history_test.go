package history

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/api/sandbox"
)

var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// signIn sends a password grant to a sandbox and returns what a session
// would record, with the secrets it knows.
func signIn(t *testing.T) (Record, []string) {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Options{Seed: 3, Seeded: true, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := api.New(api.Config{Domain: srv.BaseURL, ClientID: srv.Client.ID, ClientSecret: srv.Client.Secret, UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	op := api.ByName("passwordGrant")
	v := api.Values{Fields: []api.Value{
		api.String("username", sandbox.SeedEmail), api.String("password", sandbox.SeedPassword),
		api.String("client_secret", srv.Client.Secret), api.String("scope", "openid profile offline_access"),
	}}
	ex := c.Do(context.Background(), op, v)
	if ex.Response == nil || ex.Response.Status != 200 || len(ex.Tokens) < 2 {
		t.Fatalf("sign-in failed: %v", ex.Err)
	}
	secrets := []string{srv.Client.Secret, sandbox.SeedPassword}
	for _, tk := range ex.Tokens {
		secrets = append(secrets, tk.Value)
	}
	return Record{ID: "e1", Time: clock, Profile: "SANDBOX", Tenant: srv.BaseURL, Op: op, Values: v, Ex: ex,
		Secrets: []string{srv.Client.Secret}}, secrets
}

func open(t *testing.T, o Options) *Store {
	t.Helper()
	if o.Dir == "" {
		o.Dir = filepath.Join(t.TempDir(), "history")
	}
	s, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// What is on disk holds no secret: not the client secret, not the
// password, no token; the inputs keep the non-secret fields and name the
// others; read back, the exchange shows the status, the redacted body and
// the request, and no token.
func TestAppendKeepsNoSecret(t *testing.T) {
	rec, secrets := signIn(t)
	s := open(t, Options{})
	if _, err := s.Append(rec); err != nil {
		t.Fatal(err)
	}
	path := s.Path("SANDBOX")
	if filepath.Base(path) != "sandbox.jsonl" {
		t.Errorf("file %s, want sandbox.jsonl", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range secrets {
		if strings.Contains(string(data), sec) {
			t.Errorf("the history file holds a secret (%.12s…)", sec)
		}
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", st.Mode().Perm())
		}
		if st, _ := os.Stat(s.Dir()); st.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v, want 0700", st.Mode().Perm())
		}
	}
	got, err := s.Load("SANDBOX")
	if err != nil || got.Corrupt != 0 || len(got.Entries) != 1 {
		t.Fatalf("load: %+v, %v", got, err)
	}
	e := got.Entries[0]
	if e.Operation != "passwordGrant" || e.Status != 200 || e.Tenant != rec.Tenant || !e.Time.Equal(clock) {
		t.Errorf("entry %+v", e)
	}
	var names []string
	for _, in := range e.Inputs {
		names = append(names, in.Name+"="+in.Text())
	}
	if want := "username=" + sandbox.SeedEmail + ",scope=openid profile offline_access"; strings.Join(names, ",") != want {
		t.Errorf("inputs %v, want %s", names, want)
	}
	if strings.Join(e.Dropped, ",") != "password,client_secret" {
		t.Errorf("dropped %v", e.Dropped)
	}
	if tf := e.TokenFields(); len(tf) < 2 {
		t.Errorf("token fields %v", tf)
	}
	ex, err := e.ToExchange()
	if err != nil {
		t.Fatal(err)
	}
	if ex.Response.Status != 200 || len(ex.Tokens) != 0 || !strings.Contains(string(ex.Response.Body), `"access_token":"[redacted]"`) {
		t.Errorf("exchange back: %d, %d tokens, body %s", ex.Response.Status, len(ex.Tokens), ex.Response.Body)
	}
	if ex.Request.Method != "POST" || !strings.HasSuffix(ex.Request.URL, "/oauth/token") || !strings.Contains(string(ex.Request.Body), `"password":"[redacted]"`) {
		t.Errorf("request back: %s %s %s", ex.Request.Method, ex.Request.URL, ex.Request.Body)
	}
	if (ex.Duration - rec.Ex.Duration).Abs() > time.Microsecond {
		t.Errorf("duration %v, want %v", ex.Duration, rec.Ex.Duration)
	}
}

// A secret the exchange does not know of itself (a token of an earlier
// answer typed into a field that is not secret) is still not written.
func TestAppendRedactsTheSessionsSecrets(t *testing.T) {
	rec, _ := signIn(t)
	earlier := "eyJearlier-token-of-the-session.payload.sig"
	rec.Values.Fields = append(rec.Values.Fields, api.String("audience", "https://api/"+earlier))
	rec.Secrets = append(rec.Secrets, earlier)
	s := open(t, Options{})
	if _, err := s.Append(rec); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path("SANDBOX"))
	if strings.Contains(string(data), earlier) || !strings.Contains(string(data), "https://api/[redacted]") {
		t.Errorf("the session's secret is on disk or the field is gone: %s", data)
	}
}

func entryRecord(i int, body string) Record {
	return Record{ID: fmt.Sprint("id", i), Time: clock.Add(time.Duration(i) * time.Second), Profile: "dev", Tenant: "dev.eu.auth0.com",
		Op: api.ByName("getProfile"), Ex: &api.Exchange{Response: &api.Response{Status: 200, Body: []byte(body)}}}
}

// The file keeps the last MaxEntries exchanges.
func TestCapByEntries(t *testing.T) {
	s := open(t, Options{MaxEntries: 5})
	for i := range 8 {
		if _, err := s.Append(entryRecord(i, "{}")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Load("dev")
	if err != nil || len(got.Entries) != 5 || got.Entries[0].ID != "id3" || got.Entries[4].ID != "id7" {
		t.Fatalf("load: %d entries (%v), first %v", len(got.Entries), err, got.Entries)
	}
	data, _ := os.ReadFile(s.Path("dev"))
	if n := strings.Count(string(data), "\n"); n != 5 {
		t.Errorf("the file holds %d lines, want 5", n)
	}
}

// The file stays within MaxBytes; a body too long for one entry is
// replaced by a sentence.
func TestCapByBytes(t *testing.T) {
	s := open(t, Options{MaxBytes: 4000})
	for i := range 10 {
		if _, err := s.Append(entryRecord(i, `{"x":"`+strings.Repeat("a", 900)+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(s.Path("dev"))
	if err != nil || st.Size() > 4000 {
		t.Fatalf("file size %v (%v), want at most 4000", st.Size(), err)
	}
	got, _ := s.Load("dev")
	if len(got.Entries) == 0 || got.Entries[len(got.Entries)-1].ID != "id9" {
		t.Fatalf("the newest entries are not kept: %d", len(got.Entries))
	}
	e, _, err := entryRecord(1, `"`+strings.Repeat("b", MaxEntryBytes)+`"`).Entry()
	if err != nil || !strings.Contains(string(e.Exchange), "is not kept in the history") {
		t.Errorf("a long body is kept: %v %.200s", err, e.Exchange)
	}
}

// Lines that do not parse are skipped and counted; the next append after a
// line cut short starts a line of its own.
func TestCorruptLinesSkipped(t *testing.T) {
	s := open(t, Options{})
	if _, err := s.Append(entryRecord(1, "{}")); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(s.Path("dev"), os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString("not json\n{\"v\":1,\"id\":\"half")
	f.Close()
	if _, err := s.Append(entryRecord(2, "{}")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("dev")
	if err != nil || got.Corrupt != 2 || len(got.Entries) != 2 {
		t.Fatalf("load: %d entries, %d corrupt, %v", len(got.Entries), got.Corrupt, err)
	}
}

// A history directory that cannot be made is one sentence naming the file.
func TestUnwritableDirIsASentence(t *testing.T) {
	base := t.TempDir()
	block := filepath.Join(base, "history")
	if err := os.WriteFile(block, []byte("a file where the directory goes"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, Options{Dir: block})
	_, err := s.Append(entryRecord(1, "{}"))
	if err == nil || !strings.HasPrefix(err.Error(), "could not save the history to "+s.Path("dev")) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v", err)
	}
	if _, err := s.Load("dev"); err == nil || !strings.Contains(err.Error(), "could not read the history") {
		t.Errorf("load: %v", err)
	}
}

func TestClear(t *testing.T) {
	s := open(t, Options{})
	if err := s.Clear("dev"); err != nil {
		t.Fatalf("clearing nothing: %v", err)
	}
	if _, err := s.Append(entryRecord(1, "{}")); err != nil {
		t.Fatal(err)
	}
	if err := s.Clear("dev"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load("dev"); err != nil || len(got.Entries) != 0 {
		t.Fatalf("after clear: %+v %v", got, err)
	}
}

func TestDefaultDir(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		env  func(string) string
		want string
	}{
		{env(EnvDir, "/s", "AUTH0_EXPLORER_CONFIG", "/c", "XDG_STATE_HOME", "/x", "HOME", "/h"), "/s/history"},
		{env("AUTH0_EXPLORER_CONFIG", "/c", "XDG_STATE_HOME", "/x", "HOME", "/h"), "/c/history"},
		{env("XDG_STATE_HOME", "/x", "HOME", "/h"), "/x/auth0-explorer/history"},
		{env("HOME", "/h"), "/h/.local/state/auth0-explorer/history"},
		{env("XDG_STATE_HOME", "rel", "HOME", "/h"), ""},
		{env(), ""},
	} {
		if runtime.GOOS == "windows" {
			t.Skip("XDG rules")
		}
		got, err := DefaultDir(c.env)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("DefaultDir = %q, %v; want %q", got, err, c.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"dev": "dev.jsonl", "SANDBOX": "sandbox.jsonl", "": "default.jsonl", "a/../b": "a_.._b.jsonl", ".x": "_x.jsonl"} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
	var e Entry
	if err := json.Unmarshal([]byte(`{"v":1}`), &e); err != nil {
		t.Fatal(err)
	}
}
