package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// callIndirectWat dispatches through a funcref table holding defined
// functions of several types, a host function, another instance's
// function and a null slot, and through a table typed (ref null $base)
// holding a function of a subtype: the native fast path and the helper
// both serve some of the calls.
const callIndirectWat = `(module
  (type $ft (func (param i32) (result i32)))
  (type $base (sub (func (param i32) (result i32))))
  (type $derived (sub $base (func (param i32) (result i32))))
  (type $g (func (param i64) (result i32)))
  (type $mr (func (param i32) (result i32 i32)))
  (import "host" "hf" (func $hf (type $ft)))
  (import "other" "of" (func $of (type $ft)))
  (import "other" "ot" (table $ot 2 funcref))
  (table $t 8 funcref)
  (table $gt 4 (ref null $base))
  (table $t64 i64 2 funcref)
  (elem (table $t64) (i64.const 1) func $dbl)
  (elem (table $t) (i32.const 0) func $add1 $dbl $hf $of $wide $base1)
  (elem (table $gt) (i32.const 1) (ref null $base) (ref.func $base1) (ref.func $derived1))
  (tag $e (param i32))
  (table $tx 2 funcref)
  (elem (table $tx) (i32.const 0) func $pair $thrower)
  (elem declare func $add1 $dbl)
  (func $pair (type $mr) (local.get 0) (i32.add (local.get 0) (i32.const 1)))
  (func $thrower (type $ft) (throw $e (local.get 0)))
  (func (export "call_mr") (param i32 i32) (result i32)
    (call_indirect $tx (type $mr) (local.get 1) (local.get 0)) (i32.add))
  (func (export "catch") (param i32 i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call_indirect $tx (type $ft) (local.get 1) (local.get 0))))
    (i32.const 1000) (i32.add))
  (func $add1 (type $ft) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ft) (i32.mul (local.get 0) (i32.const 2)))
  (func $wide (type $g) (i32.wrap_i64 (local.get 0)))
  (func $base1 (type $base) (i32.add (local.get 0) (i32.const 100)))
  (func $derived1 (type $derived) (i32.add (local.get 0) (i32.const 200)))
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect $t (type $ft) (local.get 1) (local.get 0)))
  (func (export "call_base") (param i32 i32) (result i32)
    (call_indirect $gt (type $base) (local.get 1) (local.get 0)))
  (func (export "call_derived") (param i32 i32) (result i32)
    (call_indirect $gt (type $derived) (local.get 1) (local.get 0)))
  (func (export "call_base_t") (param i32 i32) (result i32)
    (call_indirect $t (type $base) (local.get 1) (local.get 0)))
  (func (export "tail") (param i32 i32) (result i32)
    (return_call_indirect $t (type $ft) (local.get 1) (local.get 0)))
  (func (export "call_ot") (param i32 i32) (result i32)
    (call_indirect $ot (type $ft) (local.get 1) (local.get 0)))
  (func (export "set_ot") (param i32) (table.set $ot (local.get 0) (ref.func $dbl)))
  (func (export "call64") (param i32 i32) (result i32)
    (call_indirect $t64 (type $ft) (local.get 1)
      (i64.or (i64.extend_i32_u (local.get 0)) (i64.shl (i64.extend_i32_u (i32.eqz (local.get 0))) (i64.const 32)))))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $dbl) (local.get 0)))
  (func (export "set") (param i32) (table.set $t (local.get 0) (ref.func $add1)))
  (func (export "sum") (param i32 i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (call_indirect $t (type $ft) (local.get $acc) (i32.and (local.get 0) (i32.const 1)))))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (i32.add (local.get $acc) (local.get 1)))
)`

const callIndirectOtherWat = `(module
  (table (export "ot") 2 funcref)
  (elem (i32.const 0) func $of)
  (func $of (export "of") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 7))))`

