package engine

import (
	"errors"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Handle keeps a reference alive while the host holds it: the collector
// treats every unreleased handle as a root. Release it when done.
type Handle struct {
	rt       *Runtime
	v        Value
	released bool
}

// Pin returns a handle that keeps v's object alive. Numbers, null and
// i31 values need no pinning; pinning them is allowed and does nothing.
func (r *Runtime) Pin(v Value) (*Handle, error) {
	if r.store == nil {
		return nil, ErrClosed
	}
	if v.Type.IsRef() {
		if r.store.Describe(v).Kind == runtime.RefDangling {
			return nil, errors.New("engine: cannot pin a reference to no live object")
		}
		r.store.Pin(runtime.Ref(v.Bits))
	}
	return &Handle{rt: r, v: v}, nil
}

// Value returns the pinned value.
func (h *Handle) Value() Value { return h.v }

// Release lets the collector free the object once nothing else refers to
// it. Releasing twice is an error, not a double unpin.
func (h *Handle) Release() error {
	if h.released {
		return errors.New("engine: handle released twice")
	}
	h.released = true
	if h.rt.store != nil && h.v.Type.IsRef() {
		h.rt.store.Unpin(runtime.Ref(h.v.Bits))
	}
	return nil
}

// pinAll pins the references among vs for the length of an operation
// that may collect, and returns the function that unpins them.
func (r *Runtime) pinAll(vs []Value) func() {
	var pinned []runtime.Ref
	for _, v := range vs {
		if v.Type.IsRef() && v.Bits != 0 {
			r.store.Pin(runtime.Ref(v.Bits))
			pinned = append(pinned, runtime.Ref(v.Bits))
		}
	}
	return func() {
		for _, ref := range pinned {
			r.store.Unpin(ref)
		}
	}
}
