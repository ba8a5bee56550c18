package engine

import (
	"errors"
	"sync"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// externTable maps the numbers the store knows host references by to the
// Go values they stand for.
type externTable struct {
	mu     sync.Mutex
	values []any
}

// ExternRef wraps a Go value as an externref for Wasm code, which can
// hold it, pass it back, and convert it to anyref and back
// (any.convert_extern / extern.convert_any) without losing it. Each call
// makes a new reference; it stays alive as long as the runtime.
func (r *Runtime) ExternRef(x any) (Value, error) {
	if r.store == nil {
		return Value{}, ErrClosed
	}
	r.extern.mu.Lock()
	n := uint64(len(r.extern.values))
	r.extern.values = append(r.extern.values, x)
	r.extern.mu.Unlock()
	return r.store.HostRef(n)
}

// HostValue returns the Go value behind an externref made by ExternRef
// (also after a round trip through anyref).
func (r *Runtime) HostValue(v Value) (any, error) {
	if r.store == nil {
		return nil, ErrClosed
	}
	if !v.Type.IsRef() {
		return nil, errors.New("engine: " + v.Type.String() + " is not a reference")
	}
	info := r.store.Describe(v)
	if info.Kind != runtime.RefHost {
		return nil, errors.New("engine: the reference is not a host value")
	}
	r.extern.mu.Lock()
	defer r.extern.mu.Unlock()
	if info.Host >= uint64(len(r.extern.values)) {
		return nil, errors.New("engine: the host reference was not made by ExternRef")
	}
	return r.extern.values[info.Host], nil
}

// NullRef is the null reference of an abstract heap type (wasm.HeapAny,
// wasm.HeapExtern, wasm.HeapFunc, ...).
func NullRef(h wasm.HeapType) Value { return runtime.Null(h) }
