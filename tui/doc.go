// Package tui is gcscope's full-screen debugger, a bubbletea front end
// over a debugger.Session (DESIGN.md section 9).
//
// The screen holds a code pane (the WAT source, or the module printed as
// WAT when it came as a binary, with the current instruction marked and a
// breakpoint gutter), a call stack and threads pane, a tabbed pane with
// locals and operands, GC roots, an object inspector and the heap by type,
// a console that runs every command of debugger/commands (the CLI's), and
// the program's output. Keys follow debuggers (F5 continue, F10 next, F11
// step, Shift-F11 finish, b breakpoint) and are shown in the help bar.
//
// The model never blocks: session events arrive as tea.Msgs from a
// command that reads Session.Events, and the calls that let the program
// run (continue, step, kill, restart, ...) are made from tea.Cmds.
// Commands typed in the console run through commands.Console, so they
// print what the CLI prints; only the program's own output goes to the
// output pane instead of between the console's lines.
package tui
