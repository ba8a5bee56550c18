package tui

import (
	"io"
	"strings"

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
	type item struct {
		key, what string
		prio      int // higher stays longer
	}
	var items []item
	switch {
	case v.searching:
		return " " + stKey.Render("/") + v.query + "▏  " + stKey.Render("Enter") + " keep  " + stKey.Render("Esc") + " cancel"
	case v.focus == hvTypes:
		items = []item{{"Enter", "open type", 9}, {"s", "sort", 8}, {"/", "search", 8}}
	case v.focus == hvInstances:
		items = []item{{"Enter", "object", 9}, {"PgUp/PgDn", "page", 6}, {"Bksp", "types", 5}, {"s", "sort", 3}, {"/", "search", 2}}
	default:
		items = []item{{"Enter", "follow", 9}, {"Bksp", "back", 9}, {"s", "sort", 3}, {"/", "search", 2}}
	}
	items = append(items, item{"↑↓", "move", 4}, item{"Tab", "pane", 7}, item{"q", "quit", 8})
	for {
		var parts []string
		width := 1
		for _, it := range items {
			parts = append(parts, stKey.Render(it.key)+" "+it.what)
			width += len([]rune(it.key+" "+it.what)) + 2
		}
		if width-2 <= w || len(items) <= 1 {
			return " " + strings.Join(parts, "  ")
		}
		low := 0
		for i, it := range items {
			if it.prio <= items[low].prio {
				low = i
			}
		}
		items = append(items[:low], items[low+1:]...)
	}
}
