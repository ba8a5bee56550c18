package interp

import (
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// op is an internal opcode. Slots named a, b, c, d in the comments are
// frame-relative slot indices unless said otherwise.
type op uint16

const (
	opUnreachable  op = iota
	opBr              // copy c slots a→b, jump to imm
	opBrIf            // if slot d != 0: copy c slots a→b, jump to imm
	opBrUnless        // if slot d == 0: jump to imm
	opBrTable         // index in slot a; targets are brTables[imm]
	opReturn          // copy c slots from a to 0, return
	opCall            // call function imm with arguments from slot a
	opCallIndirect    // table b, element index in slot c, type id imm
	opCallRef         // function reference in slot c, type id imm
	opReturnCall
	opReturnCallIndirect
	opReturnCallRef
	opSelect    // if slot c == 0: copy d slots b→a
	opCopy      // a = b
	opCopy2     // a, a+1 = b, b+1 (a v128)
	opConst     // a = imm
	opGlobalGet // a = global b (d = 2: a v128, two slots)
	opGlobalSet
	opNum1     // a = numTable[imm](b); b is a's own slot or a fused local
	opNum2     // a = numTable[imm](b, c)
	opNumTrap  // a = trapTable[imm](a, a+1) or trap
	opNumTrap1 // a = trapTable[imm](a, 0) or trap
	opLoad     // a = load c (wasm opcode) from memory b at a+imm
	opStore    // store a+1 with c to memory b at a+imm
	opMemSize  // a = size of memory b
	opMemGrow  // a = grow memory b by a
	opMemFill  // memory b: fill(a, a+1, a+2)
	opMemCopy  // memory b ← memory c: copy(a, a+1, a+2)
	opMemInit  // memory b ← data c: init(a, a+1, a+2)
	opDataDrop // drop data b
	opTableGet
	opTableSet
	opTableSize
	opTableGrow
	opTableFill
	opTableCopy // table b ← table c
	opTableInit // table b ← elem c
	opElemDrop  // drop elem b
	opRefIsNull
	opRefFunc // a = funcref of function b
	opRefEq
	opRefAsNonNull
	opBrOnNull    // ref in slot d; if null: copy c slots a→b, jump imm
	opBrOnNonNull // ref in slot d; if not null: copy c slots a→b, jump imm
	opRefTest     // casts[b]
	opRefCast
	opBrOnCast     // ref in slot d, cast casts[(imm>>32)], branch as opBr to uint32(imm)
	opBrOnCastFail // likewise when the cast fails
	opI31New
	opI31GetS
	opI31GetU
	opStructNew // type b, fields from a (default values when c == 1)
	opStructGet // ref a, type b, field c, d = 0 plain, 1 signed, 2 unsigned
	opStructSet
	opArrayNew        // type b: a = init, a+1 = length
	opArrayNewDefault // type b: a = length
	opArrayNewFixed   // type b: c values from a
	opArrayNewData    // type b, data c: a = offset, a+1 = length
	opArrayNewElem    // type b, elem c
	opArrayGet        // type b, d as struct.get: a = ref, a+1 = index
	opArraySet
	opArrayLen
	opArrayFill
	opArrayCopy
	opArrayInitData
	opArrayInitElem
	opThrow    // tag b, payload from a
	opThrowRef // exnref in slot a
	opRethrow  // exnref in slot a (a legacy try's hidden local)
	opAtomic   // wasm atomic opcode c on memory b at a+imm
	opFence
	opNop
	opBreak // a breakpoint patched over the instruction kept in code.orig
	opSIMD  // simdFns[d]: operands from a, memory b, lane c, offset or vecs index imm
	// opFirstFast starts the specialized opcodes of fastops.go.
	opFirstFast
)

// instr is one compiled instruction.
type instr struct {
	op         op
	a, b, c, d uint32
	imm        uint64
}

// brTarget is one br_table entry: where to jump and how to move the
// label's values.
type brTarget struct {
	pc, src, dst, n uint32
}

// castInfo is the target of ref.test, ref.cast and br_on_cast, with the
// heap type canonical.
type castInfo struct {
	heap     wasm.HeapType
	nullable bool
}

// catchKind extends wasm.CatchKind with the legacy try's clauses.
type catchClause struct {
	kind   wasm.CatchKind
	tag    *runtime.Tag // nil for catch_all
	target uint32       // pc
	dst    uint32       // slot of the first payload value
	legacy bool         // a legacy catch: also store the exnref in exnSlot
}

// handler is an exception handler: a try_table, a legacy try's catches,
// or a legacy try's delegate. Handlers are numbered in the order their
// blocks open, so among those covering a pc the higher index is inner.
type handler struct {
	start, end uint32 // covered pcs [start, end)
	catches    []catchClause
	delegate   bool
	delegateTo int // handler to continue with, -1: the caller
	exnSlot    uint32
}

// code is a compiled function.
type code struct {
	fn *runtime.Func
	// mem is the instance's memory 0 (nil without one), which the
	// specialized loads and stores access; they read its Data on every
	// access, since a call may grow it (they are not used for a shared
	// memory, which other threads may grow).
	mem       *runtime.Memory
	instrs    []instr
	offsets   []uint32 // the Wasm bytecode offset of each instruction
	nParams   uint32
	nLocals   uint32 // parameters, declared locals and hidden locals
	maxHeight uint32 // slots used: locals plus the deepest operand stack
	brTables  [][]brTarget
	vecs      []vec // v128.const values and i8x16.shuffle lane selectors
	handlers  []handler
	casts     []castInfo
	// stackMaps holds, for each safepoint's bytecode offset, the slots
	// holding references there.
	stackMaps map[uint32][]uint32
	entryOff  uint32
	// locals are the types of the locals, localSlots their first slots.
	locals     []wasm.ValType
	localSlots []uint32
	// shapes holds the operand stack at every offset; only a
	// compilation for the debugger (compileAllMaps) records them.
	shapes map[uint32]opShape
	// orig keeps the instructions breakpoints are patched over, by pc;
	// stepAll says every instruction is patched (stepping).
	orig    map[uint32]instr
	user    map[uint32]bool // pcs with a breakpoint the debugger set
	stepAll bool
}

// opShape is the operand stack before one instruction: its types, bottom
// first, and how many of them lie below the innermost open block (the
// operands of the blocks around it).
type opShape struct {
	types     []wasm.ValType
	blockBase int
}
