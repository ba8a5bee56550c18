package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// smokeBudget bounds each export call of TestProgramsSmoke; the
// interrupt word stops a call that runs longer.
const smokeBudget = 200 * time.Millisecond

// smokeKnown lists programs whose calls the engine does not survive yet,
// with the reason.
var smokeKnown = map[string]string{}

// TestProgramsSmoke instantiates every other real program (under 2 MiB;
// the corpora with recorded results have their own tests) against stub
// imports and calls each exported function it can with zero arguments.
// The programs expect browser hosts, so most calls trap in a stub; what
// is checked is only what holds whatever the host: no call ends in an
// internal error (a Go panic inside the engine).
func TestProgramsSmoke(t *testing.T) {
	root := programs(t, "")
	var files []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.HasSuffix(p, ".wasm") || fi.Size() > 2<<20 {
			return err
		}
		switch filepath.Base(filepath.Dir(p)) {
		case "binaryen_fuzz", "microhs_wasmgc", "moonbit_jam2025", "wasmnizer_ts":
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no programs under %s: %v", root, err)
	}
	ran := map[string]bool{}
	calls := 0
	for _, path := range files {
		name, _ := filepath.Rel(root, path)
		ran[name] = true
		runCheck(t, smokeKnown, name, func(r *report) { calls += smokeProgram(t, r, path) })
	}
	checkKnownNames(t, smokeKnown, ran)
	t.Logf("%d programs, %d export calls without an internal error", len(files), calls)
}

// smokeProgram runs one program's exports and returns how many it called.
func smokeProgram(t *testing.T, r *report, path string) int {
	m, err := loadWasm(path)
	if err != nil {
		return 0 // the decoder's and validator's tests cover these
	}
	s := newStore(t, runtime.Config{})
	res, err := s.StubImports(m, nil)
	if err != nil {
		r.Errorf("stubs: %v", err)
		return 0
	}
	inst, err := s.Instantiate(m, res)
	if err != nil {
		checkNoInternal(r, "instantiate", err)
		return 0
	}
	n := 0
	for _, e := range m.Exports {
		if e.Kind != wasm.ExternFunc {
			continue
		}
		f := inst.Funcs[e.Index]
		if !defaultable(f.Type.Comp.Params) {
			continue
		}
		stop := time.AfterFunc(smokeBudget, func() { s.Env().Interrupt.Store(1) })
		_, err := f.Call(zeroArgs(f))
		stop.Stop()
		s.Env().Interrupt.Store(0)
		checkNoInternal(r, e.Name, err)
		n++
	}
	return n
}

// defaultable reports whether every type has a zero value.
func defaultable(ts []wasm.ValType) bool {
	for _, p := range ts {
		if p.IsRef() && !p.Nullable {
			return false
		}
	}
	return true
}

// checkNoInternal records err if it is an engine failure rather than a
// trap, an exception or a link error.
func checkNoInternal(r *report, what string, err error) {
	if err != nil && (strings.HasPrefix(err.Error(), "internal error") || strings.Contains(err.Error(), "panic")) {
		r.Errorf("%s: %v", what, err)
	}
}
