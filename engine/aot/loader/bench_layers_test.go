package loader

import (
	goruntime "runtime"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
)

// BenchmarkInvokeLayers splits BenchmarkInvokeOverhead's call by layer,
// each sub-benchmark entering one layer lower (docs/aot-compiler.md,
// "Small GC programs against V8" and "Calls from Go, second round"): the
// public Func.CallAppend, the env's CallAppend (the world's entry and
// exit, argument checks and copies, results; for this all-numbers call
// its outermost path), Engine.Invoke (the general entry: the call cache,
// the record words, the frame record and activation), Engine.InvokeOutermost
// (the entry the env's CallAppend takes for this call) and native.Invoke
// (the cgo call, gcs_invoke with its stack guard and setjmp, and the
// code). The differences between neighbours are each layer's own cost.
func BenchmarkInvokeLayers(b *testing.B) {
	inst, e := instantiate(b, parse(b, addWat))
	f := inst.ExportedFunc("add")
	env := inst.Store.Env()
	args := []runtime.Value{runtime.I32(2), runtime.I32(3)}
	layer := func(name string, call func() uint64) {
		b.Run(name, func(b *testing.B) {
			goruntime.LockOSThread()
			defer goruntime.UnlockOSThread()
			cpu0 := threadCPU()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if got := call(); got != 5 {
					b.Fatalf("add(2, 3) = %d", got)
				}
			}
			b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
	var res []runtime.Value
	result := func(err error) uint64 {
		if err != nil || len(res) != 1 {
			b.Fatalf("add(2, 3): %v %v", res, err)
		}
		return res[0].Bits
	}
	layer("Func.CallAppend", func() uint64 {
		var err error
		res, err = f.CallAppend(res[:0], args)
		return result(err)
	})
	layer("ExecEnv.CallAppend", func() uint64 {
		var err error
		res, err = env.CallAppend(res[:0], f, args)
		return result(err)
	})
	// Below the env's CallAppend the world is not entered: nothing else
	// runs in this store, and no stop is requested.
	layer("Engine.Invoke", func() uint64 {
		env.Slots[0], env.Slots[1] = 2, 3
		if err := e.Invoke(env, f, 0); err != nil {
			b.Fatal(err)
		}
		return env.Slots[0]
	})
	// The outermost entry the env's CallAppend takes for this call
	// (invoke_outermost.go), below the world as Engine.Invoke is.
	layer("Engine.InvokeOutermost", func() uint64 {
		env.Slots[0], env.Slots[1] = 2, 3
		if handled, err := e.InvokeOutermost(env, f); !handled || err != nil {
			b.Fatalf("InvokeOutermost: handled %v, %v", handled, err)
		}
		return env.Slots[0]
	})
	// native.Invoke alone: the record as Engine.Invoke left it (the
	// function's entry from the env's call cache).
	env.Slots[0], env.Slots[1] = 2, 3
	if err := e.Invoke(env, f, 0); err != nil {
		b.Fatal(err)
	}
	entry := nativeOf(env).last.entry
	if entry == 0 {
		b.Fatal("no cached entry after Engine.Invoke")
	}
	rec := env.Record
	top := uint64(addrOf(&env.Slots[2])) // above add's two argument slots
	layer("native.Invoke", func() uint64 {
		env.Slots[0], env.Slots[1] = 2, 3
		// The words Invoke sets at an outermost call (invoke.go).
		rec[runtime.EnvNativeStackLimit] = 0
		rec[runtime.EnvFrameTop], rec[runtime.EnvFrameLimit] = top, rec[runtime.EnvSlotsLimit]
		rec[runtime.EnvTrapCode], rec[runtime.EnvTrapOffset] = 0, 0
		if native.Invoke(entry, &rec[0], &env.Slots[0]) {
			b.Fatalf("trapped: code %d", rec[runtime.EnvTrapCode])
		}
		return env.Slots[0]
	})
}
