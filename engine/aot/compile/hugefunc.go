package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
)

// hugeFuncInstrs is the LLVM instruction count above which a function is
// compiled without optimization (optnone) whatever the level. opt's
// function passes grow faster than linearly with a function's blocks:
// the 38 KB `main` of a microhs program (~450,000 instructions, ~15,000
// blocks; it builds the program's graph once, at start-up) took most of
// a minute of opt at -O2, its module 1.4 s/KB against 0.1 s/KB for
// ordinary code, for code that runs once. Hot code is made of far
// smaller functions; V8 likewise leaves huge functions to its baseline
// tier.
var hugeFuncInstrs = 100_000 // a variable so tests can lower it

// optOutHuge marks the module's huge functions optnone (which LLVM
// requires to come with noinline). It reports how many it marked.
func (g *modGen) optOutHuge() int {
	n := 0
	for _, f := range g.funcs {
		if countInstrs(f) > hugeFuncInstrs {
			f.FuncAttrs = append(f.FuncAttrs, enum.FuncAttrOptNone, enum.FuncAttrNoInline)
			n++
		}
	}
	return n
}

// countInstrs is the number of LLVM instructions (terminators included)
// in f's body.
func countInstrs(f *ir.Func) int {
	n := 0
	for _, b := range f.Blocks {
		n += len(b.Insts) + 1
	}
	return n
}
