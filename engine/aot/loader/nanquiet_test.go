package loader

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// nanFloat describes one scalar float type for the NaN-quieting module.
type nanFloat struct {
	t     string // f32 or f64
	sNaN  string // a signalling NaN literal
	quiet uint64 // the quiet bit
}

var nanFloats = []nanFloat{
	{"f32", "nan:0x200000", 1 << 22},
	{"f64", "nan:0x4000000000000", 1 << 51},
}

// nanIdentities are operations that LLVM treats as identities (or as a
// negation) when it sees the constant, though Wasm must quiet a
// signalling NaN x: each is op, constant, and whether the constant is
// the first operand.
var nanIdentities = []struct {
	op, k string
	first bool
}{
	{"add", "-0", false}, {"add", "-0", true}, {"sub", "0", false}, {"sub", "-0", true},
	{"mul", "1", false}, {"mul", "1", true}, {"mul", "-1", false}, {"div", "1", false}, {"div", "-1", false},
	{"min", "-0", false}, {"max", "0", true},
}

// nanQuietWat builds a module whose exports apply an identity-like
// operation to their parameter $x, with the constant reaching the
// operation along one of several routes: literally, through a local, a
// block result, a global, a select, a loop-carried local, a call, and a
// signalling NaN constant as the other operand.
func nanQuietWat() (string, []string) {
	var b strings.Builder
	var names []string
	b.WriteString("(module\n")
	for _, ft := range nanFloats {
		t := ft.t
		fmt.Fprintf(&b, "  (global $g_%s (mut %s) (%s.const 7))\n", t, t, t)
		fmt.Fprintf(&b, "  (global $k_%s %s (%s.const 1))\n", t, t, t)
		fmt.Fprintf(&b, "  (func $one_%s (result %s) (%s.const 1))\n", t, t, t)
		for i, id := range nanIdentities {
			k := fmt.Sprintf("(%s.const %s)", t, id.k)
			routes := map[string]struct{ locals, pre, c string }{
				"literal": {"", "", k},
				"local":   {"(local $c " + t + ")", "(local.set $c " + k + ")", "(local.get $c)"},
				"block":   {"", "", "(block (result " + t + ") " + k + ")"},
				"global":  {"", "(global.set $g_" + t + " " + k + ")", "(global.get $g_" + t + ")"},
				"select": {"(local $s i32)", "(local.set $s (i32.const 1))",
					"(select " + k + " " + k + " (local.get $s))"},
				"loop": {"(local $c " + t + ") (local $i i32) (local $r " + t + ")",
					"(local.set $c " + k + ")" +
						"(loop $l (local.set $r (" + t + "." + id.op + " " + order(id.first, "(local.get $x)", "(local.get $c)") + "))" +
						"(local.set $c (select (local.get $c) " + k + " (local.get $i)))" +
						"(local.set $i (i32.add (local.get $i) (i32.const 1)))" +
						"(br_if $l (i32.lt_u (local.get $i) (i32.const 3))))",
					""},
			}
			for route, r := range routes {
				name := fmt.Sprintf("%s_%s_%d_%s", t, id.op, i, route)
				names = append(names, name)
				body := "(local.get $r)"
				if route != "loop" {
					body = "(" + t + "." + id.op + " " + order(id.first, "(local.get $x)", r.c) + ")"
				}
				fmt.Fprintf(&b, "  (func (export %q) (param $x %s) (result %s) %s %s %s)\n", name, t, t, r.locals, r.pre, body)
			}
		}
		// The immutable global and the call: x*1 with 1 from elsewhere.
		for route, c := range map[string]string{"kglobal": "(global.get $k_" + t + ")", "call": "(call $one_" + t + ")"} {
			name := t + "_mul_" + route
			names = append(names, name)
			fmt.Fprintf(&b, "  (func (export %q) (param $x %s) (result %s) (%s.mul (local.get $x) %s))\n", name, t, t, t, c)
		}
		// A signalling NaN constant operand: LLVM folds x op sNaN to the
		// constant itself, unquieted.
		for _, op := range []string{"add", "sub", "mul", "div"} {
			for route, pre := range map[string]string{"literal": "", "local": "(local.set $c (" + t + ".const " + ft.sNaN + "))"} {
				c := "(" + t + ".const " + ft.sNaN + ")"
				if route == "local" {
					c = "(local.get $c)"
				}
				name := fmt.Sprintf("%s_%s_snan_%s", t, op, route)
				names = append(names, name)
				fmt.Fprintf(&b, "  (func (export %q) (param $x %s) (result %s) (local $c %s) %s (%s.%s (local.get $x) %s))\n",
					name, t, t, t, pre, t, op, c)
			}
		}
	}
	// A conversion of a conversion, through a local and directly.
	b.WriteString(`  (func (export "f32_demote_promote_local") (param $x f32) (result f32) (local $t f64)
    (local.set $t (f64.promote_f32 (local.get $x))) (f32.demote_f64 (local.get $t)))
  (func (export "f64_promote_demote_local") (param $x f64) (result f64) (local $t f32)
    (local.set $t (f32.demote_f64 (local.get $x))) (f64.promote_f32 (local.get $t)))
  (func (export "f32_demote_promote_block") (param $x f32) (result f32)
    (f32.demote_f64 (block (result f64) (f64.promote_f32 (local.get $x)))))
  (func (export "f32_demote_promote") (param $x f32) (result f32) (f32.demote_f64 (f64.promote_f32 (local.get $x))))
`)
	names = append(names, "f32_demote_promote_local", "f64_promote_demote_local", "f32_demote_promote_block", "f32_demote_promote")
	// Conversions and rounding of a signalling NaN constant, which LLVM
	// folds at compile time: the folded constant must be quiet too.
	for _, ft := range nanFloats {
		t, o := ft.t, "f64"
		conv := "f32.demote_f64"
		if t == "f64" {
			o, conv = "f32", "f64.promote_f32"
		}
		k := nanFloats[0].sNaN
		if o == "f64" {
			k = nanFloats[1].sNaN
		}
		for _, op := range []string{t + ".sqrt", t + ".ceil", t + ".floor", t + ".trunc", t + ".nearest", conv} {
			arg := t
			c := "(" + t + ".const " + ft.sNaN + ")"
			if op == conv {
				c = "(" + o + ".const " + k + ")"
			}
			name := fmt.Sprintf("%s_%s_snan", t, strings.ReplaceAll(op, ".", "_"))
			names = append(names, name, name+"_local")
			fmt.Fprintf(&b, "  (func (export %q) (param $x %s) (result %s) (%s %s))\n", name, arg, t, op, c)
			fmt.Fprintf(&b, "  (func (export %q) (param $x %s) (result %s) (local $c %s) (local.set $c %s) (%s (local.get $c)))\n",
				name+"_local", arg, t, strings.Fields(c)[0][1:4], c, op)
		}
	}
	b.WriteString(")\n")
	return b.String(), names
}

