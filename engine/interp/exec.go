package interp

import (
	"errors"

	"github.com/gcscope/gcscope/engine/runtime"
)

// regs loads the interpreter's registers from the top frame. The run loop
// keeps them in plain locals (closures would force them into memory) and
// reloads them after anything that changes frames.
func regs(env *runtime.ExecEnv) (*runtime.Frame, *code, []instr, uint32, []uint64, *runtime.Instance) {
	fr := &env.Frames[env.Depth-1]
	cd := fr.Func.Code.(*code)
	return fr, cd, cd.instrs, fr.PC, env.Slots[fr.Base:fr.Top], fr.Func.Inst
}

// commit records where a frame is, for the collector, the debugger and
// backtraces: pc is the resume point, the offset the current instruction's.
func commit(fr *runtime.Frame, cd *code, pc uint32) {
	fr.PC = pc
	fr.Offset = cd.offsets[pc-1]
}

func trapAt(env *runtime.ExecEnv, fr *runtime.Frame, cd *code, pc uint32, msg string) error {
	commit(fr, cd, pc)
	return &runtime.Trap{Msg: msg, Backtrace: env.Backtrace()}
}

// enter calls f with its arguments at slot base, the caller's position
// committed. A Wasm callee gets a new top frame; a host callee runs to
// completion (an exception it lets through is unwound here).
func (e *Engine) enter(env *runtime.ExecEnv, f *runtime.Func, base uint32) error {
	if f.Host != nil {
		err := e.callHost(env, f, base)
		var exc *runtime.Exception
		if errors.As(err, &exc) && exc.Ref != 0 {
			return e.unwind(env, exc.Ref)
		}
		return err
	}
	if err := e.push(env, f, base, false); err != nil {
		return err
	}
	if env.Interrupt.Load() != 0 {
		return interrupted(env)
	}
	return nil
}

// tail replaces the top frame fr with a call of f whose arguments are at
// frame slot a. It reports done when the replaced frame was the entry
// frame and the callee (a host function) has already returned.
func (e *Engine) tail(env *runtime.ExecEnv, fr *runtime.Frame, l []uint64, f *runtime.Func, a uint32) (done bool, err error) {
	n := slots(f.Type.Comp.Params) // a v128 argument takes two slots
	copy(l[:n], l[a:a+n])
	if f.Host != nil {
		// The host callee replaces this frame: it returns straight to our
		// caller, and an exception it throws is our caller's to catch.
		env.Depth--
		if fr.Entry {
			return true, e.callHost(env, f, fr.Base)
		}
		return false, e.enter(env, f, fr.Base)
	}
	base, entry := fr.Base, fr.Entry
	env.Depth--
	if err := e.push(env, f, base, entry); err != nil {
		env.Depth++
		return false, err
	}
	if env.Interrupt.Load() != 0 {
		return false, interrupted(env)
	}
	return false, nil
}

