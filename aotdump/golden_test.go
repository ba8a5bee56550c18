package aotdump

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/binary"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// checkGolden compares got with testdata/name, or rewrites it with -update.
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, firstDiff(got, want))
	}
}

// firstDiff shows the lines around the first difference.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + itoa(uint32(i+1)) + ":\n  got:  " + string(gl) + "\n  want: " + string(wl)
		}
	}
	return "(same lines)"
}

// render runs one printer over b.
func render(t *testing.T, b []byte, f func(*bytes.Buffer, *Dump) error) []byte {
	t.Helper()
	d, err := Read(b)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var buf bytes.Buffer
	if err := f(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenWasm(t *testing.T) {
	for _, name := range goldenExamples {
		t.Run(name, func(t *testing.T) {
			b := wasmExample(t, name)
			checkGolden(t, name+".wasm.txt", render(t, b, func(w *bytes.Buffer, d *Dump) error {
				return WriteText(w, d, Options{Title: name + ".wasm", Summary: true})
			}))
			js := render(t, b, func(w *bytes.Buffer, d *Dump) error {
				return WriteJSON(w, d, Options{Summary: true})
			})
			validateAgainstSchema(t, js)
			checkGolden(t, name+".wasm.json", js)
		})
	}
}

func TestGoldenAOT(t *testing.T) {
	for _, name := range goldenExamples {
		for _, debug := range []bool{false, true} {
			build := "normal"
			if debug {
				build = "debug"
			}
			t.Run(name+"/"+build, func(t *testing.T) {
				b := aotExample(t, name, debug)
				src, err := binary.Decode(wasmExample(t, name))
				if err != nil {
					t.Fatal(err)
				}
				base := name + "." + build + ".aot"
				checkGolden(t, base+".txt", render(t, b, func(w *bytes.Buffer, d *Dump) error {
					return WriteText(w, d, Options{Title: name + ".aot", StackMaps: true, Relocs: true, Summary: true, Source: src})
				}))
				js := render(t, b, func(w *bytes.Buffer, d *Dump) error {
					return WriteJSON(w, d, Options{Summary: true})
				})
				validateAgainstSchema(t, js)
				checkGolden(t, base+".json", js)
				checkGolden(t, base+".disasm", render(t, b, func(w *bytes.Buffer, d *Dump) error {
					return WriteDisasm(w, d, DisasmOptions{Source: src})
				}))
			})
		}
	}
}

// TestGoldenFiltered covers --section, --hex and the default (summarized)
// stack maps and relocations.
func TestGoldenFiltered(t *testing.T) {
	b := aotExample(t, "fib", false)
	checkGolden(t, "fib.filtered.txt", render(t, b, func(w *bytes.Buffer, d *Dump) error {
		opts := Options{Title: "fib.aot", Sections: []string{"header", "functions", "relocs", "0x8001"}, Hex: true}
		if err := d.CheckSections(&opts); err != nil {
			return err
		}
		return WriteText(w, d, opts)
	}))
	d, _ := Read(b)
	if err := d.CheckSections(&Options{Sections: []string{"nosuch"}}); err == nil {
		t.Error("CheckSections accepted a section the file does not have")
	}
}

// TestWriteSection checks the one-section printer matches WriteText's.
func TestWriteSection(t *testing.T) {
	d, err := Read(aotExample(t, "fib", false))
	if err != nil {
		t.Fatal(err)
	}
	var all, one bytes.Buffer
	if err := WriteText(&all, d, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteSection(&one, d, d.Section("functions"), Options{}); err != nil {
		t.Fatal(err)
	}
	if one.Len() == 0 || !bytes.Contains(all.Bytes(), one.Bytes()) {
		t.Errorf("WriteSection output is not part of WriteText's:\n%s", one.String())
	}
	var hdr bytes.Buffer
	if err := WriteHeader(&hdr, d); err != nil || !bytes.Contains(hdr.Bytes(), []byte("checksum:")) {
		t.Errorf("WriteHeader: %v\n%s", err, hdr.String())
	}
}

// TestDisasmAArch64 disassembles AArch64 code.
func TestDisasmAArch64(t *testing.T) {
	b := aotfile.NewBuilder(aotfile.Header{ABIVersion: 1,
		Target: aotfile.Target{Arch: aotfile.ArchAArch64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian}})
	_ = b.SetWasmSection(aotfile.SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(aotfile.SectionFuncTypes, []byte{0x01, 0x00})
	// mov x0, #1; ret
	off, _ := b.AddCode([]byte{0x20, 0x00, 0x80, 0xd2, 0xc0, 0x03, 0x5f, 0xd6}, 16)
	b.AddFunction(aotfile.Function{CodeOffset: off, CodeSize: 8, FrameSlots: 1})
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, data, func(w *bytes.Buffer, d *Dump) error { return WriteDisasm(w, d, DisasmOptions{Func: "0"}) })
	if !bytes.Contains(out, []byte("mov x0, #0x1")) || !bytes.Contains(out, []byte("ret")) {
		t.Errorf("AArch64 disassembly:\n%s", out)
	}
}
