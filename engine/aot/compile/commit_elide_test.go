package compile

import (
	"slices"
	"testing"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
)

// slotStoreCounts counts, per slot, the stores into fn's slot area.
func slotStoreCounts(fn *ir.Func) map[int64]int {
	top := fn.Params[1]
	n := map[int64]int{}
	for _, b := range fn.Blocks {
		for _, in := range b.Insts {
			st, ok := in.(*ir.InstStore)
			if !ok {
				continue
			}
			g, ok := st.Dst.(*ir.InstGetElementPtr)
			if !ok || g.Src != top || len(g.Indices) != 1 {
				continue
			}
			if c, ok := g.Indices[0].(*constant.Int); ok {
				n[c.X.Int64()-1]++
			}
		}
	}
	return n
}

// A reference that stays on the operand stack across several safepoints
// is stored once; every safepoint's stack map still lists it.
func TestCommitStoresOnlyChanges(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $p (struct (field i32)))
  (func $f)
  (func (export "main") (result i32)
    (struct.new $p (i32.const 1))
    (struct.new $p (i32.const 2))
    (call $f) (call $f) (call $f)
    (drop)
    (if (i32.const 1) (then (call $f)) (else (call $f)))
    (call $f)
    (struct.get $p 0)))`))
	mod, frames, err := generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fn := irFunc(t, mod, 1)
	got := slotStoreCounts(fn)
	// Slot 0 (the first struct) is stored before the second allocation
	// and slot 1 at the first call; nothing after that changes them.
	if got[0] != 1 || got[1] != 1 || len(got) != 2 {
		t.Errorf("slot stores = %v, want slot 0 and slot 1 once each", got)
	}
	maps := frames[1].maps
	calls := 0
	for _, sm := range maps {
		if slices.Equal(sm.Slots, []uint32{0, 1}) {
			calls++
		}
	}
	if calls != 3 { // the three calls with both structs on the stack
		t.Errorf("stack maps %v: %d list slots 0 and 1, want 3", maps, calls)
	}
	for _, sm := range maps {
		if !slices.Contains(sm.Slots, 0) {
			t.Errorf("stack map at %d does not list slot 0: %v", sm.Offset, sm.Slots)
		}
	}
}

// A store made on one side of a branch does not hold after the join, and
// a loop's next iteration stores its new value again.
func TestCommitElisionAtJoinsAndLoops(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $p (struct (field i32)))
  (func $f)
  (func (export "main") (param i32) (result i32)
    (local $r (ref null $p))
    (loop $l
      (local.set $r (struct.new $p (local.get 0)))
      (call $f)
      (call $f)
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (if (local.get 0)
      (then (struct.new $p (i32.const 1)) (call $f) (drop))
      (else (struct.new $p (i32.const 2)) (drop)))
    (call $f)
    (struct.get $p 0 (local.get $r))))`))
	mod, _, err := generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fn := irFunc(t, mod, 1)
	got := slotStoreCounts(fn)
	// $r (slot 1) is stored at the entry's and the loop header's
	// interrupt checks (a loop header starts knowing nothing), on the
	// allocation's slow path and at the first call of each iteration (the
	// local.set before it changed $r; the second call finds it stored).
	// After the loop every path has stored it, so neither side of the if
	// nor the call after the join stores it again. The then side's struct
	// (operand slot 2) is stored once, at its call.
	if got[1] != 4 || got[2] != 1 || len(got) != 2 {
		t.Errorf("slot stores = %v, want slot 1 four times and slot 2 once", got)
	}
}

// A store made on one side of an if does not count after the join.
func TestCommitElisionOneSidedStore(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $p (struct (field i32)))
  (func $f)
  (func (export "main") (param i32) (result i32)
    (struct.new $p (i32.const 1))
    (if (local.get 0) (then (call $f)))
    (call $f)
    (call $f)
    (struct.get $p 0)))`))
	mod, _, err := generate(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range mod.Funcs {
		if fn.Name() != funcSymbol(1) {
			continue
		}
		// The struct (operand slot 1, after the parameter): at the then
		// side's call, at the first call after the join, not at the second.
		if got := slotStoreCounts(fn); got[1] != 2 || len(got) != 1 {
			t.Errorf("slot stores = %v, want slot 1 twice", got)
		}
		return
	}
	t.Fatal("no main function in the IR")
}

// irFunc returns the LLVM function of defined function i in mod.
func irFunc(t *testing.T, mod *ir.Module, i int) *ir.Func {
	t.Helper()
	for _, f := range mod.Funcs {
		if f.Name() == funcSymbol(i) {
			return f
		}
	}
	t.Fatalf("no function %d in the IR", i)
	return nil
}
