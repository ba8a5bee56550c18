package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// runDump runs the dump subcommand directly (the lead wires it into
// commands()).
func runDump(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = dumpCmd(&cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

// dumpFixtures writes fib.wasm and a small fib.aot built from it.
func dumpFixtures(t *testing.T) (wasmPath, aotPath string) {
	t.Helper()
	dir := t.TempDir()
	wasmPath = filepath.Join(dir, "fib.wasm")
	if code, _, errOut := runCLI("convert", "-o", wasmPath, filepath.Join("..", "..", "examples", "fib.wat")); code != 0 {
		t.Fatalf("convert: %s", errOut)
	}
	bin, err := os.ReadFile(wasmPath)
	if err != nil {
		t.Fatal(err)
	}
	b := aotfile.NewBuilder(aotfile.Header{ABIVersion: 1, Compiler: "test", ModuleHash: aotfile.ModuleHash(bin),
		Target: aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian}})
	_ = b.SetWasmSection(aotfile.SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(aotfile.SectionFuncTypes, []byte{0x01, 0x00})
	off, _ := b.AddCode([]byte{0x55, 0x5d, 0xc3}, 16)
	b.AddFunction(aotfile.Function{CodeOffset: off, CodeSize: 3, FrameSlots: 1})
	b.AddOffsetMap(aotfile.OffsetMap{Func: 0, Pairs: []aotfile.OffsetPair{{Native: 1, Wasm: 0x2e}}})
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	aotPath = filepath.Join(dir, "fib.aot")
	if err := os.WriteFile(aotPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return wasmPath, aotPath
}

func TestDumpCommand(t *testing.T) {
	wasmPath, aotPath := dumpFixtures(t)
	if code, out, errOut := runDump(wasmPath); code != 0 || !strings.Contains(out, "Section code") || !strings.Contains(out, "call $fib") {
		t.Errorf("dump wasm: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	code, out, _ := runDump("--json", "--section", "functions", aotPath)
	var doc struct {
		Kind     string
		Sections []struct{ Name string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc.Kind != "aot" || len(doc.Sections) != 1 || doc.Sections[0].Name != "functions" {
		t.Errorf("dump --json --section functions: exit %d, %q", code, out)
	}
	// --disasm finds fib.wasm next to fib.aot and shows its instructions.
	if code, out, errOut := runDump("--disasm", aotPath); code != 0 || !strings.Contains(out, "push rbp") || !strings.Contains(out, "wasm 0x2e: local.get $n") {
		t.Errorf("dump --disasm: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	// The text output uses it too, in the offset map.
	if code, out, errOut := runDump("--section", "offsetmap", aotPath); code != 0 || !strings.Contains(out, "<- wasm 0x2e: local.get $n") {
		t.Errorf("dump --section offsetmap: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
	if code, _, errOut := runDump("--disasm=nosuch", aotPath); code != 1 || !strings.Contains(errOut, "no compiled function") {
		t.Errorf("dump --disasm=nosuch: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runDump("--section", "nosuch", aotPath); code != 2 || !strings.Contains(errOut, "no section") {
		t.Errorf("dump --section nosuch: exit %d, %q", code, errOut)
	}
	if code, out, _ := runDump("--summary", "--section", "text", aotPath); code != 0 || !strings.Contains(out, "Largest functions") {
		t.Errorf("dump --summary: exit %d, %q", code, out)
	}
	if code, _, _ := runDump("--help"); code != 0 {
		t.Errorf("dump --help: exit %d", code)
	}
}

func TestDumpDamagedFile(t *testing.T) {
	_, aotPath := dumpFixtures(t)
	data, _ := os.ReadFile(aotPath)
	cut := filepath.Join(t.TempDir(), "cut.aot")
	if err := os.WriteFile(cut, data[:300], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runDump(cut)
	if code != 1 || !strings.Contains(out, "Header:") || !strings.Contains(errOut, "offset 0x12c") || !strings.Contains(errOut, "truncated") {
		t.Errorf("damaged file: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}
