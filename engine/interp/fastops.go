package interp

import "github.com/gcscope/gcscope/engine/wasm"

// Specialized opcodes: the hot numeric instructions, memory accesses and
// fused compare-and-branches each get their own case in fast, so
// they cost one dispatch and no call through numTable or a switch on the
// Wasm opcode. Operands are fixed slots: a is the destination, b and c the
// sources (a local's own slot when a local.get was fused), so an operation
// followed by local.set writes the local directly (retarget).
const (
	// Pure numeric operations: a = b op c (or op b). The range
	// opFirstArith..opLastArith is what retarget may redirect.
	opI32Add op = opFirstFast + iota
	opI32Sub
	opI32Mul
	opI32And
	opI32Or
	opI32Xor
	opI32Shl
	opI32ShrS
	opI32ShrU
	opI32Eqz
	opI32Eq
	opI32Ne
	opI32LtS
	opI32LtU
	opI32GtS
	opI32GtU
	opI32LeS
	opI32LeU
	opI32GeS
	opI32GeU
	opI64Add
	opI64Sub
	opI64Mul
	opI64And
	opI64Or
	opI64Xor
	opI64Shl
	opI64ShrS
	opI64ShrU
	opI64Eqz
	opI64Eq
	opI64Ne
	opI64LtS
	opI64LtU
	opI64GtS
	opI64GtU
	opI64LeS
	opI64LeU
	opI64GeS
	opI64GeU
	opI32WrapI64
	opI64ExtendI32S
	opI64ExtendI32U
	opF64Add
	opF64Sub
	opF64Mul
	opF64Div
	opF64Sqrt
	opF64Neg
	opF64Abs
	opF64Eq
	opF64Ne
	opF64Lt
	opF64Gt
	opF64Le
	opF64Ge
	opF32Add
	opF32Sub
	opF32Mul
	opF32Div
	opF32Sqrt
	opF32Neg
	opF32Abs
	opF32Eq
	opF32Ne
	opF32Lt
	opF32Gt
	opF32Le
	opF32Ge
	opI32Rotl
	opI32Rotr
	opI64Rotl
	opI64Rotr
	opI32Clz
	opI32Ctz
	opI64Clz
	opI64Ctz
	opF32Copysign
	opF64Copysign
	opF32ConvertI32S
	opF32ConvertI32U
	opF32ConvertI64S
	opF32DemoteF64
	opF64ConvertI32S
	opF64ConvertI32U
	opF64ConvertI64S
	opF64ConvertI64U
	opF64PromoteF32
	opLow32 // i32.reinterpret_f32, f32.reinterpret_i32
	opMove  // i64.reinterpret_f64, f64.reinterpret_i64
	opI32Extend8S
	opI32Extend16S
	opI64Extend8S
	opI64Extend16S
	opI64Extend32S
	opI32AddK // a = b + imm (i32.add or i32.sub of a constant)

	// Loads from memory 0 (32-bit addresses): a = load at slot b + imm.
	// Also redirectable by retarget: the address is read before a is
	// written.
	opLoad32 // i32.load, f32.load, i64.load32_u
	opLoad64 // i64.load, f64.load
	opLoad8U // i32.load8_u, i64.load8_u
	opI32Load8S
	opLoad16U // i32.load16_u, i64.load16_u
	opI32Load16S

	// Stores to memory 0 (32-bit addresses): store slot c at slot a + imm.
	opStore8
	opStore16
	opStore32
	opStore64

	// Fused i32 compare and branch (br_if without values, or if's jump to
	// else): jump to imm when slot a compares to slot b so.
	opBrEqz
	opBrNez
	opBrEq
	opBrNe
	opBrLtS
	opBrGeS
	opBrLtU
	opBrGeU
	opBrGtS
	opBrLeS
	opBrGtU
	opBrLeU
	// The same against a constant: jump when slot a compares to b so.
	opBrEqK
	opBrNeK
	opBrLtSK
	opBrGeSK
	opBrLtUK
	opBrGeUK
	opBrGtSK
	opBrLeSK
	opBrGtUK
	opBrLeUK
)

// Integer division and remainder, laid out as opNumTrap (operands in a and
// a+1, the trapTable index in imm). fast runs the cases that cannot trap
// (or, for signed ones, involve -1) and leaves the rest to run's generic
// opNumTrap code, which has the spec's messages. They are outside
// opFirstFast..opLastFast: under a breakpoint run executes them itself,
// as fast handing one back would find the breakpoint again.
const (
	opI32DivS op = opLastFast + 1 + iota
	opI32DivU
	opI32RemS
	opI32RemU
	opI64DivS
	opI64DivU
	opI64RemS
	opI64RemU
)

