package interp

import (
	"errors"

	"github.com/gcscope/gcscope/engine/runtime"
)

// run executes from the top frame until the entry frame returns. Calls,
// returns, tail calls and exceptions move between frames inside this one
// loop, so Wasm recursion never grows the Go stack.
func (e *Engine) run(env *runtime.ExecEnv) error {
	var (
		fr   *runtime.Frame
		cd   *code
		ins  []instr
		pc   uint32
		l    []uint64
		inst *runtime.Instance
	)
	load := func() {
		fr = &env.Frames[env.Depth-1]
		cd = fr.Func.Code.(*code)
		ins = cd.instrs
		pc = fr.PC
		l = env.Slots[fr.Base:fr.Top]
		inst = fr.Func.Inst
	}
	// commit records where the top frame is, for the collector, the
	// debugger and backtraces.
	commit := func() {
		fr.PC = pc
		fr.Offset = cd.offsets[pc-1]
	}
	trap := func(msg string) error {
		commit()
		return &runtime.Trap{Msg: msg, Backtrace: env.Backtrace()}
	}
	// throw unwinds to the handler of exception object exn; it returns a
	// non-nil error when the exception leaves this loop.
	throw := func(exn runtime.Ref) error {
		commit()
		if err := e.unwind(env, exn); err != nil {
			return err
		}
		load()
		return nil
	}
	// enter calls f with arguments at frame slot a.
	enter := func(f *runtime.Func, a uint32) error {
		commit()
		if f.Host != nil {
			err := e.callHost(env, f, fr.Base+a)
			var exc *runtime.Exception
			if errors.As(err, &exc) && exc.Ref != 0 {
				return throw(exc.Ref)
			}
			return err
		}
		if err := e.push(env, f, fr.Base+a, false); err != nil {
			return err
		}
		load()
		if env.Interrupt.Load() != 0 {
			return interrupted(env)
		}
		return nil
	}
	// tail replaces the current frame with a call of f, its arguments at
	// frame slot a.
	tail := func(f *runtime.Func, a uint32) (done bool, err error) {
		n := uint32(len(f.Type.Comp.Params))
		copy(l[:n], l[a:a+n])
		if f.Host != nil {
			// A host callee returns straight to our caller.
			if err := enter(f, 0); err != nil {
				return false, err
			}
			env.Depth--
			if fr.Entry {
				return true, nil
			}
			load()
			return false, nil
		}
		commit()
		base, entry := fr.Base, fr.Entry
		env.Depth--
		if err := e.push(env, f, base, entry); err != nil {
			env.Depth++
			return false, err
		}
		load()
		if env.Interrupt.Load() != 0 {
			return false, interrupted(env)
		}
		return false, nil
	}
	load()
	for {
		in := &ins[pc]
		pc++
		switch in.op {
		case opCopy:
			l[in.a] = l[in.b]
		case opConst:
			l[in.a] = in.imm
		case opNum1:
			l[in.a] = numTable[in.imm](l[in.a], 0)
		case opNum2:
			l[in.a] = numTable[in.imm](l[in.a], l[in.a+1])
		case opNumTrap:
			v, msg := trapTable[in.imm](l[in.a], l[in.a+1])
			if msg != "" {
				return trap(msg)
			}
			l[in.a] = v
		case opNumTrap1:
			v, msg := trapTable[in.imm](l[in.a], 0)
			if msg != "" {
				return trap(msg)
			}
			l[in.a] = v
		case opLoad:
			v, ok := memLoad(inst.Mems[in.b], l[in.a], in.imm, in.c)
			if !ok {
				return trap("out of bounds memory access")
			}
			l[in.a] = v
		case opStore:
			if !memStore(inst.Mems[in.b], l[in.a], in.imm, in.c, l[in.a+1]) {
				return trap("out of bounds memory access")
			}
		case opGlobalGet:
			l[in.a] = inst.Globals[in.b].Bits
		case opGlobalSet:
			inst.Globals[in.b].Bits = l[in.a]
		case opSelect:
			if uint32(l[in.a+2]) == 0 {
				l[in.a] = l[in.a+1]
			}
		case opBr:
			if in.c > 0 {
				copy(l[in.b:in.b+in.c], l[in.a:in.a+in.c])
			}
			if t := uint32(in.imm); t < pc {
				if env.Interrupt.Load() != 0 {
					commit()
					if err := interrupted(env); err != nil {
						return err
					}
				}
			}
			pc = uint32(in.imm)
		case opBrIf:
			if uint32(l[in.d]) != 0 {
				if in.c > 0 {
					copy(l[in.b:in.b+in.c], l[in.a:in.a+in.c])
				}
				if t := uint32(in.imm); t < pc && env.Interrupt.Load() != 0 {
					commit()
					if err := interrupted(env); err != nil {
						return err
					}
				}
				pc = uint32(in.imm)
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
			if t.n > 0 {
				copy(l[t.dst:t.dst+t.n], l[t.src:t.src+t.n])
			}
			if t.pc < pc && env.Interrupt.Load() != 0 {
				commit()
				if err := interrupted(env); err != nil {
					return err
				}
			}
			pc = t.pc
		case opReturn:
			if in.c > 0 && in.a != 0 {
				copy(l[:in.c], l[in.a:in.a+in.c])
			}
			env.Depth--
			if fr.Entry {
				return nil
			}
			load()
		case opCall:
			if err := enter(inst.Funcs[in.imm], in.a); err != nil {
				return err
			}
		case opReturnCall:
			if done, err := tail(inst.Funcs[in.imm], in.a); done || err != nil {
				return err
			}
		case opCallIndirect, opReturnCallIndirect, opCallRef, opReturnCallRef:
			f, msg := e.callee(env.Store, inst, in, l)
			if msg != "" {
				return trap(msg)
			}
			if in.op == opCallIndirect || in.op == opCallRef {
				if err := enter(f, in.a); err != nil {
					return err
				}
			} else if done, err := tail(f, in.a); done || err != nil {
				return err
			}
		case opUnreachable:
			return trap("unreachable")
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
		case opThrow:
			commit()
			exn, err := newException(env.Store, inst.Tags[in.b], l[in.a:])
			if err != nil {
				return trap(err.Error())
			}
			if err := throw(exn); err != nil {
				return err
			}
		case opThrowRef, opRethrow:
			exn := runtime.Ref(l[in.a])
			if exn == 0 {
				return trap("null exception reference")
			}
			if err := throw(exn); err != nil {
				return err
			}
		default:
			if in.op >= opStructNew && in.op <= opArrayInitElem {
				commit() // allocations are safepoints
			}
			msg := e.other(env, inst, cd, in, l)
			if msg != "" {
				return trap(msg)
			}
		}
	}
}
