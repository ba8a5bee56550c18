// Package wastexec runs spec scripts on the interpreter: it implements
// engine/wast's Executor over engine/runtime, turning traps, exhaustion,
// uncaught exceptions, link errors and unsupported features into the
// error kinds the script assertions check.
package wastexec

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/engine/wast"
)

// Executor is a wast.Executor backed by a fresh store per script.
type Executor struct {
	cfg   runtime.Config
	store *runtime.Store
	named map[string]*runtime.Instance
	defs  map[string]*wasm.Module
	last  *runtime.Instance
	// lastDef is the most recent (module definition ...).
	lastDef *wasm.Module
	// unsupported is set when the latest module was refused as
	// unsupported, so the commands using it are skipped, not failed.
	unsupported error
	// unsupportedAs remembers registrations of such modules: a module
	// importing from one is skipped too, not failed as unlinkable.
	unsupportedAs map[string]error
}

// New returns an executor whose stores use cfg (its Engine defaults to
// the interpreter).
func New(cfg runtime.Config) *Executor {
	if cfg.Engine == nil {
		cfg.Engine = interp.New()
	}
	return &Executor{cfg: cfg}
}

var _ wast.Executor = (*Executor)(nil)

// Store returns the current script's store.
func (x *Executor) Store() *runtime.Store { return x.store }

// Reset implements wast.Executor: a new store with the spectest module.
func (x *Executor) Reset() error {
	if x.store != nil {
		x.store.Close()
	}
	s, err := runtime.NewStore(x.cfg)
	if err != nil {
		return err
	}
	spec, err := s.NewSpectest()
	if err != nil {
		return err
	}
	s.Register("spectest", spec)
	x.store, x.last, x.lastDef = s, nil, nil
	x.unsupportedAs = map[string]error{}
	x.named, x.defs = map[string]*runtime.Instance{}, map[string]*wasm.Module{}
	return nil
}

// classify turns runtime errors into the runner's error kinds.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var tr *runtime.Trap
	var ex *runtime.Exception
	var le *runtime.LinkError
	var un *runtime.Unsupported
	switch {
	case errors.As(err, &un):
		return &wast.EngineError{Kind: wast.ErrUnsupported, Msg: un.Msg}
	case errors.As(err, &le):
		return &wast.EngineError{Kind: wast.ErrLink, Msg: le.Error()}
	case errors.As(err, &ex):
		return &wast.EngineError{Kind: wast.ErrException, Msg: ex.Error()}
	case errors.As(err, &tr):
		if tr.Msg == "call stack exhausted" {
			return &wast.EngineError{Kind: wast.ErrExhaustion, Msg: tr.Msg}
		}
		return &wast.EngineError{Kind: wast.ErrTrap, Msg: tr.Msg}
	}
	return err
}

func (x *Executor) ready() error {
	if x.store == nil {
		return x.Reset()
	}
	return nil
}

// Instantiate implements wast.Executor.
func (x *Executor) Instantiate(name string, m *wasm.Module) error {
	if err := x.ready(); err != nil {
		return err
	}
	if err := x.foreignImport(m); err != nil {
		return err
	}
	inst, err := x.store.Instantiate(m, nil)
	if err != nil {
		err = classify(err)
		if uerr := x.importsUnsupported(m); uerr != nil {
			err = uerr
		}
		var ee *wast.EngineError
		if errors.As(err, &ee) && ee.Kind == wast.ErrUnsupported {
			x.unsupported, x.last = err, nil
			if name != "" {
				delete(x.named, name)
			}
		}
		return err
	}
	x.unsupported = nil
	if name != "" {
		inst.Name = name
		x.named[name] = inst
	}
	x.last = inst
	return nil
}

// Define implements wast.Executor.
func (x *Executor) Define(name string, m *wasm.Module) error {
	if name != "" {
		x.defs[name] = m
	}
	x.lastDef = m
	return nil
}

// InstantiateDefinition implements wast.Executor.
func (x *Executor) InstantiateDefinition(instance, definition string) error {
	m := x.lastDef
	if definition != "" {
		m = x.defs[definition]
	}
	if m == nil {
		return fmt.Errorf("unknown module definition %q", definition)
	}
	return x.Instantiate(instance, m)
}

func (x *Executor) instance(name string) (*runtime.Instance, error) {
	inst := x.last
	if name != "" {
		inst = x.named[name]
	}
	if inst == nil {
		if x.unsupported != nil {
			return nil, x.unsupported
		}
		return nil, fmt.Errorf("unknown module %q", name)
	}
	return inst, nil
}

