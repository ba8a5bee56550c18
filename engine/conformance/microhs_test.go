package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func checkMicroHs(t *testing.T, r *report, cfg runtime.Config, path, v8 string) {
	msg, ok := strings.CutPrefix(v8, "TRAP RuntimeError: ")
	want := v8TrapMessages[msg]
	if !ok || want == "" {
		r.Errorf("V8 result %q: no spec trap message known for it", v8)
		return
	}
	m, err := loadWasm(path)
	if err != nil {
		r.Errorf("%v", err)
		return
	}
	s := newStore(t, cfg)
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		r.Errorf("instantiate: %v", err)
		return
	}
	f := inst.ExportedFunc("main")
	if f == nil {
		r.Errorf("no exported main")
		return
	}
	_, err = f.Call(zeroArgs(f))
	var tr *runtime.Trap
	if !errors.As(err, &tr) || tr.Msg != want {
		r.Errorf("main: got %v, want trap %q (V8: %s)", err, want, msg)
		return
	}
	if op, ok := trapOp(m, tr); !ok || (op != wasm.OpRefCast && op != wasm.OpRefCastNull) {
		r.Errorf("trap %q does not come from a ref.cast (innermost frame %v)", want, tr.Backtrace)
	}
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
