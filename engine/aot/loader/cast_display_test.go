package loader

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/native"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// The types both cast modules declare (so their canonical ids are
// equal): a non-final chain $a > $b, a rec group $p > $q, a final $f, and
// a chain $l0 > ... > $l11 deeper than the display (compile.DisplayWidth)
// whose root has more subtypes than casts compare inline.
func castTypes(withSubs bool) string {
	var b strings.Builder
	b.WriteString(`
  (type $a (sub (struct (field i32))))
  (type $b (sub $a (struct (field i32) (field i32))))
  (rec (type $p (sub (struct (field i64)))) (type $q (sub $p (struct (field i64) (field i32)))))
  (type $f (struct (field f32)))
  (type $arr (array i8))
`)
	for k := 0; k < 12; k++ {
		if k == 0 {
			b.WriteString("  (type $l0 (sub (struct)))\n")
		} else {
			fmt.Fprintf(&b, "  (type $l%d (sub $l%d (struct)))\n", k, k-1)
		}
	}
	if withSubs {
		// Declared only in the module that makes the objects: the module
		// that casts knows no subtype of $b or $q.
		b.WriteString(`
  (type $c (sub $b (struct (field i32) (field i32) (field i32))))
  (type $d (sub final $c (struct (field i32) (field i32) (field i32) (field i32))))
  (rec (type $p2 (sub (struct (field i64)))) (type $q2 (sub $p2 (struct (field i64) (field i32)))) (type $r (sub $q (struct (field i64) (field i32)))))
  (type $m (sub $l8 (struct (field i8)))) ;; not $l9: that would be an equal type
`)
	}
	return b.String()
}

// castMaker makes the values the casts see: null, i31s, an array, and an
// object of each struct type, including ones of types the casting module
// does not declare ($c, $d, $r) and of a structurally equal type in
// another rec group ($q2, a different canonical type).
var castMakerValues = []string{
	"(ref.null none)", "(ref.i31 (i32.const 5))", "(array.new_default $arr (i32.const 2))",
	"(struct.new_default $a)", "(struct.new_default $b)", "(struct.new_default $c)", "(struct.new_default $d)",
	"(struct.new_default $p)", "(struct.new_default $q)", "(struct.new_default $q2)", "(struct.new_default $r)",
	"(struct.new_default $f)",
	"(struct.new_default $l0)", "(struct.new_default $l3)", "(struct.new_default $l7)", "(struct.new_default $l8)",
	"(struct.new_default $l11)", "(struct.new_default $m)",
}

func castMakerWat() string {
	var b strings.Builder
	b.WriteString("(module" + castTypes(true))
	b.WriteString("  (func (export \"make\") (param i32) (result anyref)\n")
	for k, v := range castMakerValues {
		fmt.Fprintf(&b, "    (if (i32.eq (local.get 0) (i32.const %d)) (then (return %s)))\n", k, v)
	}
	b.WriteString("    (unreachable)))")
	return b.String()
}

// castTargets are the heap types cast to: abstract, final, non-final,
// in a rec group, and along the deep chain (display indices 0, 3, 7 and
// the helper's 8 and 11).
var castTargets = []string{
	"any", "eq", "i31", "struct", "array", "none",
	"$a", "$b", "$p", "$q", "$f", "$arr", "$l0", "$l3", "$l7", "$l8", "$l11",
}

// castUserWat has, per target and nullability, ref.test, ref.cast,
// br_on_cast and br_on_cast_fail on an anyref parameter.
func castUserWat() string {
	var b strings.Builder
	b.WriteString("(module" + castTypes(false))
	for i, t := range castTargets {
		for _, null := range []string{"", "null "} {
			rt := fmt.Sprintf("(ref %s%s)", null, t)
			n := fmt.Sprintf("%d_%d", i, len(null))
			fmt.Fprintf(&b, "  (func (export \"test%s\") (param anyref) (result i32) (ref.test %s (local.get 0)))\n", n, rt)
			fmt.Fprintf(&b, "  (func (export \"cast%s\") (param anyref) (result i32) (drop (ref.cast %s (local.get 0))) (i32.const 1))\n", n, rt)
			fmt.Fprintf(&b, "  (func (export \"br%s\") (param anyref) (result i32)\n"+
				"    (block $l (result %s) (br_on_cast $l anyref %s (local.get 0)) (drop) (return (i32.const 0))) (drop) (i32.const 1))\n", n, rt, rt)
			fmt.Fprintf(&b, "  (func (export \"brf%s\") (param anyref) (result i32)\n"+
				"    (block $l (result anyref) (br_on_cast_fail $l anyref %s (local.get 0)) (drop) (return (i32.const 0))) (drop) (i32.const 1))\n", n, rt)
		}
	}
	b.WriteString(")")
	return b.String()
}

