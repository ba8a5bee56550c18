package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// HelperCallingConv is the convention compiled code calls the helper
// table's entries with: LLVM's preserve_most, under which the callee
// keeps every general-purpose register but r11. Helper calls are mostly
// on cold paths (a stack or interrupt check, a cast or allocation that
// needs the runtime, a trap); with the C convention every value live
// across one needed a callee-saved register, so even a three-instruction
// method pushed and popped six of them. The native package's table holds
// thunks that give the C helpers this convention.
const HelperCallingConv = enum.CallingConvPreserveMost

// helperCalls remembers the helper pointers a function loaded (helper),
// so that the calls through them get HelperCallingConv once the body is
// complete, wherever they were emitted.
type helperCalls map[*ir.InstIntToPtr]bool

// PlainCHelper reports whether helper k is called with the C convention:
// memory.fill and memory.copy, which are memset and memmove on the hot
// path of their instructions (a thunk would add sixteen stack operations
// to every small copy), and take no live values across them worth a
// register.
func PlainCHelper(k int) bool { return k == HelperMemFill || k == HelperMemCopy }

// mark records p, the pointer to helper k, unless k keeps the C
// convention, and returns it.
func (h *helperCalls) mark(k int, p *ir.InstIntToPtr) *ir.InstIntToPtr {
	if PlainCHelper(k) {
		return p
	}
	if *h == nil {
		*h = helperCalls{}
	}
	(*h)[p] = true
	return p
}

// apply sets the calling convention of every call in fn through a
// recorded helper pointer.
func (h helperCalls) apply(fn *ir.Func) {
	if len(h) == 0 {
		return
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Insts {
			if c, ok := in.(*ir.InstCall); ok {
				if p, ok := c.Callee.(*ir.InstIntToPtr); ok && h[p] {
					c.CallingConv = HelperCallingConv
				}
			}
		}
	}
}

// callOpHelperIn calls the op helper (op, imm, slots) in block b of an
// out-of-line routine whose env parameter is env (alloc_outline.go,
// debug_stop_outline.go), with HelperCallingConv: the routines have no
// funcGen, hence no helper memo or hcalls.
func callOpHelperIn(b *ir.Block, env, op, imm, slots valueT) *ir.InstCall {
	tbl := b.NewIntToPtr(b.NewLoad(types.I64, b.NewGetElementPtr(types.I64, env, i64c(envHelpers))), slotPtr)
	hp := b.NewLoad(types.I64, b.NewGetElementPtr(types.I64, tbl, i64c(HelperOp)))
	h := b.NewIntToPtr(hp, types.NewPointer(types.NewFunc(types.I64, envPtr, types.I64, types.I64, slotPtr)))
	c := b.NewCall(h, env, op, imm, slots)
	c.CallingConv = HelperCallingConv
	return c
}