// divOps maps the Wasm division and remainder instructions.
var divOps = map[wasm.Opcode]op{
	wasm.OpI32DivS: opI32DivS, wasm.OpI32DivU: opI32DivU, wasm.OpI32RemS: opI32RemS,
	wasm.OpI32RemU: opI32RemU, wasm.OpI64DivS: opI64DivS, wasm.OpI64DivU: opI64DivU,
	wasm.OpI64RemS: opI64RemS, wasm.OpI64RemU: opI64RemU,
}

const (
	opFirstArith = opI32Add
	opLastArith  = opI32Load16S // the arithmetic ops, opI32AddK and the loads
	opLastFast   = opBrLeUK     // all of this file's opcodes run in fast
)

// fastOps maps the numeric instructions the run loop executes inline.
var fastOps = map[wasm.Opcode]op{
	wasm.OpI32Add: opI32Add, wasm.OpI32Sub: opI32Sub, wasm.OpI32Mul: opI32Mul,
	wasm.OpI32And: opI32And, wasm.OpI32Or: opI32Or, wasm.OpI32Xor: opI32Xor,
	wasm.OpI32Shl: opI32Shl, wasm.OpI32ShrS: opI32ShrS, wasm.OpI32ShrU: opI32ShrU,
	wasm.OpI32Eqz: opI32Eqz, wasm.OpI32Eq: opI32Eq, wasm.OpI32Ne: opI32Ne,
	wasm.OpI32LtS: opI32LtS, wasm.OpI32LtU: opI32LtU, wasm.OpI32GtS: opI32GtS,
	wasm.OpI32GtU: opI32GtU, wasm.OpI32LeS: opI32LeS, wasm.OpI32LeU: opI32LeU,
	wasm.OpI32GeS: opI32GeS, wasm.OpI32GeU: opI32GeU,
	wasm.OpI64Add: opI64Add, wasm.OpI64Sub: opI64Sub, wasm.OpI64Mul: opI64Mul,
	wasm.OpI64And: opI64And, wasm.OpI64Or: opI64Or, wasm.OpI64Xor: opI64Xor,
	wasm.OpI64Shl: opI64Shl, wasm.OpI64ShrS: opI64ShrS, wasm.OpI64ShrU: opI64ShrU,
	wasm.OpI64Eqz: opI64Eqz, wasm.OpI64Eq: opI64Eq, wasm.OpI64Ne: opI64Ne,
	wasm.OpI64LtS: opI64LtS, wasm.OpI64LtU: opI64LtU, wasm.OpI64GtS: opI64GtS,
	wasm.OpI64GtU: opI64GtU, wasm.OpI64LeS: opI64LeS, wasm.OpI64LeU: opI64LeU,
	wasm.OpI64GeS: opI64GeS, wasm.OpI64GeU: opI64GeU,
	wasm.OpI32WrapI64: opI32WrapI64, wasm.OpI64ExtendI32S: opI64ExtendI32S,
	wasm.OpI64ExtendI32U: opI64ExtendI32U,
	wasm.OpF64Add:        opF64Add, wasm.OpF64Sub: opF64Sub, wasm.OpF64Mul: opF64Mul,
	wasm.OpF64Div: opF64Div, wasm.OpF64Sqrt: opF64Sqrt, wasm.OpF64Neg: opF64Neg,
	wasm.OpF64Abs: opF64Abs, wasm.OpF64Eq: opF64Eq, wasm.OpF64Ne: opF64Ne,
	wasm.OpF64Lt: opF64Lt, wasm.OpF64Gt: opF64Gt, wasm.OpF64Le: opF64Le,
	wasm.OpF64Ge:  opF64Ge,
	wasm.OpF32Add: opF32Add, wasm.OpF32Sub: opF32Sub, wasm.OpF32Mul: opF32Mul,
	wasm.OpF32Div: opF32Div, wasm.OpF32Sqrt: opF32Sqrt, wasm.OpF32Neg: opF32Neg,
	wasm.OpF32Abs: opF32Abs, wasm.OpF32Eq: opF32Eq, wasm.OpF32Ne: opF32Ne,
	wasm.OpF32Lt: opF32Lt, wasm.OpF32Gt: opF32Gt, wasm.OpF32Le: opF32Le,
	wasm.OpF32Ge: opF32Ge, wasm.OpI32Rotl: opI32Rotl, wasm.OpI32Rotr: opI32Rotr,
	wasm.OpI64Rotl: opI64Rotl, wasm.OpI64Rotr: opI64Rotr, wasm.OpI32Clz: opI32Clz,
	wasm.OpI32Ctz: opI32Ctz, wasm.OpI64Clz: opI64Clz, wasm.OpI64Ctz: opI64Ctz,
	wasm.OpF32Copysign: opF32Copysign, wasm.OpF64Copysign: opF64Copysign, wasm.OpF32ConvertI32S: opF32ConvertI32S,
	wasm.OpF32ConvertI32U: opF32ConvertI32U, wasm.OpF32ConvertI64S: opF32ConvertI64S, wasm.OpF32DemoteF64: opF32DemoteF64,
	wasm.OpF64ConvertI32S: opF64ConvertI32S, wasm.OpF64ConvertI32U: opF64ConvertI32U, wasm.OpF64ConvertI64S: opF64ConvertI64S,
	wasm.OpF64ConvertI64U: opF64ConvertI64U, wasm.OpF64PromoteF32: opF64PromoteF32, wasm.OpI32Extend8S: opI32Extend8S,
	wasm.OpI32Extend16S: opI32Extend16S, wasm.OpI64Extend8S: opI64Extend8S, wasm.OpI64Extend16S: opI64Extend16S,
	wasm.OpI64Extend32S: opI64Extend32S, wasm.OpI32ReinterpretF32: opLow32,
	wasm.OpF32ReinterpretI32: opLow32, wasm.OpI64ReinterpretF64: opMove,
	wasm.OpF64ReinterpretI64: opMove,
}

