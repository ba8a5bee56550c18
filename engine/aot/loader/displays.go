package loader

import (
	"encoding/binary"
	"sync/atomic"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
)

// displayTable is one store's supertype display table for native casts
// (layout in compile/gc_display.go), shared by the engine's instances in
// that store. desc is one word, the current table's address: the
// instances' InstDisplays words point at it. The table grows in place up
// to its capacity (entries first, then the count, so code on another
// thread sees either the old count or complete entries) and is replaced
// by one of twice the capacity beyond; replaced tables stay mapped until
// the engine closes, since code may still be reading them.
type displayTable struct {
	desc *mem.Region
	tabs []*mem.Region // every table made, the current one last
	cap  int           // ids the current table has room for
	n    int           // ids covered
}

// displayBytes is the size of a table with room for n ids.
func displayBytes(n int) uint64 {
	return uint64(compile.DisplayHeaderWords+compile.DisplayWidth*n) * 4
}

// displays returns the address of s's display word, the table first
// brought up to every canonical type s has registered. e.mu is held.
func (e *Engine) displays(s *runtime.Store) (uint64, error) {
	if e.disp == nil {
		e.disp = map[*runtime.Store]*displayTable{}
	}
	t := e.disp[s]
	if t == nil {
		d, err := mem.Alloc(8)
		if err != nil {
			return 0, err
		}
		t = &displayTable{desc: d}
		e.disp[s] = t
	}
	if err := t.grow(s.Types.Registry); err != nil {
		return 0, err
	}
	return uint64(t.desc.Base()), nil
}

// registry is what grow reads of the store's canonical types.
type registry interface {
	Len() int
	Display(id runtime.TypeID) []runtime.TypeID
}

// grow covers every id the registry has.
func (t *displayTable) grow(r registry) error {
	n := r.Len()
	if n <= t.n {
		return nil
	}
	if n > t.cap {
		c := max(n, 2*t.cap, 64)
		reg, err := mem.Alloc(displayBytes(c))
		if err != nil {
			return err
		}
		if len(t.tabs) > 0 {
			// The covered entries and the count, as they are.
			copy(reg.Bytes(), t.tabs[len(t.tabs)-1].Bytes()[:displayBytes(t.n)])
		}
		t.tabs = append(t.tabs, reg)
		t.cap = c
		atomic.StoreUint64(&t.desc.Words()[0], uint64(reg.Base()))
	}
	b := t.tabs[len(t.tabs)-1].Bytes()
	for id := t.n; id < n; id++ {
		disp := r.Display(runtime.TypeID(id))
		for d := 0; d < compile.DisplayWidth; d++ {
			a := uint32(compile.NoAncestor)
			if d < len(disp) {
				a = uint32(disp[d])
			}
			off := (compile.DisplayHeaderWords + compile.DisplayWidth*id + d) * 4
			binary.LittleEndian.PutUint32(b[off:], a)
		}
	}
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&b[0])), uint32(n))
	t.n = n
	return nil
}

// release unmaps the tables and the display word.
func (t *displayTable) release() {
	for _, r := range t.tabs {
		r.Close()
	}
	t.desc.Close()
	t.tabs = nil
}

// setDisplays fills the instance data word InstDisplays with the address
// of the store's display word.
func (st *instState) setDisplays(w uint64) {
	st.globals.Words()[len(st.inst.Globals)+compile.InstDisplays] = w
}
