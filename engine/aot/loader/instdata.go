package loader

import (
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// setupData builds what native code reads of the instance outside the
// record: the globals table (a pointer to each global's 64-bit value),
// followed by the instance data words (compile.InstTypes...): the
// canonical type id table (and after it the header words inline
// allocation stores), the heap's start bitmap, whether inline
// allocation is allowed, the first function's number and (debug builds)
// the break table, then the memory descriptors
// (compile.MemDescWord) and the tables' descriptor addresses
// (tables.go), then the defined functions' entry addresses. It also registers the heap layout of every
// struct and array type, since inline allocation bypasses the runtime's
// allocation functions, which register a type on first use.
func (st *instState) setupData() error {
	inst := st.inst
	n := len(inst.Globals)
	r, err := mem.Alloc(uint64(n+compile.InstDataWords+memWords(inst)+tableWords(inst)+len(st.mod.Entries)) * 8)
	if err != nil {
		return err
	}
	st.globals = r
	w := r.Words()
	for i, g := range inst.Globals {
		// The code reads and writes the runtime's own Global, so
		// imports, exports and the host see one value; pinning makes
		// keeping its address outside the Go heap legal.
		st.pin.Pin(g)
		w[i] = uint64(addrOf(&g.Bits))
	}
	if len(inst.Types) > 0 {
		// The canonical ids, then the header words (compile.HeaderTableOffset).
		hdrs := compile.HeaderTableOffset(len(inst.Types))
		tr, err := mem.Alloc(uint64(hdrs + 8*len(inst.Types)))
		if err != nil {
			return err
		}
		st.types = tr
		ids := tr.Bytes()
		for i, id := range inst.Types {
			le32(ids[4*i:], uint32(id))
			d := inst.Store.Types.Def(id)
			if d != nil && (d.Comp.Kind == wasm.CompStruct || d.Comp.Kind == wasm.CompArray) {
				if err := inst.Store.Heap.DefineType(d); err != nil {
					return err
				}
				k := gc.KindStruct
				if d.Comp.Kind == wasm.CompArray {
					k = gc.KindArray
				}
				le32(ids[hdrs+8*i:], uint32(id))
				le32(ids[hdrs+8*i+gc.GCBitsOffset:], uint32(k))
			}
		}
		w[n+compile.InstTypes] = uint64(tr.Base())
	}
	h := inst.Store.Heap.GC
	w[n+compile.InstStartBits] = uint64(h.StartBitmap())
	if h.InlineAllocation() {
		w[n+compile.InstInlineAlloc] = 1
	}
	w[n+compile.InstFuncBase] = funcBase(inst)
	w[n+compile.InstFuncRefBase] = funcRefBase(inst) // funcrefbase.go
	if st.dbg != nil {
		w[n+compile.InstBreakTable] = uint64(st.dbg.brk.Base())
	}
	st.setMemoryWords(w[compile.MemDescWord(n, 0, 0):])
	tw := compile.MemDescWord(n, 0, 0) + memWords(inst)
	st.setTableWords(w[tw:])
	w[n+compile.InstTables] = uint64(r.Base()) + uint64(tw)*8
	ew := tw + tableWords(inst)
	for i, e := range st.mod.Entries {
		w[ew+i] = uint64(e)
	}
	w[n+compile.InstEntries] = uint64(r.Base()) + uint64(ew)*8
	return nil
}

// funcBase is the store number of inst's first defined function if its
// defined functions are numbered consecutively (as instantiation does),
// else all ones, which no call_ref matches.
func funcBase(inst *runtime.Instance) uint64 {
	nImp := int(inst.Module.NumImported(wasm.ExternFunc))
	h := inst.Store.Heap.GC
	base := ^uint64(0)
	for i := nImp; i < len(inst.Funcs); i++ {
		id, ok := h.FuncID(gc.Ref(inst.Funcs[i].Ref().Bits))
		if !ok {
			return ^uint64(0)
		}
		if i == nImp {
			base = uint64(id)
		} else if uint64(id) != base+uint64(i-nImp) {
			return ^uint64(0)
		}
	}
	return base
}

func le32(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }

// release frees the instance's native data.
func (st *instState) release() {
	st.pin.Unpin()
	if st.globals != nil {
		st.globals.Close()
	}
	if st.types != nil {
		st.types.Close()
	}
	if st.dbg != nil {
		st.dbg.brk.Close()
	}
}
