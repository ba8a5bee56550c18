package interp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestProgramsNeverPanic calls every exported function of the real
// programs with zero arguments (stubbed imports trap, runaway loops are
// interrupted): whatever happens must come back as a result or a clean
// error, never as the interpreter's "internal error".
func TestProgramsNeverPanic(t *testing.T) {
	if testing.Short() || os.Getenv("GCSCOPE_ROBUST") == "" {
		t.Skip("set GCSCOPE_ROBUST=1 to call every export of the programs")
	}
	var files []string
	_ = filepath.WalkDir(programs, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".wasm") {
			if fi, err := d.Info(); err == nil && fi.Size() < 1<<20 {
				files = append(files, p)
			}
		}
		return nil
	})
	calls := 0
	for _, f := range files {
		s := newStore(t, runtime.Config{GCStress: os.Getenv("GCSCOPE_ROBUST") == "stress"})
		inst, err := loadProgram(t, s, f)
		if err != nil || inst == nil {
			continue
		}
		calls += callEveryExport(s, inst, 200*time.Millisecond, func(name string, err error) {
			t.Errorf("%s %s: %v", filepath.Base(f), name, err)
		})
	}
	t.Logf("%d calls", calls)
}
