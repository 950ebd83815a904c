// Package flows is the TUI's guided-flow pane: a menu of flows (browser
// login, device login, and whatever else registers), a small options form
// before each, then the run itself as a checklist of steps with a detail
// block (a user code and a QR code, an authorize URL…). The token exchange
// a flow ends with lands in the Answer pane as a normal answer.
//
// A flow is a Flow value: its options (Fields) and a Run function that the
// pane starts on its own goroutine, with a context the pane cancels (esc).
// Run reports through its *Run: Begin a step, show a Detail, hand an
// Answer to the Answer pane, Ask the person for input (a choice or a
// text, for MFA) and wait for it. Each report travels to the UI as a
// message on a channel read by a re-armed Cmd, tagged with the run's id, so
// the reports of a run since stopped or replaced are dropped.
package flows

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"auth0-explorer/api"
	"auth0-explorer/ui/app"

	tea "github.com/charmbracelet/bubbletea"
)

// Flow is one guided flow the pane offers.
type Flow struct {
	// Title is its name in the menu and over its steps ("Device login").
	Title string
	// Summary is one line under the title in the menu.
	Summary string
	// Fields are the options asked before it starts, prefilled.
	Fields []Field
	// Run runs the flow on its own goroutine until it ends or ctx is
	// cancelled (esc). Its error is shown as one sentence on the step it
	// stopped at; nil means done.
	Run func(ctx context.Context, r *Run, v Values) error
}

// Field is one option of a flow. With Choices it is a choice cycled with
// ←/→ or space (a toggle is {"off", "on"}); else a line of text.
type Field struct {
	Name, Label string
	// Value is what it starts with (the profile's default); Source says
	// where that came from ("profile dev"), shown beside it.
	Value, Source string
	Choices       []string
	// Help is one line shown while the field has the focus.
	Help string
	// Secret hides the text typed or prefilled (a password, a refresh token).
	Secret bool
}

// Values are the options a flow was started with, by Field.Name.
type Values map[string]string

// On reports whether a toggle field is "on".
func (v Values) On(name string) bool { return v[name] == "on" }

// Env is what the built-in flows need from the program.
type Env struct {
	Session *app.Session
	// Now is the clock (countdowns, token checks); Sleep waits between
	// polls (a real timer when nil); tests inject both.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Open opens a URL in the system's browser, or says why it cannot.
	Open func(ctx context.Context, url string) error
	// Held are the tokens of the session's newest answer with a refresh
	// token (the refresh flow starts from them); empty when none.
	Held HeldTokens
}

// HeldTokens are tokens an answer of the session carried.
type HeldTokens struct {
	Refresh, Access, ID string
	// From says which answer ("passwordGrant at 12:00:05").
	From string
}

// Detail is a flow's own block under its steps, drawn from an immutable
// snapshot: a flow shows a new Detail rather than changing one.
type Detail interface {
	View(a ViewArgs) string
}

// ViewArgs are what a Detail is drawn with.
type ViewArgs struct {
	Width  int
	Now    time.Time
	St     Styles
	Zoomed bool
	// Sandbox: the session is the in-process sandbox (its outbox exists).
	Sandbox bool
	// Live: the flow is running (not stopped, failed or done): countdowns
	// and the keys that act on it apply.
	Live bool
}

// Sider is a Detail that also draws a block beside the steps (a QR code).
// Side returns the block for at most w×h cells, or "" and a sentence saying
// how to see it when it does not fit.
type Sider interface {
	Side(w, h int, zoomed bool) (block, note string)
}

// Copier is a Detail with something y copies (a user code, a URL).
type Copier interface {
	Copy() (text, what string)
}

// Browsable is a Detail with a URL b opens in the browser.
type Browsable interface {
	BrowserURL() string
}

// Prompt is a question a flow asks and waits for (an MFA authenticator to
// choose, a one-time code to type). With Choices the answer is one of them;
// else it is typed (Secret hides it).
type Prompt struct {
	Label   string
	Choices []string
	Secret  bool
	// Placeholder is shown in an empty text field.
	Placeholder string
}

// AnswerMsg asks the root to show an exchange in the Answer pane as if it
// had been sent from a form: status bar, tabs, tokens, history.
type AnswerMsg struct {
	Op     *api.Operation
	Ex     *api.Exchange
	Values api.Values
	// HistoryOnly: the exchange goes to the history, the Answer keeps what
	// it shows (a step's request whose answer is not the flow's outcome).
	HistoryOnly bool
	// Run is the run that answered (Model.Live tells whether it counts).
	Run uint64
}

// String keeps the exchange (tokens) out of the debug log.
func (m AnswerMsg) String() string {
	name := ""
	if m.Op != nil {
		name = m.Op.Name
	}
	return "flows.AnswerMsg op=" + name
}

