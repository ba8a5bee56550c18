package conformance

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestMutatedSuiteModules takes valid modules from the spec suite, breaks
// one instruction immediate or type at a time, and checks that the
// validator answers with an error or nil, never a panic. Starting from
// valid modules reaches the deep instruction rules that random modules
// rarely get to.
func TestMutatedSuiteModules(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(suiteDir, "core", "gc", "*.wast"))
	more, _ := filepath.Glob(filepath.Join(suiteDir, "core", "exceptions", "*.wast"))
	legacy, _ := filepath.Glob(filepath.Join(suiteDir, "legacy", "exceptions", "*.wast"))
	files = append(append(files, more...), legacy...)
	for _, name := range []string{"core/simd/simd_lane.wast", "core/memory64/memory64.wast", "core/br_table.wast",
		"core/call_ref.wast", "core/return_call_indirect.wast", "core/bulk-memory/table_copy.wast", "threads/atomic.wast"} {
		files = append(files, filepath.Join(suiteDir, name))
	}
	if len(files) == 0 {
		t.Fatal("no test suite at " + suiteDir)
	}
	rng := rand.New(rand.NewSource(7))
	mutations := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc, err := parseScript(src, f)
		if err != nil {
			continue
		}
		for _, c := range sc.Commands {
			m := readModule(c.Module)
			if m == nil || len(m.Funcs) == 0 {
				continue
			}
			for k := 0; k < 20; k++ {
				fi := rng.Intn(len(m.Funcs))
				body := m.Funcs[fi].Body
				if len(body) == 0 {
					continue
				}
				pc := rng.Intn(len(body))
				saved := body[pc]
				mutate(rng, &body[pc], m)
				mutations++
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("%s: panic after mutating func %d instr %d (%+v): %v", f, fi, pc, body[pc], r)
						}
					}()
					if _, err := validate.Analyze(m, validate.Options{}); err != nil {
						if e, ok := err.(*wasm.Error); !ok || (e.Phase != wasm.Invalid && e.Phase != wasm.Malformed) {
							t.Fatalf("%s: error is not an invalid-phase *wasm.Error: %v", f, err)
						}
					}
				}()
				body[pc] = saved
			}
		}
	}
	t.Logf("%d mutations checked", mutations)
}

func mutate(rng *rand.Rand, in *wasm.Instr, m *wasm.Module) {
	big := func() uint32 {
		if rng.Intn(2) == 0 {
			return uint32(rng.Intn(len(m.Types) + 3))
		}
		return rng.Uint32()
	}
	switch rng.Intn(9) {
	case 0:
		in.Index = big()
	case 1:
		in.Index2 = big()
	case 2:
		in.Ext = nil
	case 3:
		ops := wasm.AllOps()
		in.Op = ops[rng.Intn(len(ops))].Op
	case 4:
		in.Ref = wasm.RefType(rng.Intn(2) == 0, wasm.HeapType(int64(big())))
	case 5:
		in.Ref2 = wasm.RefType(rng.Intn(2) == 0, wasm.HeapType(-0x0C-rng.Intn(14)))
	case 6:
		in.Block = wasm.BlockType{Kind: wasm.BlockKind(rng.Intn(4)), Index: big(), Value: wasm.ValType{Kind: wasm.Kind(rng.Intn(8))}}
	case 7:
		in.Lane, in.Align = uint8(rng.Intn(256)), uint32(rng.Intn(70))
	case 8:
		if in.Ext != nil {
			in.Ext = &wasm.InstrExt{Labels: []uint32{big()}, Types: []wasm.ValType{{Kind: wasm.KindBot}},
				Catches: []wasm.Catch{{Kind: wasm.CatchKind(rng.Intn(6)), Tag: big(), Label: big()}}}
		}
	}
}
