package tui

import (
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// keyHelp lists the keys, as the help screen shows them.
var keyHelp = [][2]string{
	{"F5  c", "continue"},
	{"F10 n", "next (over calls)"},
	{"F11 s", "step (into calls)"},
	{"S-F11 o", "finish (out of the frame)"},
	{"Ctrl-C p F6", "pause the running program (all threads)"},
	{"b", "toggle a breakpoint on the cursor's line"},
	{"a", "advance: run to the cursor's line"},
	{"/", "search the code (Enter: next match)"},
	{"← → .", "Code: scroll sideways, back to the current line"},
	{"Tab S-Tab", "next/previous pane (or click one)"},
	{"[ ]", "previous/next tab of the focused pane"},
	{"K T L R I H", "Stack, Threads, Locals, Roots, Inspect, Heap tab"},
	{"↑↓ PgUp PgDn", "move; in Stack, select the frame"},
	{"Enter", "Locals/Roots: inspect; Inspect: expand; Threads: select"},
	{"→ ←", "Inspect: follow the reference, go back"},
	{"S", "Heap: sort by bytes, count, type"},
	{"F", "AOT: the .aot file's sections (PgUp/PgDn scroll one)"},
	{": Esc", "console: every CLI command (help lists them); leave it"},
	{"? q", "this help; quit (kills the program)"},
}

// helpLines is the help screen, h lines at most.
func helpLines(h int) []string {
	var out []string
	for _, k := range keyHelp {
		out = append(out, " "+stKey.Render(padRight(k[0], 14))+k[1])
	}
	more := []string{"", "The console takes every command of the line debugger (gcscope debug --cli):",
		"break, continue, step, next, finish, bt, print $t.left, inspect, roots, heap, gc, ..."}
	if len(out)+len(more) <= h {
		out = append(out, more...)
	}
	return out
}

func padRight(s string, n int) string {
	if len([]rune(s)) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len([]rune(s)))
}

// helpBar is the bottom line: the keys that matter now, as many as fit
// in w cells (the least needed go first).
func (m *Model) helpBar(w int) string {
	var items []keyHint
	switch {
	case m.code.typing:
		items = []keyHint{{"Enter", "find", 9}, {"Esc", "cancel", 9}}
	case m.state == debugger.StateRunning:
		items = []keyHint{{"Ctrl-C/p", "pause", 9}, {"q", "quit", 8}, {"?", "help", 7}}
	case m.focus == paneConsole:
		items = []keyHint{{"Enter", "run", 9}, {"↑↓", "history", 5}, {"Tab", "complete", 6}, {"Esc", "leave", 8},
			{"F5", "cont", 7}, {"F10", "next", 7}, {"F11", "step", 7}, {"PgUp", "scroll", 3}}
	default:
		items = []keyHint{{"F5/c", "cont", 9}, {"F10/n", "next", 9}, {"F11/s", "step", 9}, {"S-F11/o", "finish", 8},
			{"b", "break", 8}, {"Tab", "pane", 6}, {"/", "search", 4}, {":", "console", 5}, {"?", "help", 7}, {"q", "quit", 7}}
	}
	return fitHints(items, w)
}

// keyHint is one key of a help bar; hints with a higher prio stay longer
// when the bar is narrow.
type keyHint struct {
	key, what string
	prio      int
}

// fitHints renders as many hints as fit in w cells, dropping the least
// needed first (the last of equals).
func fitHints(items []keyHint, w int) string {
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
