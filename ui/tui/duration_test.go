package tui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"

	tea "github.com/charmbracelet/bubbletea"
)

// A loopback answer under a millisecond reads "<1ms", not "0s", in the
// status bar and the answer pane alike.
func TestSubMillisecondDurationShown(t *testing.T) {
	m := New(Options{Session: nil, Now: now})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	ex := &api.Exchange{
		Request:  &api.Request{Method: "GET", URL: "http://127.0.0.1:8080/userinfo", Header: http.Header{}},
		Response: &api.Response{Status: 200, StatusText: "200 OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"sub":"auth0|1"}`)},
		Duration: 400 * time.Microsecond,
	}
	m.inflight = 1
	_, cmd := m.Update(responseMsg{id: 1, op: api.ByName("getProfile"), ex: ex})
	runCmds(m, cmd)
	v := m.View()
	if strings.Contains(v, "0s") || strings.Count(v, "<1ms") < 2 || !strings.Contains(v, "200 · <1ms") {
		t.Errorf("the duration does not read <1ms in the status bar and the answer pane:\n%s", v)
	}
}
