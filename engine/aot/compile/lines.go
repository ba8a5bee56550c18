package compile

import (
	"reflect"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"
)

// Line tables carry the offset map (docs/aot-format.md "offsetmap"): every
// LLVM instruction gets a debug location whose line is the byte offset of
// the Wasm instruction it was generated for, so llc's .debug_line says,
// for each range of native code, which Wasm instruction it came from,
// after every optimization (linemap.go reads it back). Line 0 marks code
// that belongs to no one instruction: prologues, entry wrappers, and code
// LLVM merged from several instructions (it gives merged code line 0).
// Debug locations do not change the generated code (checked by
// TestLineTablesDoNotChangeCode), only add non-allocated sections.

// lineGen holds the module's debug-info skeleton.
type lineGen struct {
	mod  *ir.Module
	cu   *metadata.DICompileUnit
	file *metadata.DIFile
	sty  *metadata.DISubroutineType
}

func newLineGen(mod *ir.Module) *lineGen {
	l := &lineGen{mod: mod}
	l.file = &metadata.DIFile{MetadataID: -1, Filename: "module.wasm", Directory: "."}
	l.cu = &metadata.DICompileUnit{MetadataID: -1, Distinct: true, Language: enum.DwarfLangC99,
		File: l.file, Producer: Version, IsOptimized: true, EmissionKind: enum.EmissionKindLineTablesOnly,
		NameTableKind: enum.NameTableKindNone}
	l.sty = &metadata.DISubroutineType{MetadataID: -1, Types: &metadata.Tuple{MetadataID: -1}}
	flag := func(behaviour int64, name string, v int64) *metadata.Tuple {
		return &metadata.Tuple{MetadataID: -1, Fields: []metadata.Field{
			constant.NewInt(types.I32, behaviour), &metadata.String{Value: name}, constant.NewInt(types.I32, v)}}
	}
	// Behaviour 7 is "max", 2 "warning", as clang writes them.
	dv, div := flag(7, "Dwarf Version", 4), flag(2, "Debug Info Version", 3)
	mod.MetadataDefs = append(mod.MetadataDefs, l.cu, dv, div)
	mod.NamedMetadataDefs["llvm.dbg.cu"] = &metadata.NamedDef{Name: "llvm.dbg.cu", Nodes: []metadata.Node{l.cu}}
	mod.NamedMetadataDefs["llvm.module.flags"] = &metadata.NamedDef{Name: "llvm.module.flags", Nodes: []metadata.Node{dv, div}}
	return l
}

// subprogram gives fn a DISubprogram, the scope of its locations.
func (l *lineGen) subprogram(fn *ir.Func) *metadata.DISubprogram {
	sp := &metadata.DISubprogram{MetadataID: -1, Distinct: true, Name: fn.Name(), File: l.file, Type: l.sty,
		SPFlags: enum.DISPFlagDefinition | enum.DISPFlagOptimized, Unit: l.cu, Scope: l.file}
	l.mod.MetadataDefs = append(l.mod.MetadataDefs, sp)
	fn.Metadata = append(fn.Metadata, &metadata.Attachment{Name: "dbg", Node: sp})
	return sp
}

// lineTagger attaches locations to a function's instructions as they are
// generated: tag(line) gives every instruction added since the previous
// call that line. Instructions are only ever appended to blocks, so it
// remembers how far each block is tagged and drops blocks once
// terminated and tagged.
type lineTagger struct {
	fn     *ir.Func
	mod    *ir.Module
	sp     *metadata.DISubprogram
	seen   int         // fn.Blocks[:seen] are known
	open   []*ir.Block // blocks that may still grow
	tagged map[*ir.Block]int
	locs   map[uint32]*metadata.DILocation
}

func (t *lineTagger) loc(line uint32) *metadata.DILocation {
	d := t.locs[line]
	if d == nil {
		// A numbered node, so each instruction prints "!dbg !N": the IR
		// stays about as short as without locations.
		d = &metadata.DILocation{MetadataID: -1, Line: int64(line), Scope: t.sp}
		t.locs[line] = d
		t.mod.MetadataDefs = append(t.mod.MetadataDefs, d)
	}
	return d
}

func (t *lineTagger) tag(line uint32) {
	if t == nil {
		return
	}
	t.open = append(t.open, t.fn.Blocks[t.seen:]...)
	t.seen = len(t.fn.Blocks)
	d := t.loc(line)
	keep := t.open[:0]
	for _, b := range t.open {
		for _, in := range b.Insts[t.tagged[b]:] {
			setDbg(in, d)
		}
		t.tagged[b] = len(b.Insts)
		if b.Term == nil {
			keep = append(keep, b)
			continue
		}
		setDbg(b.Term, d)
	}
	t.open = keep
}

// finish tags whatever is left, anywhere in the function, with line 0:
// LLVM requires a location on every call in a function with debug info.
func (t *lineTagger) finish() {
	if t == nil {
		return
	}
	d := t.loc(0)
	for _, b := range t.fn.Blocks {
		for _, in := range b.Insts {
			setDbg(in, d)
		}
		if b.Term != nil {
			setDbg(b.Term, d)
		}
	}
}

// setDbg attaches !dbg d to an instruction or terminator that has none.
// Every llir instruction embeds ir.Metadata; reflection reaches it
// without a case per instruction type.
func setDbg(x any, d *metadata.DILocation) {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	f := v.Elem().FieldByName("Metadata")
	if !f.IsValid() || !f.CanSet() {
		return
	}
	md := f.Interface().(ir.Metadata)
	for _, a := range md {
		if a.Name == "dbg" {
			return
		}
	}
	f.Set(reflect.ValueOf(append(md, &metadata.Attachment{Name: "dbg", Node: d})))
}

func (l *lineGen) tagger(fn *ir.Func) *lineTagger {
	if l == nil {
		return nil
	}
	return &lineTagger{fn: fn, mod: l.mod, sp: l.subprogram(fn), tagged: map[*ir.Block]int{}, locs: map[uint32]*metadata.DILocation{}}
}
