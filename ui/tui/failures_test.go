package tui

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// Every transport failure the `call` tests cover, driven through the whole
// program: each shows one sentence in the answer pane, nothing raw from the
// server reaches the screen, and the program stays usable.
func TestTransportFailuresReadAsSentences(t *testing.T) {
	// Handlers that hold the request wait for its end or for release,
	// which closes before the servers do (cleanups run last-in first-out).
	release := make(chan struct{})

	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(other.Close)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(tlsSrv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	_, _ = zw.Write(make([]byte, 4<<20))
	_ = zw.Close()

	json := func(status int, body string, h ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i+1 < len(h); i += 2 {
				w.Header().Set(h[i], h[i+1])
			}
			if w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/json")
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	reset := strconv.FormatInt(clock.Add(42*time.Second).Unix(), 10)
	cases := []struct {
		name    string
		handler http.Handler // nil: domain is used as given
		domain  string
		want    string
	}{
		{"5xx", json(503, `{"error":"server_error","error_description":"The service is down."}`), "", "The service is down."},
		{"HTML 502", json(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "Content-Type", "text/html"), "", "502"},
		{"429 with reset", json(429, `{"error":"too_many_requests","error_description":"Global limit has been reached"}`,
			"x-ratelimit-limit", "10", "x-ratelimit-remaining", "0", "x-ratelimit-reset", reset), "", "(in 42 s)"},
		{"429 without reset", json(429, `{"error":"too_many_requests","error_description":"Global limit has been reached"}`), "", "Global limit has been reached"},
		{"hang", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leave
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}), "", "no answer from"},
		{"trickle", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"`))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}), "", "within"},
		{"huge body", json(200, `{"access_token":"`+strings.Repeat("a", 2<<20)+`"}`), "", "larger than 1 MiB"},
		{"gzip bomb", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(bomb.Bytes())
		}), "", "larger than 1 MiB"},
		{"cross-origin redirect", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/oauth/token", http.StatusTemporaryRedirect)
		}), "", "refused to follow a redirect"},
		{"TLS failure", nil, tlsSrv.URL, "unknown authority"},
		{"refused connection", nil, refused, "connection refused"},
		{"escape sequences", json(400, `{"error":"invalid_request","error_description":"bad \u001b]0;pwned\u0007 \u001b]52;c;ZXZpbA==\u0007 \u001b[2J thing"}`), "", `\x1b]0;pwned\a`},
	}
	t.Cleanup(func() { close(release) })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			domain := c.domain
			if c.handler != nil {
				srv := httptest.NewServer(c.handler)
				t.Cleanup(srv.Close)
				t.Cleanup(func() { srv.CloseClientConnections() })
				domain = srv.URL
			}
			// A short limit for the cases that wait on purpose; a generous
			// one for the rest, so a busy machine does not turn a TLS or
			// redirect failure into a timeout.
			timeout := 5 * time.Second
			if c.name == "hang" || c.name == "trickle" {
				timeout = 300 * time.Millisecond
			}
			sess, err := app.Open(app.Tenant{Name: "test", Domain: domain, ClientID: "cid", ClientSecret: "csecret-long-enough"},
				api.TransportOptions{Timeout: timeout, MaxBody: 1 << 20}, "test")
			if err != nil {
				t.Fatal(err)
			}
			sess.Client.Now = now
			t.Cleanup(sess.Close)
			tm := start(t, Options{Session: sess}, 120, 40)
			waitFor(t, tm, "passwordGrant")
			typeText(tm, "/")
			typeText(tm, "clientCredentialsGrant")
			tm.Send(keyMsg(tea.KeyEnter))
			typeText(tm, "https://api.example.com/") // audience
			tm.Send(keyMsg(tea.KeyCtrlS))
			waitFor(t, tm, c.want)
			// Still usable: the help opens and closes, the form takes keys.
			tm.Send(keyMsg(tea.KeyTab)) // from the answer to the operations
			typeText(tm, "?")
			waitFor(t, tm, "(? or esc closes)")
			typeText(tm, "?")
			m := final(t, tm)
			v := m.View()
			if strings.ContainsRune(v, 0x1b) || strings.ContainsRune(v, 0x07) {
				t.Fatalf("a raw control character reached the screen:\n%q", v)
			}
			ex := m.resp.Exchange()
			if ex == nil || ex.Err == nil {
				t.Fatalf("no error for %s", c.name)
			}
			if msg := ex.Err.Error(); strings.Count(msg, "\n") != 0 {
				t.Errorf("the error is more than one line: %q", msg)
			}
			fmt.Fprintln(testWriter{t}, c.name+": "+ex.Err.Error())
		})
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
