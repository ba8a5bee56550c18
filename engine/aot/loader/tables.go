package loader

import (
	"unsafe"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Table descriptors (compile.InstTables). call_indirect reads the table's
// element natively, so the code needs its elements' address and count,
// current after any table.grow by any instance or the host. The runtime
// keeps both in the Table's Elems slice header (a Go slice is laid out
// as data address, length, capacity: the compiled code reads the first
// two words), so the descriptor is that header itself: growing the table
// replaces the slice and the code sees the new one at its next call with
// no bookkeeping. Pinning the Table makes keeping its address outside the
// Go heap legal; the element array may move to a new one on a grow, which
// the code never holds across a helper call (the only place a grow
// happens on its thread).

// tableWords is the number of instance table words the descriptors'
// addresses take: one per table.
func tableWords(inst *runtime.Instance) int { return len(inst.Tables) }

// setTableWords stores the address of each table's descriptor in w.
func (st *instState) setTableWords(w []uint64) {
	for k, t := range st.inst.Tables {
		st.pin.Pin(t)
		w[k] = uint64(tableDescAddr(t))
	}
}

// tableDescAddr is the address of t's descriptor: its slice header.
func tableDescAddr(t *runtime.Table) uintptr { return uintptr(unsafe.Pointer(&t.Elems)) }
