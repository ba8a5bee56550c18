package interp

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

const benchWAT = `(module
  (type $node (struct (field i32) (field (ref null $node))))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "loop") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.mul (local.get 0) (local.get 0))))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  (func (export "alloc") (param i32) (result i32) (local (ref null $node))
    (loop $l
      (local.set 1 (struct.new $node (local.get 0) (local.get 1)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (struct.get $node 0 (ref.as_non_null (local.get 1)))))`

func benchCall(b *testing.B, name string, arg int32) {
	s, err := runtime.NewStore(runtime.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t := &testing.T{}
	inst, err := s.Instantiate(parseWAT(t, benchWAT), nil)
	if err != nil {
		b.Fatal(err)
	}
	f := inst.ExportedFunc(name)
	args := []runtime.Value{runtime.I32(arg)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.Call(args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFib is recursive fib(25): calls and returns dominate.
func BenchmarkFib(b *testing.B) { benchCall(b, "fib", 25) }

// BenchmarkLoop is a tight arithmetic loop of 1e6 iterations.
func BenchmarkLoop(b *testing.B) { benchCall(b, "loop", 1_000_000) }

// BenchmarkAlloc builds a 100k-node list: allocation and the collector.
func BenchmarkAlloc(b *testing.B) { benchCall(b, "alloc", 100_000) }
