package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// minMaxNaNPairs are operand pairs of min and max with a NaN, by type: a
// quiet and a signalling NaN in both orders (fuzz module all6059 logged
// f32.min(-nan:0x7ff260, -nan:0x38075f) as -nan:0x7ff260 on the
// interpreter and -nan:0x78075f natively), two quiet NaNs, and a number
// with a NaN in both orders.
var minMaxNaNPairs = map[string][][2]uint64{
	"f32": {
		{0xfffff260, 0xffb8075f},
		{0xffb8075f, 0xfffff260},
		{0x7fc00001, 0xffc00000},
		{0x3f800000, 0xffb8075f},
		{0xffb8075f, 0x3f800000},
	},
	"f64": {
		{0xfffff26000000000, 0xfff4000000000001},
		{0xfff4000000000001, 0xfffff26000000000},
		{0x7ff8000000000002, 0xfff8000000000000},
		{0x4000000000000000, 0x7ff0000000000001},
		{0x7ff0000000000001, 0x4000000000000000},
	},
}

// minMaxNaNWat has, for f32, f64, f32x4 and f64x2 min and max, one
// export taking the operands as parameters and one per pair with them
// as constants LLVM can fold. Vector forms splat the operands and return
// lane 1.
func minMaxNaNWat() string {
	var b strings.Builder
	b.WriteString("(module\n")
	for _, t := range []string{"f32", "f64"} {
		it, vt := "i32", "f32x4"
		if t == "f64" {
			it, vt = "i64", "f64x2"
		}
		for _, op := range []string{"min", "max"} {
			scalar := func(x, y string) string { return fmt.Sprintf("(%s.%s %s %s)", t, op, x, y) }
			vector := func(x, y string) string {
				return fmt.Sprintf("(%s.extract_lane 1 (%s.%s (%s.splat %s) (%s.splat %s)))", vt, vt, op, vt, x, vt, y)
			}
			for _, form := range []struct {
				name string
				expr func(x, y string) string
			}{{t, scalar}, {vt, vector}} {
				fmt.Fprintf(&b, "  (func (export \"%s.%s\") (param %s %s) (result %s) %s)\n",
					form.name, op, t, t, t, form.expr("(local.get 0)", "(local.get 1)"))
				for i, p := range minMaxNaNPairs[t] {
					x, y := p[0], p[1]
					k := func(v uint64) string { return fmt.Sprintf("(%s.reinterpret_%s (%s.const %d))", t, it, it, int64(v)) }
					fmt.Fprintf(&b, "  (func (export \"%s.%s.%d\") (result %s) %s)\n", form.name, op, i, t, form.expr(k(x), k(y)))
				}
			}
		}
	}
	b.WriteString(")\n")
	return b.String()
}

// TestMinMaxNaNOperand: when an operand of min or max is a NaN, both
// tiers return the first NaN operand with its quiet bit set, bit for bit
// (the spec allows any arithmetic NaN; the tiers agreeing keeps the
// differential test's exact comparison of them meaningful), scalar and
// per lane, from parameters and from constants, at -O0 and -O2.
func TestMinMaxNaNOperand(t *testing.T) {
	m := parse(t, minMaxNaNWat())
	engines := map[string]runtime.Engine{"interpreter": interp.New()}
	for _, level := range []int{0, 2} {
		e := New(nil)
		e.Options.OptLevel = level
		defer e.Close()
		engines[fmt.Sprintf("-O%d", level)] = e
	}
	for name, eng := range engines {
		s, err := runtime.NewStore(runtime.Config{Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, ty := range []string{"f32", "f64"} {
			vt := map[string]string{"f32": "f32x4", "f64": "f64x2"}[ty]
			quiet := map[string]uint64{"f32": 1 << 22, "f64": 1 << 51}[ty]
			for _, form := range []string{ty, vt} {
				for _, op := range []string{"min", "max"} {
					for i, p := range minMaxNaNPairs[ty] {
						x, y := p[0], p[1]
						want := y | quiet
						if isNaNBits(ty, x) {
							want = x | quiet
						}
						arg := func(v uint64) runtime.Value {
							if ty == "f32" {
								return runtime.F32(uint32(v))
							}
							return runtime.F64(v)
						}
						fn := fmt.Sprintf("%s.%s", form, op)
						for _, c := range []struct {
							export string
							args   []runtime.Value
						}{{fn, []runtime.Value{arg(x), arg(y)}}, {fmt.Sprintf("%s.%d", fn, i), nil}} {
							res, err := inst.ExportedFunc(c.export).Call(c.args)
							if err != nil {
								t.Fatalf("%s %s: %v", name, c.export, err)
							}
							if res[0].Bits != want {
								t.Errorf("%s %s(%#x, %#x) = %#x, want %#x", name, c.export, x, y, res[0].Bits, want)
							}
						}
					}
				}
			}
		}
	}
}

// isNaNBits reports whether bits are a NaN of type t.
func isNaNBits(t string, bits uint64) bool {
	if t == "f32" {
		return bits&0x7f800000 == 0x7f800000 && bits&0x7fffff != 0
	}
	return bits&0x7ff0000000000000 == 0x7ff0000000000000 && bits&0xfffffffffffff != 0
}
