package text

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
)

// fuzzSeeds are suite files whose contents seed the fuzzers: a mix of
// instructions, types, literals and script commands.
var fuzzSeeds = []string{
	"core/address.wast", "core/block.wast", "core/const.wast", "core/annotations.wast",
	"core/gc/struct.wast", "core/simd/simd_lane.wast", "legacy/exceptions/try_delegate.wast",
	"core/exceptions/try_table.wast", "core/token.wast",
}

func addSeeds(f *testing.F) {
	f.Add([]byte("(module (func (result i32) (i32.add (i32.const 1) (i32.const 2))))"))
	f.Add([]byte(`(func $f (param $x i32) block $l br $l end (@custom "x" "y"))`))
	for _, s := range fuzzSeeds {
		b, err := os.ReadFile(filepath.Join(suiteDir, s))
		if err != nil {
			continue
		}
		// Small inputs fuzz much faster than whole files: seed with the
		// files' first top-level commands, one at a time.
		for i, cmd := range topLevelChunks(b) {
			if i == 40 {
				break
			}
			f.Add(cmd)
		}
	}
}

// topLevelChunks splits a script into its top-level parenthesized forms,
// roughly (it ignores comments and strings, which is enough for seeds).
func topLevelChunks(src []byte) [][]byte {
	var chunks [][]byte
	depth, start := 0, -1
	inString := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '(':
			if depth == 0 {
				start = i
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 && start >= 0 {
				chunks = append(chunks, src[start:i+1])
			}
			if depth < 0 {
				depth = 0
			}
		}
	}
	return chunks
}

// FuzzParseModule parses, and encodes what parses: the CLI and the
// debugger encode a text module before validating it (for its offsets),
// so the encoder must take any parsed module without panicking.
func FuzzParseModule(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := ParseModule(src)
		if err == nil && m == nil {
			t.Fatal("nil module without error")
		}
		if err == nil {
			_, _ = binary.Encode(m)
		}
	})
}

func FuzzParseScript(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseScript(src, "fuzz.wast")
		if err == nil && s == nil {
			t.Fatal("nil script without error")
		}
		if err != nil {
			return
		}
		for _, c := range s.Commands {
			if c.Module != nil && c.Module.Form == ModuleQuote {
				_, _ = ParseModule(c.Module.Bytes)
			}
		}
	})
}

func BenchmarkParseScript(b *testing.B) {
	path := filepath.Join(suiteDir, "core/simd/simd_lane.wast")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skip("spec suite not present")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseScript(src, path); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseScriptI32(b *testing.B) {
	path := filepath.Join(suiteDir, "core/i32.wast")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skip("spec suite not present")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseScript(src, path); err != nil {
			b.Fatal(err)
		}
	}
}
