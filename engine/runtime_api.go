// Package engine is gcscope's embedding API: a host program compiles Wasm
// GC modules, instantiates them, calls their exports with typed values,
// gives them host functions, and creates and reads their GC objects —
// structs, arrays, i31 values and external references — keeping the ones
// it holds alive through handles. It is the equivalent of WAMR's
// wasm_export.h and gc_export.h, in the style of wazero, over the
// packages that do the work (engine/text, engine/binary, engine/validate,
// engine/runtime, engine/interp, engine/gc).
//
// Nothing here panics on a host's mistake: a wrong type, a stale value or
// a closed runtime comes back as an error.
package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Value is a Wasm value: its type and its bits. Build numbers with I32,
// I64, F32 and F64; references come from calls, globals and the object
// API.
type Value = runtime.Value

// Number constructors, re-exported so hosts need import only this package.
var (
	I32 = runtime.I32
	I64 = runtime.I64
	F32 = runtime.F32
	F64 = runtime.F64
)

// Config configures a Runtime.
type Config struct {
	// HeapMaxBytes bounds the GC heap (0: the runtime's default, 1 GiB).
	HeapMaxBytes int64
	// GCStress collects at every allocation, to shake out missing roots.
	GCStress bool
	// Stdout receives the output of the spectest host module's print
	// functions, if a module imports them (nil: discarded).
	Stdout io.Writer
}

// ErrClosed is returned by every call on a closed Runtime.
var ErrClosed = errors.New("engine: the runtime is closed")

// Runtime is one store: its modules share a GC heap and canonical types,
// and may import each other's exports. A Runtime is not safe for use by
// several goroutines at once.
type Runtime struct {
	store  *runtime.Store
	extern externTable
}

// NewRuntime creates a runtime running modules in the interpreter.
func NewRuntime(cfg Config) (*Runtime, error) {
	s, err := runtime.NewStore(runtime.Config{
		Engine: interp.New(), HeapMaxBytes: cfg.HeapMaxBytes, GCStress: cfg.GCStress, Stdout: cfg.Stdout,
	})
	if err != nil {
		return nil, fmt.Errorf("engine: creating the store: %w", err)
	}
	if spec, err := s.NewSpectest(); err == nil {
		s.Register("spectest", spec)
	}
	return &Runtime{store: s}, nil
}

// Close frees the runtime's memory; values from it must not be used after.
func (r *Runtime) Close() error {
	if r.store == nil {
		return nil
	}
	err := r.store.Close()
	r.store = nil
	return err
}

// Store returns the underlying store, for tools (the debugger, heapviz)
// that need more than the embedding API.
func (r *Runtime) Store() *runtime.Store { return r.store }

// Module is a decoded and validated module, ready to instantiate (any
// number of times).
type Module struct {
	m *wasm.Module
}

// Compile reads a module from its binary (.wasm) or text (.wat) form and
// validates it. Errors name the place (byte offset or line:column).
func Compile(src []byte) (*Module, error) {
	var m *wasm.Module
	var err error
	if bytes.HasPrefix(src, []byte("\x00asm")) {
		m, err = binary.Decode(src)
	} else {
		m, err = text.ParseModule(src)
	}
	if err != nil {
		return nil, err
	}
	if err := validate.Module(m); err != nil {
		return nil, err
	}
	return &Module{m: m}, nil
}

// Wasm returns the module's model, for tools.
func (m *Module) Wasm() *wasm.Module { return m.m }

// Instance is an instantiated module or a host module.
type Instance struct {
	rt   *Runtime
	inst *runtime.Instance
}

// Instantiate links a module against the modules registered so far
// (Register, host modules) and instantiates it, running its start
// function. A non-empty name registers the instance, so later modules can
// import its exports under that module name.
func (r *Runtime) Instantiate(mod *Module, name string) (*Instance, error) {
	if r.store == nil {
		return nil, ErrClosed
	}
	if mod == nil || mod.m == nil {
		return nil, errors.New("engine: Instantiate of a nil module")
	}
	inst, err := r.store.Instantiate(mod.m, r.store)
	if err != nil {
		return nil, err
	}
	if name != "" {
		inst.Name = name
		r.store.Register(name, inst)
	}
	return &Instance{rt: r, inst: inst}, nil
}

// Function returns an exported function, or nil.
func (i *Instance) Function(name string) *Function {
	if f := i.inst.ExportedFunc(name); f != nil {
		return &Function{rt: i.rt, f: f}
	}
	return nil
}

// Global returns an exported global, or nil.
func (i *Instance) Global(name string) *Global {
	if g, ok := i.inst.Export(name).(*runtime.Global); ok {
		return &Global{rt: i.rt, g: g}
	}
	return nil
}

// Exports lists the instance's export names in order.
func (i *Instance) Exports() []string { return i.inst.ExportNames() }

// Function is an exported or host function.
type Function struct {
	rt *Runtime
	f  *runtime.Func
}

// Params and Results describe the function's type.
func (f *Function) Params() []wasm.ValType { return f.f.Type.Comp.Params }

// Results describe what the function returns.
func (f *Function) Results() []wasm.ValType { return f.f.Type.Comp.Results }

// Call calls the function. A trap comes back as *runtime.Trap (its
// message and a Wasm backtrace), an uncaught exception as
// *runtime.Exception, a wrong argument as an error saying which.
func (f *Function) Call(args ...Value) ([]Value, error) {
	if f.rt.store == nil {
		return nil, ErrClosed
	}
	return f.f.Call(args)
}

// Global is an exported global.
type Global struct {
	rt *Runtime
	g  *runtime.Global
}

// Get reads the global.
func (g *Global) Get() Value { return g.g.Get() }

// Set writes a mutable global.
func (g *Global) Set(v Value) error {
	if g.rt.store == nil {
		return ErrClosed
	}
	return g.g.Set(v)
}
