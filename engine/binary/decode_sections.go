package binary

import "github.com/gcscope/gcscope/engine/wasm"

// typeSection reads rec groups; a type outside `rec` is a group of one.
func (d *decoder) typeSection() {
	r, m := d.r, d.m
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		first := uint32(len(m.Types))
		if c, _ := r.peek(); c == codeRec {
			r.pos++
			k := r.count()
			for j := 0; j < k && r.err == nil; j++ {
				m.Types = append(m.Types, r.subType())
			}
		} else {
			m.Types = append(m.Types, r.subType())
		}
		m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: first, Count: uint32(len(m.Types)) - first})
	}
}

func (d *decoder) importSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Imports = make([]wasm.Import, 0, r.capFor(n, 3))
	}
	for i := 0; i < n && r.err == nil; i++ {
		var im wasm.Import
		im.Module = r.name()
		im.Name = r.name()
		at := r.pos
		im.Kind = wasm.ExternKind(r.byte())
		switch im.Kind {
		case wasm.ExternFunc:
			im.TypeIndex = r.u32()
		case wasm.ExternTable:
			im.Table = r.tableType()
		case wasm.ExternMemory:
			im.Memory = r.memoryType()
		case wasm.ExternGlobal:
			im.Global = r.globalType()
		case wasm.ExternTag:
			im.TypeIndex = r.tagType().TypeIndex
		default:
			r.failAt(at, "malformed import kind: 0x%02x", byte(im.Kind))
		}
		m.Imports = append(m.Imports, im)
	}
}

func (d *decoder) functionSection() {
	r := d.r
	n := r.count()
	if n > 0 {
		d.funcTypes = make([]uint32, 0, r.capFor(n, 1))
	}
	for i := 0; i < n && r.err == nil; i++ {
		d.funcTypes = append(d.funcTypes, r.u32())
	}
}

// tableSection reads tables; one starting 0x40 0x00 carries an initializer
// expression after its type.
func (d *decoder) tableSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Tables = make([]wasm.Table, 0, r.capFor(n, 3))
	}
	for i := 0; i < n && r.err == nil; i++ {
		var t wasm.Table
		if c, _ := r.peek(); c == codeEmpty {
			r.pos++
			r.expectZero()
			t.Type = r.tableType()
			t.Init = r.expr()
		} else {
			t.Type = r.tableType()
		}
		m.Tables = append(m.Tables, t)
	}
}

func (d *decoder) memorySection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Memories = make([]wasm.Memory, 0, r.capFor(n, 2))
	}
	for i := 0; i < n && r.err == nil; i++ {
		m.Memories = append(m.Memories, wasm.Memory{Type: r.memoryType()})
	}
}

func (d *decoder) tagSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Tags = make([]wasm.Tag, 0, r.capFor(n, 2))
	}
	for i := 0; i < n && r.err == nil; i++ {
		m.Tags = append(m.Tags, wasm.Tag{Type: r.tagType()})
	}
}

func (d *decoder) globalSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Globals = make([]wasm.Global, 0, r.capFor(n, 3))
	}
	for i := 0; i < n && r.err == nil; i++ {
		var g wasm.Global
		g.Type = r.globalType()
		g.Init = r.expr()
		m.Globals = append(m.Globals, g)
	}
}

func (d *decoder) exportSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Exports = make([]wasm.Export, 0, r.capFor(n, 3))
	}
	for i := 0; i < n && r.err == nil; i++ {
		var e wasm.Export
		e.Name = r.name()
		at := r.pos
		e.Kind = wasm.ExternKind(r.byte())
		if e.Kind > wasm.ExternTag && r.err == nil {
			r.failAt(at, "malformed export kind: 0x%02x", byte(e.Kind))
		}
		e.Index = r.u32()
		m.Exports = append(m.Exports, e)
	}
}

// Element segment flags: bit 0 passive or declarative, bit 1 an explicit
// table index (active) or declarative (with bit 0), bit 2 items are
// expressions rather than function indices.
const (
	elemPassiveOrDecl = 1
	elemTableOrDecl   = 2
	elemExprs         = 4
)

// Element types the flags imply when the segment does not write one: the
// function-index forms hold non-null function references, and the
// expression form without a type (flags 4) holds funcref.
var (
	elemFuncIndexType = wasm.RefType(false, wasm.HeapFunc)
	elemExprType      = wasm.FuncRef
)

func (d *decoder) elemSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Elems = make([]wasm.ElemSegment, 0, r.capFor(n, 2))
	}
	for i := 0; i < n && r.err == nil; i++ {
		m.Elems = append(m.Elems, d.elemSegment())
	}
}