func order(first bool, x, c string) string {
	if first {
		return c + " " + x
	}
	return x + " " + c
}

// TestScalarNaNQuieting: every arithmetic result must be a quiet NaN when
// it is a NaN, natively as on the interpreter, whatever route a constant
// took to the operation (LLVM sees through locals, blocks, globals,
// selects, loops and calls after mem2reg and inlining).
func TestScalarNaNQuieting(t *testing.T) {
	src, names := nanQuietWat()
	m := parse(t, src)
	ref, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	refInst, err := ref.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]uint64{
		"f32": {0x7fa00000, 0xffa00001, 0x7fc00000, 0x40000000, 0x80000000},
		"f64": {0x7ff4000000000000, 0xfff0000000000001, 0x7ff8000000000000, 0x4000000000000000, 0x8000000000000000},
	}
	for _, level := range []int{0, 2} {
		e := New(nil)
		e.Options.OptLevel = level
		s, err := runtime.NewStore(runtime.Config{Engine: e})
		if err != nil {
			t.Fatal(err)
		}
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			fn, rf := inst.ExportedFunc(name), refInst.ExportedFunc(name)
			ty := name[:3]
			for _, in := range inputs[ty] {
				arg := runtime.F64(in)
				if ty == "f32" {
					arg = runtime.F32(uint32(in))
				}
				got, err := fn.Call([]runtime.Value{arg})
				if err != nil {
					t.Fatalf("-O%d %s: %v", level, name, err)
				}
				want, err := rf.Call([]runtime.Value{arg})
				if err != nil {
					t.Fatalf("interpreter %s: %v", name, err)
				}
				if msg := nanMismatch(got[0], want[0]); msg != "" {
					t.Errorf("-O%d %s(%#x): native %#x, interpreter %#x: %s", level, name, in, got[0].Bits, want[0].Bits, msg)
				}
			}
		}
		s.Close()
		e.Close()
	}
}

// nanMismatch says how native result a differs from reference b: NaNs
// may differ in sign and payload, but must both be NaN and quiet.
func nanMismatch(a, b runtime.Value) string {
	isNaN := func(v runtime.Value) (bool, bool) {
		if v.Type.Kind == wasm.KindF32 {
			return math.IsNaN(float64(math.Float32frombits(uint32(v.Bits)))), v.Bits&(1<<22) != 0
		}
		return math.IsNaN(math.Float64frombits(v.Bits)), v.Bits&(1<<51) != 0
	}
	na, qa := isNaN(a)
	nb, qb := isNaN(b)
	switch {
	case na != nb:
		return "one NaN, one not"
	case !na && a.Bits != b.Bits:
		return "different numbers"
	case na && !qb:
		return "the interpreter returned a signalling NaN"
	case na && !qa:
		return "a signalling NaN came back unquieted"
	}
	return ""
}