// Register implements wast.Executor.
func (x *Executor) Register(as, module string) error {
	if err := x.ready(); err != nil {
		return err
	}
	inst, err := x.instance(module)
	if err != nil {
		var ee *wast.EngineError
		if errors.As(err, &ee) && ee.Kind == wast.ErrUnsupported {
			x.unsupportedAs[as] = err
		}
		return err
	}
	delete(x.unsupportedAs, as)
	x.store.Register(as, inst)
	return nil
}

func (x *Executor) arg(v text.Value) (runtime.Value, error) {
	switch v.Kind {
	case text.ValNum:
		return runtime.Value{Type: v.Type, Bits: v.Bits}, nil
	case text.ValRefNull:
		return runtime.Null(v.Type.Heap), nil
	case text.ValRefExtern, text.ValRefHost:
		hv, err := x.store.HostRef(v.Bits)
		if v.Kind == text.ValRefHost {
			hv.Type = wasm.RefType(false, wasm.HeapAny)
		}
		return hv, err
	case text.ValRefI31Num:
		return runtime.I31(int32(v.Bits)), nil
	case text.ValV128:
		return runtime.V128(v.Bytes), nil
	}
	return runtime.Value{}, fmt.Errorf("unsupported argument kind %d", v.Kind)
}

// Invoke implements wast.Executor.
func (x *Executor) Invoke(module, export string, args []text.Value) ([]wast.Value, error) {
	if err := x.ready(); err != nil {
		return nil, err
	}
	inst, err := x.instance(module)
	if err != nil {
		return nil, err
	}
	if x.foreign(inst) {
		return nil, errForeignCall
	}
	f := inst.ExportedFunc(export)
	if f == nil {
		return nil, fmt.Errorf("no exported function %q", export)
	}
	vals := make([]runtime.Value, len(args))
	for i, a := range args {
		if vals[i], err = x.arg(a); err != nil {
			return nil, err
		}
	}
	res, err := f.Call(vals)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]wast.Value, len(res))
	for i, v := range res {
		out[i] = x.result(v)
	}
	return out, nil
}

// Get implements wast.Executor.
func (x *Executor) Get(module, export string) (wast.Value, error) {
	if err := x.ready(); err != nil {
		return wast.Value{}, err
	}
	inst, err := x.instance(module)
	if err != nil {
		return wast.Value{}, err
	}
	g, ok := inst.Export(export).(*runtime.Global)
	if !ok {
		return wast.Value{}, fmt.Errorf("no exported global %q", export)
	}
	return x.result(g.Get()), nil
}

// result describes a value for the runner. A host object is reported in
// the hierarchy its static type says (extern, or any after conversion).
func (x *Executor) result(v runtime.Value) wast.Value {
	out := wast.Value{Type: v.Type, Bits: v.Bits}
	if v.Type.Kind == wasm.KindV128 {
		out.V128 = v.Bytes16()
		return out
	}
	if !v.Type.IsRef() {
		return out
	}
	info := x.store.Describe(v)
	extern := v.Type.Heap == wasm.HeapExtern || v.Type.Heap == wasm.HeapNoExtern
	switch info.Kind {
	case runtime.RefNull:
		out.Ref.Null = true
	case runtime.RefI31:
		out.Ref.Kind = wasm.HeapI31
		out.Bits = uint64(uint32(info.I31))
	case runtime.RefStruct:
		out.Ref.Kind = wasm.HeapStruct
	case runtime.RefArray:
		out.Ref.Kind = wasm.HeapArray
	case runtime.RefFunc:
		out.Ref.Kind = wasm.HeapFunc
	case runtime.RefExn:
		out.Ref.Kind = wasm.HeapExn
	case runtime.RefHost:
		out.Ref.Kind = wasm.HeapAny
		out.Ref.Host = uint32(info.Host)
	}
	if extern && !out.Ref.Null {
		out.Ref.Kind = wasm.HeapExtern
	}
	return out
}

// importsUnsupported returns the error of a module m imports from that was
// registered while the engine refused it as unsupported, if any.
func (x *Executor) importsUnsupported(m *wasm.Module) error {
	for _, imp := range m.Imports {
		if err, ok := x.unsupportedAs[imp.Module]; ok {
			return err
		}
	}
	return nil
}
