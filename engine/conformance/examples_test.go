package conformance

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

// examplesKnown lists example runs (config/file) the engine does not
// pass yet, with the reason.
var examplesKnown = map[string]string{}

// TestExamples runs main of every bundled example on the interpreter and
// as native code, and compares it with examples.MainResults (V8's
// results), once with the default store and once with the collector
// collecting at every allocation.
func TestExamples(t *testing.T) {
	files, err := fs.Glob(examples.FS, "*.wat")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < len(examples.MainResults) {
		t.Fatalf("found %d examples, want at least %d", len(files), len(examples.MainResults))
	}
	ran := map[string]bool{}
	passed := 0
	for _, c := range withAOT(t, storeConfigs) {
		for _, file := range files {
			name := c.name + "/" + file
			ran[name] = true
			if runCheck(t, examplesKnown, name, func(r *report) {
				want, ok := examples.MainResults[file]
				if !ok {
					r.Errorf("%s: no expected result in examples.MainResults", file)
					return
				}
				got, err := runExampleMain(t, c.cfg, file)
				if err != nil {
					r.Errorf("%s: main: %v", file, err)
				} else if got != want {
					r.Errorf("%s: main() = %d, want %d (V8)", file, got, want)
				}
			}) {
				passed++
			}
		}
	}
	checkKnownNames(t, examplesKnown, ran)
	t.Logf("%d of %d example runs return V8's result", passed, len(ran))
}

// runExampleMain instantiates an example in a new store and calls main,
// returning its i32 (sign-extended) or i64 result.
func runExampleMain(t *testing.T, cfg runtime.Config, file string) (int64, error) {
	src, err := examples.FS.ReadFile(file)
	if err != nil {
		return 0, err
	}
	m, err := loadWAT(src)
	if err != nil {
		return 0, err
	}
	s := newStore(t, cfg)
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		return 0, fmt.Errorf("instantiate: %w", err)
	}
	f := inst.ExportedFunc("main")
	if f == nil {
		return 0, fmt.Errorf("no exported main")
	}
	res, err := f.Call(nil)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("main returned %d values", len(res))
	}
	switch res[0].Type.Kind {
	case wasm.KindI32:
		return int64(int32(res[0].Bits)), nil
	case wasm.KindI64:
		return int64(res[0].Bits), nil
	}
	return 0, fmt.Errorf("main returned %v", res[0])
}
