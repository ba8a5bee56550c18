package aotfile

// SectionWasmStackMaps is the optional section holding, per defined
// function, the stack map of every safepoint keyed by the Wasm offset the
// frame header commits (docs/aot-format.md "wasmstackmaps"). The functions
// section's own stack maps are keyed by native return addresses, which the
// LLVM code generator does not report; the collector asks by Wasm offset,
// exactly as it asks the interpreter.
const SectionWasmStackMaps = FirstOptionalID + 2

// WasmStackMapsVersion is the version word the section starts with: 2
// since compiler 1.11, each map written as the length of the prefix it
// shares with the function's previous map and the slots after it. A deep
// operand stack (a microhs main's) is the same long list at every
// safepoint, which version 1 wrote out in full each time (91% of
// Unicode's .aot). Version 1 files are still read.
const WasmStackMapsVersion = 2

// WasmStackMap lists the frame slots (relative to the frame's slot 0, in
// increasing order) that hold references when the function is at the
// safepoint at Wasm offset Offset.
type WasmStackMap struct {
	Offset uint32
	Slots  []uint32
}

// EncodeWasmStackMaps lays out the section payload: maps[i] are defined
// function i's maps, sorted by offset, each written after the prefix it
// shares with the one before.
func EncodeWasmStackMaps(maps [][]WasmStackMap) []byte {
	w := le(nil).u32(WasmStackMapsVersion).u32(uint32(len(maps)))
	for _, fm := range maps {
		w = w.u32(uint32(len(fm)))
		var prev []uint32
		for _, m := range fm {
			keep := sharedPrefix(prev, m.Slots)
			w = w.u32(m.Offset).u32(uint32(keep)).u32(uint32(len(m.Slots) - keep))
			for _, s := range m.Slots[keep:] {
				w = w.u32(s)
			}
			prev = m.Slots
		}
	}
	return w
}

// sharedPrefix is the length of the longest common prefix of a and b.
func sharedPrefix(a, b []uint32) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// DecodeWasmStackMaps reads the section payload b for the functions fns
// (whose FrameSlots bound the slot numbers) and expands every map into its
// own slot list: one list per function, offsets strictly increasing, slots
// strictly increasing and inside the frame, a shared prefix no longer than
// the previous map. It is for tools that show every map (aotdump); the
// loader keeps the compact WasmStackMapTable instead.
func DecodeWasmStackMaps(b []byte, fns []Function) ([][]WasmStackMap, error) {
	t, err := ReadWasmStackMapTable(b, fns)
	if err != nil {
		return nil, err
	}
	out := make([][]WasmStackMap, t.Functions())
	for fn := range out {
		lo, hi := int(t.first[fn]), int(t.first[fn+1])
		out[fn] = make([]WasmStackMap, 0, hi-lo)
		for i := lo; i < hi; i++ {
			out[fn] = append(out[fn], WasmStackMap{Offset: t.offsets[i], Slots: t.appendMap(make([]uint32, 0, t.depth(i)), i)})
		}
	}
	return out, nil
}
