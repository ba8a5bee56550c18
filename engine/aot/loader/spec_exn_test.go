package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

// exnSpecFiles must run natively in full: no check skipped, none failed.
var exnSpecFiles = []string{
	"core/exceptions/tag.wast", "core/exceptions/throw.wast", "core/exceptions/throw_ref.wast",
	"core/exceptions/try_table.wast", "legacy/exceptions/rethrow.wast", "legacy/exceptions/throw.wast",
	"legacy/exceptions/try_catch.wast", "legacy/exceptions/try_delegate.wast",
	"core/return_call.wast", "core/return_call_indirect.wast",
}

func TestSpecExceptionsAndTailCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many modules with llc")
	}
	for _, stress := range []bool{false, true} {
		for _, f := range exnSpecFiles {
			res := runSpecScript(t, f, runtime.Config{GCStress: stress})
			if res == nil {
				continue
			}
			for _, c := range res.Checks {
				if c.Outcome != wast.Passed {
					t.Errorf("%s (gc stress %v): %v %s: %.300s", f, stress, c.Pos, c.Command, c.Detail)
				}
			}
		}
	}
}