// run executes from the top frame until the entry frame returns. Calls,
// returns, tail calls and exceptions move between frames inside this one
// loop, so Wasm recursion never grows the Go stack. fast (exec_fast.go)
// runs everything it can; this loop runs one instruction it cannot, then
// hands back.
func (e *Engine) run(env *runtime.ExecEnv) error {
	var first *instr
	// cur is the instruction run executes, copied out of the code: an
	// allocation, an atomic wait or a call can park this thread while the
	// debugger patches the code (world stopped), and a pointer into
	// cd.instrs would then read the opBreak's zero operands for the rest
	// of the instruction (results written to slot 0, fields from slot 0).
	var cur instr
	for {
		switch fast(env, &e.stepping, first) {
		case stInterrupt:
			if err := interrupted(env); err != nil {
				return err
			}
			first = nil
			continue
		case stMemOOB:
			fr := &env.Frames[env.Depth-1]
			return trapAt(env, fr, fr.Func.Code.(*code), fr.PC, msgMemOOB)
		}
		first = nil
		fr, cd, ins, pc, l, inst := regs(env)
		cur = ins[pc]
		in := &cur
		pc++
	dispatch:
		switch in.op {
		case opNum1:
			l[in.a] = numTable[in.imm](l[in.b], 0)
		case opNum2:
			l[in.a] = numTable[in.imm](l[in.b], l[in.c])
		case opNumTrap, opNumTrap1, opI32DivS, opI32DivU, opI32RemS, opI32RemU,
			opI64DivS, opI64DivU, opI64RemS, opI64RemU:
			y := uint64(0)
			if in.op != opNumTrap1 {
				y = l[in.a+1]
			}
			v, msg := trapTable[in.imm](l[in.a], y)
			if msg != "" {
				return trapAt(env, fr, cd, pc, msg)
			}
			l[in.a] = v
		case opLoad:
			v, ok := memLoad(inst.Mems[in.b], l[in.a], in.imm, in.c)
			if !ok {
				return trapAt(env, fr, cd, pc, msgMemOOB)
			}
			l[in.a] = v
		case opStore:
			if !memStore(inst.Mems[in.b], l[in.a], in.imm, in.c, l[in.a+1]) {
				return trapAt(env, fr, cd, pc, msgMemOOB)
			}
		case opReturn:
			if in.c > 0 && in.a != 0 {
				copy(l[:in.c], l[in.a:in.a+in.c])
			}
			env.Depth--
			if fr.Entry {
				return nil
			}
			fr, _, _, pc, _, _ = regs(env) // the new top frame: fast resumes it
		case opCall:
			// fast makes the common calls; these are host functions,
			// calls while stepping, and stack overflows.
			commit(fr, cd, pc)
			if err := e.enter(env, inst.Funcs[in.imm], fr.Base+in.a); err != nil {
				return err
			}
			fr, _, _, pc, _, _ = regs(env) // the new top frame: fast resumes it
		case opReturnCall:
			commit(fr, cd, pc)
			if done, err := e.tail(env, fr, l, inst.Funcs[in.imm], in.a); done || err != nil {
				return err
			}
			fr, _, _, pc, _, _ = regs(env) // the new top frame: fast resumes it
		case opCallIndirect, opReturnCallIndirect, opCallRef, opReturnCallRef:
			f, msg := e.callee(env.Store, inst, in, l)
			if msg != "" {
				return trapAt(env, fr, cd, pc, msg)
			}
			commit(fr, cd, pc)
			if in.op == opCallIndirect || in.op == opCallRef {
				if err := e.enter(env, f, fr.Base+in.a); err != nil {
					return err
				}
			} else if done, err := e.tail(env, fr, l, f, in.a); done || err != nil {
				return err
			}
			fr, _, _, pc, _, _ = regs(env) // the new top frame: fast resumes it
		case opUnreachable:
			return trapAt(env, fr, cd, pc, "unreachable")
		case opBrOnNull, opBrOnNonNull:
			if (l[in.d] == 0) == (in.op == opBrOnNull) {
				if in.c > 0 {
					copy(l[in.b:in.b+in.c], l[in.a:in.a+in.c])
				}
				pc = uint32(in.imm)
			}
		case opBrOnCast, opBrOnCastFail:
			ci := &cd.casts[in.imm>>32]
			if refTest(env.Store, runtime.Ref(l[in.d]), ci) == (in.op == opBrOnCast) {
				if in.c > 0 {
					copy(l[in.b:in.b+in.c], l[in.a:in.a+in.c])
				}
				pc = uint32(in.imm)
			}
		case opThrow, opThrowRef, opRethrow:
			commit(fr, cd, pc)
			var exn runtime.Ref
			if in.op == opThrow {
				var err error
				if exn, err = newException(env.Store, inst.Tags[in.b], l[in.a:]); err != nil {
					return trapAt(env, fr, cd, pc, allocFailure(err))
				}
			} else if exn = runtime.Ref(l[in.a]); exn == 0 {
				return trapAt(env, fr, cd, pc, "null exception reference")
			}
			if err := e.unwind(env, exn); err != nil {
				return err
			}
			fr, _, _, pc, _, _ = regs(env) // the new top frame: fast resumes it
		case opBreak:
			commit(fr, cd, pc)
			if env.OnBreak != nil {
				if err := env.OnBreak(env); err != nil {
					return err
				}
			}
			// Run the instruction underneath (the hook may have removed
			// the breakpoint meanwhile).
			orig, ok := cd.orig[pc-1]
			if !ok {
				orig = ins[pc-1]
			}
			if isFast(orig.op) {
				first = &orig
				continue
			}
			in = &orig
			goto dispatch
		default:
			if in.op >= opStructNew && in.op <= opArrayInitElem || in.op == opAtomic {
				commit(fr, cd, pc) // allocations and atomic waits are safepoints
			}
			if msg := e.other(env, inst, cd, in, l); msg != "" {
				if msg == exitTrap {
					return env.Store.Failure()
				}
				return trapAt(env, fr, cd, pc, msg)
			}
		}
		// Resume in fast (after a call or return fr and pc are the new
		// top frame's, so this rewrites what is there).
		fr.PC = pc
	}
}
