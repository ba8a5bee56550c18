package runtime

import (
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/wasm"
)

// PageSize is the size of a linear memory page.
const PageSize = mem.PageSize

// Memory is a linear memory instance: an engine/mem Linear, reserved to
// its maximum outside the Go heap so growing never moves it, plus the
// accessible bytes as a slice for the interpreter.
type Memory struct {
	Type wasm.MemoryType
	// Data is the accessible memory of an unshared memory; the interpreter
	// indexes it directly and re-reads it after anything that can grow
	// the memory. A shared memory's Data stays as it was created (threads
	// grow it concurrently, and a slice cannot change atomically): read
	// Bytes, which works for both.
	Data []byte
	// Linear is the underlying memory (Base gives its address for AOT).
	Linear *mem.Linear
}

func (*Memory) kind() wasm.ExternKind { return wasm.ExternMemory }

// NewMemory reserves and commits a memory of the given type.
func NewMemory(t wasm.MemoryType) (*Memory, error) {
	lin, err := mem.NewLinear(t)
	if err != nil {
		return nil, &Trap{Msg: "out of memory: cannot allocate memory", Cause: err}
	}
	return &Memory{Type: t, Data: lin.Bytes(), Linear: lin}, nil
}

// Bytes is the accessible memory now. For a shared memory it is read
// from the mem.Linear, whose size is published atomically after each
// grow: a thread sees the memory as it was before or after a concurrent
// grow, never a mix; take it again after anything that can grow it.
func (m *Memory) Bytes() []byte {
	if m.Type.Shared {
		return m.Linear.Bytes()
	}
	return m.Data
}

// Size returns the current size in pages.
func (m *Memory) Size() uint64 { return uint64(len(m.Bytes())) / PageSize }

// Grow adds delta pages and returns the old size, or false (leaving the
// memory unchanged) if the maximum or the reservation does not allow it.
// Grows of a shared memory are serialized by its mem.Linear, so each
// returns a distinct old size.
func (m *Memory) Grow(delta uint64) (uint64, bool) {
	old, ok := m.Linear.Grow(delta)
	if !ok {
		return m.Size(), false
	}
	if !m.Type.Shared {
		m.Data = m.Linear.Bytes()
	}
	return uint64(old), true
}
