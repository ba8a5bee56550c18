package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// v8TrapMessages maps V8's RuntimeError messages to the spec's trap
// messages, which the engine uses.
var v8TrapMessages = map[string]string{
	"illegal cast": "cast failure",
}

// microhsKnown lists MicroHs modules the engine does not match V8 on yet,
// with the reason.
var microhsKnown = map[string]string{}

// microhsStressEvery samples the MicroHs files run under GC stress: every
// fourth in the listed order (all of them with GCSCOPE_CONFORMANCE_FULL
// set), as each costs about 0.15 s of CPU there, 20 times the default.
const microhsStressEvery = 4

// TestMicroHsMain calls main of every MicroHs module listed in
// node24_main_results.txt and expects what V8 did there: every file's
// main traps with "illegal cast", the spec's "cast failure", which must
// come from a ref.cast instruction; with the default store, and a sample
// under GC stress.
func TestMicroHsMain(t *testing.T) {
	dir := programs(t, "microhs_wasmgc")
	data, err := os.ReadFile(filepath.Join(dir, "node24_main_results.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{}
	passed := 0
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 80 {
		t.Errorf("only %d MicroHs results listed", len(lines))
	}
	for _, c := range storeConfigs {
		for i, line := range lines {
			if c.cfg.GCStress && i%microhsStressEvery != 0 && os.Getenv("GCSCOPE_CONFORMANCE_FULL") == "" {
				continue
			}
			file, v8, _ := strings.Cut(line, " ")
			name := c.name + "/" + file
			ran[name] = true
			if runCheck(t, microhsKnown, name, func(r *report) {
				checkMicroHs(t, r, c.cfg, filepath.Join(dir, file), v8)
			}) {
				passed++
			}
		}
	}
	checkKnownNames(t, microhsKnown, ran)
	t.Logf("%d of %d MicroHs runs trap as in V8", passed, len(ran))
}

// checkMicroHs runs main of the module at path on a store with cfg and
// checks it traps as V8 did (v8). It returns the store, or nil when it
// could not run main.
func checkMicroHs(t *testing.T, r *report, cfg runtime.Config, path, v8 string) *runtime.Store {
	msg, ok := strings.CutPrefix(v8, "TRAP RuntimeError: ")
	want := v8TrapMessages[msg]
	if !ok || want == "" {
		r.Errorf("V8 result %q: no spec trap message known for it", v8)
		return nil
	}
	m, err := loadWasm(path)
	if err != nil {
		r.Errorf("%v", err)
		return nil
	}
	s := newStore(t, cfg)
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		r.Errorf("instantiate: %v", err)
		return nil
	}
	f := inst.ExportedFunc("main")
	if f == nil {
		r.Errorf("no exported main")
		return nil
	}
	_, err = f.Call(zeroArgs(f))
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != want {
		r.Errorf("main: got %v, want trap %q (V8: %s)", err, want, msg)
		return s
	}
	if op, ok := trapOp(m, tr); !ok || (op != wasm.OpRefCast && op != wasm.OpRefCastNull) {
		r.Errorf("trap %q does not come from a ref.cast (innermost frame %v)", want, tr.Backtrace)
	}
	return s
}

// trapOp finds the instruction a trap's innermost Wasm frame stopped at.
func trapOp(m *wasm.Module, tr *runtime.Trap) (wasm.Opcode, bool) {
	for _, fr := range tr.Backtrace {
		if fr.Host {
			continue
		}
		i := int(fr.Func) - m.NumImported(wasm.ExternFunc)
		if i < 0 || i >= len(m.Funcs) {
			return 0, false
		}
		for _, in := range m.Funcs[i].Body {
			if in.Offset == fr.Offset {
				return in.Op, true
			}
		}
		return 0, false
	}
	return 0, false
}

// microhsAOTFile is the MicroHs module TestMicroHsMainAOT compiles: its
// main, like every MicroHs main, allocates thousands of objects in one
// body, so its allocations go through the function's out-of-line
// allocator (engine/aot/compile alloc_outline.go).
const microhsAOTFile = "BindPat-wasmgc.wasm"

// TestMicroHsMainAOT runs one MicroHs main as native code (-O2, no
// fallback), with the default store and under GC stress, and expects
// V8's trap as TestMicroHsMain does, from a ref.cast; the heap verified
// after each run.
func TestMicroHsMainAOT(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 44 KB module twice")
	}
	dir := programs(t, "microhs_wasmgc")
	data, err := os.ReadFile(filepath.Join(dir, "node24_main_results.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var v8 string
	for _, line := range strings.Split(string(data), "\n") {
		if file, res, ok := strings.Cut(line, " "); ok && file == microhsAOTFile {
			v8 = res
		}
	}
	if v8 == "" {
		t.Fatalf("no V8 result for %s", microhsAOTFile)
	}
	for _, c := range storeConfigs {
		t.Run(c.name, func(t *testing.T) {
			e := loader.New(nil)
			t.Cleanup(func() { e.Close() })
			cfg := c.cfg
			cfg.Engine = e
			r := &report{}
			s := checkMicroHs(t, r, cfg, filepath.Join(dir, microhsAOTFile), v8)
			for _, e := range r.errs {
				t.Error(e)
			}
			if s != nil {
				if err := s.Heap.GC.Verify(); err != nil {
					t.Errorf("heap: %v", err)
				}
			}
		})
	}
}
