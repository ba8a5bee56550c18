package binary

import (
	"sort"

	"github.com/gcscope/gcscope/engine/wasm"
)

// typeSection writes the rec groups; a group of one is written without
// `rec`, which means the same.
func (e *encoder) typeSection() {
	m, w := e.m, &e.sec
	groups := m.RecGroups
	if len(groups) == 0 {
		groups = make([]wasm.RecGroup, len(m.Types))
		for i := range groups {
			groups[i] = wasm.RecGroup{First: uint32(i), Count: 1}
		}
	}
	w.count(len(groups))
	next := uint32(0)
	for _, g := range groups {
		if g.First != next || uint64(g.First)+uint64(g.Count) > uint64(len(m.Types)) {
			w.fail("rec group %d+%d does not continue the type list at %d", g.First, g.Count, next)
			return
		}
		next = g.First + g.Count
		if g.Count != 1 {
			w.byte(codeRec)
			w.count(int(g.Count))
		}
		for i := g.First; i < next; i++ {
			w.subType(&m.Types[i])
		}
	}
	if int(next) != len(m.Types) {
		w.fail("rec groups cover %d of %d types", next, len(m.Types))
	}
}

func (e *encoder) importEntry(im *wasm.Import) {
	w := &e.sec
	w.name(im.Module)
	w.name(im.Name)
	w.byte(byte(im.Kind))
	switch im.Kind {
	case wasm.ExternFunc:
		w.u32(im.TypeIndex)
	case wasm.ExternTable:
		w.tableType(im.Table)
	case wasm.ExternMemory:
		w.memoryType(im.Memory)
	case wasm.ExternGlobal:
		w.globalType(im.Global)
	case wasm.ExternTag:
		w.tagType(wasm.TagType{TypeIndex: im.TypeIndex})
	default:
		w.fail("import kind %d has no encoding", im.Kind)
	}
}

// isRefFunc reports whether an element item is just `ref.func x`, which the
// compact function-index forms can express.
func isRefFunc(x wasm.Expr) bool {
	return len(x) == 2 && x[0].Op == wasm.OpRefFunc && x[1].Op == wasm.OpEnd
}

// elemSegment writes a segment in the most compact form that decodes back
// to the same segment: function indices when every item is a ref.func and
// the type is the one that form implies, and the implied-table forms for
// table 0.
func (e *encoder) elemSegment(s *wasm.ElemSegment) {
	w := &e.sec
	compact := s.Type == elemFuncIndexType
	for _, x := range s.Init {
		if !compact {
			break
		}
		compact = isRefFunc(x)
	}
	var flags uint32
	switch s.Mode {
	case wasm.SegmentActive:
		switch {
		case compact && s.Table == 0:
			flags = 0
		case !compact && s.Table == 0 && s.Type == elemExprType:
			flags = elemExprs
		default:
			flags = elemTableOrDecl
		}
	case wasm.SegmentPassive:
		flags = elemPassiveOrDecl
	case wasm.SegmentDeclarative:
		flags = elemPassiveOrDecl | elemTableOrDecl
	default:
		w.fail("element segment mode %d has no encoding", s.Mode)
		return
	}
	if !compact {
		flags |= elemExprs
	}
	w.u32(flags)
	if s.Mode == wasm.SegmentActive {
		if flags&elemTableOrDecl != 0 {
			w.u32(s.Table)
		}
		w.instrs(s.Offset)
	}
	explicit := flags&(elemPassiveOrDecl|elemTableOrDecl) != 0
	if compact {
		if explicit {
			w.byte(0) // element kind: function references
		}
		w.count(len(s.Init))
		for _, x := range s.Init {
			off := w.offset()
			x[0].Offset, x[1].Offset = off, off
			w.u32(x[0].Index)
		}
		return
	}
	if explicit {
		w.refType(s.Type)
	}
	w.count(len(s.Init))
	for _, x := range s.Init {
		w.instrs(x)
	}
}

// codeSection writes the bodies: locals as runs of one type, then the
// instructions. Offsets are made relative to the section contents.
func (e *encoder) codeSection() {
	m, w := e.m, &e.sec
	w.count(len(m.Funcs))
	var body writer
	for i := range m.Funcs {
		f := &m.Funcs[i]
		body.buf = body.buf[:0]
		runs := localRuns(f.Locals)
		body.count(len(runs))
		for _, rn := range runs {
			body.count(rn.n)
			body.valType(rn.t)
		}
		body.instrs(f.Body)
		if body.err != nil {
			w.fail("func %d: %v", m.NumImported(wasm.ExternFunc)+i, body.err)
			return
		}
		f.Offset = w.offset()
		w.count(len(body.buf))
		f.BodyOffset = w.offset()
		shiftExpr(f.Body, f.BodyOffset)
		w.bytes(body.buf)
	}
}

// localRun is a local declaration: n locals of type t.
type localRun struct {
	n int
	t wasm.ValType
}

// localRuns compresses locals into runs of one type.
func localRuns(locals []wasm.ValType) []localRun {
	var runs []localRun
	for _, t := range locals {
		if len(runs) > 0 && runs[len(runs)-1].t == t {
			runs[len(runs)-1].n++
		} else {
			runs = append(runs, localRun{1, t})
		}
	}
	return runs
}

// usesDataIndex reports whether any body names a data segment.
func usesDataIndex(m *wasm.Module) bool {
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			if info := wasm.Lookup(in.Op); info != nil {
				switch info.Imm {
				case wasm.ImmData, wasm.ImmDataMem, wasm.ImmTypeData:
					return true
				}
			}
		}
	}
	return false
}

// sortedKeys returns a map's indices in increasing order.
func sortedKeys[V any](m map[uint32]V) []uint32 {
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
