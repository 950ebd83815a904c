package flows

import (
	"fmt"
	"strings"
	"time"
)

// lines gathers a block's lines for a View.
type lines struct {
	width int
	out   []string
}

// add adds s wrapped to the width, each line styled.
func (b *lines) add(s string, style func(...string) string) {
	for _, l := range wrap(s, b.width) {
		b.out = append(b.out, style(l))
	}
}

// line adds l as it is.
func (b *lines) line(l string) { b.out = append(b.out, l) }

func (b *lines) String() string { return strings.Join(b.out, "\n") }

// polling is what the block of a flow that polls (device, CIBA, an MFA
// push) shows of the wait: the expiry, the interval in force, the polls so
// far and the slow_downs.
type polling struct {
	expires  time.Time
	interval time.Duration
	polls    int
	slowDown int
	over     bool // approved, failed or stopped: no countdown
}

// polled is p after a poll's step: its interval and polls, one slow_down
// more if it was one, over if it was the last.
func (p polling) polled(interval time.Duration, polls int, slowDown, last bool) polling {
	p.interval, p.polls = interval, polls
	if slowDown {
		p.slowDown++
	}
	p.over = p.over || last
	return p
}

// countdown adds the time left until the expiry, or expired once it has
// passed.
func (p *polling) countdown(b *lines, st Styles, now time.Time, expired string) {
	rem := max(0, p.expires.Sub(now)).Truncate(time.Second)
	line := fmt.Sprintf("Expires in %d:%02d", int(rem.Minutes()), int(rem.Seconds())%60)
	if rem == 0 {
		line = expired
	}
	b.line(st.Warn.Render(line))
}

// status adds the interval and the polls so far, as a warning once the
// tenant asked to poll less often (slow_down).
func (p *polling) status(b *lines, st Styles) {
	if p.slowDown > 0 {
		b.add(fmt.Sprintf("Polling every %s (slow_down ×%d) · %d %s", p.interval, p.slowDown, p.polls, pollsWord(p.polls)), st.Warn.Render)
		return
	}
	b.add(fmt.Sprintf("Polling every %s · %d %s", p.interval, p.polls, pollsWord(p.polls)), st.Dim.Render)
}

// pollsWord is "poll" or "polls", for n of them.
func pollsWord(n int) string {
	if n == 1 {
		return "poll"
	}
	return "polls"
}
