package aotfile

import "fmt"

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
// (whose FrameSlots bound the slot numbers): one list per function, offsets
// strictly increasing, slots strictly increasing and inside the frame, a
// shared prefix no longer than the previous map.
func DecodeWasmStackMaps(b []byte, fns []Function) ([][]WasmStackMap, error) {
	name := "wasmstackmaps"
	c := newCursor(b, 0, name)
	v := c.u32("version")
	if c.err == nil && v != WasmStackMapsVersion && v != 1 {
		return nil, fmt.Errorf("aot: %s section version %d, this reader knows 1 and %d", name, v, WasmStackMapsVersion)
	}
	n := c.count(4, "function")
	if c.err == nil && n != len(fns) {
		return nil, fmt.Errorf("aot: %s section lists %d functions, the file has %d", name, n, len(fns))
	}
	out := make([][]WasmStackMap, 0, n)
	for i := 0; i < n && c.err == nil; i++ {
		k := c.count(8, "stack map")
		fm := make([]WasmStackMap, 0, k)
		var prev []uint32
		for j := 0; j < k && c.err == nil; j++ {
			at := c.pos
			m := WasmStackMap{Offset: c.u32("wasm offset")}
			keep := 0
			if v >= 2 {
				keepAt := c.pos
				if keep = int(c.u32("shared prefix")); c.err == nil && keep > len(prev) {
					c.failAt(keepAt, "function %d stack map %d: shares %d slots of a previous map of %d", i, j, keep, len(prev))
					keep = 0
				}
			}
			ns := c.count(4, "slot")
			if j > 0 && m.Offset <= fm[j-1].Offset {
				c.failAt(at, "function %d stack map %d: offset 0x%x does not follow 0x%x", i, j, m.Offset, fm[j-1].Offset)
			}
			m.Slots = make([]uint32, keep, keep+ns)
			copy(m.Slots, prev)
			for s := 0; s < ns && c.err == nil; s++ {
				v := c.u32("slot")
				switch {
				case v >= fns[i].FrameSlots:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d outside the frame's %d", i, j, v, fns[i].FrameSlots)
				case len(m.Slots) > 0 && v <= m.Slots[len(m.Slots)-1]:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d does not follow %d", i, j, v, m.Slots[len(m.Slots)-1])
				}
				m.Slots = append(m.Slots, v)
			}
			fm = append(fm, m)
			prev = m.Slots
		}
		out = append(out, fm)
	}
	c.end()
	if err := c.errOrNil(); err != nil {
		return nil, err
	}
	return out, nil
}
