// Package debugger is gcscope's debugger core: a Session loads a module
// (.wat or .wasm) on the interpreter, runs its entry function on a
// goroutine of its own under control, and reports what happens as a stream
// of events (stopped, output, exited). It knows breakpoints (by function
// and offset, by WAT line, temporary, conditional, with hit counts),
// stepping (into, over, out, by instruction), and how to read a stopped
// program: threads, frames, locals with their names and types, the
// operand stack, globals, tables, memory, GC roots, heap objects through
// paths such as node.left.value, and heap snapshots.
//
// The core has no user interface: the one command set used by the CLI,
// the TUI and batch mode is debugger/commands, and the front ends live
// elsewhere (the line CLI in cmd/gcscope). The session is all-stop: when
// the program stops every thread stops (there is one thread for now), and
// inspection is only allowed while stopped.
//
// Breakpoints cost nothing while absent: they are patched into the
// interpreter's code (interp.Engine.SetBreakpoint), and stepping patches
// every instruction only while a step is under way.
package debugger
