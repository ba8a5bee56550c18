package binary

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// The shared corpora sit beside the repository (CI lays shared/ next to
// its clone).
var (
	suiteDir    = shared.Path("testsuite")
	programsDir = shared.Path("programs")
)

// suiteBinaries returns every binary module of every .wast in the suite,
// keyed by "file:line".
func suiteBinaries(t testing.TB) (names []string, mods []wastBinary) {
	if _, err := os.Stat(suiteDir); err != nil {
		t.Fatalf("spec suite not available: %v", err)
	}
	err := filepath.WalkDir(suiteDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".wast") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		found, err := scanWast(string(src))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(suiteDir, path)
		for _, b := range found {
			names = append(names, rel+":"+itoa(b.line))
			mods = append(mods, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names, mods
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// zeroByteVariant tells apart the one known disagreement with the suite:
// threads/core-variants keeps tests from before multi-memory, where
// memory.size and memory.grow took a reserved zero byte; in Wasm 3.0 that
// byte is a memory index, so those binaries decode (and fail validation).
func zeroByteVariant(name string, b wastBinary) bool {
	return strings.HasPrefix(name, "threads/core-variants/") && b.expected == "zero byte expected"
}

func TestSpecSuiteBinaries(t *testing.T) {
	names, mods := suiteBinaries(t)
	var malformed, matched, decoded, roundTripped, variant int
	for i, b := range mods {
		name := names[i]
		m, err := Decode(b.bytes)
		if b.context == "assert_malformed" {
			if err == nil {
				if zeroByteVariant(name, b) {
					variant++
					continue
				}
				t.Errorf("%s: decoded, want malformed %q", name, b.expected)
				continue
			}
			malformed++
			var we *wasm.Error
			if !errors.As(err, &we) || we.Phase != wasm.Malformed {
				t.Errorf("%s: error %v is not a malformed *wasm.Error", name, err)
				continue
			}
			if we.Offset < 0 || we.Offset > int64(len(b.bytes)) {
				t.Errorf("%s: error offset %d outside the module's %d bytes", name, we.Offset, len(b.bytes))
			}
			if strings.HasPrefix(we.Msg, b.expected) {
				matched++
			} else {
				t.Logf("%s: message %q, suite expects %q", name, we.Msg, b.expected)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%s): %v", name, b.context, err)
			continue
		}
		decoded++
		if err := checkSections(b.bytes, m); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := checkRoundTrip(m); err != nil {
			t.Errorf("%s: round trip: %v", name, err)
			continue
		}
		roundTripped++
	}
	t.Logf("%d binary modules: %d malformed as expected (%d with the suite's message), %d decoded, %d round-tripped, %d pre-multi-memory variants skipped",
		len(mods), malformed, matched, decoded, roundTripped, variant)
	if len(mods) < 900 {
		t.Errorf("found only %d binary modules; the scanner is missing some", len(mods))
	}
}
