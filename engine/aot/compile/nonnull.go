package compile

import (
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Null checks on non-nullable operands.
//
// The translation keeps no operand types, so every instruction that traps
// on a null reference (struct.get/set, array.get/set/len, i31.get,
// call_ref, return_call_ref, ref.as_non_null) would test its operand even
// when validation proved it a (ref $t), which no execution makes null:
// shapes' virtual calls tested the receiver, its vtable and the method.
// The validator computes those types anyway; replaying one function's
// check (validate.Info.Operands) gives the operand stack before each
// instruction, from which nullFacts keeps one bit per instruction: its
// checked operand is non-nullable, so nullCheck emits nothing.
//
// Casts (ref.test, ref.cast, br_on_cast, br_on_cast_fail) use the same
// replay: an operand proved non-null needs no null test, and one whose
// heap type is a struct, array or function type (or below one) is never
// an i31, so the cast reads the object's header without testing its low
// bit (shapes' methods cast their (ref $shape) receiver down).
//
// This trusts that values entering Wasm match their static types: the
// runtime checks arguments from the host (Store.argMismatch) and host
// functions' results (callHost, both tiers) for null where the type is
// non-nullable, and everything else comes from validated code.

// nullState is what non-null facts keep for the module.
type nullState struct {
	info   *validate.Info       // the module's validation info (analysis)
	failed error                // why validation failed, if it did
	facts  map[int]operandFacts // per defined function, for its levels (recinline.go)
}

// analysis returns the module's validation info (operand types and
// stack depths), made once, on first use: the non-null facts and, in
// debug builds, operandHomes read it.
func (g *modGen) analysis() (*validate.Info, error) {
	if g.nulls.info == nil && g.nulls.failed == nil {
		g.nulls.info, g.nulls.failed = validate.Analyze(g.m, validate.Options{})
		if g.nulls.failed != nil {
			g.nulls.info = nil
		}
	}
	return g.nulls.info, g.nulls.failed
}

// operandFacts holds a bit per instruction of a function body: the
// operand it checks or casts is non-null (nonNull), is never an i31
// (notI31, casts only).
type operandFacts struct{ nonNull, notI31 []uint64 }

func setBit(bits []uint64, pc int) { bits[pc/64] |= 1 << (pc % 64) }

func hasBit(bits []uint64, pc int) bool {
	return pc >= 0 && pc/64 < len(bits) && bits[pc/64]&(1<<(pc%64)) != 0
}

// checkedOperand returns how deep below the top of the stack the operand
// op tests for null lies, or -1 if op tests none inline.
func checkedOperand(op wasm.Opcode) int {
	switch op {
	case wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU, wasm.OpArrayLen,
		wasm.OpI31GetS, wasm.OpI31GetU, wasm.OpRefAsNonNull, wasm.OpCallRef, wasm.OpReturnCallRef:
		return 0
	case wasm.OpStructSet, wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
		return 1
	case wasm.OpArraySet:
		return 2
	}
	return -1
}

// castOperand says op casts or tests the reference on top of the stack.
func castOperand(op wasm.Opcode) bool {
	switch op {
	case wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull, wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		return true
	}
	return false
}

// neverI31 says no value of heap type h is an i31: concrete types (struct,
// array and function types) and the struct, array and function
// hierarchies. Externrefs may hold one (extern.convert_any).
func neverI31(h wasm.HeapType) bool {
	switch h {
	case wasm.HeapStruct, wasm.HeapArray, wasm.HeapFunc, wasm.HeapNoFunc, wasm.HeapNone:
		return true
	}
	return !h.IsAbstract()
}

// nullFacts returns a bit per instruction of defined function i: set when
// the operand the instruction checks for null is of a non-nullable type.
// It is nil when no instruction of the body qualifies (or validation
// failed, which a compiled module never does).
func (g *modGen) nullFacts(i int) operandFacts {
	if facts, ok := g.nulls.facts[i]; ok {
		return facts
	}
	facts := g.computeNullFacts(i)
	if g.nulls.facts == nil {
		g.nulls.facts = map[int]operandFacts{}
	}
	g.nulls.facts[i] = facts
	return facts
}

func (g *modGen) computeNullFacts(i int) operandFacts {
	body := g.m.Funcs[i].Body
	if !hasNullCheckedOp(body) {
		return operandFacts{}
	}
	if _, err := g.analysis(); err != nil {
		return operandFacts{} // keep every check
	}
	n := (len(body) + 63) / 64
	facts := operandFacts{nonNull: make([]uint64, n), notI31: make([]uint64, n)}
	err := g.nulls.info.Operands(i, func(pc int, operands []wasm.ValType, unreachable bool) {
		op := body[pc].Op
		d := checkedOperand(op)
		cast := castOperand(op)
		if cast {
			d = 0
		}
		if d < 0 || unreachable || d >= len(operands) {
			return
		}
		t := operands[len(operands)-1-d]
		if t.Kind != wasm.KindRef {
			return
		}
		if !t.Nullable {
			setBit(facts.nonNull, pc)
		}
		if cast && neverI31(t.Heap) {
			setBit(facts.notI31, pc)
		}
	})
	if err != nil {
		return operandFacts{}
	}
	return facts
}

func hasNullCheckedOp(body []wasm.Instr) bool {
	for k := range body {
		if checkedOperand(body[k].Op) >= 0 || castOperand(body[k].Op) {
			return true
		}
	}
	return false
}

// operandNonNull says the instruction being translated checks an operand
// validation proved non-null.
func (f *funcGen) operandNonNull() bool { return hasBit(f.opFacts.nonNull, f.fr.pc) }

// operandNotI31 says the cast being translated has an operand that is
// never an i31.
func (f *funcGen) operandNotI31() bool { return hasBit(f.opFacts.notI31, f.fr.pc) }