// loadOps and storeOps are the specialized memory accesses by Wasm opcode.
var (
	loadOps = map[wasm.Opcode]op{
		wasm.OpI32Load: opLoad32, wasm.OpF32Load: opLoad32, wasm.OpI64Load32U: opLoad32,
		wasm.OpI64Load: opLoad64, wasm.OpF64Load: opLoad64,
		wasm.OpI32Load8U: opLoad8U, wasm.OpI64Load8U: opLoad8U, wasm.OpI32Load8S: opI32Load8S,
		wasm.OpI32Load16U: opLoad16U, wasm.OpI64Load16U: opLoad16U, wasm.OpI32Load16S: opI32Load16S,
	}
	storeOps = map[wasm.Opcode]op{
		wasm.OpI32Store8: opStore8, wasm.OpI64Store8: opStore8,
		wasm.OpI32Store16: opStore16, wasm.OpI64Store16: opStore16,
		wasm.OpI32Store: opStore32, wasm.OpF32Store: opStore32, wasm.OpI64Store32: opStore32,
		wasm.OpI64Store: opStore64, wasm.OpF64Store: opStore64,
	}
)

// brCmpOps maps an i32 comparison to its fused compare-and-branch;
// brNegate gives each branch's negation (if jumps to else when the
// condition fails).
var (
	brCmpOps = map[op]op{
		opI32Eqz: opBrEqz, opI32Eq: opBrEq, opI32Ne: opBrNe,
		opI32LtS: opBrLtS, opI32GeS: opBrGeS, opI32LtU: opBrLtU, opI32GeU: opBrGeU,
		opI32GtS: opBrGtS, opI32LeS: opBrLeS, opI32GtU: opBrGtU, opI32LeU: opBrLeU,
	}
	brNegate = map[op]op{
		opBrEqz: opBrNez, opBrNez: opBrEqz, opBrEq: opBrNe, opBrNe: opBrEq,
		opBrLtS: opBrGeS, opBrGeS: opBrLtS, opBrLtU: opBrGeU, opBrGeU: opBrLtU,
		opBrGtS: opBrLeS, opBrLeS: opBrGtS, opBrGtU: opBrLeU, opBrLeU: opBrGtU,
	}
	// brConstOps gives a fused branch's form with b a constant.
	brConstOps = map[op]op{
		opBrEq: opBrEqK, opBrNe: opBrNeK, opBrLtS: opBrLtSK, opBrGeS: opBrGeSK,
		opBrLtU: opBrLtUK, opBrGeU: opBrGeUK, opBrGtS: opBrGtSK, opBrLeS: opBrLeSK,
		opBrGtU: opBrGtUK, opBrLeU: opBrLeUK,
	}
)