// callIndirectStore instantiates callIndirectWat on engine eng (with its
// host function and other instance).
// With fillers, the module has that many more functions of type $ft,
// enough to take the entry table instead of the switch.
func callIndirectStore(t *testing.T, eng runtime.Engine, stress bool, fillers int) *runtime.Instance {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng, GCStress: stress})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	host := s.NewHostInstance("host")
	i32 := []wasm.ValType{wasm.I32}
	if _, err := host.DefineFunc("hf", wasm.CompositeType{Kind: wasm.CompFunc, Params: i32, Results: i32},
		func(_ *runtime.Instance, a []runtime.Value) ([]runtime.Value, error) {
			return []runtime.Value{runtime.I32(int32(a[0].Bits) * 1000)}, nil
		}); err != nil {
		t.Fatal(err)
	}
	s.Register("host", host)
	other, err := s.Instantiate(parse(t, callIndirectOtherWat), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Register("other", other)
	src := strings.TrimSuffix(callIndirectWat, ")")
	for i := range fillers {
		src += fmt.Sprintf("  (func (type $ft) (i32.add (local.get 0) (i32.const %d)))\n", i)
	}
	inst, err := s.Instantiate(parse(t, src+")"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// callIndirectScript is the sequence of calls both tiers run, in order
// (grow and set change what later calls find).
var callIndirectScript = []struct {
	fn   string
	args []int32
}{
	{"call", []int32{0, 5}}, {"call", []int32{1, 5}}, // defined functions
	{"call", []int32{2, 5}}, {"call", []int32{3, 5}}, // host, other instance
	{"call", []int32{4, 5}}, {"call", []int32{5, 5}}, // type mismatch (other and same native signature)
	{"call", []int32{6, 5}}, {"call", []int32{7, 5}}, // null elements
	{"call", []int32{8, 5}}, {"call", []int32{-1, 5}}, // out of bounds
	{"tail", []int32{1, 6}}, {"tail", []int32{3, 6}}, {"tail", []int32{6, 6}}, {"tail", []int32{5, 6}},
	{"grow", []int32{2}}, {"call", []int32{8, 5}}, {"call", []int32{9, 5}}, {"call", []int32{10, 5}},
	{"set", []int32{6}}, {"call", []int32{6, 5}}, {"set", []int32{1}}, {"call", []int32{1, 5}},
	{"call_base", []int32{0, 5}}, {"call_base", []int32{1, 5}}, {"call_base", []int32{2, 5}},
	{"call_base", []int32{3, 5}}, {"call_base", []int32{4, 5}},
	{"call_derived", []int32{2, 5}}, {"call_derived", []int32{1, 5}}, {"call_derived", []int32{0, 5}},
	{"call_base_t", []int32{5, 5}}, {"call_base_t", []int32{0, 5}}, {"call_base_t", []int32{2, 5}},
	{"call_ot", []int32{0, 5}}, {"call_ot", []int32{1, 5}}, {"set_ot", []int32{1}}, {"call_ot", []int32{1, 5}},
	{"call_ot", []int32{2, 5}}, {"call64", []int32{1, 5}}, {"call64", []int32{0, 5}}, {"call64", []int32{2, 5}},
	{"call_mr", []int32{0, 5}}, {"call_mr", []int32{1, 5}}, {"catch", []int32{1, 5}}, {"catch", []int32{0, 5}},
	{"sum", []int32{1000, 3}}, {"call", []int32{100000, 1}},
}

// TestCallIndirectMatchesInterp runs the script on the interpreter and
// natively (also under GC stress), with the native switch and with the
// entry table, and compares every result and trap.
func TestCallIndirectMatchesInterp(t *testing.T) {
	want := runCallIndirectScript(t, callIndirectStore(t, interp.New(), false, 0))
	for _, fillers := range []int{0, 40} {
		for _, stress := range []bool{false, true} {
			e := New(nil)
			t.Cleanup(func() { e.Close() })
			got := runCallIndirectScript(t, callIndirectStore(t, e, stress, fillers))
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("fillers=%d stress=%v: %s%v = %s, interpreter %s", fillers, stress,
						callIndirectScript[i].fn, callIndirectScript[i].args, got[i], want[i])
				}
			}
		}
	}
	// The script exercises every outcome (a broken one would compare
	// equal on both tiers only if both broke alike).
	for i, w := range []string{"6", "10", "5000", "-2", "trap: indirect call type mismatch", "trap: indirect call type mismatch",
		"trap: uninitialized element", "trap: uninitialized element", "trap: undefined element", "trap: undefined element"} {
		if want[i] != w {
			t.Errorf("interpreter: %s%v = %s, want %s", callIndirectScript[i].fn, callIndirectScript[i].args, want[i], w)
		}
	}
}

func runCallIndirectScript(t *testing.T, inst *runtime.Instance) []string {
	t.Helper()
	var out []string
	for _, c := range callIndirectScript {
		f := inst.ExportedFunc(c.fn)
		if f == nil {
			t.Fatalf("no export %s", c.fn)
		}
		var args []runtime.Value
		for _, a := range c.args {
			args = append(args, runtime.I32(a))
		}
		res, err := f.Call(args)
		var tr *runtime.Trap
		switch {
		case errors.As(err, &tr):
			// The interpreter names the index after the spec's message
			// ("undefined element 8"); the spec's message is compared.
			msg, _, _ := strings.Cut(tr.Msg, " element ")
			if msg != tr.Msg {
				msg += " element"
			}
			out = append(out, "trap: "+msg)
		case err != nil:
			t.Fatalf("%s%v: %v", c.fn, c.args, err)
		case len(res) == 0:
			out = append(out, "ok")
		default:
			out = append(out, fmt.Sprint(int32(res[0].Bits)))
		}
	}
	return out
}
