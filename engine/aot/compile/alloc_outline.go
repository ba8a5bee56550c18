package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/gc"
)

// Allocations out of line in allocation-heavy functions
// (docs/aot-compiler.md "Allocations out of line"). An inline allocation
// (gc_heap.go alloc) is the bump, its cold slow path (a commit of the
// frame and the op helper's call) and the join, about forty LLVM
// instructions. A function with thousands of them (a MicroHs program's
// main builds its whole graph in one body: 4,891 struct.news in
// Arith's) gave llc a function of some 360,000 instructions, whose
// register allocation and printing were most of the module's compile
// time, for code that runs once. In such functions each allocation
// commits the frame on the main path (header word and live references,
// as any call does), publishes the frame top and calls a per-function
// allocator, gcs_func_N_alloc, which bumps the buffer or calls the op
// helper; the instruction's own stores follow as before, with the
// zeroing its inline path does (harmless over the helper's zeroed
// object). Release builds only, outside recursion levels and clones; the
// function keeps no cursor variable (alloc_cursor.go), since the
// allocator moves the record's cursor.

// outlineAllocsMin is the fewest allocation instructions that move a
// function's allocations out of line.
const outlineAllocsMin = 256

// allocSuffix names a function's allocator: gcs_func_N_alloc.
const allocSuffix = "_alloc"

// allocSymbol names defined function i's allocator.
func allocSymbol(i int) string { return funcSymbol(i) + allocSuffix }

// newRoutine declares an out-of-line routine of a function (its
// allocator, its debug build's stop routine, debug_stop_outline.go):
// internal, never inlined (its point is to be one copy), no unwinding,
// no builtins, no frame pointer, as the functions themselves.
func (g *modGen) newRoutine(name string, ret types.Type, params ...*ir.Param) *ir.Func {
	fn := g.mod.NewFunc(name, ret, params...)
	fn.Linkage = enum.LinkageInternal
	fn.FuncAttrs = append(fn.FuncAttrs, enum.FuncAttrNoInline, enum.FuncAttrNoUnwind, ir.AttrPair{Key: "no-builtins"},
		ir.AttrPair{Key: "frame-pointer", Value: "none"})
	return fn
}

// allocNames lists defined function i's allocator if it has one, for the
// chunk that holds the function (chunk.go splitModule).
func allocNames(byName map[string]*ir.Func, i int) []string {
	if byName[allocSymbol(i)] == nil {
		return nil
	}
	return []string{allocSymbol(i)}
}

// outlinesAllocs reports whether defined function i allocates out of
// line: at least outlineAllocsMin allocation instructions in its body,
// in a release build or in a debug build that stores the function's
// operands as they are pushed (debug_operands.go: the microhs mains
// again, whose inline allocations were a third of their debug IR).
func (g *modGen) outlinesAllocs(i int) bool {
	return (g.dbg == nil || g.operandsHome(i)) && g.allocs[i] >= outlineAllocsMin
}

// allocOutlined is alloc for a function that outlinesAllocs: the commit,
// the frame top, the call of the function's allocator, then init over
// the object (see above).
func (f *funcGen) allocOutlined(t uint32, size valueT, n valueT, init func(obj valueT)) valueT {
	f.commit()
	f.publishTop()
	var length valueT = i64c(-1)
	if n != nil {
		length = f.cur.NewZExt(n, types.I64)
	}
	r := f.cur.NewCall(f.allocator(), f.env, size, f.entryHeaderWord(t), i64c(int64(t)), length)
	if f.g.dbg != nil {
		f.dbgInvalidate() // the op helper may have run (debug_word.go)
	}
	if init != nil {
		init(f.cur.NewGetElementPtr(types.I8, f.heapBase(), f.cur.NewZExt(r, types.I64)))
	}
	return r
}

// allocator is this function's allocator, made at its first use:
//
//	i32 gcs_func_N_alloc(env, size, header, type, length)
//
// length is -1 for a struct. The fast path is alloc's: the bump of the
// record's cursor, the header word, an array's trailing padding and
// length; the slow path calls the op helper with the caller's frame
// already committed and published.
func (f *funcGen) allocator() *ir.Func {
	if f.allocFn != nil {
		return f.allocFn
	}
	env := ir.NewParam("env", envPtr)
	size, hdr, typ, length := ir.NewParam("size", types.I64), ir.NewParam("header", types.I64),
		ir.NewParam("type", types.I64), ir.NewParam("length", types.I64)
	fn := f.g.newRoutine(allocSymbol(f.idx), types.I32, env, size, hdr, typ, length)
	entry, fast, slow := fn.NewBlock("entry"), fn.NewBlock("fast"), fn.NewBlock("slow")
	word := func(b *ir.Block, w int) valueT { return b.NewGetElementPtr(types.I64, env, i64c(int64(w))) }
	cur := entry.NewLoad(types.I64, word(entry, envAllocCursor))
	end := entry.NewAdd(cur, size)
	full := entry.NewOr(entry.NewICmp(enum.IPredUGT, end, entry.NewLoad(types.I64, word(entry, envAllocLimit))),
		entry.NewICmp(enum.IPredUGT, size, i64c(maxInlineAlloc)))
	slots := entry.NewAlloca(types.NewArray(1, types.I64))
	br := entry.NewCondBr(full, slow, fast)
	br.Metadata = append(br.Metadata, &metadata.Attachment{Name: "prof", Node: f.g.coldWeights()})

	fast.NewStore(end, word(fast, envAllocCursor))
	obj := fast.NewGetElementPtr(types.I8, fast.NewIntToPtr(fast.NewLoad(types.I64, word(fast, envHeapBase)), types.I8Ptr), cur)
	at := func(b *ir.Block, off, v valueT) {
		b.NewStore(v, b.NewBitCast(b.NewGetElementPtr(types.I8, obj, off), types.NewPointer(v.Type())))
	}
	array, structs, done := fn.NewBlock("array"), fn.NewBlock("struct"), fn.NewBlock("done")
	fast.NewCondBr(fast.NewICmp(enum.IPredSLT, length, i64c(0)), structs, array)
	// An array: the padding after its last element before the rest goes
	// over it, the header, and the length (gc_heap.go alloc).
	at(array, array.NewAdd(size, i64c(-8)), i64c(0))
	at(array, i64c(gc.TypeIDOffset), hdr)
	at(array, i64c(gc.ArrayLenOffset), length)
	array.NewBr(done)
	at(structs, i64c(gc.TypeIDOffset), hdr)
	structs.NewBr(done)
	done.NewRet(done.NewTrunc(cur, types.I32))

	sp := slow.NewBitCast(slots, slotPtr)
	slow.NewStore(length, sp)
	op := slow.NewSelect(slow.NewICmp(enum.IPredSLT, length, i64c(0)), i64c(OpAllocStruct), i64c(OpAllocArray))
	c := callOpHelperIn(slow, env, op, typ, sp) // helpercc.go
	slow.NewRet(slow.NewTrunc(c, types.I32))
	f.allocFn = fn
	return fn
}
