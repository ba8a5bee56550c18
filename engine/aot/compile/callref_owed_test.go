package compile

import (
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
)

// vcallWat is shapes.wat's virtual call in small: area is a stub (load
// the method from the receiver's vtable, call_ref it), main keeps a
// reference (the list of shapes) live across its calls of area, and
// rectArea is a method small enough to be called as a clone.
const vcallWat = `(module
  (rec
    (type $method (func (param (ref $shape)) (result i32)))
    (type $vtable (struct (field (ref $method))))
    (type $shape (sub (struct (field (ref $vtable)))))
    (type $rect (sub final $shape (struct (field (ref $vtable)) (field i32) (field i32)))))
  (type $shapes (array (ref $shape)))
  (func $rectArea (type $method)
    (local $r (ref $rect))
    (local.set $r (ref.cast (ref $rect) (local.get 0)))
    (i32.mul (struct.get $rect 1 (local.get $r)) (struct.get $rect 2 (local.get $r))))
  (func $area (param $s (ref $shape)) (result i32)
    (call_ref $method (local.get $s) (struct.get $vtable 0 (struct.get $shape 0 (local.get $s)))))
  (func (export "main") (param $l (ref $shapes)) (result i32)
    (local $i i32) (local $sum i32)
    (loop $each
      (local.set $sum (i32.add (local.get $sum) (call $area (array.get $shapes (local.get $l) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $l)))))
    (local.get $sum)))`

// reaches reports whether to is reachable from b without passing
// through skip.
func reaches(b, to, skip *ir.Block) bool {
	seen := map[*ir.Block]bool{skip: true}
	work := []*ir.Block{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == to {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		work = append(work, x.Term.Succs()...)
	}
	return false
}

// headerStoresBeforeSwitch counts the stores into fn's frame header
// (its top parameter) in the blocks on every path to the call_ref's
// switch (those that dominate it: the entry check's cold paths store
// a header too, but off that path), and reports whether fn has a
// switch at all.
func headerStoresBeforeSwitch(fn *ir.Func) (int, bool) {
	var sw *ir.Block
	for _, b := range fn.Blocks {
		if _, ok := b.Term.(*ir.TermSwitch); ok {
			sw = b
		}
	}
	if sw == nil {
		return 0, false
	}
	top := fn.Params[1]
	n := 0
	for _, b := range fn.Blocks {
		if b != sw && reaches(fn.Blocks[0], sw, b) {
			continue // not on every path
		}
		for _, in := range b.Insts {
			if st, ok := in.(*ir.InstStore); ok && st.Dst == top {
				n++
			}
		}
	}
	return n, true
}

// TestCallRefCommitOwed: the stub's call_ref stores nothing of its
// frame before its switch; its helper path stores the header; the case
// of rectArea calls the method's clone owing the header and the
// call_ref's operands (the receiver and the funcref: two references,
// as the helper path's stack map lists them), and in area's clone, called from
// main, also main's debt (its header and the list: the outer debt of
// one reference), which the method's clone stores only on its cast's
// slow path and its traps.
func TestCallRefCommitOwed(t *testing.T) {
	fns := funcsByName(t, vcallWat, Options{OptLevel: 2})
	for _, name := range []string{"gcs_func_1", leafSymbol(1, 1)} {
		fn := fns[name]
		if fn == nil {
			t.Fatalf("no %s", name)
		}
		n, ok := headerStoresBeforeSwitch(fn)
		if !ok || n != 0 {
			t.Errorf("%s: %d header stores before the call_ref's switch (switch found: %v):\n%s", name, n, ok, fn.LLString())
		}
		var sw *ir.TermSwitch
		for _, b := range fn.Blocks {
			if s, ok := b.Term.(*ir.TermSwitch); ok {
				sw = s
			}
		}
		if sw != nil && !strings.Contains(sw.TargetDefault.(*ir.Block).LLString(), "%top") {
			t.Errorf("%s: the switch's helper path does not commit the header:\n%s", name, sw.TargetDefault.(*ir.Block).LLString())
		}
	}
	// area's own switch: rectArea's clone owes two references, area's
	// clone's: two and main's debt of one (the list).
	if s := fns["gcs_func_1"].LLString(); !strings.Contains(s, "@"+leafSymbol(0, 2)+"(") {
		t.Errorf("area does not call rectArea's clone owing two references:\n%s", s)
	}
	outer := leafSymbol(0, leafCode(2, 1))
	if s := fns[leafSymbol(1, 1)].LLString(); !strings.Contains(s, "@"+outer+"(") {
		t.Errorf("area's clone does not call %s:\n%s", outer, s)
	}
	c := fns[outer]
	if c == nil {
		t.Fatalf("no %s", outer)
	}
	ll := c.LLString()
	for _, want := range []string{"store i64 %outerword, i64* %outertop", "store i64 %outerref0", "store i64 %owedword, i64* %owedtop", "store i64 %owedref0", "store i64 %owedref1"} {
		if !strings.Contains(ll, want) {
			t.Errorf("%s does not pay %q:\n%s", outer, want, ll)
		}
	}
	// Only where a walk can start: never in the entry block.
	if ent := c.Blocks[0].LLString(); strings.Contains(ent, "%outertop") || strings.Contains(ent, "%owedtop") {
		t.Errorf("%s pays in its entry block:\n%s", outer, ent)
	}
	// Debug builds commit at the call_ref as before (their switch calls
	// debug clones, debug_leaf.go, which owe nothing of it).
	dfn := funcsByName(t, vcallWat, Options{OptLevel: 2, Debug: true})["gcs_func_1"]
	if n, ok := headerStoresBeforeSwitch(dfn); !ok || n == 0 {
		t.Errorf("debug build: %d header stores before the call_ref's switch (switch found: %v):\n%s", n, ok, dfn.LLString())
	}
}
