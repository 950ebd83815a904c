package tui

import (
	"context"
	"errors"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// Run runs the program on the terminal until the person quits or ctx is
// cancelled (SIGTERM, SIGINT). The terminal is restored in every case.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) error {
	m := New(o)
	defer m.quit()
	// Signals are main's: it cancels ctx on SIGINT and SIGTERM, which ends
	// the program and restores the terminal. Bubble Tea's own handler would
	// race it (and block sending a quit to a loop that already ended).
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler()}
	if !o.NoMouse {
		opts = append(opts, tea.WithMouseCellMotion())
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
