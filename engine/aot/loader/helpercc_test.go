package loader

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/runtime"
)

// TestHelperCallsKeepRegisters: values live across helper calls (memory
// .grow, table.get and ref.func through the op helper) must come back
// unchanged. Code calls the helpers with preserve_most, under which the
// callee keeps every general-purpose register but r11, so the compiled
// code may hold them in caller-saved registers; a thunk that forgot one
// would change a value. Fourteen loaded values (more than the callee-saved
// registers) are live across the calls.
func TestHelperCallsKeepRegisters(t *testing.T) {
	const n = 14
	var src strings.Builder
	src.WriteString(`(module
  (memory 1 10)
  (table 2 funcref)
  (elem declare func $f)
  (func $f)
  (func (export "run") (param $seed i64) (result i64)
    (local $acc i64)`)
	for i := range n {
		fmt.Fprintf(&src, " (local $v%d i64)", i)
	}
	for i := range n {
		// Distinct, unpredictable values: memory words times the seed.
		fmt.Fprintf(&src, `
    (i64.store (i32.const %d) (i64.mul (local.get $seed) (i64.const %d)))
    (local.set $v%d (i64.load (i32.const %d)))`, 8*i, 2*i+3, i, 8*i)
	}
	src.WriteString(`
    (local.set $acc (i64.extend_i32_u (memory.grow (i32.const 1))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (ref.is_null (table.get (i32.const 0))))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (ref.is_null (ref.func $f)))))`)
	for i := range n {
		fmt.Fprintf(&src, `
    (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (local.get $v%d)))`, i)
	}
	src.WriteString(`
    (local.get $acc)))`)
	inst, _ := instantiate(t, parse(t, src.String()))
	run := inst.ExportedFunc("run")
	for round, seed := range []uint64{0x9e3779b97f4a7c15, 12345, 0xfffffffffffffff1} {
		res, err := run.Call([]runtime.Value{runtime.I64(int64(seed))})
		if err != nil {
			t.Fatal(err)
		}
		// memory.grow returns the old size (1 page, then 2, ...),
		// table.get 0 is null (1), ref.func is not (0).
		want := uint64(1+round) + 1
		for i := range n {
			want = want*31 + seed*uint64(2*i+3)
		}
		if res[0].Bits != want {
			t.Errorf("seed %#x: run = %#x, want %#x", seed, res[0].Bits, want)
		}
	}
}

// TestHelperTableThunks: every helper table entry that compiled code
// calls with preserve_most (all but compile.PlainCHelper's) must be one
// of trampoline.c's register-saving thunks, which start with push %rax
// (helpers without a result) or sub $8,%rsp (with one), then push %rcx.
// A helper added to the table as a plain C function would let it clobber
// registers the code keeps live across the call; this fails first.
func TestHelperTableThunks(t *testing.T) {
	// The table and the code are C memory, never moved: the addresses are
	// read as pointers without a uintptr conversion vet would question.
	addr := native.HelperTable()
	tbl := unsafe.Slice((*uintptr)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))), compile.NumHelpers)
	for k, fn := range tbl {
		code := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&fn))), 6)
		thunk := bytes.HasPrefix(code, []byte{0x50, 0x51}) || bytes.HasPrefix(code, []byte{0x48, 0x83, 0xec, 0x08, 0x51})
		if want := !compile.PlainCHelper(k); thunk != want {
			t.Errorf("helper %d (%s): thunk %v, want %v (code % x)", k, compile.HelperNames[k], thunk, want, code)
		}
	}
}
