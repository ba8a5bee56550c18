package compiledtest

import (
	"bytes"
	"encoding/binary"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/aotdump"
	"github.com/gcscope/gcscope/aotdump/schema"
	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	wbinary "github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// compiled compiles examples/NAME.wat from its binary form (so the offsets
// in the .aot refer to that binary), skipping when llc is missing.
func compiled(t *testing.T, name string, opt int) (aot []byte, src *wasm.Module) {
	return compiledWith(t, name, compile.Options{OptLevel: opt})
}

// compiledWith is compiled with any options (debug builds).
func compiledWith(t *testing.T, name string, opts compile.Options) (aot []byte, src *wasm.Module) {
	t.Helper()
	watSrc, err := examples.FS.ReadFile(name + ".wat")
	if err != nil {
		t.Fatal(err)
	}
	tm, err := text.ParseModule(watSrc)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wbinary.Encode(tm)
	if err != nil {
		t.Fatal(err)
	}
	m, err := wbinary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	out, err := compile.Compile(m, opts)
	if err != nil {
		if strings.Contains(err.Error(), "llc") {
			t.Skipf("cannot compile: %v", err)
		}
		t.Fatalf("compile %s: %v", name, err)
	}
	return out, m
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (if the compiler changed, go test -update rewrites it)", name)
	}
}

// TestCompiledGolden dumps examples compiled at -O2 and -O0, in release
// and debug builds: text (every section, stack maps with the source
// module's instructions and locals, relocations), JSON from the .aot file
// alone (as `gcscope dump --json` prints it, checked against the schema)
// and the disassembly interleaved with the Wasm instructions through the
// offset map. binary_trees allocates, so its dump shows real stack maps.
// Nothing in them depends on the machine but LLVM 14's code generator,
// which is deterministic for a given version.
func TestCompiledGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		opt   int
		debug bool
	}{{"fib", 2, false}, {"fib", 0, false}, {"sieve", 2, false}, {"binary_trees", 2, false},
		{"fib", 2, true}, {"sieve", 2, true}, {"binary_trees", 2, true}} {
		tag := c.name + ".O" + string(rune('0'+c.opt))
		if c.debug {
			tag += ".debug"
		}
		t.Run(tag, func(t *testing.T) {
			b, src := compiledWith(t, c.name, compile.Options{OptLevel: c.opt, Debug: c.debug})
			d, err := aotdump.Read(b)
			if err != nil {
				t.Fatalf("the compiler's output does not read cleanly: %v", err)
			}
			if len(d.AOT.OffsetMaps) != len(src.Funcs) {
				t.Errorf("%d offset maps for %d functions", len(d.AOT.OffsetMaps), len(src.Funcs))
			}
			base := tag + ".aot"
			var txt, js, dis bytes.Buffer
			if err := aotdump.WriteText(&txt, d, aotdump.Options{Title: c.name + ".aot", StackMaps: true, Relocs: true, Summary: true, Source: src}); err != nil {
				t.Fatal(err)
			}
			if err := aotdump.WriteJSON(&js, d, aotdump.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(js.Bytes()); err != nil {
				t.Errorf("JSON does not match the schema: %v", err)
			}
			if err := aotdump.WriteDisasm(&dis, d, aotdump.DisasmOptions{Source: src}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, base+".txt", txt.Bytes())
			checkGolden(t, base+".json", js.Bytes())
			checkGolden(t, base+".disasm", dis.Bytes())
		})
	}
}

// TestCompiledDamage truncates and corrupts a compiled file at many
// offsets: every cut is reported where the file ends, every flip at least
// by the checksum, nothing panics. fib at -O0 has every section an -O2
// build has but is a small file: -O2 inlines fib into itself, and the
// test reads and prints the whole file once per damaged byte.
func TestCompiledDamage(t *testing.T) {
	full, _ := compiled(t, "fib", 0)
	for n := 0; n < len(full); n += 7 {
		d, err := aotdump.Read(full[:n])
		want := int64(n)
		if n < 4 {
			want = 0
		}
		found := false
		for _, p := range d.Problems {
			found = found || p.Offset == want
		}
		if err == nil || !found {
			t.Errorf("cut at %d: want a problem at offset 0x%x, got %v", n, want, err)
		}
		printAll(t, d)
	}
	for i := 6; i < len(full); i += 3 {
		b := append([]byte(nil), full...)
		b[i] ^= 0x5a
		d, _ := aotdump.Read(b)
		found := false
		for _, p := range d.Problems {
			found = found || p.Offset == 0x28
		}
		if !found {
			t.Errorf("byte 0x%x flipped: no checksum mismatch", i)
		}
		printAll(t, d)
		binary.LittleEndian.PutUint32(b[0x28:], aotfile.Checksum(b))
		d, _ = aotdump.Read(b)
		for _, p := range d.Problems {
			if p.Offset < -1 || p.Offset > int64(len(b)) {
				t.Errorf("byte 0x%x flipped: problem offset 0x%x outside the file", i, p.Offset)
			}
		}
		printAll(t, d)
	}
}

func printAll(t *testing.T, d *aotdump.Dump) {
	t.Helper()
	if err := aotdump.WriteText(io.Discard, d, aotdump.Options{StackMaps: true, Relocs: true, Hex: true, Summary: true}); err != nil {
		t.Fatal(err)
	}
	if err := aotdump.WriteJSON(io.Discard, d, aotdump.Options{}); err != nil {
		t.Fatal(err)
	}
	_ = aotdump.WriteDisasm(io.Discard, d, aotdump.DisasmOptions{})
}
