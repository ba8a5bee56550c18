package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/internal/shared"
)

var programsDir = shared.Path("programs")

// TestPrograms validates every .wasm file real compilers produced: all of
// them are valid (V8 accepts them), so every rejection is a validator bug
// (or a decoder one, reported separately).
func TestPrograms(t *testing.T) {
	var files []string
	filepath.WalkDir(programsDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".wasm" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no programs at " + programsDir)
	}
	sort.Strings(files)
	var decodeFail, valid, invalid int
	var largest string
	var largestSize int
	var largestTime time.Duration
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := binary.Decode(b)
		if err != nil {
			decodeFail++
			t.Logf("decode %s: %v", rel(f), err)
			continue
		}
		start := time.Now()
		err = validate.Module(m)
		el := time.Since(start)
		if len(b) > largestSize {
			largest, largestSize, largestTime = f, len(b), el
		}
		if err != nil {
			invalid++
			t.Errorf("validate %s: %v", rel(f), err)
			continue
		}
		valid++
	}
	t.Logf("programs: %d files, %d valid, %d rejected, %d not decoded", len(files), valid, invalid, decodeFail)
	if largest != "" {
		t.Logf("largest: %s (%d bytes) validated in %v", rel(largest), largestSize, largestTime)
	}
}

func rel(p string) string {
	if r, err := filepath.Rel(programsDir, p); err == nil {
		return r
	}
	return p
}
