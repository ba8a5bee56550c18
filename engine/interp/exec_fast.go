package interp

import (
	"encoding/binary"
	"math"
	"math/bits"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/runtime"
)

// The run loop is split in two. fast runs the instructions that need no
// call into Go — arithmetic, locals, globals, memory accesses, branches,
// calls of compiled Wasm functions and returns to them — and hands
// everything else back to run (host calls, allocation, traps, interrupts,
// breakpoints, the rarer numeric instructions left in numTable). With no
// call in its loop, the compiler keeps its registers (slots, code, pc) in
// machine registers; in a loop that also calls, it spilled and reloaded
// them around every instruction.

// Why fast stopped.
const (
	stSlow      = iota // the top frame's PC is an instruction for run
	stInterrupt        // a back edge found the interrupt word set; committed, PC at the target
	stMemOOB           // a load or store was out of bounds; PC after it
)

// backEdgeStop commits a backward branch from the instruction before pc
// to t, for run to handle the interrupt.
func backEdgeStop(fr *runtime.Frame, cd *code, pc, t uint32) int {
	fr.Offset = cd.offsets[pc-1]
	fr.PC = t
	return stInterrupt
}

// moveDown copies n slots from src to dst <= src (a branch carrying its
// label's values down the operand stack). A loop rather than copy, which
// would be a call.
func moveDown(l []uint64, dst, src, n uint32) {
	for i := uint32(0); i < n; i++ {
		l[dst+i] = l[src+i]
	}
}

