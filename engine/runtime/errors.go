package runtime

import (
	"errors"
	"fmt"
	"strings"
)

// TraceFrame is one frame of a Wasm backtrace.
type TraceFrame struct {
	Module string // the instance's registered or module name, if any
	Func   uint32 // index in the instance's function space
	Name   string // from the name section, if any
	Offset uint32 // bytecode offset of the instruction
	Host   bool   // a host function
}

func (f TraceFrame) String() string {
	name := f.Name
	if name == "" {
		name = fmt.Sprintf("func[%d]", f.Func)
	} else {
		name = fmt.Sprintf("%s (func[%d])", name, f.Func)
	}
	if f.Module != "" {
		name = f.Module + "." + name
	}
	if f.Host {
		return name + " <host>"
	}
	return fmt.Sprintf("%s @0x%x", name, f.Offset)
}

// Trap is a Wasm trap: Msg is the spec's message ("unreachable",
// "integer divide by zero", "call stack exhausted", ...) and Backtrace the
// Wasm frames, innermost first.
type Trap struct {
	Msg       string
	Backtrace []TraceFrame
	// Cause is the underlying error when a host function failed.
	Cause error
}

func (t *Trap) Error() string {
	var b strings.Builder
	b.WriteString(t.Msg)
	if t.Cause != nil {
		b.WriteString(": " + t.Cause.Error())
	}
	writeBacktrace(&b, t.Backtrace)
	return b.String()
}

// writeBacktrace lists frames innermost first; a deep stack (runaway
// recursion) shows its first and last frames only.
func writeBacktrace(b *strings.Builder, bt []TraceFrame) {
	const head, tail = 20, 5
	for i, f := range bt {
		if i == 0 {
			b.WriteString("\nwasm backtrace:")
		}
		if len(bt) > head+tail && i == head {
			fmt.Fprintf(b, "\n  ... %d more frames", len(bt)-head-tail)
		}
		if len(bt) > head+tail && i >= head && i < len(bt)-tail {
			continue
		}
		fmt.Fprintf(b, "\n  %d: %s", i, f)
	}
}

func (t *Trap) Unwrap() error { return t.Cause }

// Exception is an uncaught Wasm exception leaving a call.
type Exception struct {
	Tag     *Tag
	Payload []Value
	// Ref is the exception object (an exnref); it stays valid while the
	// host keeps it pinned (Store.Pin) or until the next collection.
	Ref       Ref
	Backtrace []TraceFrame
}

func (e *Exception) Error() string {
	var parts []string
	for _, v := range e.Payload {
		parts = append(parts, v.String())
	}
	var b strings.Builder
	b.WriteString("uncaught exception (" + strings.Join(parts, ", ") + ")")
	writeBacktrace(&b, e.Backtrace)
	return b.String()
}

// LinkError is an instantiation failure while resolving imports. Msg is
// the spec's "unknown import" or "incompatible import type".
type LinkError struct {
	Module, Name string
	Msg          string
	Detail       string
}

func (e *LinkError) Error() string {
	s := fmt.Sprintf("%s: %q %q", e.Msg, e.Module, e.Name)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unsupported is the error for a module that uses a feature the engine
// does not implement.
type Unsupported struct {
	Msg string
}

func (e *Unsupported) Error() string { return e.Msg }

// HostFailure gives a host function's failure a place, the same for every
// engine: a *Trap without a backtrace gets the current one (the host frame
// on top), an *Exception passes through (it unwinds), and any other error
// becomes a trap naming the function, with the error as its Cause.
func HostFailure(env *ExecEnv, f *Func, err error) error {
	var tr *Trap
	var ex *Exception
	switch {
	case errors.As(err, &ex):
		return err
	case errors.As(err, &tr):
		if len(tr.Backtrace) == 0 {
			tr.Backtrace = env.Backtrace()
		}
		return err
	}
	return &Trap{Msg: "host function " + f.Name + " failed", Cause: err, Backtrace: env.Backtrace()}
}
