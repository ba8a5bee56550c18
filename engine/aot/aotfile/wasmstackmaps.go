package aotfile

import "fmt"

// SectionWasmStackMaps is the optional section holding, per defined
// function, the stack map of every safepoint keyed by the Wasm offset the
// frame header commits (docs/aot-format.md "wasmstackmaps"). The functions
// section's own stack maps are keyed by native return addresses, which the
// LLVM code generator does not report; the collector asks by Wasm offset,
// exactly as it asks the interpreter.
const SectionWasmStackMaps = FirstOptionalID + 2

// WasmStackMapsVersion is the version word the section starts with.
const WasmStackMapsVersion = 1

// WasmStackMap lists the frame slots (relative to the frame's slot 0, in
// increasing order) that hold references when the function is at the
// safepoint at Wasm offset Offset.
type WasmStackMap struct {
	Offset uint32
	Slots  []uint32
}

// EncodeWasmStackMaps lays out the section payload: maps[i] are defined
// function i's maps, sorted by offset.
func EncodeWasmStackMaps(maps [][]WasmStackMap) []byte {
	w := le(nil).u32(WasmStackMapsVersion).u32(uint32(len(maps)))
	for _, fm := range maps {
		w = w.u32(uint32(len(fm)))
		for _, m := range fm {
			w = w.u32(m.Offset).u32(uint32(len(m.Slots)))
			for _, s := range m.Slots {
				w = w.u32(s)
			}
		}
	}
	return w
}

// DecodeWasmStackMaps reads the section payload b for the functions fns
// (whose FrameSlots bound the slot numbers): one list per function, offsets
// strictly increasing, slots strictly increasing and inside the frame.
func DecodeWasmStackMaps(b []byte, fns []Function) ([][]WasmStackMap, error) {
	name := "wasmstackmaps"
	c := newCursor(b, 0, name)
	if v := c.u32("version"); c.err == nil && v != WasmStackMapsVersion {
		return nil, fmt.Errorf("aot: %s section version %d, this reader knows %d", name, v, WasmStackMapsVersion)
	}
	n := c.count(4, "function")
	if c.err == nil && n != len(fns) {
		return nil, fmt.Errorf("aot: %s section lists %d functions, the file has %d", name, n, len(fns))
	}
	out := make([][]WasmStackMap, 0, n)
	for i := 0; i < n && c.err == nil; i++ {
		k := c.count(8, "stack map")
		fm := make([]WasmStackMap, 0, k)
		for j := 0; j < k && c.err == nil; j++ {
			at := c.pos
			m := WasmStackMap{Offset: c.u32("wasm offset")}
			ns := c.count(4, "slot")
			if j > 0 && m.Offset <= fm[j-1].Offset {
				c.failAt(at, "function %d stack map %d: offset 0x%x does not follow 0x%x", i, j, m.Offset, fm[j-1].Offset)
			}
			m.Slots = make([]uint32, 0, ns)
			for s := 0; s < ns && c.err == nil; s++ {
				v := c.u32("slot")
				switch {
				case v >= fns[i].FrameSlots:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d outside the frame's %d", i, j, v, fns[i].FrameSlots)
				case s > 0 && v <= m.Slots[s-1]:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d does not follow %d", i, j, v, m.Slots[s-1])
				}
				m.Slots = append(m.Slots, v)
			}
			fm = append(fm, m)
		}
		out = append(out, fm)
	}
	c.end()
	if err := c.errOrNil(); err != nil {
		return nil, err
	}
	return out, nil
}
