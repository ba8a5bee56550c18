package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// smallFuncInstrs is the most Wasm instructions (the final end included)
// a function body may have to be marked inlinehint, if it calls nothing.
//
// Every compiled function carries an entry check with a cold slow path,
// and each allocation a cold helper call, which LLVM's inliner counts in
// full: linked_list's three-instruction cons (struct.new of its two
// parameters) cost 315 against opt -O2's threshold of 225, so every cell
// of the list paid a call, a frame header and six saved registers. The
// hint raises the threshold for such functions to 325 (opt's
// -inlinehint-threshold); the cost model still decides, so a small
// function that expands to much code stays a call. Only small leaves
// (constructors, getters): hinting every function of up to 16
// instructions grew a MoonBit module's code by 29% and its compile time
// by a quarter, small leaves by 3% and nothing measurable. Inlining keeps
// the callee's frame protocol as it is: its code stores its header and
// slots at the same top + offset it would have been called with.
const smallFuncInstrs = 8

// hintSmall marks the module's small functions inlinehint (not the
// optnone ones, which must stay noinline). It reports how many it marked.
func (g *modGen) hintSmall() int {
	n := 0
	for i, f := range g.funcs {
		if !isSmallLeaf(g.m.Funcs[i].Body) || hasAttr(f.FuncAttrs, enum.FuncAttrNoInline) {
			continue
		}
		f.FuncAttrs = append(f.FuncAttrs, enum.FuncAttrInlineHint)
		n++
	}
	return n
}

// hasAttr reports whether attrs holds a.
func hasAttr(attrs []ir.FuncAttribute, a enum.FuncAttr) bool {
	for _, x := range attrs {
		if x == a {
			return true
		}
	}
	return false
}

// isSmallLeaf reports whether a body has at most smallFuncInstrs
// instructions and calls nothing.
func isSmallLeaf(body []w.Instr) bool {
	if len(body) > smallFuncInstrs {
		return false
	}
	for _, in := range body {
		switch in.Op {
		case w.OpCall, w.OpCallIndirect, w.OpCallRef, w.OpReturnCall, w.OpReturnCallIndirect, w.OpReturnCallRef:
			return false
		}
	}
	return true
}
