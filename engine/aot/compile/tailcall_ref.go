package compile

import (
	"github.com/llir/llvm/ir"

	"github.com/gcscope/gcscope/engine/wasm"
)

// tailCallRef translates return_call_ref. A funcref naming a function of
// this instance (the object's store function number minus InstFuncBase,
// as callRefDirect resolves it) whose native signature is the call's is
// tail-called natively through a switch, in constant stack; any other
// callee (host, another instance, interpreted, or beyond
// maxIndirectTargets candidates) goes through call_ref's helper as an
// ordinary call followed by a return.
func (f *funcGen) tailCallRef(in *wasm.Instr) error {
	// The helper path is a safepoint, and a null funcref traps here.
	ft, r, args, err := f.popFuncRefCall(in, "return_call_ref")
	if err != nil {
		return err
	}
	var cands []int
	for k := range f.g.funcs {
		if sameSig(f.g.m, uint32(f.g.nImpFunc+k), ft) && len(cands) < maxIndirectTargets {
			cands = append(cands, k)
		}
	}
	slow := f.newBlock()
	if f.top != nil && len(cands) > 0 {
		def := f.funcRefDefined(r) // callref_base.go
		from := f.cur
		var cases []*ir.Case
		for _, k := range cands {
			blk := f.newBlock()
			f.cur = blk
			f.tailJump(f.g.funcs[k], args)
			cases = append(cases, ir.NewCase(i64c(int64(k)), blk))
		}
		from.NewSwitch(def, slow, cases...)
	} else {
		f.cur.NewBr(slow)
	}
	f.cur = slow
	// A call made as a plain call has left the function: its handlers do
	// not cover it.
	f.exn.inTail = true
	defer func() { f.exn.inTail = false }()
	f.callRefHelper(in.Index, ft, r, args)
	f.checkPending()
	f.branch(len(f.ctrls) - 1)
	return nil
}
