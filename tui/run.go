package tui

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/debugger"
)

// Run shows the TUI over a fresh session on the terminal of in and out,
// in the alternate screen with the mouse on, until the user quits. The
// caller closes the session.
func Run(s *debugger.Session, in io.Reader, out io.Writer) error {
	p := tea.NewProgram(New(s), tea.WithAltScreen(), tea.WithMouseCellMotion(),
		tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	return err
}
