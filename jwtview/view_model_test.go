package jwtview

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

func runeKey(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func helpKeys(bs []key.Binding) string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Help().Key)
	}
	return strings.Join(out, " ")
}

// SetSize sets the window: a new width renders again, a new height only
// re-slices; a WindowSizeMsg does the same.
func TestModelSetSize(t *testing.T) {
	c := newClock()
	r := viewReport(t, c, goldenPayload(), Options{})
	m := NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC})
	m.SetSize(80, 10)
	v := m.View()
	if n := strings.Count(v, "\n") + 1; n != 10 {
		t.Errorf("%d lines, want 10", n)
	}
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	renders := m.renders
	m.SetSize(80, 20)
	if m.renders != renders {
		t.Errorf("a new height rendered again (%d renders)", m.renders-renders)
	}
	if n := strings.Count(m.View(), "\n") + 1; n != 20 || !strings.HasPrefix(m.View(), v) {
		t.Errorf("height 20: %d lines, or not the same top", n)
	}
	m.SetSize(80, 20) // the same size: nothing to do
	if m.renders != renders {
		t.Error("the same size rendered again")
	}
	m.SetSize(140, 20)
	if m.renders != renders+1 {
		t.Errorf("a new width: %d renders, want 1", m.renders-renders)
	}
	// Height 0 shows the whole report; the scroll keys then do nothing and
	// leave the help.
	m.SetSize(140, 0)
	if m.View() != strings.Join(m.lines, "\n") || len(m.ShortHelp()) != 0 {
		t.Errorf("height 0: not the whole report, or help %q", helpKeys(m.ShortHelp()))
	}
	// A WindowSizeMsg is SetSize.
	w := NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC})
	w, _ = w.Update(tea.WindowSizeMsg{Width: 80, Height: 10})
	if w.View() != v {
		t.Error("WindowSizeMsg and SetSize differ")
	}
}

// Keys go through the KeyMap the caller gives: rebinding works, the old
// keys stop, and the help lists the bindings that work now.
func TestModelKeysThroughKeyMap(t *testing.T) {
	f := newFixture(t)
	o := f.opts()
	tok := f.rs256(t, goldenPayload())
	km := DefaultKeyMap()
	km.Down = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "down"))
	km.Top = key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "top"))
	km.Reload = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reload keys"))
	m := NewModel(nil, ViewOptions{Now: f.clock.Now, Location: time.UTC, Keys: &km}).WithSource(tok, o)
	m.SetSize(80, 8)
	m, _ = m.Update(m.VerifyCmd()())
	if !m.Report().Valid() {
		t.Fatal(m.Report().Summary())
	}
	if got := helpKeys(m.ShortHelp()); got != "↑/k x pgdn/f R" {
		t.Errorf("short help %q", got)
	}
	if g := m.FullHelp(); len(g) != 2 || len(g[0]) != 8 || g[1][0].Help().Key != "R" {
		t.Errorf("full help %v", g)
	}
	top := m.View()
	if m, _ = m.Update(runeKey("j")); m.View() != top {
		t.Error("j still scrolls after Down was rebound to x")
	}
	if m, _ = m.Update(runeKey("x")); m.YOffset() != 1 || m.View() == top {
		t.Errorf("x did not scroll down: offset %d", m.YOffset())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	if m.YOffset() != 8 {
		t.Errorf("pgdown: offset %d, want 8", m.YOffset())
	}
	m, _ = m.Update(tea.KeyMsg{Type: tea.KeyEnd})
	if m.YOffset() != m.TotalLines()-8 {
		t.Errorf("end: offset %d of %d lines", m.YOffset(), m.TotalLines())
	}
	if m, _ = m.Update(runeKey("g")); m.YOffset() == 0 {
		t.Error("g still goes to the top after Top was rebound to T")
	}
	if m, _ = m.Update(runeKey("T")); m.View() != top {
		t.Error("T did not go to the top")
	}
	if _, cmd := m.Update(runeKey("r")); cmd != nil {
		t.Error("r still reloads after Reload was rebound to R")
	}
	m2, cmd := m.Update(runeKey("R"))
	if cmd == nil || !m2.Reloading() || !strings.Contains(m2.View(), "reloading the keys from") {
		t.Fatalf("R did not start a reload:\n%s", m2.View())
	}
	if helpKeys(m2.ShortHelp()) != "↑/k x pgdn/f" {
		t.Errorf("reload still offered while one runs: %q", helpKeys(m2.ShortHelp()))
	}
	if _, again := m2.Update(runeKey("R")); again != nil {
		t.Error("a second reload started while one runs")
	}
	m2, _ = m2.Update(cmd())
	if m2.Reloading() || strings.Contains(m2.View(), "reloading") || !m2.Report().Valid() {
		t.Errorf("after the reload:\n%s", m2.View())
	}

	// Without a JWKS URL there is nothing to reload: no key, no help.
	hs := NewModel(viewReport(t, f.clock, stdClaims(), Options{}), ViewOptions{Now: f.clock.Now}).WithSource(tok, Options{Secret: viewSecret})
	if _, cmd := hs.Update(runeKey("r")); cmd != nil || len(hs.ShortHelp()) != 0 {
		t.Errorf("reload offered without a JWKS URL: %q", helpKeys(hs.ShortHelp()))
	}
}

