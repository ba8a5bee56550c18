package loader

import (
	goruntime "runtime"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// BenchmarkCallPaths compares a call from Go that takes the env's
// outermost path (numbers only) with calls that take the general path:
// a reference argument (null, so nothing is allocated) and a reference
// result (docs/aot-compiler.md, "Calls from Go, second round").
func BenchmarkCallPaths(b *testing.B) {
	inst, _ := instantiate(b, parse(b, `(module
  (func (export "num") (param i32) (result i32) (local.get 0))
  (func (export "refarg") (param (ref null any)) (result i32) (ref.is_null (local.get 0)))
  (func (export "refres") (param i32) (result (ref null any)) (ref.null any)))`))
	cases := []struct {
		name string
		args []runtime.Value
	}{
		{"num", []runtime.Value{runtime.I32(1)}},
		{"refarg", []runtime.Value{{Type: wasm.RefType(true, wasm.HeapAny)}}},
		{"refres", []runtime.Value{runtime.I32(1)}},
	}
	for _, c := range cases {
		f := inst.ExportedFunc(c.name)
		b.Run(c.name, func(b *testing.B) {
			goruntime.LockOSThread()
			defer goruntime.UnlockOSThread()
			var res []runtime.Value
			cpu0 := threadCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var err error
				if res, err = f.CallAppend(res[:0], c.args); err != nil || len(res) != 1 {
					b.Fatalf("%s: %v %v", c.name, res, err)
				}
			}
			b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
