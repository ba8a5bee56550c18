package loader

import (
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wast"
)

// specFiles are the MVP scripts run natively (no interpreter fallback: a
// module the compiler refuses is skipped as unsupported).
var specFiles = []string{
	"core/i32.wast", "core/i64.wast", "core/f32.wast", "core/f64.wast", "core/conversions.wast",
	"core/memory.wast", "core/br_table.wast", "core/call_indirect.wast", "core/loop.wast", "core/block.wast",
	"core/float_exprs.wast", "core/ref_func.wast", "core/table_grow.wast", "core/bulk-memory/bulk.wast",
}

func TestSpecScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles many modules with llc")
	}
	for _, f := range specFiles {
		start := time.Now()
		res := runSpecScript(t, f, runtime.Config{})
		if res == nil {
			continue
		}
		logFirstChecks(t, f, res, func(c wast.Check) bool { return c.Outcome == wast.Failed })
		t.Logf("%-28s pass %4d fail %3d skip %4d  %v", f, res.Passed, res.Failed, res.Skipped, time.Since(start).Round(time.Millisecond))
		if res.Failed > 0 {
			t.Errorf("%s: %d failures", f, res.Failed)
		}
	}
}
