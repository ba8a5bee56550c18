package loader

import (
	goruntime "runtime"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestEngineDroppedWithoutClose: an engine (and its store) dropped
// without Close while its instances' globals and memories are pinned is
// collected without the runtime's fatal "leaking pinned pointer".
func TestEngineDroppedWithoutClose(t *testing.T) {
	func() {
		s, err := runtime.NewStore(runtime.Config{Engine: New(nil)})
		if err != nil {
			t.Fatal(err)
		}
		inst, err := s.Instantiate(parse(t, `(module (memory 1) (global (mut i32) (i32.const 1))
			(func (export "f") (result i32) (i32.load (i32.const 0))))`), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inst.ExportedFunc("f").Call(nil); err != nil {
			t.Fatal(err)
		}
	}()
	for range 5 {
		goruntime.GC()
	}
}

func TestCloseUnusedEngine(t *testing.T) {
	var e Engine
	e.Close()
}
