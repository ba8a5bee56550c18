package engine

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// HostFunc is a function the host gives Wasm code. It receives the
// arguments checked against its declared parameter types and must return
// values of its result types; an error becomes a trap in the caller.
type HostFunc func(args []Value) ([]Value, error)

// HostModule collects host functions and globals under one module name.
type HostModule struct {
	rt   *Runtime
	name string
	inst *runtime.Instance
	err  error
}

// NewHostModule starts a host module; Register makes it importable.
func (r *Runtime) NewHostModule(name string) *HostModule {
	h := &HostModule{rt: r, name: name}
	if r.store == nil {
		h.err = ErrClosed
		return h
	}
	h.inst = r.store.NewHostInstance(name)
	return h
}

// Func adds a function with a signature over number types and abstract
// reference types. Errors are kept until Register.
func (h *HostModule) Func(name string, params, results []wasm.ValType, fn HostFunc) *HostModule {
	if h.err != nil {
		return h
	}
	if fn == nil {
		h.err = fmt.Errorf("engine: host function %s.%s is nil", h.name, name)
		return h
	}
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: params, Results: results}
	wrapped := func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
		out, err := fn(args)
		if err != nil {
			return nil, err
		}
		if len(out) != len(results) {
			return nil, fmt.Errorf("host function %s.%s returned %d values, its type says %d", h.name, name, len(out), len(results))
		}
		for i, v := range out {
			if v.Type.Kind != results[i].Kind {
				return nil, fmt.Errorf("host function %s.%s result %d is %s, its type says %s", h.name, name, i, v.Type, results[i])
			}
		}
		return out, nil
	}
	if _, err := h.inst.DefineFunc(name, ft, wrapped); err != nil {
		h.err = fmt.Errorf("engine: host function %s.%s: %w", h.name, name, err)
	}
	return h
}

// Global adds an immutable or mutable global holding v.
func (h *HostModule) Global(name string, mutable bool, v Value) *HostModule {
	if h.err == nil {
		if v.Type.Kind == 0 {
			h.err = fmt.Errorf("engine: host global %s.%s has no type", h.name, name)
			return h
		}
		h.inst.DefineGlobal(name, wasm.GlobalType{Val: v.Type, Mutable: mutable}, v)
	}
	return h
}

// Register makes the module importable under its name and returns it.
func (h *HostModule) Register() (*Instance, error) {
	if h.err != nil {
		return nil, h.err
	}
	if h.name == "" {
		return nil, errors.New("engine: a host module needs a name")
	}
	h.rt.store.Register(h.name, h.inst)
	return &Instance{rt: h.rt, inst: h.inst}, nil
}