type evKind int

const (
	evStep evKind = iota
	evDetail
	evAnswer
	evAsk
	evResult
	evWarn
	evDone
)

// event is one report of a run.
type event struct {
	kind   evKind
	text   string
	detail Detail
	answer AnswerMsg
	prompt Prompt
	reply  chan string
}

// eventMsg carries a report of run id to the pane; endMsg says the run's
// goroutine ended, with Run's error.
type (
	eventMsg struct {
		run uint64
		ev  event
	}
	endMsg struct {
		run uint64
		err error
	}
	tickMsg struct{ run uint64 }
)

// String keeps what a report carries out of the debug log.
func (m eventMsg) String() string {
	return fmt.Sprintf("flows.eventMsg run=%d kind=%d", m.run, m.ev.kind)
}

// Run is a running flow's way to report; its methods may be called from
// the flow's goroutine only.
type Run struct {
	id  uint64
	ctx context.Context
	ch  chan event

	launch sync.Once
	flow   Flow
	values Values

	mu  sync.Mutex
	err error
}

func (r *Run) send(ev event) {
	select {
	case r.ch <- ev:
	case <-r.ctx.Done(): // stopped: nobody reads any more
	}
}

// Begin marks the current step done and starts the next one, shown with a
// spinner until the next Begin or the end.
func (r *Run) Begin(text string) { r.send(event{kind: evStep, text: text}) }

// Warn ends the current step with a warning mark and text in place of
// its own (it did not happen, and the flow goes on without it).
func (r *Run) Warn(text string) { r.send(event{kind: evWarn, text: text}) }

// Done ends the current step with a done mark and text in place of its
// own (what the step found: "refreshed; rotated: yes …").
func (r *Run) Done(text string) { r.send(event{kind: evDone, text: text}) }

// Detail replaces the block under the steps.
func (r *Run) Detail(d Detail) { r.send(event{kind: evDetail, detail: d}) }

// Answer shows ex, the answer to the operation named op, in the Answer
// pane; values are what was sent (the audience the access token is for).
func (r *Run) Answer(op string, ex *api.Exchange, values api.Values) {
	if ex == nil {
		return
	}
	r.send(event{kind: evAnswer, answer: AnswerMsg{Op: api.ByName(op), Ex: ex, Values: values}})
}

// Record puts ex, the exchange of a step, in the history without
// showing it in the Answer pane (which keeps the flow's tokens).
func (r *Run) Record(op string, ex *api.Exchange, values api.Values) {
	if ex == nil {
		return
	}
	r.send(event{kind: evAnswer, answer: AnswerMsg{Op: api.ByName(op), Ex: ex, Values: values, HistoryOnly: true}})
}

// Result sets the sentence shown when the flow ends well (else the pane
// says where the answer is).
func (r *Run) Result(text string) { r.send(event{kind: evResult, text: text}) }

// Ask shows p and waits for the person's answer, or until ctx ends.
func (r *Run) Ask(ctx context.Context, p Prompt) (string, error) {
	reply := make(chan string, 1)
	r.send(event{kind: evAsk, prompt: p, reply: reply})
	select {
	case v := <-reply:
		return v, nil
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// start prepares a run of f; the Cmd it returns starts f on its own
// goroutine (off the UI goroutine, as every I/O) and reads its reports.
func start(ctx context.Context, id uint64, f Flow, v Values) (*Run, tea.Cmd) {
	r := &Run{id: id, ctx: ctx, ch: make(chan event, 64), flow: f, values: v}
	return r, r.next()
}

// run runs the flow and closes the channel when it returns.
func (r *Run) run() {
	go func() {
		var err error
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("the flow stopped on an internal error (%v)", p)
			}
			r.mu.Lock()
			r.err = err
			r.mu.Unlock()
			close(r.ch)
		}()
		if err = r.ctx.Err(); err == nil { // not replaced before it started
			err = r.flow.Run(r.ctx, r, r.values)
		}
	}()
}

// next is the Cmd that waits for the run's next report; the first one
// starts the flow.
func (r *Run) next() tea.Cmd {
	return func() tea.Msg {
		r.launch.Do(r.run)
		ev, ok := <-r.ch
		if !ok {
			r.mu.Lock()
			defer r.mu.Unlock()
			return endMsg{run: r.id, err: r.err}
		}
		return eventMsg{run: r.id, ev: ev}
	}
}

// Sentence makes err one sentence: a capital first letter and a full stop.
func Sentence(err error) string {
	s := strings.TrimSpace(app.Printable(err.Error()))
	if s == "" {
		return "It failed."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
