package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Tail calls (docs/aot-compiler.md, "Tail calls"). Functions that make a
// return_call, return_call_indirect or return_call_ref, and those they may tail-call, use
// LLVM's tailcc convention, under which a call marked `tail` right before
// `ret` is always compiled as a jump (callee-pops, so the signatures may
// differ, unlike musttail). The callee writes its frame header where the
// caller's was (it gets the caller's own top), so both the native stack
// and the frame-header stack stay constant. Other functions keep the C
// convention: their code is what it was.

// maxIndirectTargets bounds the functions a return_call_indirect
// dispatches to natively; beyond that it calls through the helper.
const maxIndirectTargets = 256

// OpResolveTail is the op helper operation that resolves a
// return_call_indirect's callee (code compiled now resolves it natively;
// the loader still serves it) (imm: table | type<<32, slots[0]: the
// element): it traps as call_indirect does, and returns the callee's
// defined index when it is this instance's native code, else -1.
const OpResolveTail = wasm.OpReturnCallIndirect

// useTailConv switches the functions that make or receive tail calls,
// and every call to them, to tailcc; the others keep the C convention.
func (g *modGen) useTailConv() {
	internal := g.tail
	for fn := range internal {
		fn.CallingConv = enum.CallingConvTail
	}
	for _, fn := range g.mod.Funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Insts {
				if c, ok := in.(*ir.InstCall); ok {
					if callee, ok := c.Callee.(*ir.Func); ok && internal[callee] {
						c.CallingConv = enum.CallingConvTail
					}
				}
			}
		}
	}
}

// tailCall translates return_call, return_call_indirect and
// return_call_ref (tailcall_ref.go).
func (f *funcGen) tailCall(in *wasm.Instr) error {
	if f.dead {
		return nil
	}
	switch in.Op {
	case wasm.OpReturnCall:
		ft, err := f.g.funcType(in.Index)
		if err != nil {
			return err
		}
		if int(in.Index) < f.g.nImpFunc {
			// An import runs through the call helper: no native frames
			// to reuse; its results are ours, and so is its exception.
			f.exn.inTail = true
			defer func() { f.exn.inTail = false }()
			if err := f.call(&wasm.Instr{Op: wasm.OpCall, Index: in.Index, Offset: in.Offset}); err != nil {
				return err
			}
			f.branch(len(f.ctrls) - 1)
		} else {
			f.tailJump(f.g.funcs[int(in.Index)-f.g.nImpFunc], f.popN(len(ft.Params)))
		}
	case wasm.OpReturnCallIndirect:
		if err := f.tailIndirect(in); err != nil {
			return err
		}
	case wasm.OpReturnCallRef:
		if err := f.tailCallRef(in); err != nil {
			return err
		}
	default:
		return unsupported("tail call %s", in.Op)
	}
	f.dead = true
	return nil
}

// tailJump ends the block with a guaranteed tail call of callee, which
// takes over this frame's header slot and, for several results, the out
// pointer.
func (f *funcGen) tailJump(callee *ir.Func, args []valueT) {
	cargs := append([]valueT{f.env, f.inTop}, args...)
	if f.out != nil {
		cargs = append(cargs, f.out)
	}
	if f.g.tail == nil {
		f.g.tail = map[*ir.Func]bool{}
	}
	f.g.tail[f.fn], f.g.tail[callee] = true, true
	c := f.cur.NewCall(callee, cargs...)
	c.Tail = enum.TailTail
	c.CallingConv = enum.CallingConvTail
	if callee.Sig.RetType == types.Void {
		f.cur.NewRet(nil)
	} else {
		f.cur.NewRet(c)
	}
}

// tailIndirect resolves the element natively (resolveIndirect); when it
// is one of this module's functions of the same signature, a switch
// tail-calls it, otherwise the call goes through call_indirect and returns.
func (f *funcGen) tailIndirect(in *wasm.Instr) error {
	if int(in.Index) >= len(f.g.m.Types) || f.g.m.Types[in.Index].Comp.Kind != wasm.CompFunc {
		return unsupported("return_call_indirect type %d", in.Index)
	}
	ft := &f.g.m.Types[in.Index].Comp
	for _, t := range append(append([]wasm.ValType{}, ft.Params...), ft.Results...) {
		if _, err := llType(t); err != nil {
			return err
		}
	}
	var cands []int
	for k := range f.g.funcs {
		if sameSig(f.g.m, uint32(f.g.nImpFunc+k), ft) && len(cands) < maxIndirectTargets {
			cands = append(cands, k)
		}
	}
	elem := f.stack[len(f.stack)-1]
	args := f.stack[len(f.stack)-1-len(ft.Params) : len(f.stack)-1]
	slow := f.newBlock()
	if len(cands) > 0 {
		f.commit()
		k := f.resolveIndirect(in.Index2, in.Index, f.to64(elem))
		var cases []*ir.Case
		from := f.cur
		for _, c := range cands {
			b := f.newBlock()
			f.cur = b
			f.tailJump(f.g.funcs[c], args)
			cases = append(cases, ir.NewCase(constant.NewInt(types.I64, int64(c)), b))
		}
		from.NewSwitch(k, slow, cases...)
	} else {
		f.cur.NewBr(slow)
	}
	f.cur = slow
	f.exn.inTail = true
	defer func() { f.exn.inTail = false }()
	if err := f.callIndirect(&wasm.Instr{Op: wasm.OpCallIndirect, Index: in.Index, Index2: in.Index2, Offset: in.Offset}); err != nil {
		return err
	}
	f.branch(len(f.ctrls) - 1)
	return nil
}
