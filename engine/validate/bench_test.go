package validate

import (
	"sync"
	"testing"

	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

// synthetic builds a module with one large function mixing blocks,
// locals, arithmetic, calls and GC struct access, for a throughput figure
// that needs no external files.
func synthetic(n int) *wasm.Module {
	I32 := wasm.I32
	m := withTypes(structType(field(I32, true), field(wasm.AnyRef, false)))
	var body []wasm.Instr
	for i := 0; i < n; i++ {
		body = append(body,
			block(wasm.OpBlock, I32),
			idx(wasm.OpLocalGet, 0), idx2(wasm.OpStructGet, 0, 0),
			idx(wasm.OpLocalGet, 1), ins(wasm.OpI32Add),
			idx(wasm.OpLocalTee, 1),
			idx(wasm.OpLocalGet, 1),
			idx(wasm.OpBrIf, 0),
			end(),
			idx(wasm.OpLocalSet, 1),
		)
	}
	body = append(body, idx(wasm.OpLocalGet, 1))
	return addFunc(m, vt(wasm.RefType(false, 0), I32), vt(I32), nil, body...)
}

func BenchmarkSynthetic(b *testing.B) {
	m := synthetic(10000)
	b.ReportMetric(float64(len(m.Funcs[0].Body)), "instrs/op")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Module(m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentValidation validates modules from several goroutines with
// one shared registry, as a store does; run with -race.
func TestConcurrentValidation(t *testing.T) {
	reg := types.NewRegistry()
	var wg sync.WaitGroup
	ids := make([]types.TypeID, 6)
	for g := range ids {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			info, err := Analyze(synthetic(50+g), Options{Registry: reg})
			if err != nil {
				t.Error(err)
				return
			}
			ids[g] = info.TypeIDs[0]
		}(g)
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("the same struct type got ids %v", ids)
		}
	}
}
