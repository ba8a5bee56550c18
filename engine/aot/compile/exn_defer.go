package compile

import (
	"github.com/llir/llvm/ir/enum"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Deferring the test after a call. When no handler of the function covers
// a call, a pending exception only has to stop the function before it
// does anything observable; returning with placeholder results is what
// the unwinding does anyway. So the test is owed, not emitted, while pure
// instructions follow (arithmetic that cannot trap, locals, constants),
// through block ends, and up to the return: fib's `call + call` then still
// ends in `ret (add x call)`, which LLVM turns into a loop (tail recursion
// with an accumulator) as in a module without exceptions. Anything else
// (a trap, a store, a call, a branch to a label that is not the return,
// a loop header, a handler) pays the test first. A test is always
// correct, so erring towards one is safe.

// deferTest reports whether the test after a call can be owed.
func (f *funcGen) deferTest() bool {
	// A debug build stops before the next instruction: the exception
	// must have left by then, as in the interpreter.
	if f.g.dbg != nil || f.unwindTarget() != f.propagateBlock() {
		return false
	}
	f.exn.owed = true
	return true
}

// payTest emits an owed test.
func (f *funcGen) payTest() {
	f.exn.owed = false
	tc := f.loadEnv(envTrapCode)
	cont := f.newBlock()
	f.cur.NewCondBr(f.cur.NewICmp(enum.IPredNE, tc, i64c(0)), f.unwindTarget(), cont)
	f.cur = cont
}

// settleTest runs before each instruction: it carries an owed test past
// in, or pays it.
func (f *funcGen) settleTest(in *w.Instr) {
	if !f.g.exn.test {
		return
	}
	top := f.ctrls[len(f.ctrls)-1]
	switch in.Op {
	case w.OpCatch, w.OpCatchAll:
		if f.dead {
			f.exn.owed = false // a debt of dead code: the catch body starts clear
			return
		}
	case w.OpElse:
		// The then arm's debt waits at the end; the else arm starts clear
		// (a test was paid before the if).
		if f.exn.owed && !f.dead {
			f.owedAtEnd(top)
		}
		f.exn.owed = false
		return
	case w.OpEnd:
		if len(f.ctrls) == 1 {
			return // the function returns
		}
		owed := f.exn.owed && !f.dead
		if f.exn.owedEnd[top] {
			owed = true
			delete(f.exn.owedEnd, top)
		}
		f.exn.owed = owed
		return
	}
	if !f.exn.owed || f.dead {
		return
	}
	switch {
	case pureOp(in.Op), in.Op == w.OpBlock, in.Op == w.OpReturn:
		return
	case (in.Op == w.OpBr || in.Op == w.OpBrIf) && int(in.Index) == len(f.ctrls)-1:
		return // a return
	}
	f.payTest()
}

func (f *funcGen) owedAtEnd(c *ctrl) {
	if f.exn.owedEnd == nil {
		f.exn.owedEnd = map[*ctrl]bool{}
	}
	f.exn.owedEnd[c] = true
}

// pureOp: instructions with no effect the caller could observe and no
// trap.
func pureOp(op w.Opcode) bool {
	switch op {
	case w.OpNop, w.OpDrop, w.OpSelect, w.OpSelectT, w.OpLocalGet, w.OpLocalSet, w.OpLocalTee,
		w.OpGlobalGet, w.OpRefNull, w.OpRefIsNull:
		return true
	}
	switch {
	case op >= w.OpI32DivS && op <= w.OpI32RemU, op >= w.OpI64DivS && op <= w.OpI64RemU,
		op >= w.OpI32TruncF32S && op <= w.OpI32TruncF64U, op >= w.OpI64TruncF32S && op <= w.OpI64TruncF64U:
		return false
	}
	return op >= w.OpI32Const && op <= w.OpI64Extend32S
}
