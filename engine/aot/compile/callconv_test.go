package compile

import (
	"strings"
	"testing"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// convWat has functions at and past GHC's register limits (env and top
// take two of the ten integer registers), a multi-value function (its out
// pointer is an integer argument), a pair of tail-calling functions, and
// a caller reaching them directly, through call_indirect and call_ref.
const convWat = `(module
  (type $i8 (func (param i32 i64 i32 i64 i32 i64 i32 i64) (result i64)))
  (table 4 funcref)
  (elem (i32.const 0) $ints8 $ints9 $floats6 $floats7)
  (elem declare func $ints8)
  (func $ints8 (type $i8) (local.get 7))
  (func $ints9 (param i32 i64 i32 i64 i32 i64 i32 i64 i32) (result i64) (local.get 7))
  (func $floats6 (param f64 f32 f64 f32 f64 v128) (result f64) (local.get 4))
  (func $floats7 (param f64 f32 f64 f32 f64 v128 f64) (result f64) (local.get 6))
  (func $multi7 (param i32 i32 i32 i32 i32 i32 i32) (result i32 i64) (local.get 6) (i64.const 1))
  (func $multi8 (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32 i64) (local.get 7) (i64.const 1))
  (func $t1 (param i32) (result i32) (return_call $t2 (local.get 0) (i64.const 2)))
  (func $t2 (param i32 i64) (result i32) (local.get 0))
  (func (export "caller") (param i32) (result i64)
    (drop (call $ints8 (i32.const 1) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8)))
    (drop (call $ints9 (i32.const 1) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (i32.const 9)))
    (drop (call $floats6 (f64.const 1) (f32.const 2) (f64.const 3) (f32.const 4) (f64.const 5) (v128.const i64x2 6 7)))
    (drop (call $floats7 (f64.const 1) (f32.const 2) (f64.const 3) (f32.const 4) (f64.const 5) (v128.const i64x2 6 7) (f64.const 8)))
    (drop (drop (call $multi7 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7))))
    (drop (drop (call $multi8 (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8))))
    (drop (call $t1 (local.get 0)))
    (drop (call_ref $i8 (i32.const 1) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (ref.func $ints8)))
    (call_indirect (type $i8) (i32.const 1) (i64.const 2) (i32.const 3) (i64.const 4) (i32.const 5) (i64.const 6) (i32.const 7) (i64.const 8) (local.get 0))))`

// TestWasmConv: functions whose arguments all have a GHC register use
// GHC's convention, the others and the entry wrappers keep C's, the
// tail-calling pair keeps tailcc, and every call agrees with its callee,
// in release and debug builds and in a chunk's declarations.
func TestWasmConv(t *testing.T) {
	m := parse(t, []byte(convWat))
	want := []enum.CallingConv{
		enum.CallingConvGHC, enum.CallingConvNone, enum.CallingConvGHC, enum.CallingConvNone,
		enum.CallingConvGHC, enum.CallingConvNone, enum.CallingConvTail, enum.CallingConvTail,
		enum.CallingConvGHC, // the exported caller: env, top and an i32
	}
	for _, o := range []Options{{OptLevel: 2}, {OptLevel: 0}, {OptLevel: 2, Debug: true}} {
		mod, _, err := generate(m, o)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]*ir.Func{}
		for _, f := range mod.Funcs {
			byName[f.Name()] = f
		}
		for i, cc := range want {
			if got := byName[funcSymbol(i)].CallingConv; got != cc {
				t.Errorf("%+v: function %d has convention %v, want %v", o, i, got, cc)
			}
			if got := byName[EntrySymbol(i)].CallingConv; got != enum.CallingConvNone {
				t.Errorf("%+v: entry wrapper %d has convention %v, want C's", o, i, got)
			}
		}
		calls := 0
		for _, f := range mod.Funcs {
			for _, b := range f.Blocks {
				for _, in := range b.Insts {
					c, ok := in.(*ir.InstCall)
					if !ok {
						continue
					}
					if callee, ok := c.Callee.(*ir.Func); ok && strings.HasPrefix(callee.Name(), "gcs_func_") {
						calls++
						if c.CallingConv != callee.CallingConv {
							t.Errorf("%+v: %s calls %s with convention %v, the callee has %v", o, f.Name(), callee.Name(), c.CallingConv, callee.CallingConv)
						}
					}
				}
			}
		}
		if calls < len(want)*2 {
			t.Fatalf("%+v: only %d calls between functions", o, calls)
		}
	}
	// Split into one chunk per function, the caller's chunk declares its
	// callees with their conventions.
	mod, _, err := generate(m, Options{OptLevel: 2})
	if err != nil {
		t.Fatal(err)
	}
	var parts [][]int
	for i := range m.Funcs {
		parts = append(parts, []int{i})
	}
	texts, err := splitModule(mod, parts)
	if err != nil {
		t.Fatal(err)
	}
	last := string(texts[len(texts)-1])
	for _, d := range []string{"declare hidden ghccc i64 @" + funcSymbol(0) + "(", "declare hidden i64 @" + funcSymbol(1) + "(",
		"declare hidden tailcc i32 @" + funcSymbol(6) + "("} {
		if !strings.Contains(last, d) {
			t.Errorf("the caller's chunk lacks %q", d)
		}
	}
}

func TestGHCFits(t *testing.T) {
	ints := func(n int, more ...types.Type) *types.FuncType {
		var ps []types.Type
		for range n {
			ps = append(ps, types.I64)
		}
		return types.NewFunc(types.I32, append(ps, more...)...)
	}
	floats := func(n int) []types.Type {
		var ps []types.Type
		for range n {
			ps = append(ps, types.Double)
		}
		return ps
	}
	for _, c := range []struct {
		sig  *types.FuncType
		want bool
	}{
		{ints(10), true},
		{ints(11), false},
		{ints(2, floats(6)...), true},
		{ints(2, floats(7)...), false},
		{ints(2, v128T, types.Float), true},
		{types.NewFunc(v128T, envPtr, slotPtr, v128T), true},
		{types.NewFunc(types.Void, envPtr, slotPtr, slotPtr), true},
	} {
		if got := ghcFits(c.sig); got != c.want {
			t.Errorf("ghcFits(%v) = %v, want %v", c.sig, got, c.want)
		}
	}
}
