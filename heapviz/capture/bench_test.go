package capture_test

import (
	"testing"

	"github.com/gcscope/gcscope/engine"
	"github.com/gcscope/gcscope/heapviz/capture"
	"github.com/gcscope/gcscope/heapviz/internal/cputime"
)

// benchWat keeps n cells, each with a small i8 array, in a global.
const benchWat = `(module
  (type $bytes (array (mut i8)))
  (type $cell (struct (field $data (ref $bytes)) (field $next (ref null $cell))))
  (global $list (mut (ref null $cell)) (ref.null $cell))
  (func (export "grow") (param $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (global.set $list
          (struct.new $cell (array.new_default $bytes (i32.const 8)) (global.get $list)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))))`

// BenchmarkCapture snapshots a real heap of 500,000 objects (250,000
// cells and their arrays, 500,000 references): collection, walk, types,
// references, roots and the Builder.
func BenchmarkCapture(b *testing.B) {
	mod, err := engine.Compile([]byte(benchWat))
	if err != nil {
		b.Fatal(err)
	}
	rt, err := engine.NewRuntime(engine.Config{HeapMaxBytes: 256 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close()
	inst, err := rt.Instantiate(mod, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := inst.Function("grow").Call(engine.I32(250_000)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cputime.Measure(b, func() {
		s, err := capture.Snapshot(rt.Store())
		if err != nil || s.NumObjects() < 500_000 {
			b.Fatalf("%v, %d objects", err, s.NumObjects())
		}
	})
}
