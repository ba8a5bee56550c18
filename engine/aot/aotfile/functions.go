package aotfile

import (
	"fmt"
	"sort"
)

// Function is one defined function's entry in the functions section: where
// its code is and how its frame looks at each safepoint.
type Function struct {
	TypeIndex uint32
	// CodeOffset and CodeSize locate the function's machine code in the
	// text section.
	CodeOffset, CodeSize uint32
	// FrameSlots is the size of the function's frame in 8-byte slots:
	// parameters, declared locals, hidden locals, then the operand stack,
	// as in the interpreter (docs/frame-layout.md).
	FrameSlots uint32
	// Locals counts the parameters and declared locals (the first slots).
	Locals uint32
	// StackMaps are sorted by NativeOffset, one per safepoint.
	StackMaps []StackMap
}

// StackMap says which frame slots hold references when the function is
// stopped at one safepoint (a call, an allocation, a throw).
type StackMap struct {
	// NativeOffset is the return address of the safepoint's call,
	// relative to the start of the function's code.
	NativeOffset uint32
	// WasmOffset is the byte offset of the Wasm instruction in the source
	// module (as wasm.Instr.Offset).
	WasmOffset uint32
	// Refs is a bitmap of FrameSlots bits, least significant bit first:
	// bit i of byte i/8 is set when slot i holds a reference.
	Refs []byte
}

// IsRef reports whether slot holds a reference at this safepoint.
func (s *StackMap) IsRef(slot uint32) bool {
	i := slot / 8
	return uint64(i) < uint64(len(s.Refs)) && s.Refs[i]&(1<<(slot%8)) != 0
}

// RefSlots lists the slots that hold references, in increasing order.
func (s *StackMap) RefSlots() []uint32 {
	var out []uint32
	for i, by := range s.Refs {
		for bit := 0; bit < 8; bit++ {
			if by&(1<<bit) != 0 {
				out = append(out, uint32(i*8+bit))
			}
		}
	}
	return out
}

// StackMapAt returns the stack map of the safepoint whose return address is
// nativeOffset (relative to the function's start), or nil.
func (f *Function) StackMapAt(nativeOffset uint32) *StackMap {
	i := sort.Search(len(f.StackMaps), func(i int) bool { return f.StackMaps[i].NativeOffset >= nativeOffset })
	if i < len(f.StackMaps) && f.StackMaps[i].NativeOffset == nativeOffset {
		return &f.StackMaps[i]
	}
	return nil
}

// StackMapAtWasm returns the first stack map of the safepoint at Wasm offset
// wasmOffset, or nil. The collector uses it: a frame commits the Wasm offset
// of its current instruction (DESIGN.md section 3), not a return address. It
// scans the maps; a loader that asks often builds its own index.
func (f *Function) StackMapAtWasm(wasmOffset uint32) *StackMap {
	for i := range f.StackMaps {
		if f.StackMaps[i].WasmOffset == wasmOffset {
			return &f.StackMaps[i]
		}
	}
	return nil
}

// bitmapLen is the size of a stack map bitmap for a frame of slots slots.
func bitmapLen(slots uint32) uint64 { return (uint64(slots) + 7) / 8 }

// MaxFrameSlots bounds a function's frame: 8 MiB of slots, far above what
// the binary decoder's 50000-local limit plus an operand stack can need, so
// that a hostile file cannot make the runtime reserve a huge frame.
const MaxFrameSlots = 1 << 20

const (
	funcRecordSize = 32
	stackMapHead   = 8 // native offset, wasm offset; the bitmap follows
)