// A report meant for another model is dropped.
func TestModelDropsReportForAnotherID(t *testing.T) {
	c := newClock()
	valid := viewReport(t, c, stdClaims(), Options{})
	invalid := viewReport(t, c, stdClaims("aud", "someone-else"), Options{})
	a := NewModel(valid, ViewOptions{Now: c.Now, Location: time.UTC})
	b := NewModel(nil, ViewOptions{Now: c.Now, Location: time.UTC})
	if a.ID() == b.ID() {
		t.Fatal("two models share an id")
	}
	before, renders := a.View(), a.renders
	a, cmd := a.Update(ReportMsg{ID: b.ID(), Report: invalid})
	if cmd != nil || a.View() != before || !a.Report().Valid() || a.renders != renders {
		t.Errorf("a took b's report:\n%s", a.View())
	}
	b, _ = b.Update(ReportMsg{ID: b.ID(), Report: invalid})
	if b.Report() == nil || b.Report().Valid() || !strings.Contains(b.View(), "✗ INVALID") {
		t.Errorf("b did not take its own report:\n%s", b.View())
	}
	// A report with no id (the zero value) is nobody's.
	a, _ = a.Update(ReportMsg{Report: invalid})
	if !a.Report().Valid() || a.View() != before {
		t.Error("a took an id-less report")
	}
}

// Reload runs under the caller's context: a live one fetches the keys
// again; a cancelled one (ViewOptions.Context or SetContext) hands the
// report back at once and fetches nothing.
func TestModelReloadUsesTheGivenContext(t *testing.T) {
	f := newFixture(t)
	o := f.opts()
	tok := f.rs256(t, stdClaims())
	live := NewModel(nil, ViewOptions{Now: f.clock.Now, Location: time.UTC}).WithSource(tok, o)
	live, _ = live.Update(live.VerifyCmd()())
	if !live.Report().Valid() {
		t.Fatal(live.Report().Summary())
	}
	fetches := f.keys.Status(o.JWKSURL).Fetches
	_, cmd := live.Update(runeKey("r"))
	msg := cmd().(ReportMsg)
	if msg.ID != live.ID() || !msg.Report.Valid() || f.keys.Status(o.JWKSURL).Fetches != fetches+1 {
		t.Fatalf("live reload: id %d (want %d), fetches %d (want %d)", msg.ID, live.ID(), f.keys.Status(o.JWKSURL).Fetches, fetches+1)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	viaOptions := NewModel(nil, ViewOptions{Now: f.clock.Now, Location: time.UTC, Context: ctx}).WithSource(tok, o)
	viaSetter := NewModel(nil, ViewOptions{Now: f.clock.Now, Location: time.UTC}).WithSource(tok, o)
	viaSetter.SetContext(ctx)
	for name, m := range map[string]Model{"ViewOptions.Context": viaOptions, "SetContext": viaSetter} {
		m, _ = m.Update(ReportMsg{ID: m.ID(), Report: live.Report()})
		fetches := f.keys.Status(o.JWKSURL).Fetches
		hits := f.srv.hits.Load()
		m, cmd := m.Update(runeKey("r"))
		if cmd == nil {
			t.Fatalf("%s: r gave no command", name)
		}
		got := make(chan tea.Msg, 1)
		go func() { got <- cmd() }()
		var rm ReportMsg
		select {
		case msg := <-got:
			rm = msg.(ReportMsg)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: a reload under a cancelled context did not come back", name)
		}
		if rm.ID != m.ID() || rm.Report == nil {
			t.Errorf("%s: report %+v for id %d", name, rm, m.ID())
		}
		if n := f.keys.Status(o.JWKSURL).Fetches; n != fetches || f.srv.hits.Load() != hits {
			t.Errorf("%s: a cancelled reload fetched the keys (%d fetches started)", name, n-fetches)
		}
		m, _ = m.Update(rm)
		if m.Reloading() || !m.Report().Valid() {
			t.Errorf("%s: after the cancelled reload:\n%s", name, m.View())
		}
	}
}

// KeyCache.Reload starts no fetch for a context already done.
func TestReloadWithACancelledContextFetchesNothing(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := f.keys.Reload(ctx, f.srv.URL())
	if err == nil || !strings.Contains(err.Error(), "the check was cancelled") {
		t.Errorf("err = %v", err)
	}
	if st := f.keys.Status(f.srv.URL()); st.Fetches != 0 || f.srv.hits.Load() != 0 {
		t.Errorf("a cancelled reload started %d fetches", st.Fetches)
	}
}

// The countdown ticks only the model that started it: another model's
// tick changes nothing and continues no clock.
func TestModelTicksOnlyItsOwnClock(t *testing.T) {
	c := newClock()
	r := viewReport(t, c, stdClaims("exp", t0.Add(10*time.Minute).Unix()), Options{})
	old := NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC})
	cur := NewModel(r, ViewOptions{Now: c.Now, Location: time.UTC})
	c.Advance(time.Second)
	before := cur.View()
	cur, cmd := cur.Update(TickMsg{id: old.ID()})
	if cmd != nil || cur.View() != before {
		t.Error("a replaced model's tick reached the current one")
	}
	cur, cmd = cur.Update(TickMsg{id: cur.ID()})
	if cmd == nil || cur.View() == before {
		t.Error("the model's own tick did not refresh it")
	}
}
