package termprobe

import (
	"regexp"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// LateWindow is how long after the queries a late reply is still expected
// and dropped; keys that look like one are let through after it.
const LateWindow = 2 * time.Second

// Reply-shaped runes as Bubble Tea v1 reads a late reply: it has no parser
// for OSC replies or DA1 replies split from their ESC, so "ESC ] 11 ; rgb:
// 1e1e/1e1e/1e1e ESC \" arrives as alt+], the runes "11;rgb:1e1e/1e1e/1e1e"
// and alt+\ (ctrl+g for a BEL terminator), and "[?62;22c" as runes when
// its ESC came apart from it.
var (
	oscRunes  = regexp.MustCompile(`^\]?1[0-2];(rgba?:[0-9a-fA-F/]*)?$`)
	da1Runes  = regexp.MustCompile(`^\[?\?[0-9][0-9;]*c?$`)
	oscTail   = regexp.MustCompile(`^[0-9a-fA-F/:;rgba]+$`) // the rest of an OSC reply cut short
	csiTail   = regexp.MustCompile(`^[0-9;?]*c?$`)          // the rest of a DA1 reply cut short
	keyAltOSC = tea.Key{Type: tea.KeyRunes, Runes: []rune{']'}, Alt: true}
	keyAltCSI = tea.Key{Type: tea.KeyRunes, Runes: []rune{'['}, Alt: true}
	keyAltST  = tea.Key{Type: tea.KeyRunes, Runes: []rune{'\\'}, Alt: true}
)

// LateFilter returns a tea.WithFilter filter that drops the keys a reply
// to r's queries makes when it arrives after the probe stopped reading, for
// LateWindow from the call (now is the clock; call it as the probe ends).
// It is nil when nothing can arrive late: no query was written, or the DA1
// sentinel was read.
// Other messages and ordinary keys pass untouched; the filter keeps state
// between calls, which Bubble Tea makes from its one event loop.
func (r Result) LateFilter(now func() time.Time) func(tea.Model, tea.Msg) tea.Msg {
	if !r.Asked || r.Sentinel {
		return nil
	}
	f := &lateFilter{until: now().Add(LateWindow), now: now, in: r.Open}
	return f.filter
}

type lateFilter struct {
	until time.Time
	now   func() time.Time
	in    byte // the sequence a dropped key left open: ']', '[', ESC or 0
}

func (f *lateFilter) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	k, ok := msg.(tea.KeyMsg)
	if !ok || f.until.IsZero() {
		return msg
	}
	if !f.now().Before(f.until) {
		f.until = time.Time{} // the window is over for good
		return msg
	}
	if f.drop(tea.Key(k)) {
		return nil
	}
	return msg
}

// drop reports whether k is part of a late reply, given what came before.
func (f *lateFilter) drop(k tea.Key) bool {
	in := f.in
	f.in = 0
	runes := ""
	if k.Type == tea.KeyRunes && !k.Alt {
		runes = string(k.Runes)
	}
	switch {
	case same(k, keyAltOSC):
		f.in = ']'
	case same(k, keyAltCSI):
		f.in = '['
	case runes != "" && oscRunes.MatchString(runes):
		f.in = ']'
	case runes != "" && da1Runes.MatchString(runes):
		if runes[len(runes)-1] != 'c' {
			f.in = '['
		}
	case in == ']' && runes != "" && oscTail.MatchString(runes):
		f.in = ']'
	case in == ']' && (k.Type == tea.KeyCtrlG || same(k, keyAltST)):
		// the reply's terminator, BEL or ST
	case in == '\x1b' && runes != "" && runes[0] == '\\':
		// the rest of an ST whose ESC the probe read
	case in == '[' && runes != "" && csiTail.MatchString(runes):
		if runes[len(runes)-1] != 'c' {
			f.in = '['
		}
	default:
		return false
	}
	return true
}

func same(a, b tea.Key) bool {
	return a.Type == b.Type && a.Alt == b.Alt && string(a.Runes) == string(b.Runes) && a.Paste == b.Paste
}