// DecodeFunctions decodes a functions section payload lying at absolute
// offset off. On error it returns the functions decoded before the problem.
// Code ranges are checked against the text section by Read, which knows it.
func DecodeFunctions(b []byte, off int64) ([]Function, error) {
	c := newCursor(b, off, SectionFunctions.String())
	n := c.count(funcRecordSize, "function")
	fns := make([]Function, 0, n)
	end := c.pos + n*funcRecordSize // the records; stack maps follow
	used := end                     // the furthest byte any stack map uses
	for i := 0; i < n && c.err == nil; i++ {
		at := c.pos
		var f Function
		f.TypeIndex = c.u32("type index")
		f.CodeOffset = c.u32("code offset")
		f.CodeSize = c.u32("code size")
		f.FrameSlots = c.u32("frame slots")
		f.Locals = c.u32("locals")
		maps := c.u32("stack map count")
		mapsAt := c.u32("stack map offset")
		if r := c.u32("reserved"); r != 0 && c.err == nil {
			c.failAt(at+28, "function %d: reserved field is 0x%x, must be 0", i, r)
		}
		if c.err != nil {
			break
		}
		if f.FrameSlots > MaxFrameSlots {
			c.failAt(at+12, "function %d: frame of %d slots, at most %d", i, f.FrameSlots, MaxFrameSlots)
			break
		}
		if f.Locals > f.FrameSlots {
			c.failAt(at+16, "function %d: %d locals do not fit in a frame of %d slots", i, f.Locals, f.FrameSlots)
			break
		}
		if uint64(f.CodeOffset)+uint64(f.CodeSize) > 0xFFFF_FFFF {
			c.failAt(at+8, "function %d: code 0x%x+0x%x overflows 32 bits", i, f.CodeOffset, f.CodeSize)
			break
		}
		entry := stackMapHead + bitmapLen(f.FrameSlots)
		switch {
		case maps == 0 && mapsAt != 0:
			c.failAt(at+24, "function %d: stack map offset 0x%x with no stack maps, must be 0", i, mapsAt)
		case maps == 0:
		case uint64(mapsAt) < uint64(end) || uint64(mapsAt) > uint64(len(b)):
			c.failAt(at+24, "function %d: stack map offset 0x%x is outside the stack map area 0x%x..0x%x", i, mapsAt, end, len(b))
		case uint64(maps)*entry > uint64(len(b))-uint64(mapsAt):
			c.failAt(at+20, "function %d: %d stack maps of %d bytes at 0x%x run past the section's %d bytes", i, maps, entry, mapsAt, len(b))
		default:
			f.StackMaps = decodeStackMaps(c, i, &f, int(mapsAt), int(maps), int(entry))
			used = max(used, int(mapsAt)+int(maps)*int(entry))
		}
		fns = append(fns, f)
	}
	if c.err == nil && used != len(b) {
		c.failAt(used, "%d bytes at the end of the section belong to no stack map", len(b)-used)
	}
	return fns, c.errOrNil()
}

// decodeStackMaps reads the stack maps of function i (whose bounds the caller
// checked) without moving the cursor.
func decodeStackMaps(c *cursor, i int, f *Function, at, n, entry int) []StackMap {
	out := make([]StackMap, n)
	bits := int(bitmapLen(f.FrameSlots))
	for k := range out {
		p := at + k*entry
		sub := newCursor(c.b[p:p+entry], c.abs(p), c.section)
		m := &out[k]
		m.NativeOffset = sub.u32("native offset")
		m.WasmOffset = sub.u32("wasm offset")
		m.Refs = sub.bytes(uint64(bits), "bitmap")
		switch {
		case m.NativeOffset > f.CodeSize:
			c.failAt(p, "function %d stack map %d: return address 0x%x is past the function's %d bytes of code", i, k, m.NativeOffset, f.CodeSize)
		case k > 0 && m.NativeOffset <= out[k-1].NativeOffset:
			c.failAt(p, "function %d stack map %d: return address 0x%x does not follow 0x%x (must increase)", i, k, m.NativeOffset, out[k-1].NativeOffset)
		case f.FrameSlots%8 != 0 && bits > 0 && m.Refs[bits-1]>>(f.FrameSlots%8) != 0:
			c.failAt(p+entry-1, "function %d stack map %d: bitmap marks slots beyond the frame's %d", i, k, f.FrameSlots)
		}
		if c.err != nil {
			return out[:k]
		}
	}
	return out
}

// encodeFunctions lays out the records, then every function's stack maps.
func encodeFunctions(fns []Function) ([]byte, error) {
	w := le(nil).u32(uint32(len(fns)))
	mapsAt := uint64(4 + len(fns)*funcRecordSize)
	for i := range fns {
		f := &fns[i]
		entry := stackMapHead + bitmapLen(f.FrameSlots)
		at := uint32(0)
		if len(f.StackMaps) > 0 {
			at = uint32(mapsAt)
		}
		w = w.u32(f.TypeIndex).u32(f.CodeOffset).u32(f.CodeSize).u32(f.FrameSlots).u32(f.Locals)
		w = w.u32(uint32(len(f.StackMaps))).u32(at).u32(0)
		mapsAt += uint64(len(f.StackMaps)) * entry
		if mapsAt > 0xFFFF_FFFF {
			return nil, fmt.Errorf("aot: functions section exceeds 4 GiB")
		}
	}
	for i := range fns {
		f := &fns[i]
		bits := bitmapLen(f.FrameSlots)
		for k := range f.StackMaps {
			m := &f.StackMaps[k]
			if uint64(len(m.Refs)) != bits {
				return nil, fmt.Errorf("aot: function %d stack map %d: bitmap of %d bytes, a frame of %d slots needs %d", i, k, len(m.Refs), f.FrameSlots, bits)
			}
			w = w.u32(m.NativeOffset).u32(m.WasmOffset)
			w = append(w, m.Refs...)
		}
	}
	return w, nil
}
