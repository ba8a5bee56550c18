package bench

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/examples"
)

// TestRepeatMain checks the in-Wasm loop the AOT report times: on the
// interpreter, every example's repeat_main(n) returns n times main's
// result (wrapped), so each timed batch really calls main n times.
func TestRepeatMain(t *testing.T) {
	for _, file := range aotPrograms(t) {
		bin, i32, err := repeatBinary(file)
		if err != nil {
			t.Fatal(err)
		}
		l, err := newInWasmLoop(bin, i32, runtime.Config{}, examples.MainResults[file])
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, n := range []int{0, 1, 3} {
			if _, err := l.batch(n); err != nil {
				t.Errorf("%s: %v", file, err)
			}
		}
		// A wrong expectation must fail the batch.
		l.want++
		if _, err := l.batch(2); err == nil || !strings.Contains(err.Error(), "want") {
			t.Errorf("%s: batch with a wrong expected result gave %v, want a mismatch", file, err)
		}
		l.close()
	}
}

// TestRepeatWantWraps checks the expected sums at both result widths.
func TestRepeatWantWraps(t *testing.T) {
	for _, c := range []struct {
		want int64
		n    int
		i32  bool
		sum  int64
	}{
		{646809, 3, true, 1940427},
		{646809, 4000, true, -1707731296}, // 2587236000 wraps to i32
		{-169087605, 2, true, -338175210},
		{5000000223, 2, false, 10000000446},
		{1 << 62, 4, false, 0},
	} {
		if got := repeatWant(c.want, c.n, c.i32); got != c.sum {
			t.Errorf("repeatWant(%d, %d, %v) = %d, want %d", c.want, c.n, c.i32, got, c.sum)
		}
	}
}

// TestRepeatExportRefuses checks that addRepeatExport says why it cannot
// drive a main it does not understand.
func TestRepeatExportRefuses(t *testing.T) {
	for _, c := range []struct{ src, msg string }{
		{`(module (func (export "start")))`, "no exported function main"},
		{`(module (func (export "main") (param i32) (result i32) (local.get 0)))`, "want [] -> [i32 or i64]"},
		{`(module (func (export "main") (result f64) (f64.const 1)))`, "main returns f64"},
		{`(module (func (export "main") (result i32) (i32.const 1)) (func (export "repeat_main")))`, "already exports"},
	} {
		m, err := text.ParseModule([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := addRepeatExport(m); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want an error containing %q", c.src, err, c.msg)
		}
	}
}