// castResults runs every cast on every value on engine eng and returns
// one line per call (result or trap message).
func castResults(t *testing.T, eng runtime.Engine) []string {
	t.Helper()
	s, err := runtime.NewStore(runtime.Config{Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	maker, user := instantiateCastModules(t, s)
	var out []string
	for k, v := range castMakerValues {
		val, err := maker.ExportedFunc("make").Call([]runtime.Value{runtime.I32(int32(k))})
		if err != nil {
			t.Fatalf("make %s: %v", v, err)
		}
		for i, tg := range castTargets {
			for _, null := range []int{0, 5} {
				for _, op := range []string{"test", "cast", "br", "brf"} {
					name := fmt.Sprintf("%s%d_%d", op, i, null)
					res, err := user.ExportedFunc(name).Call(val)
					line := fmt.Sprintf("%s %s (null %v) of %s: ", op, tg, null != 0, v)
					var tr *runtime.Trap
					switch {
					case errors.As(err, &tr):
						line += "trap " + tr.Msg
					case err != nil:
						t.Fatalf("%s: %v", line, err)
					default:
						line += fmt.Sprint(int32(res[0].Bits))
					}
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// TestCastsAgainstInterpreter casts values of every kind (null, i31,
// arrays, structs of types declared in another module with equal
// canonical types, of a structurally equal type from another rec group,
// along a chain deeper than the display) to every kind of target with
// ref.test, ref.cast, br_on_cast and br_on_cast_fail natively and on the
// interpreter: the results and trap messages must agree, and a few are
// checked by hand.
func TestCastsAgainstInterpreter(t *testing.T) {
	want := castResults(t, interp.New())
	e := New(nil)
	defer e.Close()
	got := castResults(t, e)
	if len(got) != len(want) {
		t.Fatalf("%d results natively, %d on the interpreter", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("native %q, interpreter %q", got[i], want[i])
		}
	}
	// Spot checks, independent of the interpreter.
	for _, line := range []string{
		"test $b (null false) of (struct.new_default $d): 1",
		"test $b (null false) of (struct.new_default $a): 0",
		"test $q (null false) of (struct.new_default $r): 1",
		"test $q (null false) of (struct.new_default $q2): 0",
		"test $p (null false) of (struct.new_default $q2): 0",
		"cast $b (null false) of (struct.new_default $a): trap cast failure",
		"cast $b (null true) of (ref.null none): 1",
		"test $l3 (null false) of (struct.new_default $l11): 1",
		"test $l8 (null false) of (struct.new_default $l7): 0",
		"test $l8 (null false) of (struct.new_default $l11): 1",
		"test $l7 (null false) of (struct.new_default $l8): 1",
		"br $l11 (null false) of (struct.new_default $l11): 1",
		"brf $l11 (null false) of (struct.new_default $l8): 1",
		"test eq (null false) of (ref.i31 (i32.const 5)): 1",
		"test $l8 (null false) of (struct.new_default $m): 1",
		"test $l11 (null false) of (struct.new_default $m): 0",
		"test $l7 (null false) of (struct.new_default $m): 1",
		"test $f (null true) of (ref.null none): 1",
	} {
		found := false
		for _, g := range got {
			found = found || g == line
		}
		if !found {
			t.Errorf("no %q natively", line)
		}
	}
}

// TestCastDisplayInline checks that casts to non-final types within the
// display's depth answer inline for objects of subtypes the casting
// module does not declare (no op helper call), and that deeper targets
// still ask the helper.
func TestCastDisplayInline(t *testing.T) {
	s, _ := newNativeStore(t, nil, nil)
	maker, user := instantiateCastModules(t, s)
	var asked int
	prev := native.Handler
	native.Handler = func(env *uint64, kind int, a, b, c uint64, slots unsafe.Pointer) int64 {
		if kind == native.KindOp && a == compile.OpRefTestSub {
			asked++
		}
		return prev(env, kind, a, b, c, slots)
	}
	defer func() { native.Handler = prev }()
	index := func(xs []string, x string) int {
		for i, y := range xs {
			if y == x {
				return i
			}
		}
		t.Fatalf("no %s", x)
		return -1
	}
	for _, c := range []struct {
		value, target string
		want          int32
		helper        bool
	}{
		{"(struct.new_default $d)", "$b", 1, false},
		{"(struct.new_default $d)", "$a", 1, false},
		{"(struct.new_default $r)", "$p", 1, false},
		{"(struct.new_default $q2)", "$p", 0, false},
		{"(struct.new_default $l11)", "$l0", 1, false},
		{"(struct.new_default $l11)", "$l7", 1, false},
		{"(struct.new_default $l3)", "$l7", 0, false},
		{"(struct.new_default $l11)", "$l8", 1, false}, // the module's own subtype, compared inline
		{"(struct.new_default $m)", "$l3", 1, false},
		{"(struct.new_default $m)", "$l8", 1, true}, // depth 8: past the display
		{"(struct.new_default $m)", "$l11", 0, true},
	} {
		val, err := maker.ExportedFunc("make").Call([]runtime.Value{runtime.I32(int32(index(castMakerValues, c.value)))})
		if err != nil {
			t.Fatal(err)
		}
		asked = 0
		res, err := user.ExportedFunc(fmt.Sprintf("test%d_0", index(castTargets, c.target))).Call(val)
		if err != nil || int32(res[0].Bits) != c.want {
			t.Errorf("ref.test %s of %s = %v %v, want %d", c.target, c.value, res, err, c.want)
		}
		if (asked > 0) != c.helper {
			t.Errorf("ref.test %s of %s asked the helper %d times, want helper=%v", c.target, c.value, asked, c.helper)
		}
	}
}

// TestDisplayTableGrows checks that the display table follows the
// store's registry: a module instantiated after the casting one brings
// new canonical types, which casts then answer (inline or not) right.
func TestDisplayTableGrows(t *testing.T) {
	s, e := newNativeStore(t, nil, nil)
	user, err := s.Instantiate(parse(t, castUserWat()), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The table is made at the user's first native call, before the
	// types below exist.
	if _, err := user.ExportedFunc("test0_0").Call([]runtime.Value{{Type: wasm.AnyRef}}); err != nil {
		t.Fatal(err)
	}
	// Many unrelated types first, so the table has to be replaced.
	var filler strings.Builder
	filler.WriteString("(module\n")
	// Each refers to the one before, so no two are equal types.
	filler.WriteString("  (type (sub (struct (field i32))))\n")
	for k := 1; k < 200; k++ {
		fmt.Fprintf(&filler, "  (type (sub (struct (field (ref null %d)))))\n", k-1)
	}
	filler.WriteString(")")
	if _, err := s.Instantiate(parse(t, filler.String()), nil); err != nil {
		t.Fatal(err)
	}
	maker, err := s.Instantiate(parse(t, castMakerWat()), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Instances get their native state (and the table its growth) at
	// their first native call.
	val, err := maker.ExportedFunc("make").Call([]runtime.Value{runtime.I32(6)}) // $d
	if err != nil {
		t.Fatal(err)
	}
	covered, tables := -1, 0
	e.mu.Lock()
	if d := e.disp[s]; d != nil {
		covered, tables = d.n, len(d.tabs)
	}
	e.mu.Unlock()
	if tables < 2 {
		t.Errorf("%d display tables made, want the first replaced by a larger one", tables)
	}
	if covered < s.Types.Registry.Len() {
		t.Errorf("display table covers %d ids, the registry has %d", covered, s.Types.Registry.Len())
	}
	for target, want := range map[int]int32{6: 1, 7: 1, 8: 0, 10: 0} { // $a, $b, $p, $f
		res, err := user.ExportedFunc(fmt.Sprintf("test%d_0", target)).Call(val)
		if err != nil || int32(res[0].Bits) != want {
			t.Errorf("ref.test %s of $d = %v %v, want %d", castTargets[target], res, err, want)
		}
	}
}

// instantiateCastModules instantiates the module that makes the objects
// and the one that casts them, in that order, in s.
func instantiateCastModules(t *testing.T, s *runtime.Store) (maker, user *runtime.Instance) {
	t.Helper()
	maker, err := s.Instantiate(parse(t, castMakerWat()), nil)
	if err != nil {
		t.Fatal(err)
	}
	user, err = s.Instantiate(parse(t, castUserWat()), nil)
	if err != nil {
		t.Fatal(err)
	}
	return maker, user
}
