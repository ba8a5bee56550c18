package interp

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

func TestTmpDump(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("WATFILE"))
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, string(src))
	if err := CompileAll(inst); err != nil {
		t.Fatal(err)
	}
	for _, f := range inst.Funcs {
		cd, ok := f.Code.(*code)
		if !ok {
			continue
		}
		t.Logf("func %d: %d instrs nLocals %d", f.Index, len(cd.instrs), cd.nLocals)
		for pc, in := range cd.instrs {
			t.Logf("%3d op=%d a=%d b=%d c=%d d=%d imm=%d", pc, in.op, in.a, in.b, in.c, in.d, in.imm)
		}
	}
}
