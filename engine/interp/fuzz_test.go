package interp

import (
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
)

// FuzzRun decodes arbitrary bytes and, when they validate, instantiates
// the module against stub imports and calls every export with zero
// arguments under a deadline: the engine may trap, but must never fail
// with an internal error (a recovered panic).
func FuzzRun(f *testing.F) {
	for _, src := range []string{listWAT, benchWAT,
		`(module (memory 1) (func (export "f") (param i32) (result i32) (i32.load (local.get 0))))`,
		`(module (tag $e (param i32)) (func (export "f") (result i32)
		   (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 1))) (i32.const 0))))`,
		`(module (func (export "f") (param v128) (result v128) (i8x16.add (local.get 0) (local.get 0))))`,
	} {
		m, err := text.ParseModule([]byte(src))
		if err != nil {
			f.Fatal(err)
		}
		b, err := binary.Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := binary.Decode(b)
		if err != nil || validate.Module(m) != nil {
			return
		}
		s, err := runtime.NewStore(runtime.Config{HeapMaxBytes: 16 << 20, StackSlots: 1 << 16, MaxCallDepth: 1000})
		if err != nil {
			t.Skip(err)
		}
		defer s.Close()
		r, err := s.StubImports(m, nil)
		if err != nil {
			return
		}
		inst, err := s.Instantiate(m, r)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("instantiate: %v", err)
			}
			return
		}
		callEveryExport(s, inst, 50*time.Millisecond, func(name string, err error) {
			t.Fatalf("%s: %v", name, err)
		})
	})
}
