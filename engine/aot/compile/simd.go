package compile

import w "github.com/gcscope/gcscope/engine/wasm"

// SIMD and relaxed SIMD, one file per group: simd_memory (loads and
// stores), simd_lanes (const, shuffles, splat, lane access), simd_integer
// and simd_widen (integer lanes), simd_float, simd_convert, simd_relaxed;
// simd_types holds the vector types and helpers, simd_slots the v128 slot
// encoding. docs/aot-compiler.md ("SIMD") has the semantics table.

// simd translates the SIMD and relaxed SIMD instructions; it reports
// whether in was one.
func (f *funcGen) simd(in *w.Instr) bool {
	if in.Op>>16 != w.PrefixSIMD {
		return false
	}
	return f.simdMemory(in) || f.simdLanes(in) || f.simdInteger(in) || f.simdIntegerWide(in) ||
		f.simdFloat(in) || f.simdConvert(in) || f.simdRelaxed(in)
}
