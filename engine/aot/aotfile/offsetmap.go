package aotfile

import "sort"

// OffsetMap maps one function's native code to the Wasm instructions it was
// compiled from, for backtraces, breakpoints and the debugger's disassembly.
type OffsetMap struct {
	Func  uint32 // defined function index
	Pairs []OffsetPair
}

// OffsetPair says that the code from Native (relative to the function's
// start) up to the next pair's Native was compiled from the Wasm
// instruction at Wasm (a byte offset in the source module). Wasm 0 (never
// an instruction's offset: the module header is there) marks code that
// belongs to no single instruction: prologues, and code the optimizer
// merged from several instructions.
type OffsetPair struct {
	Native, Wasm uint32
}

// WasmOffset returns the Wasm offset of the instruction whose code holds
// native offset pc, or false if pc lies before the first pair or in code
// of no single instruction.
func (m *OffsetMap) WasmOffset(pc uint32) (uint32, bool) {
	i := sort.Search(len(m.Pairs), func(i int) bool { return m.Pairs[i].Native > pc })
	if i == 0 || m.Pairs[i-1].Wasm == 0 {
		return 0, false
	}
	return m.Pairs[i-1].Wasm, true
}

// NativeOffsets returns every native offset where code for the Wasm
// instruction at wasm starts (an instruction may be split by scheduling).
func (m *OffsetMap) NativeOffsets(wasm uint32) []uint32 {
	var out []uint32
	for _, p := range m.Pairs {
		if p.Wasm == wasm {
			out = append(out, p.Native)
		}
	}
	return out
}

// DecodeOffsetMaps decodes an offset map section payload lying at absolute
// offset off. Functions must increase; within a function native offsets must
// not decrease. Native offsets are checked against code sizes by Read.
func DecodeOffsetMaps(b []byte, off int64) ([]OffsetMap, error) {
	c := newCursor(b, off, SectionOffsetMap.String())
	n := c.count(8, "function map")
	out := make([]OffsetMap, 0, n)
	for i := 0; i < n && c.err == nil; i++ {
		at := c.pos
		var m OffsetMap
		m.Func = c.u32("function index")
		k := c.count(8, "offset pair")
		if c.err != nil {
			break
		}
		if i > 0 && m.Func <= out[i-1].Func {
			c.failAt(at, "map %d: function %d does not follow function %d (must increase)", i, m.Func, out[i-1].Func)
			break
		}
		m.Pairs = make([]OffsetPair, k)
		for j := range m.Pairs {
			p := c.pos
			m.Pairs[j] = OffsetPair{Native: c.u32("native offset"), Wasm: c.u32("wasm offset")}
			if j > 0 && m.Pairs[j].Native < m.Pairs[j-1].Native && c.err == nil {
				c.failAt(p, "map %d (function %d) pair %d: native offset 0x%x is below the previous 0x%x", i, m.Func, j, m.Pairs[j].Native, m.Pairs[j-1].Native)
			}
			if c.err != nil {
				m.Pairs = m.Pairs[:j]
				break
			}
		}
		out = append(out, m)
	}
	c.end()
	return out, c.errOrNil()
}

func encodeOffsetMaps(ms []OffsetMap) []byte {
	w := le(nil).u32(uint32(len(ms)))
	for _, m := range ms {
		w = w.u32(m.Func).u32(uint32(len(m.Pairs)))
		for _, p := range m.Pairs {
			w = w.u32(p.Native).u32(p.Wasm)
		}
	}
	return w
}
