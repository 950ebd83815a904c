package tui

import (
	"context"
	"errors"
	"io"
	"time"

	"auth0-explorer/ui/tui/termprobe"

	tea "github.com/charmbracelet/bubbletea"
)

// Run runs the program on the terminal until the person quits or ctx is
// cancelled (SIGTERM, SIGINT). The terminal is restored in every case.
//
// Before the program starts, the terminal is asked for its background
// colour with a short deadline (termprobe.Detect), unless
// AUTH0_EXPLORER_THEME fixes the theme; a reply that comes too late is
// dropped from the first keys rather than read as typing.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	bg := termprobe.Detect(in, out, termprobe.Timeout)
	m := New(o)
	defer m.quit()
	m.debugf("%s", probeSummary(bg))
	// Signals are main's: it cancels ctx on SIGINT and SIGTERM, which ends
	// the program and restores the terminal. Bubble Tea's own handler would
	// race it (and block sending a quit to a loop that already ended).
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}
	if !o.NoMouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if f := bg.LateFilter(now); f != nil {
		opts = append(opts, tea.WithFilter(f))
	}
	p := tea.NewProgram(m, opts...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // stopped by a signal: a normal end
	}
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// probeSummary is the debug log's line about the background probe.
func probeSummary(r termprobe.Result) string {
	switch {
	case !r.Asked && r.Err == nil:
		return "background: not asked (theme fixed, TERM=dumb or no terminal)"
	case r.Err != nil:
		return "background: probe failed, dark kept: " + r.Err.Error()
	case r.Background && r.Dark:
		return "background: dark, as the terminal reported"
	case r.Background:
		return "background: light, as the terminal reported"
	case r.Sentinel:
		return "background: the terminal does not report it; dark kept"
	}
	return "background: no reply within the deadline; dark kept, late replies dropped for a while"
}
