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
// This trusts that values entering Wasm match their static types: the
// runtime checks arguments from the host (Store.argMismatch) and host
// functions' results (callHost, both tiers) for null where the type is
// non-nullable, and everything else comes from validated code.

// nullState is the module's validation info for operand types, made on
// the first function that needs it.
type nullState struct {
	info   *validate.Info
	failed bool             // validation failed: keep every check
	facts  map[int][]uint64 // per defined function, for its levels (recinline.go)
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

// nullFacts returns a bit per instruction of defined function i: set when
// the operand the instruction checks for null is of a non-nullable type.
// It is nil when no instruction of the body qualifies (or validation
// failed, which a compiled module never does).
func (g *modGen) nullFacts(i int) []uint64 {
	if facts, ok := g.nulls.facts[i]; ok {
		return facts
	}
	facts := g.computeNullFacts(i)
	if g.nulls.facts == nil {
		g.nulls.facts = map[int][]uint64{}
	}
	g.nulls.facts[i] = facts
	return facts
}

func (g *modGen) computeNullFacts(i int) []uint64 {
	body := g.m.Funcs[i].Body
	if !hasNullCheckedOp(body) {
		return nil
	}
	if g.nulls.info == nil && !g.nulls.failed {
		info, err := validate.Analyze(g.m, validate.Options{})
		g.nulls.info, g.nulls.failed = info, err != nil
	}
	if g.nulls.failed {
		return nil
	}
	facts := make([]uint64, (len(body)+63)/64)
	err := g.nulls.info.Operands(i, func(pc int, operands []wasm.ValType, unreachable bool) {
		d := checkedOperand(body[pc].Op)
		if d < 0 || unreachable || d >= len(operands) {
			return
		}
		if t := operands[len(operands)-1-d]; t.Kind == wasm.KindRef && !t.Nullable {
			facts[pc/64] |= 1 << (pc % 64)
		}
	})
	if err != nil {
		return nil
	}
	return facts
}

func hasNullCheckedOp(body []wasm.Instr) bool {
	for k := range body {
		if checkedOperand(body[k].Op) >= 0 {
			return true
		}
	}
	return false
}

// operandNonNull says the instruction being translated checks an operand
// validation proved non-null.
func (f *funcGen) operandNonNull() bool {
	pc := f.fr.pc
	return pc >= 0 && pc/64 < len(f.nonNull) && f.nonNull[pc/64]&(1<<(pc%64)) != 0
}
