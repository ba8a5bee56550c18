package runtime

import (
	"runtime"
	"syscall"

	"github.com/gcscope/gcscope/engine/wasm"
)

// PageSize is the size of a linear memory page.
const PageSize = 65536

// maxReserve caps the address space one memory reserves (memory64 may
// declare far more than any test uses; growing past it fails cleanly).
const maxReserve = 1 << 32

// Memory is a linear memory instance. Its bytes live outside the Go heap
// in one mapping reserved to the memory's maximum, so growing never moves
// them (DESIGN.md section 2); only the first Size pages are accessible.
// This type stands in for engine/mem's Linear.
type Memory struct {
	Type wasm.MemoryType
	// Data is the accessible memory; the interpreter indexes it directly
	// and re-reads it after anything that can grow the memory.
	Data     []byte
	reserved []byte
	maxPages uint64
}

func (*Memory) kind() wasm.ExternKind { return wasm.ExternMemory }

// NewMemory reserves and commits a memory of the given type.
func NewMemory(t wasm.MemoryType) (*Memory, error) {
	limit := uint64(65536)
	if t.Addr64 {
		limit = 1 << 48
	}
	maxPages := limit
	if t.Limits.HasMax && t.Limits.Max < maxPages {
		maxPages = t.Limits.Max
	}
	if t.Limits.Min > maxPages {
		return nil, &Trap{Msg: "memory size exceeds maximum"}
	}
	reserve := maxPages * PageSize
	if reserve > maxReserve {
		reserve = maxReserve
	}
	if t.Limits.Min*PageSize > reserve {
		return nil, &Trap{Msg: "out of memory: cannot reserve memory"}
	}
	m := &Memory{Type: t, maxPages: maxPages}
	if reserve > 0 {
		b, err := syscall.Mmap(-1, 0, int(reserve), syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
		if err != nil {
			return nil, &Trap{Msg: "out of memory: " + err.Error()}
		}
		m.reserved = b
		runtime.AddCleanup(m, func(b []byte) { _ = syscall.Munmap(b) }, b)
	}
	if _, ok := m.Grow(t.Limits.Min); !ok {
		return nil, &Trap{Msg: "out of memory: cannot commit memory"}
	}
	return m, nil
}

// Size returns the current size in pages.
func (m *Memory) Size() uint64 { return uint64(len(m.Data)) / PageSize }

// Grow adds delta pages and returns the old size, or false (leaving the
// memory unchanged) if the maximum or the reservation does not allow it.
func (m *Memory) Grow(delta uint64) (uint64, bool) {
	old := m.Size()
	if delta == 0 {
		return old, true
	}
	if delta > m.maxPages-old {
		return old, false
	}
	newLen := (old + delta) * PageSize
	if newLen > uint64(len(m.reserved)) {
		return old, false
	}
	if err := syscall.Mprotect(m.reserved[:newLen], syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		return old, false
	}
	m.Data = m.reserved[:newLen:newLen]
	return old, true
}