// fast runs the top frame from its PC, or first (an instruction a
// breakpoint was patched over) and then from PC. It also makes the common
// calls and returns itself: pushing a frame needs no Go call either.
// stepping is the engine's: with it on, callees must be patched first.
func fast(env *runtime.ExecEnv, stepping *atomic.Bool, first *instr) int {
	fr := &env.Frames[env.Depth-1]
	cd := fr.Func.Code.(*code)
	ins, pc, l, mem, intr := cd.instrs, fr.PC, env.Slots[fr.Base:fr.Top], cd.mem, env.Interrupt
	in := first
	if in == nil {
		in = &ins[pc]
		pc++
	}
	for {
		switch in.op {
		case opCopy:
			l[in.a] = l[in.b]
		case opConst:
			l[in.a] = in.imm
		case opI32Add:
			l[in.a] = uint64(uint32(l[in.b]) + uint32(l[in.c]))
		case opI32Sub:
			l[in.a] = uint64(uint32(l[in.b]) - uint32(l[in.c]))
		case opI32Mul:
			l[in.a] = uint64(uint32(l[in.b]) * uint32(l[in.c]))
		case opI32And:
			l[in.a] = l[in.b] & l[in.c]
		case opI32Or:
			l[in.a] = l[in.b] | l[in.c]
		case opI32Xor:
			l[in.a] = l[in.b] ^ l[in.c]
		case opI32Shl:
			l[in.a] = uint64(uint32(l[in.b]) << (l[in.c] & 31))
		case opI32ShrS:
			l[in.a] = uint64(uint32(int32(l[in.b]) >> (l[in.c] & 31)))
		case opI32ShrU:
			l[in.a] = uint64(uint32(l[in.b]) >> (l[in.c] & 31))
		case opI32Eqz:
			l[in.a] = b2u(uint32(l[in.b]) == 0)
		case opI32Eq:
			l[in.a] = b2u(uint32(l[in.b]) == uint32(l[in.c]))
		case opI32Ne:
			l[in.a] = b2u(uint32(l[in.b]) != uint32(l[in.c]))
		case opI32LtS:
			l[in.a] = b2u(int32(l[in.b]) < int32(l[in.c]))
		case opI32LtU:
			l[in.a] = b2u(uint32(l[in.b]) < uint32(l[in.c]))
		case opI32GtS:
			l[in.a] = b2u(int32(l[in.b]) > int32(l[in.c]))
		case opI32GtU:
			l[in.a] = b2u(uint32(l[in.b]) > uint32(l[in.c]))
		case opI32LeS:
			l[in.a] = b2u(int32(l[in.b]) <= int32(l[in.c]))
		case opI32LeU:
			l[in.a] = b2u(uint32(l[in.b]) <= uint32(l[in.c]))
		case opI32GeS:
			l[in.a] = b2u(int32(l[in.b]) >= int32(l[in.c]))
		case opI32GeU:
			l[in.a] = b2u(uint32(l[in.b]) >= uint32(l[in.c]))
		case opI64Add:
			l[in.a] = l[in.b] + l[in.c]
		case opI64Sub:
			l[in.a] = l[in.b] - l[in.c]
		case opI64Mul:
			l[in.a] = l[in.b] * l[in.c]
		case opI64And:
			l[in.a] = l[in.b] & l[in.c]
		case opI64Or:
			l[in.a] = l[in.b] | l[in.c]
		case opI64Xor:
			l[in.a] = l[in.b] ^ l[in.c]
		case opI64Shl:
			l[in.a] = l[in.b] << (l[in.c] & 63)
		case opI64ShrS:
			l[in.a] = uint64(int64(l[in.b]) >> (l[in.c] & 63))
		case opI64ShrU:
			l[in.a] = l[in.b] >> (l[in.c] & 63)
		case opI64Eqz:
			l[in.a] = b2u(l[in.b] == 0)
		case opI64Eq:
			l[in.a] = b2u(l[in.b] == l[in.c])
		case opI64Ne:
			l[in.a] = b2u(l[in.b] != l[in.c])
		case opI64LtS:
			l[in.a] = b2u(int64(l[in.b]) < int64(l[in.c]))
		case opI64LtU:
			l[in.a] = b2u(l[in.b] < l[in.c])
		case opI64GtS:
			l[in.a] = b2u(int64(l[in.b]) > int64(l[in.c]))
		case opI64GtU:
			l[in.a] = b2u(l[in.b] > l[in.c])
		case opI64LeS:
			l[in.a] = b2u(int64(l[in.b]) <= int64(l[in.c]))
		case opI64LeU:
			l[in.a] = b2u(l[in.b] <= l[in.c])
		case opI64GeS:
			l[in.a] = b2u(int64(l[in.b]) >= int64(l[in.c]))
		case opI64GeU:
			l[in.a] = b2u(l[in.b] >= l[in.c])
		case opI32WrapI64:
			l[in.a] = l[in.b] & 0xFFFFFFFF
		case opI64ExtendI32S:
			l[in.a] = uint64(int64(int32(l[in.b])))
		case opI64ExtendI32U:
			l[in.a] = l[in.b] & 0xFFFFFFFF
		case opF64Add:
			l[in.a] = uf64(f64(l[in.b]) + f64(l[in.c]))
		case opF64Sub:
			l[in.a] = uf64(f64(l[in.b]) - f64(l[in.c]))
		case opF64Mul:
			l[in.a] = uf64(f64(l[in.b]) * f64(l[in.c]))
		case opF64Div:
			l[in.a] = uf64(f64(l[in.b]) / f64(l[in.c]))
		case opF64Sqrt:
			l[in.a] = f64Round(l[in.b], math.Sqrt)
		case opF64Neg:
			l[in.a] = l[in.b] ^ (1 << 63)
		case opF64Abs:
			l[in.a] = l[in.b] &^ (1 << 63)
		case opF64Eq:
			l[in.a] = b2u(f64(l[in.b]) == f64(l[in.c]))
		case opF64Ne:
			l[in.a] = b2u(f64(l[in.b]) != f64(l[in.c]))
		case opF64Lt:
			l[in.a] = b2u(f64(l[in.b]) < f64(l[in.c]))
		case opF64Gt:
			l[in.a] = b2u(f64(l[in.b]) > f64(l[in.c]))
		case opF64Le:
			l[in.a] = b2u(f64(l[in.b]) <= f64(l[in.c]))
		case opF64Ge:
			l[in.a] = b2u(f64(l[in.b]) >= f64(l[in.c]))
		case opF32Add:
			l[in.a] = uf32(f32(l[in.b]) + f32(l[in.c]))
		case opF32Sub:
			l[in.a] = uf32(f32(l[in.b]) - f32(l[in.c]))
		case opF32Mul:
			l[in.a] = uf32(f32(l[in.b]) * f32(l[in.c]))
		case opF32Div:
			l[in.a] = uf32(f32(l[in.b]) / f32(l[in.c]))
		case opF32Sqrt:
			l[in.a] = f32Round(l[in.b], math.Sqrt)
		case opF32Neg:
			l[in.a] = (l[in.b] ^ 0x80000000) & 0xFFFFFFFF
		case opF32Abs:
			l[in.a] = l[in.b] & 0x7FFFFFFF
		case opF32Eq:
			l[in.a] = b2u(f32(l[in.b]) == f32(l[in.c]))
		case opF32Ne:
			l[in.a] = b2u(f32(l[in.b]) != f32(l[in.c]))
		case opF32Lt:
			l[in.a] = b2u(f32(l[in.b]) < f32(l[in.c]))
		case opF32Gt:
			l[in.a] = b2u(f32(l[in.b]) > f32(l[in.c]))
		case opF32Le:
			l[in.a] = b2u(f32(l[in.b]) <= f32(l[in.c]))
		case opF32Ge:
			l[in.a] = b2u(f32(l[in.b]) >= f32(l[in.c]))
		case opI32Rotl:
			l[in.a] = uint64(bits.RotateLeft32(uint32(l[in.b]), int(l[in.c]&31)))
		case opI32Rotr:
			l[in.a] = uint64(bits.RotateLeft32(uint32(l[in.b]), -int(l[in.c]&31)))
		case opI64Rotl:
			l[in.a] = bits.RotateLeft64(l[in.b], int(l[in.c]&63))
		case opI64Rotr:
			l[in.a] = bits.RotateLeft64(l[in.b], -int(l[in.c]&63))
		case opI32Clz:
			l[in.a] = uint64(bits.LeadingZeros32(uint32(l[in.b])))
		case opI32Ctz:
			l[in.a] = uint64(bits.TrailingZeros32(uint32(l[in.b])))
		case opI64Clz:
			l[in.a] = uint64(bits.LeadingZeros64(l[in.b]))
		case opI64Ctz:
			l[in.a] = uint64(bits.TrailingZeros64(l[in.b]))
		case opF32Copysign:
			l[in.a] = l[in.b]&0x7FFFFFFF | l[in.c]&0x80000000
		case opF64Copysign:
			l[in.a] = l[in.b]&^(1<<63) | l[in.c]&(1<<63)
		case opF32ConvertI32S:
			l[in.a] = uf32(float32(int32(l[in.b])))
		case opF32ConvertI32U:
			l[in.a] = uf32(float32(uint32(l[in.b])))
		case opF32ConvertI64S:
			l[in.a] = uf32(float32(int64(l[in.b])))
		case opF32DemoteF64:
			l[in.a] = uf32(float32(f64(l[in.b])))
		case opF64ConvertI32S:
			l[in.a] = uf64(float64(int32(l[in.b])))
		case opF64ConvertI32U:
			l[in.a] = uf64(float64(uint32(l[in.b])))
		case opF64ConvertI64S:
			l[in.a] = uf64(float64(int64(l[in.b])))
		case opF64ConvertI64U:
			l[in.a] = uf64(float64(l[in.b]))
		case opF64PromoteF32:
			l[in.a] = uf64(float64(f32(l[in.b])))
		case opLow32:
			l[in.a] = l[in.b] & 0xFFFFFFFF
		case opMove:
			l[in.a] = l[in.b]
		case opI32Extend8S:
			l[in.a] = uint64(uint32(int32(int8(l[in.b]))))
		case opI32Extend16S:
			l[in.a] = uint64(uint32(int32(int16(l[in.b]))))
		case opI64Extend8S:
			l[in.a] = uint64(int64(int8(l[in.b])))
		case opI64Extend16S:
			l[in.a] = uint64(int64(int16(l[in.b])))
		case opI64Extend32S:
			l[in.a] = uint64(int64(int32(l[in.b])))
		case opI32DivU:
			if uint32(l[in.a+1]) != 0 {
				l[in.a] = uint64(uint32(l[in.a]) / uint32(l[in.a+1]))
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI32RemU:
			if uint32(l[in.a+1]) != 0 {
				l[in.a] = uint64(uint32(l[in.a]) % uint32(l[in.a+1]))
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI32DivS:
			if y := int32(l[in.a+1]); y != 0 && y != -1 {
				l[in.a] = uint64(uint32(int32(l[in.a]) / y))
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI32RemS:
			if y := int32(l[in.a+1]); y != 0 && y != -1 {
				l[in.a] = uint64(uint32(int32(l[in.a]) % y))
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI64DivU:
			if l[in.a+1] != 0 {
				l[in.a] = l[in.a] / l[in.a+1]
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI64RemU:
			if l[in.a+1] != 0 {
				l[in.a] = l[in.a] % l[in.a+1]
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI64DivS:
			if y := int64(l[in.a+1]); y != 0 && y != -1 {
				l[in.a] = uint64(int64(l[in.a]) / y)
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI64RemS:
			if y := int64(l[in.a+1]); y != 0 && y != -1 {
				l[in.a] = uint64(int64(l[in.a]) % y)
			} else {
				fr.PC = pc - 1 // run traps (or divides by -1)
				return stSlow
			}
		case opI32AddK:
			l[in.a] = uint64(uint32(l[in.b]) + uint32(in.imm))
		case opLoad32:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+4 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = uint64(binary.LittleEndian.Uint32(d[ea:]))
		case opLoad64:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+8 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = binary.LittleEndian.Uint64(d[ea:])
		case opLoad8U:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+1 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = uint64(d[ea])
		case opI32Load8S:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+1 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = uint64(uint32(int32(int8(d[ea]))))
		case opLoad16U:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+2 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = uint64(binary.LittleEndian.Uint16(d[ea:]))
		case opI32Load16S:
			d, ea := mem.Data, uint64(uint32(l[in.b]))+in.imm
			if ea+2 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			l[in.a] = uint64(uint32(int32(int16(binary.LittleEndian.Uint16(d[ea:])))))
		case opStore8:
			d, ea := mem.Data, uint64(uint32(l[in.a]))+in.imm
			if ea+1 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			d[ea] = byte(l[in.c])
		case opStore16:
			d, ea := mem.Data, uint64(uint32(l[in.a]))+in.imm
			if ea+2 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			binary.LittleEndian.PutUint16(d[ea:], uint16(l[in.c]))
		case opStore32:
			d, ea := mem.Data, uint64(uint32(l[in.a]))+in.imm
			if ea+4 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			binary.LittleEndian.PutUint32(d[ea:], uint32(l[in.c]))
		case opStore64:
			d, ea := mem.Data, uint64(uint32(l[in.a]))+in.imm
			if ea+8 > uint64(len(d)) {
				fr.PC = pc
				return stMemOOB
			}
			binary.LittleEndian.PutUint64(d[ea:], l[in.c])
		case opBrEqz:
			if uint32(l[in.a]) == 0 {
				goto jump
			}
		case opBrNez:
			if uint32(l[in.a]) != 0 {
				goto jump
			}
		case opBrEq:
			if uint32(l[in.a]) == uint32(l[in.b]) {
				goto jump
			}
		case opBrNe:
			if uint32(l[in.a]) != uint32(l[in.b]) {
				goto jump
			}
		case opBrLtS:
			if int32(l[in.a]) < int32(l[in.b]) {
				goto jump
			}
		case opBrGeS:
			if int32(l[in.a]) >= int32(l[in.b]) {
				goto jump
			}
		case opBrLtU:
			if uint32(l[in.a]) < uint32(l[in.b]) {
				goto jump
			}
		case opBrGeU:
			if uint32(l[in.a]) >= uint32(l[in.b]) {
				goto jump
			}
		case opBrGtS:
			if int32(l[in.a]) > int32(l[in.b]) {
				goto jump
			}
		case opBrLeS:
			if int32(l[in.a]) <= int32(l[in.b]) {
				goto jump
			}
		case opBrGtU:
			if uint32(l[in.a]) > uint32(l[in.b]) {
				goto jump
			}
		case opBrLeU:
			if uint32(l[in.a]) <= uint32(l[in.b]) {
				goto jump
			}
		case opGlobalGet:
			g := fr.Func.Inst.Globals[in.b]
			l[in.a] = g.Bits
			if in.d == 2 {
				l[in.a+1] = g.Hi
			}
		case opGlobalSet:
			g := fr.Func.Inst.Globals[in.b]
			g.Bits = l[in.a]
			if in.d == 2 {
				g.Hi = l[in.a+1]
			}
		case opSelect:
			if uint32(l[in.c]) == 0 {
				l[in.a] = l[in.b]
				if in.d == 2 {
					l[in.a+1] = l[in.b+1]
				}
			}
		case opCopy2:
			l[in.a], l[in.a+1] = l[in.b], l[in.b+1]
		case opBr:
			moveDown(l, in.b, in.a, in.c)
			t := uint32(in.imm)
			if t < pc && intr.Load() != 0 {
				return backEdgeStop(fr, cd, pc, t)
			}
			pc = t
		case opBrIf:
			if uint32(l[in.d]) != 0 {
				moveDown(l, in.b, in.a, in.c)
				t := uint32(in.imm)
				if t < pc && intr.Load() != 0 {
					return backEdgeStop(fr, cd, pc, t)
				}
				pc = t
			}
		case opBrUnless:
			if uint32(l[in.d]) == 0 {
				pc = uint32(in.imm)
			}
		case opBrTable:
			tab := cd.brTables[in.imm]
			i := uint64(uint32(l[in.a]))
			if i >= uint64(len(tab)) {
				i = uint64(len(tab) - 1)
			}
			t := &tab[i]
			moveDown(l, t.dst, t.src, t.n)
			if t.pc < pc && intr.Load() != 0 {
				return backEdgeStop(fr, cd, pc, t.pc)
			}
			pc = t.pc
		case opBrEqK:
			if uint32(l[in.a]) == in.b {
				goto jump
			}
		case opBrNeK:
			if uint32(l[in.a]) != in.b {
				goto jump
			}
		case opBrLtSK:
			if int32(l[in.a]) < int32(in.b) {
				goto jump
			}
		case opBrGeSK:
			if int32(l[in.a]) >= int32(in.b) {
				goto jump
			}
		case opBrLtUK:
			if uint32(l[in.a]) < in.b {
				goto jump
			}
		case opBrGeUK:
			if uint32(l[in.a]) >= in.b {
				goto jump
			}
		case opBrGtSK:
			if int32(l[in.a]) > int32(in.b) {
				goto jump
			}
		case opBrLeSK:
			if int32(l[in.a]) <= int32(in.b) {
				goto jump
			}
		case opBrGtUK:
			if uint32(l[in.a]) > in.b {
				goto jump
			}
		case opBrLeUK:
			if uint32(l[in.a]) <= in.b {
				goto jump
			}
		case opCall:
			// Calls of compiled Wasm functions, with room on both stacks
			// and no stepping to patch the callee for; run does the rest.
			f := fr.Func.Inst.Funcs[in.imm]
			ccd, ok := f.Code.(*code)
			base := fr.Base + in.a
			if !ok || stepping.Load() || env.Depth >= len(env.Frames) ||
				uint64(base)+uint64(ccd.maxHeight) > uint64(len(env.Slots)) {
				fr.PC = pc - 1
				return stSlow
			}
			fr.PC, fr.Offset = pc, cd.offsets[pc-1]
			top := base + ccd.maxHeight
			l = env.Slots[base:top]
			for i := ccd.nParams; i < ccd.nLocals; i++ {
				l[i] = 0
			}
			fr = &env.Frames[env.Depth]
			if fr.Func != f { // recursion reuses records: skip the pointer write
				fr.Func = f
			}
			fr.Base, fr.Top, fr.Offset, fr.PC, fr.Entry = base, top, ccd.entryOff, 0, false
			env.Depth++
			if intr.Load() != 0 {
				return stInterrupt
			}
			cd, ins, pc, mem = ccd, ccd.instrs, 0, ccd.mem
		case opReturn:
			if fr.Entry {
				fr.PC = pc - 1
				return stSlow
			}
			if in.a != 0 {
				moveDown(l, 0, in.a, in.c)
			}
			env.Depth--
			fr = &env.Frames[env.Depth-1]
			cd = fr.Func.Code.(*code)
			ins, pc, l, mem = cd.instrs, fr.PC, env.Slots[fr.Base:fr.Top], cd.mem
		default:
			fr.PC = pc - 1
			return stSlow
		}
		in = &ins[pc]
		pc++
		continue
	jump:
		// A fused compare-and-branch was taken.
		if t := uint32(in.imm); t >= pc {
			pc = t
		} else if intr.Load() != 0 {
			return backEdgeStop(fr, cd, pc, t)
		} else {
			pc = t
		}
		in = &ins[pc]
		pc++
	}
}

// isFast reports whether fast runs instructions of op (run hands it the
// instruction under a breakpoint then). Calls and returns are not
// included: fast leaves their slow cases to run, which would find the
// breakpoint again.
func isFast(o op) bool {
	switch o {
	case opCopy, opConst, opCopy2, opSelect, opGlobalGet, opGlobalSet,
		opBr, opBrIf, opBrUnless, opBrTable:
		return true
	}
	return o >= opFirstFast && o <= opLastFast
}