func (d *decoder) elemSegment() wasm.ElemSegment {
	r := d.r
	var e wasm.ElemSegment
	at := r.pos
	flags := r.u32()
	if r.err != nil {
		return e
	}
	if flags > 7 {
		r.failAt(at, "malformed elements segment kind: %d", flags)
		return e
	}
	switch {
	case flags&elemPassiveOrDecl == 0:
		e.Mode = wasm.SegmentActive
		if flags&elemTableOrDecl != 0 {
			e.Table = r.u32()
		}
		e.Offset = r.expr()
	case flags&elemTableOrDecl != 0:
		e.Mode = wasm.SegmentDeclarative
	default:
		e.Mode = wasm.SegmentPassive
	}
	// Flags 0 and 4 (active, table 0) imply the type; the others write it.
	explicit := flags&(elemPassiveOrDecl|elemTableOrDecl) != 0
	if flags&elemExprs == 0 {
		e.Type = elemFuncIndexType
		if explicit {
			kat := r.pos
			if k := r.byte(); k != 0 && r.err == nil {
				r.failAt(kat, "malformed element kind: 0x%02x", k)
			}
		}
		cnt := r.count()
		if cnt > 0 {
			e.Init = make([]wasm.Expr, 0, r.capFor(cnt, 1))
		}
		for j := 0; j < cnt && r.err == nil; j++ {
			off := uint32(r.pos)
			fi := r.u32()
			item := [2]wasm.Instr{{Op: wasm.OpRefFunc, Index: fi, Offset: off}, {Op: wasm.OpEnd, Offset: off}}
			e.Init = append(e.Init, r.keep(item[:]))
		}
		return e
	}
	e.Type = elemExprType
	if explicit {
		e.Type = r.refType()
	}
	cnt := r.count()
	if cnt > 0 {
		e.Init = make([]wasm.Expr, 0, r.capFor(cnt, 1))
	}
	for j := 0; j < cnt && r.err == nil; j++ {
		e.Init = append(e.Init, r.expr())
	}
	return e
}

func (d *decoder) dataSection() {
	r, m := d.r, d.m
	n := r.count()
	if n > 0 {
		m.Datas = make([]wasm.DataSegment, 0, r.capFor(n, 2))
	}
	for i := 0; i < n && r.err == nil; i++ {
		var s wasm.DataSegment
		at := r.pos
		flags := r.u32()
		switch {
		case r.err != nil:
		case flags == 0:
			s.Offset = r.expr()
		case flags == 1:
			s.Mode = wasm.SegmentPassive
		case flags == 2:
			s.Memory = r.u32()
			s.Offset = r.expr()
		default:
			r.failAt(at, "malformed data segment kind: %d", flags)
		}
		size := r.u32()
		if uint64(size) > uint64(r.remaining()) && r.err == nil {
			r.failAt(len(r.b), "unexpected end of section or function: data segment of %d bytes, %d left", size, r.remaining())
		}
		s.Init = r.bytes(int(size))
		m.Datas = append(m.Datas, s)
	}
}

// codeSection reads function bodies: each is its size, its local
// declarations and its instructions, which must end exactly at the size.
func (d *decoder) codeSection() {
	r, m := d.r, d.m
	// A count that disagrees with the function section is reported once the
	// whole module is read, as the spec interpreter does (a misplaced later
	// section is the better diagnosis when there is one).
	n := r.count()
	if n > 0 {
		m.Funcs = make([]wasm.Func, 0, r.capFor(n, 2))
	}
	imported := int64(m.NumImported(wasm.ExternFunc))
	var use codeUse
	for i := 0; i < n && r.err == nil; i++ {
		var f wasm.Func
		if i < len(d.funcTypes) {
			f.TypeIndex = d.funcTypes[i]
		}
		f.Offset = uint32(r.pos)
		size := r.u32()
		if r.err != nil {
			break
		}
		if uint64(size) > uint64(r.remaining()) {
			r.failAt(int(f.Offset), "length out of bounds: function body of %d bytes, %d left", size, r.remaining())
			break
		}
		f.BodyOffset = uint32(r.pos)
		end := r.pos + int(size)
		r.fn = imported + int64(i)
		f.Locals = d.locals()
		f.Body = r.exactInstrs(&use)
		if r.err == nil && r.pos != end {
			r.failAt(end, "section size mismatch: function body declares %d bytes, its code ends at 0x%x", size, r.pos)
		}
		r.fn = -1
		m.Funcs = append(m.Funcs, f)
	}
	d.usesData = use.dataIndex
}

// locals reads the local declarations (runs of count and type), refusing
// more than maxLocals in total before expanding them.
func (d *decoder) locals() []wasm.ValType {
	r := d.r
	at := r.pos
	n := r.count()
	if n == 0 {
		return nil
	}
	type run struct {
		n uint32
		t wasm.ValType
	}
	runs := make([]run, 0, r.capFor(n, 2))
	var total uint64
	for i := 0; i < n && r.err == nil; i++ {
		c := r.u32()
		t := r.valType()
		total += uint64(c)
		runs = append(runs, run{c, t})
	}
	if r.err != nil {
		return nil
	}
	if total > maxLocals {
		r.failAt(at, "too many locals: %d declared, at most %d", total, maxLocals)
		return nil
	}
	d.moduleLocals += total
	if d.moduleLocals > d.maxModuleLocals {
		r.failAt(at, "too many locals: over %d in the module's functions together", d.maxModuleLocals)
		return nil
	}
	if total == 0 {
		return nil
	}
	locals := make([]wasm.ValType, 0, total)
	for _, rn := range runs {
		for j := uint32(0); j < rn.n; j++ {
			locals = append(locals, rn.t)
		}
	}
	return locals
}
