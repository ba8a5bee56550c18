package debugger

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// The operand stack in expressions: $stack[i] is the selected frame's
// operand i as the stack command numbers them (0 the bottom), and a
// negative i counts from the top ($stack[-1] is the top), so a breakpoint
// condition can test what an instruction is about to consume. A local or
// global named $stack hides it.

// isStackName reports whether an identifier names the operand stack.
func isStackName(name string) bool { return strings.TrimPrefix(name, "$") == "stack" }

// stackHelp is what to write instead of a bare $stack.
const stackHelp = "$stack is the operand stack: index it, $stack[0] is the bottom operand and $stack[-1] the top (see stack)"

// operand evaluates $stack[i] in the selected frame.
func (c *evalCtx) operand(n *indexN) (val, error) {
	if n.slice {
		return val{}, fmt.Errorf("%s: operands are read one at a time (see stack for all of them)", n)
	}
	fr, ok := c.frame()
	if !ok || fr.Func == nil || fr.Func.Def == nil {
		return val{}, fmt.Errorf("%s: the selected frame has no operand stack", n)
	}
	shape, err := c.s.eng.Shape(fr.Func, fr.Offset)
	if err != nil {
		return val{}, err
	}
	iv, err := c.eval(n.i)
	if err != nil {
		return val{}, err
	}
	k, _, isF, err := number(iv, n.i)
	if err != nil || isF {
		return val{}, fmt.Errorf("index %s is not an integer", n.i)
	}
	depth := int64(len(shape.Operands))
	if k < 0 {
		k += depth
	}
	if k < 0 || k >= depth {
		return val{}, fmt.Errorf("%s out of range: the operand stack holds %d ($stack[0] is the bottom, $stack[-1] the top)", n, depth)
	}
	slot := operandBase(shape)
	for _, t := range shape.Operands[:k] {
		slot += uint32(runtime.Slots(t))
	}
	t := shape.Operands[k]
	st := operandView(t)
	lv := &lvalue{kind: "operand", name: fmt.Sprintf("$stack[%d]", k), slot: fr.Base + slot,
		storage: wasm.StorageType{Val: st}, mutable: true}
	lv.why = c.operandFixed(int(k), shape.SetFrom, t)
	return val{v: readSlot(c.env, fr.Base+slot, st), lv: lv}, nil
}

// operandFixed says why operand k (of type t, in a frame whose code reads
// back the operands from setFrom up) cannot be set, or "" when it can.
// Only the frame stopped at an instruction (a breakpoint or a step, not a
// pause, which may find the thread in an allocation or a host call, nor
// another thread, parked wherever it was) is sure to read its operands
// back from their slots; the same rule holds on both engines, so a
// transcript reads the same on each.
func (c *evalCtx) operandFixed(k, setFrom int, t wasm.ValType) string {
	name := fmt.Sprintf("$stack[%d]", k)
	last := c.s.last
	switch {
	case last == nil || last.Thread != threadID(c.env):
		return name + " is in a thread parked by the stop: operands can be set in the stopped thread only"
	case last.Reason == ReasonPause:
		return name + " cannot be set after a pause, which may find the thread between instructions: step or break at an instruction first"
	case c.cur != 0:
		return name + " is in a caller's frame: operands can be set in the innermost frame only (its callees hold the rest of its stack)"
	case t.IsRef():
		return name + " is a reference: the code relies on its exact type, which the frame does not record, so only numbers can be set"
	case k < setFrom:
		return fmt.Sprintf("%s cannot be set here: the compiled code reads back only operands from $stack[%d] up when it resumes (below the innermost block, or a function keeping its operands as pushed; docs/debugger.md \"Operands\")", name, setFrom)
	}
	return ""
}
