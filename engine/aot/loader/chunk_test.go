package loader

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
)

// instantiateChunked runs m compiled in chunks of about one function each
// (so nearly every call crosses chunks and goes through link's
// relocations), with the chunks compiled two at a time.
func instantiateChunked(t *testing.T, src string) *runtime.Instance {
	t.Helper()
	inst, _ := instantiateWith(t, parse(t, src), func(e *Engine) {
		e.Options = compile.Options{OptLevel: 2, ChunkInstrs: 1, Workers: 2}
	})
	return inst
}

func TestChunkedExamples(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		t.Run(name, func(t *testing.T) {
			src, err := examples.FS.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			inst := instantiateChunked(t, string(src))
			if got, want := mainResult(t, inst), examples.MainResults[name]; got != want {
				t.Fatalf("main = %d, want %d", got, want)
			}
		})
	}
}

// TestChunkedCallsAndTraps calls across chunks with several results and
// float constants (rodata of several objects), and traps two chunks
// down: the backtrace must name every frame.
func TestChunkedCallsAndTraps(t *testing.T) {
	inst := instantiateChunked(t, `(module
  (func $pair (param i32) (result i32 f64) (local.get 0) (f64.const 2.5))
  (func $scale (param f64) (result f64) (f64.mul (local.get 0) (f64.const 1.25)))
  (func $sum (export "sum") (param i32) (result f64) (local f64)
    (call $pair (local.get 0))
    (local.set 1 (call $scale))
    (f64.add (f64.convert_i32_s) (f64.add (local.get 1) (f64.const 0.5))))
  (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $mid (param i32) (result i32) (i32.add (call $div (local.get 0)) (i32.const 1)))
  (func (export "top") (param i32) (result i32) (call $mid (local.get 0))))`)
	res, err := inst.ExportedFunc("sum").Call([]runtime.Value{runtime.I32(4)})
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Float64frombits(res[0].Bits); got != 4+2.5*1.25+0.5 {
		t.Errorf("sum(4) = %v, want %v", got, 4+2.5*1.25+0.5)
	}
	_, err = inst.ExportedFunc("top").Call([]runtime.Value{runtime.I32(0)})
	var tr *runtime.Trap
	if !errors.As(err, &tr) || !strings.Contains(tr.Msg, "divide by zero") {
		t.Fatalf("top(0): %v, want a divide-by-zero trap", err)
	}
	var funcs []uint32
	for _, fr := range tr.Backtrace {
		funcs = append(funcs, fr.Func)
	}
	if len(funcs) != 3 || funcs[0] != 3 || funcs[1] != 4 || funcs[2] != 5 {
		t.Errorf("backtrace functions %v, want [3 4 5]", funcs)
	}
}
