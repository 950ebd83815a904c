package flows

import (
	"context"
	"os"
	"strings"
	"testing"

	"auth0-explorer/api"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// pump reads the run's reports into the pane until it ends or until
// stop says so.
func pump(t *testing.T, m *Model, stop func() bool) {
	t.Helper()
	for range 100 {
		if stop() {
			return
		}
		if m.run == nil {
			t.Fatal("no run")
		}
		msg := m.run.next()()
		m.Update(msg) // its Cmds (the next read) are not run: this loop reads
		if _, ok := msg.(endMsg); ok {
			return
		}
	}
	t.Fatal("the run never ended")
}

func keys(m *Model, ks ...tea.KeyMsg) {
	for _, k := range ks {
		m.Update(k)
	}
}

// A flow that asks (as MFA will: choose an authenticator, type a code)
// shows the question in the pane and goes on with the person's answers;
// a secret answer is not drawn.
func TestAskChoiceThenSecret(t *testing.T) {
	ask := Flow{Title: "Ask", Run: func(ctx context.Context, r *Run, _ Values) error {
		r.Begin("Choose an authenticator")
		kind, err := r.Ask(ctx, Prompt{Label: "Which authenticator?", Choices: []string{"otp", "sms"}})
		if err != nil {
			return err
		}
		r.Begin("Type the code")
		code, err := r.Ask(ctx, Prompt{Label: "The code:", Secret: true})
		if err != nil {
			return err
		}
		r.Result("Got " + kind + " with a code of " + string(rune('0'+len(code))) + " digits.")
		return nil
	}}
	m := New(Options{}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(60, 20)
	m.Show([]Flow{ask}, false)
	m.Focus()
	if !m.Choose("Ask") {
		t.Fatal("no flow Ask")
	}
	m.Start()
	pump(t, m, func() bool { return m.ask != nil })
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Which authenticator?") || !strings.Contains(v, "▸ otp") {
		t.Fatalf("the choice is not shown:\n%s", v)
	}
	keys(m, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyEnter})
	pump(t, m, func() bool { return m.ask != nil })
	if !m.Capturing() {
		t.Fatal("the text question does not take the keys")
	}
	keys(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("123456")})
	if v := m.View(); strings.Contains(v, "123456") {
		t.Fatalf("the secret answer is drawn:\n%s", v)
	}
	keys(m, tea.KeyMsg{Type: tea.KeyEnter})
	pump(t, m, func() bool { return false })
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Got sms with a code of 6 digits.") || !strings.Contains(v, "✓ Type the code") {
		t.Fatalf("the flow did not end with the answers:\n%s", v)
	}
}

// Starting again replaces the run: the first one is cancelled and its
// reports are dropped.
func TestStaleRunDropped(t *testing.T) {
	started := make(chan context.Context, 2)
	wait := Flow{Title: "Wait", Run: func(ctx context.Context, r *Run, _ Values) error {
		started <- ctx
		r.Begin("Waiting")
		<-ctx.Done()
		r.Begin("late step of a cancelled run")
		return ctx.Err()
	}}
	m := New(Options{}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(60, 20)
	m.Show([]Flow{wait}, false)
	m.Focus()
	m.Choose("Wait")
	m.Start()
	first := m.run
	m.Update(first.next()()) // the first read starts the flow: "Waiting"
	ctx1 := <-started
	m.Choose("Wait")
	m.Start()
	if ctx1.Err() == nil {
		t.Fatal("the first run was not cancelled")
	}
	for msg := first.next()(); ; msg = first.next()() {
		m.Update(msg)
		if _, ok := msg.(endMsg); ok {
			break
		}
	}
	if v := m.View(); strings.Contains(v, "late step") || strings.Contains(v, "Stopped") {
		t.Fatalf("the first run's reports reached the pane:\n%s", v)
	}
	if !m.Running() {
		t.Fatal("the second run is not running")
	}
	m.Stop()
	pump(t, m, func() bool { return false })
	if !m.Stopped() {
		t.Fatal("the second run did not stop")
	}
}

// A flow without options starts from an empty form; moving in it does
// nothing (and does not break the view).
func TestFormWithoutFields(t *testing.T) {
	ran := make(chan struct{})
	bare := Flow{Title: "Bare", Run: func(context.Context, *Run, Values) error { close(ran); return nil }}
	m := New(Options{}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(60, 20)
	m.Show([]Flow{bare}, false)
	m.Focus()
	keys(m, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyUp}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" ")}, tea.KeyMsg{Type: tea.KeyDown})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "enter starts") {
		t.Fatalf("no form:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	pump(t, m, func() bool { return false })
	<-ran
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Done.") {
		t.Fatalf("not done:\n%s", v)
	}
}

// A secret option (a refresh token) is not drawn, yet the flow gets it;
// Done ends a step with what it found; an exchange only Recorded does not
// count as an answer.
func TestSecretFieldDoneAndRecord(t *testing.T) {
	got := make(chan string, 1)
	f := Flow{Title: "Secret", Fields: []Field{{Name: "token", Label: "token", Value: "v1.secret-refresh-token", Secret: true, Source: "passwordGrant"}},
		Run: func(_ context.Context, r *Run, v Values) error {
			got <- v["token"]
			r.Begin("Refresh")
			r.Done("Refreshed; rotated: yes")
			r.Record("oauth.revokeRefreshToken", &api.Exchange{}, api.Values{})
			return nil
		}}
	m := New(Options{}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(70, 20)
	m.Show([]Flow{f}, false)
	m.Focus()
	m.Choose("Secret")
	if v := ansi.Strip(m.View()); strings.Contains(v, "secret-refresh") || !strings.Contains(v, "passwordGrant") {
		t.Fatalf("the secret field is drawn, or its source is not:\n%s", v)
	}
	m.Start()
	pump(t, m, func() bool { return false })
	if v := <-got; v != "v1.secret-refresh-token" {
		t.Fatalf("the flow got %q", v)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "✓ Refreshed; rotated: yes") || strings.Contains(v, "✓ Refresh\n") {
		t.Fatalf("the step does not say what it found:\n%s", v)
	}
	if m.Answers() != 0 {
		t.Fatalf("%d answers, want 0: a recorded exchange is not an answer", m.Answers())
	}
}

// A prefilled option's source note stays readable beside its value when
// the field is not being edited, at the narrowest pane.
func TestFormSourceNoteFits(t *testing.T) {
	f := Flow{Title: "Device login", Fields: []Field{
		{Name: "audience", Label: "audience"},
		{Name: "scope", Label: "scope", Value: "openid profile offline_access", Source: "default"},
	}, Run: func(context.Context, *Run, Values) error { return nil }}
	m := New(Options{}, DefaultStyles(), DefaultKeyMap())
	m.SetSize(52, 20)
	m.Show([]Flow{f}, false)
	m.Focus()
	keys(m, tea.KeyMsg{Type: tea.KeyEnter})
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "openid profile offline_access  default") {
		t.Fatalf("the scope's source note is cut:\n%s", v)
	}
}
