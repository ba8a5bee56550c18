package runtime

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// Extern is anything an instance can export or import: *Func, *Table,
// *Memory, *Global or *Tag.
type Extern interface {
	kind() wasm.ExternKind
}

// KindOf returns the extern kind of e.
func KindOf(e Extern) wasm.ExternKind { return e.kind() }

// HostFunc implements a function in Go. It gets the calling instance (nil
// when called from the host) and the arguments, and returns the results or
// an error (a *Trap to trap with the spec's message).
type HostFunc func(caller *Instance, args []Value) ([]Value, error)

// Func is a function instance: a Wasm function of an instance or a host
// function.
type Func struct {
	Type  *TypeDef // canonical function type
	Inst  *Instance
	Index uint32 // index in its instance's function space
	Def   *wasm.Func
	Host  HostFunc
	Name  string
	num   uint32 // number in the store
	ref   Ref    // the funcref object, allocated once
	// Code is the engine's compiled form, set lazily by the engine.
	Code any
}

func (*Func) kind() wasm.ExternKind { return wasm.ExternFunc }

// Ref returns the funcref value of f.
func (f *Func) Ref() Value {
	return Value{Type: wasm.RefType(false, wasm.HeapType(f.Type.ID)), Bits: uint64(f.ref)}
}

// Table is a table instance.
type Table struct {
	Type  wasm.TableType // Elem is canonical
	Elems []Ref
	max   uint64
}

func (*Table) kind() wasm.ExternKind { return wasm.ExternTable }

// NewTable creates a table of the given (canonical) type filled with init.
func NewTable(t wasm.TableType, init Ref) *Table {
	tb := &Table{Type: t, max: 1 << 32}
	if !t.Addr64 {
		tb.max = 1<<32 - 1
	}
	if t.Limits.HasMax && t.Limits.Max < tb.max {
		tb.max = t.Limits.Max
	}
	n := t.Limits.Min
	if n > 1<<24 {
		n = 1 << 24 // a table this large is a test of limits, not of content
	}
	tb.Elems = make([]Ref, n)
	for i := range tb.Elems {
		tb.Elems[i] = init
	}
	return tb
}

// Size returns the number of elements.
func (t *Table) Size() uint64 { return uint64(len(t.Elems)) }

// Get returns element i, or a trap "out of bounds table access".
func (t *Table) Get(i uint64) (Value, error) {
	if i >= t.Size() {
		return Value{}, &Trap{Msg: "out of bounds table access"}
	}
	return Value{Type: t.Type.Elem, Bits: uint64(t.Elems[i])}, nil
}

// Set stores a reference at element i. The value must be a reference
// (null only if the element type is nullable) of the table's hierarchy.
func (t *Table) Set(i uint64, v Value) error {
	if i >= t.Size() {
		return &Trap{Msg: "out of bounds table access"}
	}
	if !v.Type.IsRef() || (v.Bits == 0 && !t.Type.Elem.Nullable) {
		return &Trap{Msg: "type mismatch: " + v.Type.String() + " for a " + t.Type.Elem.String() + " table"}
	}
	t.Elems[i] = Ref(v.Bits)
	return nil
}

// Grow adds delta elements set to init and returns the old size, or false.
func (t *Table) Grow(delta uint64, init Ref) (uint64, bool) {
	old := t.Size()
	if delta > t.max-old || old+delta > 1<<24 {
		return old, false
	}
	for i := uint64(0); i < delta; i++ {
		t.Elems = append(t.Elems, init)
	}
	return old, true
}

// Global is a global instance.
type Global struct {
	Type wasm.GlobalType // Val is canonical
	Bits uint64
	Hi   uint64 // a v128's high half
}

func (*Global) kind() wasm.ExternKind { return wasm.ExternGlobal }

// Get returns the global's value.
func (g *Global) Get() Value { return Value{Type: g.Type.Val, Bits: g.Bits, Hi: g.Hi} }

// Set changes a mutable global's value.
func (g *Global) Set(v Value) error {
	if !g.Type.Mutable {
		return &Trap{Msg: "global is immutable"}
	}
	if v.Type.Kind != g.Type.Val.Kind {
		return &Trap{Msg: "type mismatch"}
	}
	g.Bits, g.Hi = v.Bits, v.Hi
	return nil
}

// Tag is an exception tag instance.
type Tag struct {
	Type *TypeDef // canonical function type; its params are the payload
	num  uint32
}

func (*Tag) kind() wasm.ExternKind { return wasm.ExternTag }
