package aotdump

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

// goldenExamples are the examples the golden tests dump.
var goldenExamples = []string{"fib", "shapes", "binary_trees"}

// wasmExample converts examples/NAME.wat to a .wasm binary.
func wasmExample(t testing.TB, name string) []byte {
	t.Helper()
	src, err := examples.FS.ReadFile(name + ".wat")
	if err != nil {
		t.Fatal(err)
	}
	m, err := text.ParseModule(src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := binary.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// aotExample builds an .aot file from examples/NAME.wat with aotfile.Builder
// and synthetic x86-64 code: for each function a prologue, one instruction
// per Wasm instruction (a call with a relocation and a safepoint for each
// call, `mov eax, wasm offset` otherwise), an epilogue; an offset map pair
// per instruction; stack maps at calls (every instruction in debug builds).
func aotExample(t testing.TB, name string, debug bool) []byte {
	t.Helper()
	return aotFromWasm(t, wasmExample(t, name), debug)
}

// aotFromWasm builds an .aot file from a .wasm binary as aotExample does.
func aotFromWasm(t testing.TB, bin []byte, debug bool) []byte {
	t.Helper()
	return aotWithMaps(t, bin, debug, nil)
}

// aotWithMaps builds an .aot file as aotFromWasm does, with its
// wasmstackmaps payload passed through edit when edit is not nil. The
// section has a map at every safepoint: the reference locals' slots, and
// in debug builds the first operand slot too.
func aotWithMaps(t testing.TB, bin []byte, debug bool, edit func([]byte) []byte) []byte {
	t.Helper()
	m, err := binary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	h := aotfile.Header{
		ABIVersion: 1, OptLevel: 2, Features: aotfile.FeatureGC | aotfile.FeatureExceptions,
		Target:   aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian},
		Compiler: "gcscope-aot test", ModuleHash: aotfile.ModuleHash(bin),
	}
	if debug {
		h.Flags, h.OptLevel = aotfile.FlagDebug, 0
	}
	b := aotfile.NewBuilder(h)
	b.SetTarget(aotfile.TargetInfo{Triple: "x86_64-unknown-linux-gnu", CPU: "x86-64-v2", CPUFeatures: "+sse4.2,+popcnt", CodeGen: "llc 14.0.6 -O2 -relocation-model=pic"})
	if err := b.SetModule(m); err != nil {
		t.Fatal(err)
	}
	nimp := uint32(m.NumImported(wasm.ExternFunc))
	var wmaps [][]aotfile.WasmStackMap
	for i := range m.Funcs {
		f := &m.Funcs[i]
		code := []byte{0x55, 0x48, 0x89, 0xe5} // push rbp; mov rbp, rsp
		var pairs []aotfile.OffsetPair
		var maps []aotfile.StackMap
		var relocs []aotfile.Reloc
		nparams := 0
		if int(f.TypeIndex) < len(m.Types) {
			nparams = len(m.Types[f.TypeIndex].Comp.Params)
		}
		locals := uint32(nparams + len(f.Locals))
		slots := locals + 4
		refs := make([]byte, (slots+7)/8)
		var refList []uint32
		for k, lt := range f.Locals {
			if lt.IsRef() {
				s := nparams + k
				refs[s/8] |= 1 << (s % 8)
				refList = append(refList, uint32(s))
			}
		}
		if debug {
			refList = append(refList, locals)
		}
		var fmaps []aotfile.WasmStackMap
		if i == 0 {
			// lea rax, [rip + rodata]
			relocs = append(relocs, aotfile.Reloc{Offset: uint32(len(code)) + 3, Type: aotfile.RX86_64_PC32, Kind: aotfile.TargetRodata, Index: 0, Addend: -4})
			code = append(code, 0x48, 0x8d, 0x05, 0, 0, 0, 0)
		}
		for k := range f.Body {
			in := &f.Body[k]
			if k >= 12 {
				break
			}
			pairs = append(pairs, aotfile.OffsetPair{Native: uint32(len(code)), Wasm: in.Offset})
			safepoint := debug
			if in.Op == wasm.OpCall && in.Index >= nimp {
				relocs = append(relocs, aotfile.Reloc{Offset: uint32(len(code)) + 1, Type: aotfile.RX86_64_PLT32, Kind: aotfile.TargetFunction, Index: in.Index - nimp, Addend: -4})
				code = append(code, 0xe8, 0, 0, 0, 0)
				safepoint = true
			} else {
				o := in.Offset
				code = append(code, 0xb8, byte(o), byte(o>>8), byte(o>>16), byte(o>>24))
			}
			if safepoint {
				maps = append(maps, aotfile.StackMap{NativeOffset: uint32(len(code)), WasmOffset: in.Offset, Refs: append([]byte(nil), refs...)})
				fmaps = append(fmaps, aotfile.WasmStackMap{Offset: in.Offset, Slots: append([]uint32(nil), refList...)})
			}
		}
		pairs = append(pairs, aotfile.OffsetPair{Native: uint32(len(code)), Wasm: f.Body[len(f.Body)-1].Offset})
		code = append(code, 0x5d, 0xc3) // pop rbp; ret
		base, err := b.AddChunk(code, relocs, 16)
		if err != nil {
			t.Fatal(err)
		}
		b.AddFunction(aotfile.Function{TypeIndex: f.TypeIndex, CodeOffset: base, CodeSize: uint32(len(code)),
			FrameSlots: slots, Locals: locals, StackMaps: maps})
		b.AddOffsetMap(aotfile.OffsetMap{Func: uint32(i), Pairs: pairs})
		wmaps = append(wmaps, fmaps)
	}
	b.SetRodata([]byte("gcscope rodata\x00\x00"))
	b.AddHelper(0, "gc_alloc")
	b.AddHelper(1, "trap")
	b.AddHelper(4, "throw")
	b.AddExtra(aotfile.RawSection{ID: 0x8001, Name: "x.note", Align: 4, Data: []byte("built by aotdump's tests")})
	payload := aotfile.EncodeWasmStackMaps(wmaps)
	if edit != nil {
		payload = edit(payload)
	}
	b.AddExtra(aotfile.RawSection{ID: aotfile.SectionWasmStackMaps, Name: "wasmstackmaps", Align: 4, Data: payload})
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
