package compile

import "github.com/gcscope/gcscope/engine/wasm"

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

// straightAllocates reports whether a body has at least
// straightAllocsMin allocation instructions, anywhere.
func straightAllocates(body []wasm.Instr) bool {
	n := 0
	for _, in := range body {
		switch in.Op {
		case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
			n++
		}
	}
	return n >= straightAllocsMin
}
