package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// The convention of Wasm->Wasm calls (docs/aot-compiler.md, "Calls
// between functions"). Under LLVM's GHC convention (cc 10) no register
// is callee-saved: a callee's prologue pushes nothing, and a caller
// spills what it still needs after the call itself (in a debug build
// little more than env and top, since it reloads every local and
// operand from its frame slots after a call anyway).
//
// The choice depends only on a function's LLVM signature (and on whether
// it takes part in tail calls), and one pass at the end of the
// translation sets it on the function and on every call to it, wherever
// the call was emitted (direct calls, call_indirect's and call_ref's
// switches, the recursive levels' calls back, the entry wrappers), so
// callers and callee always agree. Nothing outside the object calls
// these functions: the C side and the loader enter through the entry
// wrappers (EntrySymbol), which keep the C convention.

// GHC's argument registers on x86-64: R13, RBP, R12, RBX, R14, RSI, RDI,
// R8, R9, R15 for integers and pointers, XMM1-XMM6 for floats and
// vectors. It has no stack arguments: a signature needing more keeps the
// C convention. Results come back as under the C convention.
const (
	ghcIntRegs   = 10
	ghcFloatRegs = 6
)

// ghcFits says whether every parameter of sig has a GHC register.
func ghcFits(sig *types.FuncType) bool {
	ints, floats := 0, 0
	for _, p := range sig.Params {
		switch p.(type) {
		case *types.IntType, *types.PointerType:
			ints++
		case *types.FloatType, *types.VectorType:
			floats++
		default:
			return false
		}
	}
	switch sig.RetType.(type) {
	case *types.VoidType, *types.IntType, *types.FloatType, *types.VectorType:
	default:
		return false
	}
	return ints <= ghcIntRegs && floats <= ghcFloatRegs && !sig.Variadic
}

// useWasmConv gives every defined function whose signature fits GHC's
// registers the GHC convention, and every call to it too. Functions of
// tail calls keep tailcc (tailcall.go): a guaranteed tail call needs one
// convention on both sides, and their signatures may differ.
func (g *modGen) useWasmConv() {
	conv := map[*ir.Func]enum.CallingConv{}
	for i, fn := range g.funcs {
		if g.tail[fn] || !ghcFits(fn.Sig) {
			continue
		}
		conv[fn] = enum.CallingConvGHC
		if r := g.rec[i]; r != nil && r.back != nil {
			conv[r.back] = enum.CallingConvGHC
		}
	}
	g.specConv(conv) // debug_spec.go
	for fn, cc := range conv {
		fn.CallingConv = cc
	}
	for _, fn := range g.mod.Funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Insts {
				if c, ok := in.(*ir.InstCall); ok {
					if callee, ok := c.Callee.(*ir.Func); ok {
						if cc, ok := conv[callee]; ok {
							c.CallingConv = cc
						}
					}
				}
			}
		}
	}
}
