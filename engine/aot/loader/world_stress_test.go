package loader

import (
	"fmt"
	goruntime "runtime"
	"sync/atomic"
	"testing"

	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
)

// churnWat's churn(n) counts its call in shared memory (address 0), builds
// a list of n nodes and returns the sum of their values, n(n-1)/2: a list
// the collector freed or moved under it, or an object it saw half built,
// shows as a wrong sum or a heap that fails Verify.
const churnWat = `(module
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (memory (export "mem") 1 1 shared)
  (func (export "churn") (param $n i32) (result i32)
    (local $l (ref null $node)) (local $i i32) (local $s i32)
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (loop $build
      (local.set $l (struct.new $node (local.get $i) (local.get $l)))
      (br_if $build (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (block $end
      (loop $sum
        (br_if $end (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $sum)))
    (local.get $s)))`

// TestWorldStopExactWithNativeCalls: four threads call a small allocating
// native function over and over (each call enters and leaves the world on
// the lock-free path), while the test's goroutine stops the world again
// and again and, while it is stopped, checks that no call starts, verifies
// the heap and collects. A thread that ran during a stop would move the
// call count, leave a half-built object for Verify or lose its list to
// the collection.
func TestWorldStopExactWithNativeCalls(t *testing.T) {
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, churnWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	f := inst.ExportedFunc("churn")
	calls := func() uint64 {
		v, err := mem.AtomicLoad(inst.Mems[0].Linear.Bytes(), 0, 4)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const threads, rounds, n = 4, 10000, 20
	var done atomic.Int32
	errs := make(chan error, threads)
	wg := goThreads(t, s, threads, func(i int, env *runtime.ExecEnv) {
		defer done.Add(1)
		args := []runtime.Value{runtime.I32(n)}
		var res []runtime.Value
		for r := range rounds {
			var err error
			res, err = env.CallAppend(res[:0], f, args)
			if err != nil || len(res) != 1 || int32(res[0].Bits) != n*(n-1)/2 {
				errs <- fmt.Errorf("thread %d round %d: churn = %v, %v; want %d", i, r, res, err, n*(n-1)/2)
				return
			}
		}
	})
	stops := 0
	for done.Load() < threads {
		s.StopTheWorld()
		c := calls()
		if err := s.Heap.GC.Verify(); err != nil {
			t.Errorf("stop %d: %v", stops, err)
		}
		if err := s.Heap.GC.Collect(); err != nil {
			t.Errorf("stop %d: collect: %v", stops, err)
		}
		goruntime.Gosched()
		if c2 := calls(); c2 != c {
			t.Errorf("stop %d: %d calls started while the world was stopped", stops, c2-c)
		}
		s.StartTheWorld()
		stops++
		goruntime.Gosched()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := calls(); got != threads*rounds {
		t.Errorf("%d calls counted, want %d", got, threads*rounds)
	}
	t.Logf("%d stops, each with a heap check and a collection", stops)
}
