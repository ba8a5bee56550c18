package mem

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gcscope/gcscope/engine/wasm"
)

// PageSize is the WebAssembly page size, 64 KiB.
const PageSize = 65536

// Reservation caps: how much address space a linear memory reserves, and so
// how far it can ever grow, because it never moves.
const (
	// Max32Pages is the most a 32-bit memory can address: 4 GiB. An
	// unbounded 32-bit memory reserves all of it.
	Max32Pages = 1 << 16
	// Max64Pages caps memory64: 16 GiB of address space. A memory64 whose
	// declared maximum is larger (or absent) reserves 16 GiB and fails to
	// grow beyond it, as memory.grow is allowed to.
	Max64Pages = 16 << 30 / PageSize
)

// ErrTooLarge means a memory's minimum size exceeds what gcscope reserves.
var ErrTooLarge = errors.New("mem: memory size exceeds the implementation limit")

// Linear is a WebAssembly linear memory. It reserves its whole maximum when
// created and commits pages as it grows, so its bytes never move: Base stays
// valid and slices taken before a grow stay valid (they just do not see the
// new pages). A shared memory's Grow is serialized by a mutex and its size
// is published atomically, so other threads may read Bytes concurrently.
type Linear struct {
	region *Region
	grow   sync.Mutex // serializes Grow (it matters for shared memories)
	max    uint64     // pages: the declared maximum clamped to the reservation
	shared bool
	addr64 bool
	// waiters are the threads blocked in memory.atomic.wait (wait.go).
	waiters waitQueues
}

// NewLinear creates a linear memory of type t with its minimum size
// committed. See Max32Pages and Max64Pages for what is reserved.
func NewLinear(t wasm.MemoryType) (*Linear, error) {
	limit := uint64(Max32Pages)
	if t.Addr64 {
		limit = Max64Pages
	}
	max := limit
	if t.Limits.HasMax && t.Limits.Max < max {
		max = t.Limits.Max
	}
	if t.Limits.Min > max {
		return nil, fmt.Errorf("%w: %d pages (limit %d)", ErrTooLarge, t.Limits.Min, max)
	}
	r, err := Reserve(max * PageSize)
	if err != nil {
		return nil, err
	}
	if err := r.Commit(t.Limits.Min * PageSize); err != nil {
		r.Close()
		return nil, err
	}
	return &Linear{region: r, max: max, shared: t.Shared, addr64: t.Addr64}, nil
}

// Size is the current size in pages (what memory.size returns).
func (m *Linear) Size() uint64 { return m.region.Committed() / PageSize }

// Len is the current size in bytes.
func (m *Linear) Len() uint64 { return m.region.Committed() }

// Max is the most pages the memory can grow to: the declared maximum, or
// the reservation cap when that is smaller or none was declared.
func (m *Linear) Max() uint64 { return m.max }

// Shared reports whether the memory was declared shared.
func (m *Linear) Shared() bool { return m.shared }

// Addr64 reports whether the memory is a memory64.
func (m *Linear) Addr64() bool { return m.addr64 }

// Grow adds delta pages, returning the previous size in pages and true, or
// (-1, false) when the result would exceed Max or the commit fails; a
// failed grow leaves the memory unchanged. Grow(0) returns the size.
func (m *Linear) Grow(delta uint64) (oldPages int64, ok bool) {
	m.grow.Lock()
	defer m.grow.Unlock()
	old := m.Size()
	if delta > m.max-old {
		return -1, false
	}
	if delta > 0 {
		if err := m.region.Commit((old + delta) * PageSize); err != nil {
			return -1, false
		}
	}
	return int64(old), true
}

// Bytes is the memory's current contents. The interpreter indexes it
// directly; re-read it after a grow. It is nil after Close.
func (m *Linear) Bytes() []byte { return m.region.Bytes() }

// Base is the address of byte 0, for AOT code and the exec env record.
func (m *Linear) Base() uintptr { return m.region.Base() }

// Close frees the memory. Slices from Bytes become invalid.
func (m *Linear) Close() error { return m.region.Close() }

// Read copies len(dst) bytes starting at addr, reporting false (and copying
// nothing) if any of them is out of bounds.
func (m *Linear) Read(addr uint64, dst []byte) bool {
	b, ok := Span(m.Bytes(), addr, uint64(len(dst)))
	if ok {
		copy(dst, b)
	}
	return ok
}

// Write copies src to addr, reporting false (and writing nothing) if any
// byte is out of bounds.
func (m *Linear) Write(addr uint64, src []byte) bool {
	b, ok := Span(m.Bytes(), addr, uint64(len(src)))
	if ok {
		copy(b, src)
	}
	return ok
}
