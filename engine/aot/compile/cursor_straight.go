package compile

import (
	"github.com/llir/llvm/ir/enum"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Straight runs of allocations (docs/aot-compiler.md "A recursive
// dispatcher called in a loop (aot-i31)"). The allocation cursor lives
// in a variable in functions that allocate or call inside a loop
// (alloc_cursor.go); elsewhere each allocation loaded the cursor from
// the env record and stored the new one back, so a function that builds
// several objects one after another (i31_mix's $values: an array and
// seven values, eight allocations) chained every allocation's bump
// through a store and a reload of the same word (the objects' stores in
// between may alias the record, for all LLVM knows). With the variable
// the chain is register adds; the record is still written at every
// allocation. Not for functions inlined into themselves: binary_trees'
// make, one allocation per level, ran ~3% slower with a variable per
// level (loopAllocates).

// straightAllocsMin is the fewest allocation instructions that give a
// function the variable.
const straightAllocsMin = 3

// straightAllocates reports whether defined function i's body has at
// least straightAllocsMin allocation instructions, anywhere, counting
// those of the defined functions it calls directly: a constructor called
// as a leaf clone (leafcall.go) takes the caller's variable, so shapes'
// $all, one array and five constructor calls, chains its six bumps in a
// register too.
func (g *modGen) straightAllocates(i int) bool {
	n := g.allocs[i]
	for _, in := range g.m.Funcs[i].Body {
		if k := int(in.Index) - g.nImpFunc; in.Op == wasm.OpCall && k >= 0 && k < len(g.allocs) {
			n += g.allocs[k]
		}
	}
	return n >= straightAllocsMin
}

// allocCounts counts each defined function's allocation instructions,
// once per module (straightAllocates reads a callee's count at every
// call, alloc_outline.go a function's own).
func allocCounts(m *wasm.Module) []int {
	out := make([]int, len(m.Funcs))
	for i := range m.Funcs {
		for _, in := range m.Funcs[i].Body {
			if isAllocOp(in.Op) {
				out[i]++
			}
		}
	}
	return out
}

// isAllocOp reports whether op allocates a GC object.
func isAllocOp(op wasm.Opcode) bool {
	switch op {
	case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
		return true
	}
	return false
}

// Builders inlined into their callers. A function without loops whose
// calls all go to small leaves (constructors, called as leaf clones) and
// that allocates at least straightAllocsMin objects, its callees' counted
// (shapes' $all: five constructor calls and an array), is marked
// alwaysinline when few direct calls name it, so that its run of
// allocations joins the caller's: the call, the callee's entry check and
// the caller's frame header store before the call go, and the caller's
// cursor variable serves the whole run. Inlining an LLVM function keeps
// its frame protocol as it is (smallfunc.go), so frames, stack maps and
// backtraces stay the callee's. Measured: shapes' main called in a
// Wasm loop, 27.1 → 26.1 ns (docs/aot-compiler.md "Builders,
// likely-target weights and immutable globals").

// builderMaxInstrs bounds the body of a function inlined as a builder.
const builderMaxInstrs = 48

// builderMaxCallers bounds the direct calls naming a builder: each gets
// a copy of its code.
const builderMaxCallers = 4

// inlineBuilders marks the module's builders alwaysinline and reports
// how many it marked. Optimized release builds with leaf clones only.
func (g *modGen) inlineBuilders() int {
	if g.leaves == nil || g.dbg != nil {
		return 0
	}
	callers := make([]int, len(g.m.Funcs))
	for i := range g.m.Funcs {
		for _, in := range g.m.Funcs[i].Body {
			if in.Op == wasm.OpCall && int(in.Index) >= g.nImpFunc && int(in.Index)-g.nImpFunc < len(callers) {
				callers[int(in.Index)-g.nImpFunc]++
			}
		}
	}
	n := 0
	for i, f := range g.funcs {
		if callers[i] == 0 || callers[i] > builderMaxCallers || hasAttr(f.FuncAttrs, enum.FuncAttrNoInline) ||
			!g.isBuilder(i) {
			continue
		}
		f.FuncAttrs = append(f.FuncAttrs, enum.FuncAttrAlwaysInline)
		n++
	}
	return n
}

// isBuilder reports whether defined function i is a builder: at most
// builderMaxInstrs instructions, no loop, no exception handling, no
// indirect or tail call, every call to a small leaf clone of its chunk,
// and straightAllocates.
func (g *modGen) isBuilder(i int) bool {
	body := g.m.Funcs[i].Body
	if len(body) > builderMaxInstrs {
		return false
	}
	for _, in := range body {
		switch in.Op {
		case wasm.OpLoop, wasm.OpTry, wasm.OpTryTable, wasm.OpThrow, wasm.OpThrowRef, wasm.OpRethrow, wasm.OpDelegate,
			wasm.OpCallIndirect, wasm.OpCallRef, wasm.OpReturnCall, wasm.OpReturnCallIndirect, wasm.OpReturnCallRef:
			return false
		case wasm.OpCall:
			k := int(in.Index) - g.nImpFunc
			if k < 0 || k >= len(g.m.Funcs) || k == i || !g.leaves.ok[k] || g.leaves.calls[k] ||
				g.leaves.chunk[k] != g.leaves.chunk[i] {
				return false
			}
		}
	}
	return g.straightAllocates(i)
}
