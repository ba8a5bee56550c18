package loader

import "testing"

// simdSpecFiles are SIMD scripts whose every module the compiler must
// take: a skipped check fails here as a failed one does. (The whole
// folders: gcscope wast --engine=aot ../shared/testsuite/core/simd.)
var simdSpecFiles = []string{
	"core/simd/simd_lane.wast", "core/simd/simd_conversions.wast", "core/simd/simd_f32x4.wast",
	"core/simd/simd_i16x8_q15mulr_sat_s.wast", "core/simd/simd_load16_lane.wast", "core/simd/simd_bit_shift.wast",
	"core/simd/simd_address.wast", "core/simd/simd_linking.wast",
	"core/relaxed-simd/relaxed_madd_nmadd.wast", "core/relaxed-simd/i8x16_relaxed_swizzle.wast",
}

func TestSIMDSpecScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many modules with llc")
	}
	requireFullPass(t, simdSpecFiles)
}
