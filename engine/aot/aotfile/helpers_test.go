package aotfile

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Hand-made Wasm section payloads for the module-level sections, each
// commented with what it encodes. They stand in until the test can build
// them from a wasm.Module with binary.Encode.
var testPayloads = map[SectionID][]byte{
	// (type (func (param i32) (result i32)))
	// (rec (type (sub (struct (field (mut i32)))))
	//      (type (sub final 1 (struct (field (mut i32)) (field (ref null 1))))))
	SectionTypes: {0x02,
		0x60, 0x01, 0x7f, 0x01, 0x7f,
		0x4e, 0x02,
		0x50, 0x00, 0x5f, 0x01, 0x7f, 0x01,
		0x4f, 0x01, 0x01, 0x5f, 0x02, 0x7f, 0x01, 0x63, 0x01, 0x00},
	// (import "env" "f" (func (type 0)))
	SectionImports: {0x01, 0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00},
	// two defined functions of type 0
	SectionFuncTypes: {0x02, 0x00, 0x00},
	// (table 1 funcref)
	SectionTables: {0x01, 0x70, 0x00, 0x01},
	// (memory 1)
	SectionMemories: {0x01, 0x00, 0x01},
	// (tag (type 0))
	SectionTags: {0x01, 0x00, 0x00},
	// (global (mut i32) (i32.const 42))
	SectionGlobals: {0x01, 0x7f, 0x01, 0x41, 0x2a, 0x0b},
	// (export "run" (func 2))
	SectionExports: {0x01, 0x03, 'r', 'u', 'n', 0x00, 0x02},
	// (start 1)
	SectionStart: {0x01},
	// (elem (i32.const 0) func 1)
	SectionElements: {0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01},
	// (data (i32.const 0) "hi")
	SectionData: {0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 'h', 'i'},
	// module name "mod"; function names 0 "imp", 1 "f1", 2 "run"
	SectionNames: {0x00, 0x04, 0x03, 'm', 'o', 'd',
		0x01, 0x0f, 0x03, 0x00, 0x03, 'i', 'm', 'p', 0x01, 0x02, 'f', '1', 0x02, 0x03, 'r', 'u', 'n'},
}

var testHeader = Header{
	ABIVersion: 3,
	Target:     Target{Arch: ArchX86_64, OS: OSLinux, PointerSize: 8, Endian: LittleEndian},
	OptLevel:   2,
	Flags:      FlagDebug,
	Features:   FeatureGC | FeatureExceptions,
	Compiler:   "gcscope-aot 0.1",
	ModuleHash: ModuleHash([]byte("\x00asm\x01\x00\x00\x00")),
}

// buildTestFile builds a file with every section populated.
func buildTestFile(t testing.TB) (*Builder, []byte) {
	t.Helper()
	b := NewBuilder(testHeader)
	b.SetTarget(TargetInfo{Triple: "x86_64-unknown-linux-gnu", CPU: "x86-64-v2", CPUFeatures: "+sse4.2", CodeGen: "llc 14.0.6 -O2"})
	for id, p := range testPayloads {
		if err := b.SetWasmSection(id, p); err != nil {
			t.Fatal(err)
		}
	}
	// Function 0: call function 1; ret. Function 1: movabs rax, rodata; ret.
	off0, err := b.AddCode([]byte{0xe8, 0, 0, 0, 0, 0xc3}, 16)
	if err != nil {
		t.Fatal(err)
	}
	off1, err := b.AddCode([]byte{0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xc3}, 16)
	if err != nil {
		t.Fatal(err)
	}
	b.AddFunction(Function{TypeIndex: 0, CodeOffset: off0, CodeSize: 6, FrameSlots: 10, Locals: 2,
		StackMaps: []StackMap{
			{NativeOffset: 5, WasmOffset: 0x40, Refs: []byte{0x04, 0x02}},
			{NativeOffset: 6, WasmOffset: 0x44, Refs: []byte{0x00, 0x00}},
		}})
	b.AddFunction(Function{TypeIndex: 0, CodeOffset: off1, CodeSize: 11, FrameSlots: 3, Locals: 1})
	b.SetRodata([]byte("0123456789abcdef"))
	b.AddReloc(Reloc{Offset: off1 + 2, Type: RX86_64_64, Kind: TargetRodata, Index: 4, Addend: 8})
	b.AddReloc(Reloc{Offset: off0 + 1, Type: RX86_64_PLT32, Kind: TargetFunction, Index: 1, Addend: -4})
	b.AddHelper(0, "gc_alloc")
	b.AddHelper(3, "throw")
	b.AddOffsetMap(OffsetMap{Func: 1, Pairs: []OffsetPair{{0, 0x50}}})
	b.AddOffsetMap(OffsetMap{Func: 0, Pairs: []OffsetPair{{0, 0x3e}, {5, 0x40}, {5, 0x42}}})
	b.AddExtra(RawSection{ID: 0x8001, Name: "x.note", Align: 4, Data: []byte("hello")})
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b, out
}

// fixChecksum rewrites the checksum of a (possibly damaged) file so the
// structural checks, not the checksum, have to catch the damage.
func fixChecksum(b []byte) {
	if len(b) >= HeaderSize {
		binary.LittleEndian.PutUint32(b[offChecksum:], Checksum(b))
	}
}

// leafErrors flattens errors.Join trees.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// checkErrorShape fails unless every problem in err is an *Error inside the
// file (or at its end) or a checksum mismatch, or the "more problems" note.
func checkErrorShape(t testing.TB, err error, size int) {
	t.Helper()
	for _, e := range leafErrors(err) {
		var fe *Error
		var ce *ChecksumError
		switch {
		case errors.As(e, &fe):
			if fe.Offset < 0 || fe.Offset > int64(size) {
				t.Fatalf("error offset 0x%x outside the %d-byte file: %v", fe.Offset, size, e)
			}
			if !strings.Contains(e.Error(), "offset 0x") {
				t.Fatalf("error does not name its offset: %v", e)
			}
		case errors.As(e, &ce):
		case strings.Contains(e.Error(), "more problems not shown"):
		default:
			t.Fatalf("error of type %T names no offset: %v", e, e)
		}
	}
}

func testModuleWithTypes() *wasm.Module {
	return &wasm.Module{Types: []wasm.SubType{{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}}}}
}

// inLongPadding reports whether offset i lies in a run of padding longer
// than 64 bytes (before the page-aligned text) and is not one of every
// 64th byte there: the damage tests sample such runs instead of walking
// them byte by byte, which keeps them fast on a busy machine.
func inLongPadding(secs []SectionHeader, i int) bool {
	if len(secs) == 0 {
		return false
	}
	prevEnd := uint64(secs[0].EntryOffset) + uint64(len(secs))*entrySize // the table's end
	for _, s := range secs {
		if uint64(i) >= prevEnd && uint64(i) < uint64(s.Offset) && uint64(s.Offset)-prevEnd > 64 {
			return i%64 != 0
		}
		prevEnd = max(prevEnd, s.End())
	}
	return false
}
