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
	{"Tab S-Tab", "next/previous pane (or click one)"},
	{"[ ]", "previous/next tab of the focused pane"},
	{"K T L R I H", "Stack, Threads, Locals, Roots, Inspect, Heap tab"},
	{"↑↓ PgUp PgDn", "move; in Stack, select the frame"},
	{"Enter", "Locals/Roots: inspect; Inspect: expand; Threads: select"},
	{"→ ←", "Inspect: follow the reference, go back"},
	{"S", "Heap: sort by bytes, count, type"},
	{":", "console: every CLI command (help lists them)"},
	{"Esc", "leave the console or the search"},
	{"?", "this help"},
	{"q", "quit (kills the program)"},
}

// helpLines is the help screen.
func helpLines() []string {
	out := []string{"Keys:"}
	for _, k := range keyHelp {
		out = append(out, "  "+stKey.Render(padRight(k[0], 14))+k[1])
	}
	out = append(out, "", "The console takes every command of the line debugger (gcscope debug --cli):",
		"break, continue, step, next, finish, bt, print $t.left, inspect, roots, heap, gc, ...")
	return out
}

func padRight(s string, n int) string {
	if len([]rune(s)) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len([]rune(s)))
}

// helpBar is the bottom line: the keys that matter now.
func (m *Model) helpBar() string {
	k := func(key, what string) string { return stKey.Render(key) + " " + what }
	var parts []string
	switch {
	case m.code.typing:
		parts = []string{k("Enter", "find"), k("Esc", "cancel")}
	case m.state == debugger.StateRunning:
		parts = []string{k("Ctrl-C/p", "pause"), k("q", "quit"), k("?", "help")}
	case m.focus == paneConsole:
		parts = []string{k("Enter", "run"), k("↑↓", "history"), k("Tab", "complete"), k("Esc", "leave"), k("F5", "cont"), k("F10", "next"), k("F11", "step")}
	default:
		parts = []string{k("F5/c", "cont"), k("F10/n", "next"), k("F11/s", "step"), k("S-F11/o", "finish"),
			k("b", "break"), k("Tab", "pane"), k("/", "search"), k(":", "console"), k("?", "help"), k("q", "quit")}
	}
	return " " + strings.Join(parts, "  ")
}
