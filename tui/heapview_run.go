package tui

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// RunHeapView shows the heap browser over a snapshot on the terminal of
// in and out, in the alternate screen, until the user quits; name labels
// the status line (the file).
func RunHeapView(s *snapshot.Snapshot, name string, in io.Reader, out io.Writer) error {
	p := tea.NewProgram(NewHeapView(s, name), tea.WithAltScreen(), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	return err
}

// helpBar is the bottom line: the keys of the focused pane, as many as
// fit in w cells (the least needed go first).
func (v *HeapView) helpBar(w int) string {
	var items []keyHint
	switch {
	case v.searching:
		return " " + stKey.Render("/") + v.query + "▏  " + stKey.Render("Enter") + " keep  " + stKey.Render("Esc") + " cancel"
	case v.focus == hvTypes:
		items = []keyHint{{"Enter", "open type", 9}, {"s", "sort", 8}, {"/", "search", 8}}
	case v.focus == hvInstances:
		items = []keyHint{{"Enter", "object", 9}, {"PgUp/PgDn", "page", 6}, {"Bksp", "types", 5}, {"s", "sort", 3}, {"/", "search", 2}}
	default:
		items = []keyHint{{"Enter", "follow", 9}, {"Bksp", "back", 9}, {"s", "sort", 3}, {"/", "search", 2}}
	}
	items = append(items, keyHint{"↑↓", "move", 4}, keyHint{"Tab", "pane", 7}, keyHint{"q", "quit", 8})
	return fitHints(items, w)
}
