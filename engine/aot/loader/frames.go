package loader

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// readStackMaps reads the wasmstackmaps section (required: code compiled
// without it lays out frames differently) into the compact table the
// collector asks: which slots of a frame hold references at a safepoint.
func readStackMaps(f *aotfile.File, section []byte) (*aotfile.WasmStackMapTable, error) {
	if section == nil {
		return nil, fmt.Errorf("aot: the file has no wasmstackmaps section; recompile it with this version")
	}
	return aotfile.ReadWasmStackMapTable(section, f.Functions)
}

// nativeFrame is one frame of a native run, read from the slot stack.
type nativeFrame struct {
	fn     uint32 // function index space index
	offset uint32 // the committed Wasm offset
	header uint64 // slot index of the header word; the slot area follows
	slots  uint32
}

// walk reads the native frames of this activation, outermost first: each
// is a header word (function << 32 | offset) followed by that function's
// slot area, from the activation's first header up to the record's frame
// top. A header that names no native function of the instance, or a frame
// running past the top, ends the walk (it cannot happen with code this
// loader accepted).
func (a *activation) walk(visit func(nf nativeFrame) bool) {
	rec := a.env.Record
	slotsBase := rec[runtime.EnvSlotsBase]
	top := rec[runtime.EnvFrameTop]
	if top < a.frameBase || top > rec[runtime.EnvSlotsLimit] {
		return
	}
	nImp := uint32(a.st.inst.Module.NumImported(wasm.ExternFunc))
	for p := a.frameBase; p < top; {
		h := (p - slotsBase) / 8
		w := a.env.Slots[h]
		nf := nativeFrame{fn: uint32(w >> 32), offset: uint32(w), header: h}
		def := int64(nf.fn) - int64(nImp)
		if def < 0 || def >= int64(len(a.st.mod.File.Functions)) {
			return
		}
		nf.slots = a.st.mod.File.Functions[def].FrameSlots
		next := p + 8*(1+uint64(nf.slots))
		if next > top || !visit(nf) {
			return
		}
		p = next
	}
}

// frames returns the native frames of this activation, outermost first.
func (a *activation) frames() []nativeFrame {
	var out []nativeFrame
	a.walk(func(nf nativeFrame) bool {
		out = append(out, nf)
		return true
	})
	return out
}

// materialize writes a runtime.Frame for each native frame of this
// activation in place of its entry record, so the collector (through
// StackMap), backtraces, the debugger and heap snapshots read native
// frames exactly as interpreter frames: Func from the header, Base at the
// slot area, Offset the committed one. Helpers that may collect, call
// out or stop call it on entry and restore on return. It reports false
// when the frame records cannot hold the native frames (the call depth
// limit).
func (a *activation) materialize() bool {
	env := a.env
	fs := a.frames()
	if len(fs) == 0 {
		return true
	}
	if a.entryDepth+len(fs) > len(env.Frames) {
		return false
	}
	a.entry = env.Frames[a.entryDepth]
	funcs := a.st.inst.Funcs
	for k, nf := range fs {
		if int(nf.fn) >= len(funcs) {
			return false
		}
		base := uint32(nf.header + 1)
		env.Frames[a.entryDepth+k] = runtime.Frame{Func: funcs[nf.fn], Base: base, Top: base + nf.slots,
			Offset: nf.offset, Entry: k == 0}
	}
	env.Depth = a.entryDepth + len(fs)
	a.materialized = true
	return true
}

// dematerialize puts the entry record back after a helper.
func (a *activation) dematerialize() {
	if a.materialized {
		a.env.Frames[a.entryDepth] = a.entry
		a.env.Depth = a.entryDepth + 1
		a.materialized = false
	}
}

// appendStackMap appends the stack map of defined function def at offset
// to dst.
func (m *Module) appendStackMap(dst []uint32, def int, offset uint32) []uint32 {
	dst, _ = m.maps.AppendSlots(dst, def, offset)
	return dst
}
