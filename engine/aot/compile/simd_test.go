package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/examples"
)

// The header names SIMD and relaxed SIMD exactly when the module uses
// them, and such modules compile to objects without outside symbols at
// every optimization level (Compile refuses undefined symbols, which a
// vector intrinsic lowered to a libm call would leave).
func TestSIMDFeaturesAndLevels(t *testing.T) {
	fib, err := examples.FS.ReadFile("fib.wat")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, src string
		want      aotfile.Features
	}{
		{"scalar", string(fib), 0},
		{"v128 param", `(module (func (export "f") (param v128)))`, aotfile.FeatureSIMD},
		{"v128 element", `(module (type $a (array (mut v128)))
		   (func (export "f") (param (ref $a)) (array.copy $a $a (local.get 0) (i32.const 0) (local.get 0) (i32.const 1) (i32.const 1))))`,
			aotfile.FeatureSIMD},
		{"simd", `(module (func (export "f") (param f32) (result f32)
		   (f32x4.extract_lane 1 (f32x4.nearest (f32x4.sqrt (f32x4.splat (local.get 0)))))))`, aotfile.FeatureSIMD},
		{"relaxed", `(module (func (export "f") (param v128 v128 v128) (result v128)
		   (f64x2.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2))))`, aotfile.FeatureSIMD | aotfile.FeatureRelaxedSIMD},
	}
	for _, c := range cases {
		m := parse(t, []byte(c.src))
		for _, level := range []int{0, 2} {
			data, err := Compile(m, Options{OptLevel: level})
			if err != nil {
				t.Fatalf("%s -O%d: %v", c.name, level, err)
			}
			f, err := aotfile.Read(data)
			if err != nil {
				t.Fatalf("%s: read back: %v", c.name, err)
			}
			if f.Header.Features != c.want {
				t.Errorf("%s: features %v, want %v", c.name, f.Header.Features, c.want)
			}
		}
	}
}
