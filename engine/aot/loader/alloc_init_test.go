package loader

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// allocInitWat allocates every shape of object the AOT code initializes
// inline: structs with padding between and after fields, fields given as
// constant zeros, default structs small and large (the zeroing loop),
// arrays of every element size by array.new (value and zero),
// array.new_default and array.new_fixed, of lengths around the 8-byte
// padding boundaries.
const allocInitWat = `(module
  (type $gap (struct (field i8) (field i64) (field i16) (field (ref null any))
                     (field i32) (field f32) (field i8)))
  (type $big (struct (field i64) (field i32) (field i64) (field i64) (field i64)
                     (field i64) (field i64) (field i64) (field i64) (field i8)))
  (type $a8 (array (mut i8)))
  (type $a16 (array (mut i16)))
  (type $a32 (array (mut i32)))
  (type $a64 (array (mut i64)))
  (type $av (array (mut v128)))
  (type $ar (array (mut (ref null any))))
  (func (export "gap") (param $x i32) (result anyref)
    (struct.new $gap (local.get $x) (i64.extend_i32_u (local.get $x)) (local.get $x)
      (ref.i31 (local.get $x)) (local.get $x) (f32.convert_i32_u (local.get $x)) (local.get $x)))
  (func (export "gap_zeros") (param $x i32) (result anyref)
    (struct.new $gap (i32.const 0) (i64.const 0) (local.get $x) (ref.null any)
      (i32.const 0) (f32.const 0) (local.get $x)))
  (func (export "gap_default") (param $x i32) (result anyref) (struct.new_default $gap))
  (func (export "big_default") (param $x i32) (result anyref) (struct.new_default $big))
  (func (export "big_zeros") (param $x i32) (result anyref)
    (struct.new $big (i64.const 0) (local.get $x) (i64.const 0) (i64.const 0) (i64.const 0)
      (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i32.const 0)))
  (func (export "a8") (param $x i32) (result anyref) (array.new $a8 (local.get $x) (local.get $x)))
  (func (export "a8_zero") (param $x i32) (result anyref) (array.new $a8 (i32.const 0) (local.get $x)))
  (func (export "a8_default") (param $x i32) (result anyref) (array.new_default $a8 (local.get $x)))
  (func (export "a16") (param $x i32) (result anyref) (array.new $a16 (local.get $x) (local.get $x)))
  (func (export "a16_default") (param $x i32) (result anyref) (array.new_default $a16 (local.get $x)))
  (func (export "a32") (param $x i32) (result anyref) (array.new $a32 (local.get $x) (local.get $x)))
  (func (export "a32_default") (param $x i32) (result anyref) (array.new_default $a32 (local.get $x)))
  (func (export "a64") (param $x i32) (result anyref)
    (array.new $a64 (i64.extend_i32_u (local.get $x)) (local.get $x)))
  (func (export "a64_default") (param $x i32) (result anyref) (array.new_default $a64 (local.get $x)))
  (func (export "av_default") (param $x i32) (result anyref) (array.new_default $av (local.get $x)))
  (func (export "av") (param $x i32) (result anyref) (array.new $av (i32x4.splat (local.get $x)) (local.get $x)))
  (func (export "ar_default") (param $x i32) (result anyref) (array.new_default $ar (local.get $x)))
  (func (export "a8_fixed") (param $x i32) (result anyref)
    (array.new_fixed $a8 5 (local.get $x) (i32.const 0) (local.get $x) (i32.const 0) (local.get $x)))
  (func (export "a8_fixed0") (param $x i32) (result anyref) (array.new_fixed $a8 0))
  (func (export "a16_fixed") (param $x i32) (result anyref)
    (array.new_fixed $a16 3 (i32.const 0) (local.get $x) (i32.const 0)))
  (func (export "a64_fixed") (param $x i32) (result anyref)
    (array.new_fixed $a64 2 (i64.const 0) (i64.extend_i32_u (local.get $x)))))`

// allocInitExports are allocInitWat's functions, each called with the
// lengths (or field values) in allocInitArgs.
var allocInitExports = []string{"gap", "gap_zeros", "gap_default", "big_default", "big_zeros",
	"a8", "a8_zero", "a8_default", "a16", "a16_default", "a32", "a32_default", "a64",
	"a64_default", "av_default", "av", "ar_default", "a8_fixed", "a8_fixed0", "a16_fixed", "a64_fixed"}

var allocInitArgs = []int32{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17}

// allocInitObjects calls every export with every argument on a store of
// engine eng whose heap poisons buffer memory, and returns the bytes of
// each object made, after the header's type id (canonical ids are the
// store's own).
func allocInitObjects(t *testing.T, eng runtime.Engine) []string {
	t.Helper()
	t.Setenv("GCSCOPE_GC_POISON", "1")
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inst, err := s.Instantiate(parse(t, allocInitWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	var objs []string
	// Twice: the first allocation refills the buffer through the helper
	// (a zeroed object); the later ones are bumped inline.
	for round := 0; round < 2; round++ {
		for _, name := range allocInitExports {
			for _, x := range allocInitArgs {
				res, err := inst.ExportedFunc(name).Call([]runtime.Value{runtime.I32(x)})
				if err != nil {
					t.Fatalf("%s(%d): %v", name, x, err)
				}
				b := s.Heap.GC.ObjectBytes(gc.Ref(res[0].Bits))
				if b == nil {
					t.Fatalf("%s(%d) returned %#x, not an object", name, x, res[0].Bits)
				}
				objs = append(objs, fmt.Sprintf("%s(%d): % x", name, x, b[gc.GCBitsOffset:]))
			}
		}
	}
	if err := s.Heap.GC.Verify(); err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestInlineAllocationInitializesObjects: buffer memory is not zeroed
// (engine/gc buffer_init.go), so objects the AOT code allocates inline
// must have every byte written. With buffers poisoned, every object's
// bytes must equal those of the interpreter's, which the Go fast path
// clears.
func TestInlineAllocationInitializesObjects(t *testing.T) {
	want := allocInitObjects(t, interp.New())
	e := New(nil)
	t.Cleanup(e.Close)
	got := allocInitObjects(t, e)
	if len(got) != len(want) {
		t.Fatalf("%d objects, the interpreter made %d", len(got), len(want))
	}
	poison := []byte{gc.PoisonByte, gc.PoisonByte}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("AOT object differs from the interpreter's:\n got %s\nwant %s", got[i], want[i])
		}
		if bytes.Contains([]byte(want[i]), []byte(fmt.Sprintf("% x", poison))) {
			t.Errorf("the interpreter's object holds poison: %s", want[i])
		}
	}
}
