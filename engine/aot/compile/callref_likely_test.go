package compile

import (
	"slices"
	"testing"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/metadata"
)

// likelyWat builds three vtables from ref.func constants in global
// initialisers (rectArea in two of them, circleArea in one) and one in
// a function from a funcref in a local (squareArea, not a constant), so
// area's call_ref compares with rectArea's funcref, then circleArea's,
// and leaves squareArea to the switch.
const likelyWat = `(module
  (rec
    (type $method (func (param (ref $shape)) (result i32)))
    (type $vtable (struct (field (ref $method)) (field i32)))
    (type $shape (sub (struct (field (ref $vtable))))))
  (global $g1 (ref $vtable) (struct.new $vtable (ref.func $circleArea) (i32.const 1)))
  (global $g2 (ref $vtable) (struct.new $vtable (ref.func $rectArea) (i32.const 2)))
  (global $g3 (ref $vtable) (struct.new $vtable (ref.func $rectArea) (i32.const 3)))
  (elem declare func $squareArea)
  (func $squareArea (type $method) (i32.const 4))
  (func $rectArea (type $method) (i32.const 12))
  (func $circleArea (type $method) (i32.const 3))
  (func $area (param $s (ref $shape)) (result i32)
    (call_ref $method (local.get $s) (struct.get $vtable 0 (struct.get $shape 0 (local.get $s)))))
  (func (export "sq") (param $f (ref $method)) (result (ref $vtable))
    (struct.new $vtable (local.get $f) (i32.const 4)))
  (func (export "main") (param $s (ref $shape)) (result i32)
    (call $area (local.get $s))))`

// guessedTargets lists, in block order, the defined functions fn's
// call_ref compares its funcref with before its switch: the constants
// k*SmallObjectSize added to the funcrefs' base in an equality test.
func guessedTargets(fn *ir.Func) []int64 {
	var out []int64
	for _, b := range fn.Blocks {
		for _, in := range b.Insts {
			c, ok := in.(*ir.InstICmp)
			if !ok {
				continue
			}
			if add, ok := c.Y.(*ir.InstAdd); ok {
				if k, ok := add.Y.(*constant.Int); ok {
					out = append(out, k.X.Int64()>>funcRefSizeLog)
				}
			}
		}
	}
	return out
}

// TestLikelyCallRefTargets: area (and its clone) compare with rectArea
// (stored twice), then circleArea, and not squareArea; a call_ref
// whose funcref comes from a local compares with none.
func TestLikelyCallRefTargets(t *testing.T) {
	for _, opts := range []Options{{OptLevel: 2}, {OptLevel: 0}, {OptLevel: 2, Debug: true}} {
		fns := funcsByName(t, likelyWat, opts)
		if got := guessedTargets(fns["gcs_func_3"]); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("%+v: area compares with functions %v, want [1 2]:\n%s", opts, got, fns["gcs_func_3"].LLString())
		}
	}
	fns := funcsByName(t, `(module
  (type $m (func (result i32)))
  (elem declare func $a)
  (func $a (type $m) (i32.const 1))
  (func (export "go") (param $f (ref $m)) (result i32) (call_ref $m (local.get $f))))`, Options{OptLevel: 2})
	if got := guessedTargets(fns["gcs_func_1"]); len(got) != 0 {
		t.Errorf("go compares with %v, want none", got)
	}
}

// TestLikelyTargetsWeighted: each likely target's compare carries branch
// weights that make its match as likely as the remaining targets' and a
// funcref matching none (the switch) rare: 1024 : 1025 for rectArea's
// compare (circleArea after it), 1024 : 1 for circleArea's.
func TestLikelyTargetsWeighted(t *testing.T) {
	fn := funcsByName(t, likelyWat, Options{OptLevel: 2})["gcs_func_3"]
	var got [][2]int64
	for _, b := range fn.Blocks {
		br, ok := b.Term.(*ir.TermCondBr)
		if !ok {
			continue
		}
		c, ok := br.Cond.(*ir.InstICmp)
		if !ok {
			continue
		}
		if add, ok := c.Y.(*ir.InstAdd); !ok || add.X == nil {
			continue
		} else if _, ok := add.Y.(*constant.Int); !ok {
			continue
		}
		for _, md := range br.Metadata {
			if md.Name != "prof" {
				continue
			}
			tup := md.Node.(*metadata.Tuple)
			got = append(got, [2]int64{tup.Fields[1].(*constant.Int).X.Int64(), tup.Fields[2].(*constant.Int).X.Int64()})
		}
	}
	if want := [][2]int64{{likelyHitWeight, likelyHitWeight + 1}, {likelyHitWeight, 1}}; !slices.Equal(got, want) {
		t.Errorf("the likely targets' compares weigh %v, want %v:\n%s", got, want, fn.LLString())
	}
}
