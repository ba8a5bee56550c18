package compile

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestEnvParamDereferenceable: defined functions declare their env
// parameter valid for exactly the runtime's record.
func TestEnvParamDereferenceable(t *testing.T) {
	if envRecordBytes != runtime.EnvWords*8 {
		t.Fatalf("envRecordBytes %d, the runtime's record has %d bytes", envRecordBytes, runtime.EnvWords*8)
	}
	mod, err := GenerateIR(parse(t, []byte(`(module (func (export "f") (result i32) (i32.const 1)))`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range mod.Funcs {
		if fn.Name() != "gcs_func_0" {
			continue
		}
		if head, _, _ := strings.Cut(fn.LLString(), "{"); !strings.Contains(head, "i64* dereferenceable(184) align 8 %env") {
			t.Fatalf("env parameter not dereferenceable: %s", head)
		}
		return
	}
	t.Fatal("gcs_func_0 not found")
}
