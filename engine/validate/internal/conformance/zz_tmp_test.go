package conformance

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestTmpMutateDiff(t *testing.T) {
	files, _ := filepath.Glob("/tmp/valfuzz/f*.wasm")
	rng := rand.New(rand.NewSource(3))
	os.MkdirAll("/tmp/valfuzz/mut", 0o755)
	verdicts, _ := os.Create("/tmp/valfuzz/mut/verdicts.txt")
	defer verdicts.Close()
	n := 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for k := 0; k < 6; k++ {
			m, err := binary.Decode(b)
			if err != nil || len(m.Funcs) == 0 {
				break
			}
			fi := rng.Intn(len(m.Funcs))
			body := m.Funcs[fi].Body
			if len(body) < 2 {
				continue
			}
			pc := rng.Intn(len(body) - 1)
			in := &body[pc]
			info := wasm.Lookup(in.Op)
			// Replace with another opcode of the same immediate kind.
			var same []*wasm.OpInfo
			for _, o := range wasm.AllOps() {
				if o.Imm == info.Imm && o.Op != in.Op && o.Op != wasm.OpEnd && o.Op != wasm.OpElse && o.Op != wasm.OpCatchAll && o.Op != wasm.OpDelegate && o.Op != wasm.OpTry && o.Op != wasm.OpCatch && o.Op != wasm.OpBlock && o.Op != wasm.OpLoop && o.Op != wasm.OpIf && o.Op != wasm.OpTryTable {
					same = append(same, o)
				}
			}
			switch rng.Intn(3) {
			case 0:
				if len(same) == 0 {
					continue
				}
				in.Op = same[rng.Intn(len(same))].Op
			case 1:
				in.Index = uint32(rng.Intn(4))
			case 2:
				in.Index2 = uint32(rng.Intn(4))
			}
			out, err := binary.Encode(m)
			if err != nil {
				continue
			}
			name := fmt.Sprintf("/tmp/valfuzz/mut/m%d.wasm", n)
			os.WriteFile(name, out, 0o644)
			m2, err := binary.Decode(out)
			verdict := "malformed"
			if err == nil {
				if err := validate.Module(m2); err != nil {
					verdict = "invalid " + err.Error()
				} else {
					verdict = "valid"
				}
			}
			fmt.Fprintf(verdicts, "%s\t%s\t%s\n", name, in.Op, verdict)
			n++
		}
	}
	t.Logf("%d mutants", n)
}
