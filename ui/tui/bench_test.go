package tui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"auth0-explorer/api"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// bigBody is about size bytes of JSON: an array of user-like objects.
func bigBody(size int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"user_id":"auth0|%024d","email":"user%d@example.com","email_verified":%t,"logins_count":%d,`+
			`"app_metadata":{"roles":["reader","writer"],"plan":"pro","score":%d.5,"flags":{"beta":true,"mfa":null}},`+
			`"user_metadata":{"theme":"dark","notes":"line \"quoted\" and é中"}}`, i, i, i%2 == 0, i*7, i%100)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// run executes cmd and every command it batches, feeding their messages to
// m, skipping anything that waits (ticks).
func runCmds(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				runCmds(m, c)
			}
		case nil:
		default:
			_, next := m.Update(msg)
			runCmds(m, next)
		}
	case <-time.After(3 * time.Second): // a tick: not part of the frame
	}
}

// BenchmarkFrame5MB: one whole frame (every pane, status and help line) at
// 160x50 with a 5 MB JSON answer in the Body tab, after the first render,
// scrolling one line per frame. True colour, as a real terminal.
func BenchmarkFrame5MB(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	body := bigBody(5 << 20)
	m := New(Options{Session: nil, Now: now})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
	ex := &api.Exchange{
		Request:  &api.Request{Method: "GET", URL: "https://tenant.example.com/api/v2/users", Header: http.Header{}},
		Response: &api.Response{Status: 200, StatusText: "200 OK", Header: http.Header{"Content-Type": {"application/json"}}, Body: body},
		Duration: 120 * time.Millisecond,
	}
	m.inflight = 1
	_, cmd := m.Update(responseMsg{id: 1, op: api.ByName("getProfile"), ex: ex})
	runCmds(m, cmd)
	if !strings.Contains(m.View(), "user_id") {
		b.Fatalf("the body is not on screen:\n%s", m.View())
	}
	down := tea.KeyMsg{Type: tea.KeyDown}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(down)
		_ = m.View()
	}
}
