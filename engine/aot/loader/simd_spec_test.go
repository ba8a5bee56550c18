package loader

import (
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/interp/wastexec"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

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
	for _, f := range simdSpecFiles {
		e := New(nil)
		res, err := wast.RunFile(filepath.Join("/work/shared/testsuite", f), wast.Options{Exec: wastexec.New(runtime.Config{Engine: e})})
		e.Close()
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		shown := 0
		for _, c := range res.Checks {
			if c.Outcome != wast.Passed && shown < 3 {
				shown++
				t.Logf("%s: %v %s: %.300s", f, c.Pos, c.Command, c.Detail)
			}
		}
		if res.Failed > 0 || res.Skipped > 0 || res.Passed == 0 {
			t.Errorf("%s: %d passed, %d failed, %d skipped", f, res.Passed, res.Failed, res.Skipped)
		}
	}
}
