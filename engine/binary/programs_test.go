package binary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// programFiles lists the .wasm files of the compiler-output corpus, largest
// last.
func programFiles(t testing.TB) []string {
	if _, err := os.Stat(programsDir); err != nil {
		t.Fatalf("programs not available: %v", err)
	}
	var files []string
	var sizes []int64
	err := filepath.WalkDir(programsDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wasm") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		// Insert in size order.
		i := len(files)
		for i > 0 && sizes[i-1] > info.Size() {
			i--
		}
		files = append(files[:i], append([]string{path}, files[i:]...)...)
		sizes = append(sizes[:i], append([]int64{info.Size()}, sizes[i:]...)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no programs found")
	}
	return files
}

func TestPrograms(t *testing.T) {
	files := programFiles(t)
	named := 0
	for i, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(programsDir, path)
		if testing.Short() && len(b) > 512<<10 {
			continue // the big ones take seconds to round-trip and compare
		}
		start := time.Now()
		m, err := Decode(b)
		took := time.Since(start)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if m.Names != nil {
			named++
		}
		if err := checkSections(b, m); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
		for _, c := range m.Customs {
			if c.Name == "name" {
				t.Errorf("%s: the name section did not decode", rel)
			}
		}
		if i == len(files)-1 {
			t.Logf("largest, %s (%d bytes, %d functions): decoded in %v", rel, len(b), len(m.Funcs), took)
		}
		if err := checkRoundTrip(m); err != nil {
			t.Errorf("%s: round trip: %v", rel, err)
		}
	}
	t.Logf("%d programs, %d with a name section", len(files), named)
}

func BenchmarkDecode(b *testing.B) {
	files := programFiles(b)
	data, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
