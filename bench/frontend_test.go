package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/internal/shared"
)

// largestProgram returns the biggest .wasm under ../shared/programs.
func largestProgram(tb testing.TB) (string, []byte) {
	var best string
	var size int64
	err := filepath.Walk(shared.Programs(tb), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(path, ".wasm") && info.Size() > size {
			best, size = path, info.Size()
		}
		return err
	})
	if err != nil || best == "" {
		tb.Fatalf("no program found: %v", err)
	}
	b, err := os.ReadFile(best)
	if err != nil {
		tb.Fatal(err)
	}
	return best, b
}

// BenchmarkDecodeValidate measures front-end throughput (MB/s) on the
// largest real module: decoding and validating, as loading a module does.
func BenchmarkDecodeValidate(b *testing.B) {
	path, data := largestProgram(b)
	b.Logf("module: %s (%d bytes)", filepath.Base(path), len(data))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		m, err := binary.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if err := validate.Module(m); err != nil {
			b.Fatal(err)
		}
	}
}
