package conformance

import (
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/validate"
)

// benchProgram is the largest real module in the corpus (dart2wasm, 3.6
// MB, thousands of struct types).
var benchProgram = programsDir + "/dart2wasm_mkustermann/size-benchmarks-out/wonderous.opt.wasm"

// BenchmarkValidate measures validation throughput in module bytes per
// second, with a fresh type registry each time (as for a new store).
func BenchmarkValidate(b *testing.B) {
	src, err := os.ReadFile(benchProgram)
	if err != nil {
		b.Skip(err)
	}
	m, err := binary.Decode(src)
	if err != nil {
		b.Skip("decoder: ", err)
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := validate.Module(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateSharedRegistry validates with a registry that already
// holds the module's types, as when a store loads a module twice: the
// rec groups are found, not rebuilt.
func BenchmarkValidateSharedRegistry(b *testing.B) {
	src, err := os.ReadFile(benchProgram)
	if err != nil {
		b.Skip(err)
	}
	m, err := binary.Decode(src)
	if err != nil {
		b.Skip("decoder: ", err)
	}
	opts := validate.Options{Registry: types.NewRegistry()}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := validate.ModuleWith(m, opts); err != nil {
			b.Fatal(err)
		}
	}
}
