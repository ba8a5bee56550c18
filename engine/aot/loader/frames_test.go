package loader

import (
	"slices"
	"testing"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestNativeFrameRoots checks that references held by native frames are
// roots while native code calls out to Go: the frames are materialized
// as frame records, and StackMap names the slots the code committed
// (locals still read later and the operands, numbered as the interpreter
// numbers them).
func TestNativeFrameRoots(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	var want runtime.Ref
	var places []string
	var trace []string
	var caller *runtime.Instance
	host := s.NewHostInstance("host")
	ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{wasm.ExternRef}, Results: []wasm.ValType{wasm.I32}}
	if _, err := host.DefineFunc("probe", ft, func(c *runtime.Instance, _ []runtime.Value) ([]runtime.Value, error) {
		caller = c
		s.Heap.GC.Roots(func(r gc.Ref, at gc.RootPlace) {
			if r == want && at.Kind == gc.RootFrame {
				places = append(places, s.DescribeRoot(at))
			}
		})
		for _, tf := range s.Env().Backtrace() {
			trace = append(trace, tf.Name)
		}
		return []runtime.Value{runtime.I32(7)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	inst, err := s.Instantiate(parse(t, `(module
  (import "host" "probe" (func $probe (param externref) (result i32)))
  (func $inner (param externref) (result i32)
    (i32.add (call $probe (local.get 0)) (ref.is_null (local.get 0))))
  (func $outer (export "f") (param externref) (result i32)
    (local i32 externref)
    (local.set 2 (local.get 0))
    (i32.add (i32.const 1)
      (i32.add (call $inner (local.get 2)) (ref.is_null (local.get 2))))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.HostRef(42)
	if err != nil {
		t.Fatal(err)
	}
	want = runtime.Ref(v.Bits)
	res, err := inst.ExportedFunc("f").Call([]runtime.Value{v})
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(res[0].Bits); got != 8 {
		t.Fatalf("f returned %d, want 8", got)
	}
	if caller != inst {
		t.Errorf("the host function's caller is %v, want the calling instance", caller)
	}
	slices.Sort(places)
	// inner: its parameter (read after the call) and the host call's
	// argument (operand slot 1); outer: local 2 (read after the call),
	// not parameter 0 (never read again) nor the argument of the native
	// call (inner roots it as its parameter).
	wantPlaces := []string{
		"frame #1 inner (func 1) slot 0",
		"frame #1 inner (func 1) slot 1",
		"frame #2 outer (func 2) slot 2",
	}
	if !slices.Equal(places, wantPlaces) {
		t.Errorf("roots holding the externref:\n got %q\nwant %q", places, wantPlaces)
	}
	if wantTrace := []string{"probe", "inner", "outer"}; !slices.Equal(trace[:min(3, len(trace))], wantTrace) {
		t.Errorf("backtrace in the host function: %q, want it to start with %q", trace, wantTrace)
	}
}

// TestInterruptRoots collects at a loop's interrupt check while a native
// frame holds the only reference to a struct in a local that is read
// after the loop: the interrupt helper materializes the frame, the stack
// map of the loop header lists the local, and the struct survives.
func TestInterruptRoots(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	const bit = 1 << 4
	env := s.Env()
	collections := 0
	env.OnInterrupt = func(env *runtime.ExecEnv) error {
		env.Interrupt.Clear(bit)
		collections++
		return s.Heap.GC.Collect()
	}
	registerArm(t, s, env, bit)
	inst, err := s.Instantiate(parse(t, `(module
  (import "host" "arm" (func $arm))
  (type $box (struct (field i32)))
  (func (export "f") (param i32) (result i32)
    (local $b (ref null $box))
    (local.set $b (struct.new $box (i32.const 1234)))
    (call $arm)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (struct.new $box (i32.const 99))
    (drop)
    (struct.get $box 0 (local.get $b))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.ExportedFunc("f").Call([]runtime.Value{runtime.I32(5)})
	if err != nil {
		t.Fatal(err)
	}
	if collections != 1 {
		t.Fatalf("%d collections at the interrupt, want 1", collections)
	}
	if got := int32(res[0].Bits); got != 1234 {
		t.Fatalf("the struct read back %d after the collection, want 1234", got)
	}
	if err := s.Heap.GC.Verify(); err != nil {
		t.Fatal(err)
	}
	if st := s.Heap.GC.Stats(); st.BadRefs != 0 || st.LiveObjects == 0 {
		t.Fatalf("stats after the collection: %+v", st)
	}
}

// registerArm registers host.arm, a host function that sets interrupt bit
// on env, so the next interrupt check of the calling code fires.
func registerArm(t *testing.T, s *runtime.Store, env *runtime.ExecEnv, bit uint32) {
	t.Helper()
	host := s.NewHostInstance("host")
	if _, err := host.DefineFunc("arm", wasm.CompositeType{Kind: wasm.CompFunc}, func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
		env.Interrupt.Store(bit)
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
}
