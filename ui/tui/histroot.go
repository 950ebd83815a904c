package tui

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"auth0-explorer/api"
	histstore "auth0-explorer/config/history"
	"auth0-explorer/ui/tui/form"
	"auth0-explorer/ui/tui/history"

	tea "github.com/charmbracelet/bubbletea"
)

// The history: every exchange of the run is listed in the history pane (h)
// with its exchange in memory, so it reopens with usable tokens; with a
// store (Options.History), each is also appended to the profile's file, and
// the files' entries of earlier runs are listed too (their tokens redacted).
// The newest entry of an operation gives its form's values the first time
// the form is made. All file I/O runs in Cmds.

// liveCap is how many of this run's exchanges are kept in memory.
const liveCap = histstore.DefaultMaxEntries

// histState is the root's history: the pane, this run's exchanges and the
// entries read from the profile's file.
type histState struct {
	pane *history.Model
	open bool
	back focus

	live []liveEntry // this run's exchanges, oldest first

	profile string            // whose entries disk holds; "" before a load
	disk    []histstore.Entry // read from the file, oldest first
	loadSeq uint64
	loading bool
	// last is the newest entry of each operation, for the forms.
	last map[string]histstore.Entry
	// pristine are the forms nobody typed in since they were made, with
	// their values then: a load that arrives later fills them.
	pristine map[*form.Model]string

	note    string   // what went wrong reading the file, for the pane
	secrets []string // every secret of the run, never written
	failed  bool     // a save failed and was said; said again after a success
}

// liveEntry is one exchange of this run.
type liveEntry struct {
	id              string
	at              time.Time
	profile, tenant string
	op              *api.Operation
	values          api.Values
	ex              *api.Exchange
}

// Messages of the history's Cmds.
type (
	histLoadedMsg struct {
		seq     uint64
		profile string
		loaded  histstore.Loaded
		err     error
	}
	histSavedMsg struct {
		profile string
		entry   *histstore.Entry
		err     error
	}
	histClearedMsg struct {
		profile string
		err     error
	}
)

func newHistState(o Options, st Styles, keys KeyMap) *histState {
	return &histState{
		pane:     history.New(history.Options{Now: o.Now, Escape: o.Escape}, st.History, keys.History),
		last:     map[string]histstore.Entry{},
		pristine: map[*form.Model]string{},
	}
}

// histProfile is the session's profile as the history names it, and its
// tenant.
func (m *Model) histProfile() (profile, tenant string) {
	s := m.o.Session
	if s == nil {
		return "", ""
	}
	return s.Name, s.Domain()
}

// histLoad reads the session profile's history in a Cmd.
func (m *Model) histLoad() tea.Cmd {
	store := m.o.History
	if store == nil {
		return nil
	}
	profile, _ := m.histProfile()
	hs := m.hs
	hs.loadSeq++
	hs.loading = true
	seq := hs.loadSeq
	return safeCmd("the history", func() tea.Msg {
		l, err := store.Load(profile)
		return histLoadedMsg{seq: seq, profile: profile, loaded: l, err: err}
	})
}

