package loader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
)

// dispatchWat builds a module that makes n virtual calls through
// call_indirect over a table of k methods of one type (the way dart2wasm,
// J2CL and Kotlin dispatch), the method chosen by the loop counter; the
// module has 64 functions of that type in all, or only the k methods when
// few is set.
func dispatchWat(k int, few bool) string {
	var b strings.Builder
	b.WriteString("(module\n  (type $m (func (param i32) (result i32)))\n")
	fmt.Fprintf(&b, "  (table %d funcref)\n  (elem (i32.const 0)", k)
	for i := range k {
		fmt.Fprintf(&b, " $m%d", i)
	}
	b.WriteString(")\n")
	for i := range k {
		fmt.Fprintf(&b, "  (func $m%d (type $m) (i32.add (local.get 0) (i32.const %d)))\n", i, i+1)
	}
	for i := k; i < 64 && !few; i++ {
		fmt.Fprintf(&b, "  (func (type $m) (i32.sub (local.get 0) (i32.const %d)))\n", i)
	}
	fmt.Fprintf(&b, `  (func (export "run") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (call_indirect (type $m) (local.get $acc) (i32.rem_u (local.get $n) (i32.const %d))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))`, k)
	return b.String()
}

// BenchmarkCallIndirect runs 100000 virtual calls on the interpreter and
// natively, over 4 methods in a module with only those (the native
// switch) and with 64 functions of their type (more than
// maxDirectTargets: the entry table), and over 64 methods; ns/op divided
// by 1e5 is a call's cost.
func BenchmarkCallIndirect(b *testing.B) {
	const n = 100000
	for _, c := range []struct {
		k   int
		few bool
	}{{4, true}, {4, false}, {64, false}} {
		k := c.k
		src := dispatchWat(k, c.few)
		want := int32(0)
		for i := n; i > 0; i-- {
			want += int32(i%k + 1)
		}
		for _, tier := range []string{"interp", "aot"} {
			b.Run(fmt.Sprintf("methods=%d/funcs=%d/%s", k, max(k, map[bool]int{true: k, false: 64}[c.few]), tier), func(b *testing.B) {
				var eng runtime.Engine = interp.New()
				if tier == "aot" {
					e := New(nil)
					defer e.Close()
					eng = e
				}
				inst, closeStore := benchInstance(b, eng, src)
				defer closeStore()
				f := inst.ExportedFunc("run")
				args := []runtime.Value{runtime.I32(n)}
				b.ResetTimer()
				for range b.N {
					if res, err := f.Call(args); err != nil || int32(res[0].Bits) != want {
						b.Fatalf("run(%d) = %v %v, want %d", n, res, err, want)
					}
				}
			})
		}
	}
}
