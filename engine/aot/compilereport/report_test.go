package compilereport

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// TestPrograms compiles every module of ../shared/programs at -O0 and
// -O2 and prints the report (slow: set GCSCOPE_COMPILE_REPORT=1). A
// module the compiler accepts but fails to compile fails the test;
// refusals are expected and counted.
func TestPrograms(t *testing.T) {
	if os.Getenv("GCSCOPE_COMPILE_REPORT") == "" {
		t.Skip("slow: set GCSCOPE_COMPILE_REPORT=1")
	}
	r, err := Run(shared.Programs(t), Config{Levels: []int{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	for _, f := range r.Failures() {
		t.Error(f)
	}
}

// TestRunSmall checks the report on a folder of three modules: one the
// compiler accepts, one it refuses (by a stand-in for the compiler), one that does not decode.
func TestRunSmall(t *testing.T) {
	dir := t.TempDir()
	write := func(name, wat string) {
		m, err := text.ParseModule([]byte(wat))
		if err != nil {
			t.Fatal(err)
		}
		b, err := binary.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.wasm", `(module (func (export "f") (result i32) (i32.const 7)))`)
	write("b.wasm", `(module (func (export "refuse")))`)
	// The compiler takes every module the decoder does: refuse b.wasm here.
	refuseB := func(m *wasm.Module, o compile.Options) ([]byte, error) {
		if len(m.Exports) == 1 && m.Exports[0].Name == "refuse" {
			return nil, &compile.Unsupported{Msg: "refused by the test"}
		}
		return compile.Compile(m, o)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.wasm"), []byte("not wasm"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Run(dir, Config{Levels: []int{0, 2}, Compile: refuseB})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(r.Rows))
	}
	for _, x := range r.Rows[0].Results {
		if x.Outcome != Compiled || x.AOTSize == 0 {
			t.Errorf("a.wasm -O%d: %+v, want compiled", x.Level, x)
		}
	}
	for _, x := range r.Rows[1].Results {
		if x.Outcome != Refused || !strings.Contains(x.Reason, "refused by the test") {
			t.Errorf("b.wasm -O%d: %+v, want refused", x.Level, x)
		}
	}
	for _, x := range r.Rows[2].Results {
		if x.Outcome != Failed || !strings.Contains(x.Reason, "decode") {
			t.Errorf("c.wasm -O%d: %+v, want a decode failure", x.Level, x)
		}
	}
	if big, _ := r.Largest(); big == nil || big.Path != "a.wasm" {
		t.Errorf("largest = %v, want a.wasm", big)
	}
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a.wasm", "refused: refused by the test", "FAILED: decode", "1 compiled, 1 refused, 1 failed", "largest compiled: a.wasm"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