// histUpdate handles the history's messages.
func (m *Model) histUpdate(msg tea.Msg) tea.Cmd {
	hs := m.hs
	switch msg := msg.(type) {
	case histLoadedMsg:
		if msg.seq != hs.loadSeq {
			return nil
		}
		hs.loading = false
		if msg.err != nil {
			hs.note = "Earlier runs are not listed: " + m.o.Escape(msg.err.Error()) + "."
			m.histRefresh()
			m.setToast("History: "+m.o.Escape(msg.err.Error())+"; earlier runs are not listed.", true)
			return m.expireToast()
		}
		hs.profile, hs.disk, hs.note = msg.profile, msg.loaded.Entries, ""
		hs.last = map[string]histstore.Entry{}
		for _, e := range hs.disk {
			hs.last[e.Operation] = e
		}
		m.fillPristine()
		m.histRefresh()
		if n := msg.loaded.Corrupt; n > 0 {
			txt := fmt.Sprintf("%d line%s of the history could not be read and %s skipped", n, plural(n), map[bool]string{true: "is", false: "are"}[n == 1])
			hs.note = txt + " (" + m.o.Escape(msg.loaded.Path) + ")."
			m.histRefresh()
			m.setToast(txt+".", true)
			return m.expireToast()
		}
		return nil
	case histSavedMsg:
		if msg.err != nil {
			if hs.failed {
				return nil
			}
			hs.failed = true
			m.setToast("History not saved: "+m.o.Escape(msg.err.Error())+".", true)
			return m.expireToast()
		}
		hs.failed = false
		if msg.entry != nil && msg.profile == hs.profile {
			hs.disk = append(hs.disk, *msg.entry)
			hs.last[msg.entry.Operation] = *msg.entry
		}
		return nil
	case histClearedMsg:
		if msg.err != nil {
			m.setToast(m.o.Escape(msg.err.Error())+".", true)
		} else {
			m.setToast("Cleared the history of "+m.o.Escape(msg.profile)+".", false)
		}
		return m.expireToast()
	case history.ActionMsg:
		return m.histAction(msg)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// recordHistory lists the answer in the history and appends it to the
// profile's file in a Cmd.
func (m *Model) recordHistory(msg responseMsg) tea.Cmd {
	hs := m.hs
	profile, tenant := m.histProfile()
	if s := m.o.Session; s != nil && s.Client != nil && s.Client.ClientSecret != "" {
		hs.addSecrets(s.Client.ClientSecret)
	}
	hs.addSecrets(msg.ex.Redactor().Secrets()...)
	le := liveEntry{id: newID(), at: m.o.Now(), profile: profile, tenant: tenant, op: msg.op, values: msg.values, ex: msg.ex}
	hs.live = append(hs.live, le)
	if n := len(hs.live) - liveCap; n > 0 {
		hs.live = slices.Delete(hs.live, 0, n)
	}
	m.histRefresh()
	store := m.o.History
	if store == nil {
		return nil
	}
	rec := histstore.Record{ID: le.id, Time: le.at, Profile: profile, Tenant: tenant, Op: msg.op, Values: msg.values,
		Ex: msg.ex, Secrets: slices.Clone(hs.secrets)}
	return safeCmd("the history", func() tea.Msg {
		e, err := store.Append(rec)
		return histSavedMsg{profile: profile, entry: e, err: err}
	})
}

func (hs *histState) addSecrets(s ...string) {
	for _, v := range s {
		if v != "" && !slices.Contains(hs.secrets, v) {
			hs.secrets = append(hs.secrets, v)
		}
	}
}

// newID names an exchange in the history.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// histRefresh gives the pane its rows: this run's exchanges on this
// profile and the file's, newest first.
func (m *Model) histRefresh() {
	hs := m.hs
	profile, _ := m.histProfile()
	var items []history.Item
	seen := map[string]bool{}
	for _, le := range hs.live {
		if le.profile != profile {
			continue
		}
		seen[le.id] = true
		it := history.Item{ID: le.id, Time: le.at, Op: le.op.Name, Latency: le.ex.Duration, Tenant: le.tenant, Live: true}
		if le.ex.Response != nil {
			it.Status = le.ex.Response.Status
		}
		items = append(items, it)
	}
	if hs.profile == profile {
		for _, e := range hs.disk {
			if !seen[e.ID] {
				items = append(items, history.Item{ID: e.ID, Time: e.Time, Op: e.Operation, Status: e.Status, Latency: e.Latency(), Tenant: e.Tenant})
			}
		}
	}
	slices.SortStableFunc(items, func(a, b history.Item) int { return b.Time.Compare(a.Time) })
	hs.pane.SetItems(profile, items)
	switch {
	case m.o.History == nil && m.o.HistoryNote != "":
		hs.pane.SetNote(m.o.Escape(m.o.HistoryNote))
	case m.o.History == nil:
		hs.pane.SetNote("Nothing is saved (--no-history): only this run's exchanges are listed.")
	case hs.loading && hs.profile != profile:
		hs.pane.SetNote("Reading the history of earlier runs…")
	default:
		hs.pane.SetNote(hs.note)
	}
}

// openHist shows the history pane in place of the Request and Answer
// column and reads the file again (another run may have added to it).
func (m *Model) openHist() tea.Cmd {
	hs := m.hs
	if !hs.open {
		hs.open, hs.back = true, m.focus
		if hs.back == focusHist || hs.back == focusTok {
			hs.back = focusOps
		}
	}
	m.tokOpen, m.pickOpen = false, false // one pane in the right column at a time
	m.closeOutbox()
	m.zoom = false
	cmd := m.histLoad()
	m.histRefresh()
	m.setFocus(focusHist)
	return cmd
}

// closeHist puts the Request and Answer column back, and the focus where
// it was.
func (m *Model) closeHist() {
	hs := m.hs
	if !hs.open {
		return
	}
	hs.open = false
	f := hs.back
	if f == focusForm && m.form == nil || f == focusHist || f == focusTok {
		f = focusOps
	}
	m.setFocus(f)
}

// histFind finds an exchange of the list: this run's, else the file's.
func (m *Model) histFind(id string) (*liveEntry, *histstore.Entry) {
	for i := range m.hs.live {
		if m.hs.live[i].id == id {
			return &m.hs.live[i], nil
		}
	}
	for i := range m.hs.disk {
		if m.hs.disk[i].ID == id {
			return nil, &m.hs.disk[i]
		}
	}
	return nil, nil
}

// histAction reopens, sends again or clears.
func (m *Model) histAction(msg history.ActionMsg) tea.Cmd {
	hs := m.hs
	if msg.Action == history.Clear {
		profile, _ := m.histProfile()
		keep := hs.live[:0]
		for _, le := range hs.live {
			if le.profile != profile {
				keep = append(keep, le)
			}
		}
		hs.live = keep
		hs.disk, hs.last = nil, map[string]histstore.Entry{}
		hs.profile = profile
		m.histRefresh()
		store := m.o.History
		if store == nil {
			m.setToast("Cleared this run's history of "+m.o.Escape(profile)+".", false)
			return m.expireToast()
		}
		hs.loadSeq++ // a load under way would bring it back
		hs.loading = false
		return safeCmd("the history", func() tea.Msg {
			return histClearedMsg{profile: profile, err: store.Clear(profile)}
		})
	}
	if m.inflight != 0 {
		m.setToast("A request is already in flight: esc cancels it.", true)
		return m.expireToast()
	}
	le, de := m.histFind(msg.ID)
	if le == nil && de == nil {
		m.setToast("That exchange is no longer in the history.", true)
		return m.expireToast()
	}
	if msg.Action == history.Reopen {
		return m.histReopen(le, de)
	}
	// Resend: to the session's tenant, asked first when it is not the one
	// the exchange went to.
	opName, sentTo, values := "", "", api.Values{}
	if le != nil {
		opName, sentTo, values = le.op.Name, le.tenant, le.values
	} else {
		opName, sentTo, values = de.Operation, de.Tenant, de.Values()
	}
	op := api.ByName(opName)
	if op == nil {
		m.setToast("No operation "+m.o.Escape(opName)+" in this version; it cannot be sent again.", true)
		return m.expireToast()
	}
	if _, tenant := m.histProfile(); sentTo != tenant && !msg.Confirmed {
		hs.pane.Confirm(fmt.Sprintf("It went to %s; this session is on %s. Send it there? y/n", m.o.Escape(sentTo), m.o.Escape(tenant)), msg)
		return nil
	}
	m.ops.Select(op.Name)
	m.showForm(op)
	setFormValues(m.form, op, values)
	m.closeHist()
	if de != nil && len(de.Dropped) > 0 && m.form.Refusal() != nil {
		m.form.FocusFirstEmptyRequired()
		m.setFocus(focusForm)
		m.setToast("Secret fields are not kept in the history ("+strings.Join(de.Dropped, ", ")+"): fill them in, then ctrl+s sends.", true)
		return m.expireToast()
	}
	return m.send()
}

// histReopen shows an exchange in the answer pane: this run's as it came
// (its tokens usable), a saved one as it was kept (tokens redacted).
func (m *Model) histReopen(le *liveEntry, de *histstore.Entry) tea.Cmd {
	m.seq++
	var cmd tea.Cmd
	var at time.Time
	var op string
	if le != nil {
		op, at = le.op.Name, le.at
		cmd = m.resp.Show(m.seq, op, le.ex, le.values)
	} else {
		ex, err := de.ToExchange()
		if err != nil {
			m.setToast("Cannot reopen it: "+m.o.Escape(err.Error())+".", true)
			return m.expireToast()
		}
		op, at = de.Operation, de.Time
		cmd = m.resp.Show(m.seq, op, ex, de.Values())
		note := "Saved copy: nothing secret was kept."
		if tf := de.TokenFields(); len(tf) > 0 {
			note = "Saved copy: its tokens (" + strings.Join(tf, ", ") + ") were redacted on disk and cannot be used; r in the history sends it again."
		}
		m.resp.SetNote(note)
	}
	m.hs.open = false
	m.zoom = false
	m.setFocus(focusResp)
	m.setToast(fmt.Sprintf("Reopened %s of %s.", op, at.Local().Format("Jan 02 15:04:05")), false)
	return tea.Batch(cmd, m.expireToast())
}

// setFormValues puts values in f, every field of op: what values lack is
// emptied, so the form holds what is sent.
func setFormValues(f *form.Model, op *api.Operation, v api.Values) {
	for _, fd := range op.Fields {
		f.SetValue(fd.Name, "")
	}
	for _, val := range v.Fields {
		name := val.Name
		if fd := op.Field(name); fd != nil {
			name = fd.Name
		}
		f.SetValue(name, histstore.Input{Name: name, Value: val.Raw}.Text())
	}
	if op.ForwardedFor {
		f.SetValue("forwarded-for", v.ForwardedFor)
	}
	f.SetFormEncoded(v.Form)
}

// fillRemembered gives a new form the values last sent with its operation
// on this profile (never a secret: those are not kept).
func (m *Model) fillRemembered(op *api.Operation, f *form.Model) {
	hs := m.hs
	if profile, _ := m.histProfile(); hs.profile == profile {
		if e, ok := hs.last[op.Name]; ok {
			for _, in := range e.Inputs {
				if fd := op.Field(in.Name); fd != nil && !fd.Secret && !fd.Token {
					f.SetValue(fd.Name, in.Text())
				}
			}
			if e.ForwardedFor != "" && op.ForwardedFor {
				f.SetValue("forwarded-for", e.ForwardedFor)
			}
			if e.Form {
				f.SetFormEncoded(true)
			}
			delete(hs.pristine, f)
			return
		}
	}
	if hs.profile == "" {
		hs.pristine[f] = valuesKey(f.Values())
	}
}

// fillPristine fills the forms made before the history was read, unless
// something was typed in them since.
func (m *Model) fillPristine() {
	for f, was := range m.hs.pristine {
		delete(m.hs.pristine, f)
		if valuesKey(f.Values()) == was {
			m.fillRemembered(f.Op(), f)
		}
	}
}

func valuesKey(v api.Values) string {
	var b strings.Builder
	for _, f := range v.Fields {
		b.WriteString(f.Name + "=" + string(f.Raw) + "\x00")
	}
	fmt.Fprintf(&b, "%s\x00%v", v.ForwardedFor, v.Form)
	return b.String()
}
