package binary_test

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
)

func Example() {
	// (module (func $answer (result i32) i32.const 42))
	wasmBytes := []byte("\x00asm\x01\x00\x00\x00" +
		"\x01\x05\x01\x60\x00\x01\x7f" + // type section: [] -> [i32]
		"\x03\x02\x01\x00" + // function section: one function of type 0
		"\x0a\x06\x01\x04\x00\x41\x2a\x0b" + // code section: i32.const 42, end
		"\x00\x10\x04name\x01\x09\x01\x00\x06answer") // name section
	m, err := binary.Decode(wasmBytes)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := m.Funcs[0]
	fmt.Printf("func %s at 0x%x: %s %d at 0x%x\n", m.FuncName(0), f.Offset, f.Body[0].Op, f.Body[0].I32(), f.Body[0].Offset)

	secs, _ := binary.Sections(wasmBytes)
	for _, s := range secs {
		fmt.Printf("%s section: %d bytes at 0x%x\n", s.Name, s.Size, s.ContentOffset)
	}

	// A damaged module: the error names the place and the problem.
	_, err = binary.Decode(wasmBytes[:20])
	fmt.Println(err, wasm.PhaseOf(err))

	out, _ := binary.Encode(m)
	fmt.Println(len(out) == len(wasmBytes))
	// Output:
	// func answer at 0x16: i32.const 42 at 0x18
	// type section: 5 bytes at 0xa
	// function section: 2 bytes at 0x11
	// code section: 6 bytes at 0x15
	// name section: 16 bytes at 0x1d
	// offset 0x14: unexpected end malformed
	// true
}
