package loader

import (
	goruntime "runtime"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// addWat's add does next to nothing: calling it costs the call.
const addWat = `(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))`

// BenchmarkInvokeOverhead measures the fixed cost of calling an exported
// function natively, with a body that does next to nothing: Func.Call
// (a result slice per call) and Func.CallAppend (the slice reused).
func BenchmarkInvokeOverhead(b *testing.B) {
	inst, _ := instantiate(b, parse(b, addWat))
	f := inst.ExportedFunc("add")
	args := []runtime.Value{runtime.I32(2), runtime.I32(3)}
	for _, reuse := range []bool{false, true} {
		name := "Call"
		if reuse {
			name = "CallAppend"
		}
		b.Run(name, func(b *testing.B) {
			goruntime.LockOSThread()
			defer goruntime.UnlockOSThread()
			cpu0 := threadCPU()
			var res []runtime.Value
			var err error
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if reuse {
					res, err = f.CallAppend(res[:0], args)
				} else {
					res, err = f.Call(args)
				}
				if err != nil || len(res) != 1 || res[0].Bits != 5 {
					b.Fatalf("add(2, 3) = %v %v", res, err)
				}
			}
			b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
