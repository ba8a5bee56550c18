package capture_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/heapviz/capture"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// spinWat's spin allocates a $box, keeps it in a local, tells the host it
// started and loops until the host says stop, then returns the box's 42.
// The handshake goes through host functions (Go channels and atomics), so
// the test itself races with nothing.
const spinWat = `(module
  (import "test" "started" (func $started))
  (import "test" "stop" (func $stop (result i32)))
  (type $box (struct (field $n i32)))
  (func $spin (export "spin") (result i32)
    (local $b (ref null $box))
    (local.set $b (struct.new $box (i32.const 42)))
    (call $started)
    (loop $l (br_if $l (i32.eqz (call $stop))))
    (struct.get $box $n (local.get $b))))`

// TestSecondThread snapshots a store while a second thread spins in Wasm
// holding a $box in a local: the capture stops it, and its frame root
// names that thread (numbered from 1: the runtime's thread 1 is 2) and
// $spin.
func TestSecondThread(t *testing.T) {
	mod, err := engine.Compile([]byte(spinWat))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := engine.NewRuntime(engine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	started := make(chan struct{})
	var stop atomic.Bool
	_, err = rt.NewHostModule("test").
		Func("started", nil, nil, func(args []engine.Value) ([]engine.Value, error) {
			close(started)
			return nil, nil
		}).
		Func("stop", nil, []wasm.ValType{wasm.I32}, func(args []engine.Value) ([]engine.Value, error) {
			if stop.Load() {
				return []engine.Value{engine.I32(1)}, nil
			}
			return []engine.Value{engine.I32(0)}, nil
		}).Register()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Instantiate(mod, ""); err != nil {
		t.Fatal(err)
	}
	store := rt.Store()
	env, err := store.NewThread()
	if err != nil {
		t.Fatal(err)
	}
	spin := funcNamed(t, store, "spin")
	done := make(chan error, 1)
	go func() {
		res, err := env.Call(spin, nil)
		env.Exit()
		if err == nil && (len(res) != 1 || res[0].Bits != 42) {
			t.Errorf("spin returned %v", res)
		}
		done <- err
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the thread did not start")
	}
	store.StopTheWorld()
	s, err := capture.Snapshot(store)
	stop.Store(true)
	store.StartTheWorld()
	if err := <-done; err != nil {
		t.Fatalf("spin: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	boxes := nodesOf(s, "$box")
	if len(boxes) != 1 {
		t.Fatalf("%d $box objects, want 1", len(boxes))
	}
	var found bool
	for _, r := range s.Roots() {
		if r.Category == snapshot.RootFrame && r.Target == s.ID(boxes[0]) {
			found = r.Thread == env.ID+1 && r.Name == "$spin" && r.Frame == 0
			if !found {
				t.Errorf("frame root %+v, want thread %d, $spin, frame 0", r, env.ID+1)
			}
		}
	}
	if !found {
		t.Errorf("no frame root holds the $box")
	}
}
