package aotfile_test

import (
	"errors"
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// The compiler's side: declarations, code, metadata, then bytes.
func ExampleBuilder() {
	b := aotfile.NewBuilder(aotfile.Header{
		ABIVersion: 1,
		Target:     aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian},
		Compiler:   "gcscope-aot example",
		Features:   aotfile.FeatureGC,
	})
	// (type (func)) and one function of that type, as Wasm section payloads;
	// a compiler would call b.SetModule(module) instead.
	_ = b.SetWasmSection(aotfile.SectionTypes, []byte{0x01, 0x60, 0x00, 0x00})
	_ = b.SetWasmSection(aotfile.SectionFuncTypes, []byte{0x01, 0x00})
	off, _ := b.AddCode([]byte{0xc3}, 16) // ret
	b.AddFunction(aotfile.Function{TypeIndex: 0, CodeOffset: off, CodeSize: 1, FrameSlots: 2, Locals: 0})
	b.AddHelper(0, "gc_alloc")
	data, err := b.Bytes()
	if err != nil {
		fmt.Println(err)
		return
	}
	secs, _ := aotfile.Sections(data)
	for _, s := range secs {
		fmt.Printf("%-10s offset 0x%04x size %d\n", s.Name, s.Offset, s.Size)
	}
	// Output:
	// types      offset 0x0120 size 4
	// functypes  offset 0x0124 size 2
	// functions  offset 0x0128 size 36
	// helpers    offset 0x0150 size 20
	// text       offset 0x1000 size 1
}

// The loader's side: read, then refuse anything doubtful.
func ExampleRead() {
	b := aotfile.NewBuilder(aotfile.Header{
		ABIVersion: 3,
		Target:     aotfile.Target{Arch: aotfile.ArchAArch64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian},
	})
	data, _ := b.Bytes()

	data[len(data)-1] ^= 1 // damage: the reader still returns the file
	f, err := aotfile.Read(data)
	var ce *aotfile.ChecksumError
	fmt.Println(errors.As(err, &ce), f.Header.ABIVersion)

	data[len(data)-1] ^= 1
	f, err = aotfile.Read(data)
	if err == nil {
		err = f.Header.CheckABI(4)
	}
	fmt.Println(err)
	fmt.Println(f.Header.CheckTarget(aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian}))
	// Output:
	// true 3
	// compiled code uses exec env ABI 3, runtime has 4: recompile
	// compiled for aarch64, this machine is x86-64
}
