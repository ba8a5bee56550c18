// Package commands is the debugger's one command set, used by the line
// CLI, the TUI's console and batch mode alike. A Console runs command
// lines against a debugger.Session and writes what they print; commands
// that let the program run wait for it to stop and print the stop.
//
// Names and aliases follow gdb and delve: break (b), tbreak, condition,
// delete (d), enable, disable, breakpoints (info breakpoints), continue
// (c), step (s), next (n), stepi (si), finish (fin), until (u), advance,
// pause, kill, restart (r, run), backtrace (bt, where), frame (f), up,
// down, locals, args, stack, print (p), inspect, set, globals, tables, x,
// threads, thread, roots, heap, gc, snapshot, sections, disassemble
// (disas), list (l), help (h), quit (q).
package commands
