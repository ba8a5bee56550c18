package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// In release builds the conditional traps of a function (null, bounds and
// cast checks...) with the same code share one cold block that calls the
// trap helper, the offset arriving through a phi: the call takes the
// offset as an argument and for the frame header the backtrace reads,
// and release traps write nothing else (debug builds commit the frame at
// each trap, so they keep a block per site).
// A large function had one ten-instruction block per check.

// sharedTrap names the trap block of one code and frame top, and
// whether the block pays an owed header (recowed.go): one made where the
// path had paid it stores none, so it must not serve a path that owes.
type sharedTrap struct {
	code  int
	next  valueT
	owing bool
}

// trapBlock is a shared trap block and its offset phi.
type trapBlock struct {
	b   *ir.Block
	phi *ir.InstPhi
}

// sharedTrapIf branches to the shared trap block of code when cond holds
// and continues in a new current block; it reports false in debug
// builds, where trapIf emits its own block.
func (f *funcGen) sharedTrapIf(cond valueT, code int) bool {
	if f.g.dbg != nil || f.specOn() {
		return false
	}
	if f.traps == nil {
		f.traps = map[sharedTrap]trapBlock{}
	}
	key := sharedTrap{code, f.next, f.owesHeader() && !f.rec.paid}
	off := i64c(int64(f.curOff))
	t, ok := f.traps[key]
	if !ok {
		b := f.newBlock()
		phi := b.NewPhi(ir.NewIncoming(off, f.cur))
		cur, mm := f.cur, f.mm
		f.cur = b
		if f.top != nil {
			// The backtrace reads the header (release prologues store
			// none): the function and the offset of the failing check.
			f.cur.NewStore(f.cur.NewOr(i64c(f.fid<<32), phi), f.top)
		}
		f.publishTop()
		h := f.helper(HelperTrap, types.Void, envPtr, types.I64, types.I64)
		c := f.cur.NewCall(h, f.env, i64c(int64(code)), phi)
		c.FuncAttrs = append(c.FuncAttrs, enum.FuncAttrNoReturn)
		f.cur.NewUnreachable()
		f.cur, f.mm = cur, mm
		t = trapBlock{b, phi}
		f.traps[key] = t
	} else {
		t.phi.Incs = append(t.phi.Incs, ir.NewIncoming(off, f.cur))
	}
	cont := f.newBlock()
	f.cur.NewCondBr(cond, t.b, cont)
	f.cur = cont
	return true
}

// finishTraps gives a trap block reached from one check its offset as a
// constant: a phi of one value would cost a move and, at -O0, a spill.
func (f *funcGen) finishTraps() {
	for _, t := range f.traps {
		if len(t.phi.Incs) != 1 {
			continue
		}
		for _, in := range t.b.Insts {
			switch in := in.(type) {
			case *ir.InstCall:
				if len(in.Args) == 3 && in.Args[2] == t.phi {
					in.Args[2] = t.phi.Incs[0].X
				}
			case *ir.InstOr:
				if in.Y == t.phi {
					in.Y = t.phi.Incs[0].X
				}
			}
		}
		t.b.Insts = t.b.Insts[1:] // the phi comes first
	}
}
