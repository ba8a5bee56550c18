package interp

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestSIMDComplete checks that every SIMD instruction of the opcode table
// has an implementation.
func TestSIMDComplete(t *testing.T) {
	for _, info := range wasm.AllOps() {
		if info.Op.Prefix() != wasm.PrefixSIMD {
			continue
		}
		if _, ok := simdIdx[info.Op]; !ok {
			t.Errorf("%s is not implemented", info.Name)
		}
	}
}

func TestSIMDBasics(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (memory 1)
	  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
	  (func (export "sum") (param v128) (result i32)
	    (local $v v128)
	    (local.set $v (i32x4.add (local.get 0) (global.get $g)))
	    (global.set $g (local.get $v))
	    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
	             (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
	  (func (export "roundtrip") (param v128) (result v128)
	    (v128.store (i32.const 16) (local.get 0))
	    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (v128.load (i32.const 16)) (v128.const i64x2 0 0))))`)
	var b [16]byte
	for i := range b {
		b[i] = byte(i)
	}
	arg := runtime.V128(b)
	// lanes of arg as i32x4: 0x03020100, ...; plus 1 2 3 4.
	want := uint64(0x03020100+0x07060504+0x0B0A0908+0x0F0E0D0C+10) & 0xFFFFFFFF
	if got := mustCall(t, inst, "sum", arg); got != want {
		t.Errorf("sum = %#x, want %#x", got, want)
	}
	res, err := call(t, inst, "roundtrip", arg)
	if err != nil {
		t.Fatal(err)
	}
	got := res[0].Bytes16()
	for i := range got {
		if got[i] != byte(15-i) {
			t.Fatalf("roundtrip = %v", got)
		}
	}
}

// v128 values in structs, arrays and exception payloads take two slots in
// frames and 16 bytes in heap objects.
func TestSIMDInObjects(t *testing.T) {
	s := newStore(t, runtime.Config{GCStress: true})
	inst := instantiate(t, s, `(module
	  (type $s (struct (field i32) (field (mut v128)) (field i64)))
	  (type $a (array (mut v128)))
	  (tag $e (param i32 v128 i32))
	  (func (export "f") (result i64)
	    (local $r (ref $s)) (local $arr (ref $a))
	    (local.set $r (struct.new $s (i32.const 1) (v128.const i64x2 2 3) (i64.const 4)))
	    (local.set $arr (array.new $a (v128.const i64x2 5 6) (i32.const 3)))
	    (array.fill $a (local.get $arr) (i32.const 1) (v128.const i64x2 7 8) (i32.const 1))
	    (array.set $a (local.get $arr) (i32.const 2) (struct.get $s 1 (local.get $r)))
	    (struct.set $s 1 (local.get $r) (array.get $a (local.get $arr) (i32.const 1)))
	    (block $h (result i32 v128 i32)
	      (try_table (catch $e $h)
	        (throw $e (i32.const 9) (array.get $a (local.get $arr) (i32.const 2)) (i32.const 10)))
	      (unreachable))
	    (drop) (drop) (drop)
	    ;; 4 + 7 + 8 (struct field 1) + 6 (arr[0]) + 3 (arr[2])
	    (i64.add (struct.get $s 2 (local.get $r))
	      (i64.add (i64x2.extract_lane 0 (struct.get $s 1 (local.get $r)))
	        (i64.add (i64x2.extract_lane 1 (struct.get $s 1 (local.get $r)))
	          (i64.add (i64x2.extract_lane 1 (array.get $a (local.get $arr) (i32.const 0)))
	                   (i64x2.extract_lane 1 (array.get $a (local.get $arr) (i32.const 2)))))))))`)
	if got := mustCall(t, inst, "f"); got != 28 {
		t.Errorf("f = %d, want 28", got)
	}
}
