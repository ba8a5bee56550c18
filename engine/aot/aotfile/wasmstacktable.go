package aotfile

import (
	"fmt"
	"sort"
)

// WasmStackMapTable is a decoded wasmstackmaps section held as compactly as
// the file holds it. A deep operand stack (a microhs main's) puts the same
// long run of reference slots in thousands of consecutive maps; expanded,
// Unicode's 252 KB of maps take 17 MB. Here every map is a path in one
// prefix tree: a map is the node of its last slot, each node names the
// slot before it, and a map that starts with the previous map's slots
// shares those nodes. So the table grows with the slots the file writes
// out, not with the slots the maps list.
type WasmStackMapTable struct {
	first   []uint32 // per function, its first map's index; one more entry at the end
	offsets []uint32 // per map, the Wasm offset of its safepoint
	tips    []int32  // per map, the node of its last slot, or -1 for none
	slots   []uint32 // per node, the slot
	parents []int32  // per node, the node of the slot before it, or -1
}

// Functions is the number of defined functions the table covers.
func (t *WasmStackMapTable) Functions() int { return len(t.first) - 1 }

// Maps is the number of safepoints function fn has maps for.
func (t *WasmStackMapTable) Maps(fn int) int {
	if fn < 0 || fn >= t.Functions() {
		return 0
	}
	return int(t.first[fn+1] - t.first[fn])
}

// AppendSlots appends to dst, in increasing order, the slots that hold
// references in function fn's frame at the safepoint at Wasm offset
// offset; ok is false when fn has no map at that offset.
func (t *WasmStackMapTable) AppendSlots(dst []uint32, fn int, offset uint32) (out []uint32, ok bool) {
	if fn < 0 || fn >= t.Functions() {
		return dst, false
	}
	lo, hi := int(t.first[fn]), int(t.first[fn+1])
	i := lo + sort.Search(hi-lo, func(k int) bool { return t.offsets[lo+k] >= offset })
	if i == hi || t.offsets[i] != offset {
		return dst, false
	}
	return t.appendMap(dst, i), true
}

// appendMap appends map i's slots to dst: its path from the tip back to
// the root, then reversed into increasing order.
func (t *WasmStackMapTable) appendMap(dst []uint32, i int) []uint32 {
	start := len(dst)
	for n := t.tips[i]; n >= 0; n = t.parents[n] {
		dst = append(dst, t.slots[n])
	}
	for a, b := start, len(dst)-1; a < b; a, b = a+1, b-1 {
		dst[a], dst[b] = dst[b], dst[a]
	}
	return dst
}

// depth is the number of slots map i lists.
func (t *WasmStackMapTable) depth(i int) int {
	d := 0
	for n := t.tips[i]; n >= 0; n = t.parents[n] {
		d++
	}
	return d
}

// Nodes is the number of slots the table stores, shared ones once: what
// it costs in memory, at 8 bytes a node and 8 a map.
func (t *WasmStackMapTable) Nodes() int { return len(t.slots) }

// ReadWasmStackMapTable reads the section payload b for the functions fns
// (whose FrameSlots bound the slot numbers), checking what
// DecodeWasmStackMaps documents. A version 1 payload, which writes every
// map in full, is shared the same way: a map's prefix is what it has in
// common with the previous map, however the file wrote it.
func ReadWasmStackMapTable(b []byte, fns []Function) (*WasmStackMapTable, error) {
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
	t := &WasmStackMapTable{first: make([]uint32, 1, n+1)}
	var path []uint32 // the previous map's slots
	var nodes []int32 // their nodes
	var fresh []uint32
	for i := 0; i < n && c.err == nil; i++ {
		k := c.count(8, "stack map")
		path, nodes = path[:0], nodes[:0]
		for j := 0; j < k && c.err == nil; j++ {
			at := c.pos
			offset := c.u32("wasm offset")
			keep := 0
			if v >= 2 {
				keepAt := c.pos
				if keep = int(c.u32("shared prefix")); c.err == nil && keep > len(path) {
					c.failAt(keepAt, "function %d stack map %d: shares %d slots of a previous map of %d", i, j, keep, len(path))
					keep = 0
				}
			}
			ns := c.count(4, "slot")
			if j > 0 && offset <= t.offsets[len(t.offsets)-1] {
				c.failAt(at, "function %d stack map %d: offset 0x%x does not follow 0x%x", i, j, offset, t.offsets[len(t.offsets)-1])
			}
			last := int64(-1)
			if keep > 0 {
				last = int64(path[keep-1])
			}
			fresh = fresh[:0]
			for s := 0; s < ns && c.err == nil; s++ {
				slot := c.u32("slot")
				switch {
				case slot >= fns[i].FrameSlots:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d outside the frame's %d", i, j, slot, fns[i].FrameSlots)
				case int64(slot) <= last:
					c.failAt(c.pos-4, "function %d stack map %d: slot %d does not follow %d", i, j, slot, last)
				}
				fresh = append(fresh, slot)
				last = int64(slot)
			}
			// Slots written out that repeat the previous map's (a version
			// 1 file, or a writer that shared less) share its nodes too.
			for len(fresh) > 0 && keep < len(path) && path[keep] == fresh[0] {
				keep++
				fresh = fresh[1:]
			}
			path, nodes = path[:keep], nodes[:keep]
			for _, slot := range fresh {
				parent := int32(-1)
				if len(nodes) > 0 {
					parent = nodes[len(nodes)-1]
				}
				nodes = append(nodes, int32(len(t.slots)))
				t.slots = append(t.slots, slot)
				t.parents = append(t.parents, parent)
				path = append(path, slot)
			}
			tip := int32(-1)
			if len(nodes) > 0 {
				tip = nodes[len(nodes)-1]
			}
			t.offsets = append(t.offsets, offset)
			t.tips = append(t.tips, tip)
		}
		t.first = append(t.first, uint32(len(t.offsets)))
	}
	c.end()
	if err := c.errOrNil(); err != nil {
		return nil, err
	}
	return t, nil
}
