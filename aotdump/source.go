package aotdump

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/printer"
	"github.com/gcscope/gcscope/engine/wasm"
)

// sourceIndex finds the instructions of the module an .aot file was
// compiled from by their byte offset, the Wasm offsets its offset map and
// stack maps record.
type sourceIndex struct {
	dis *printer.Disassembler
	at  map[uint32]wasmAt
}

// wasmAt locates a source instruction.
type wasmAt struct {
	fn uint32 // function index space
	in *wasm.Instr
}

// newSourceIndex indexes m's instructions; a nil m gives an index that
// knows none.
func newSourceIndex(m *wasm.Module) *sourceIndex {
	s := &sourceIndex{at: map[uint32]wasmAt{}}
	if m == nil {
		return s
	}
	s.dis = printer.NewDisassembler(m)
	base := uint32(m.NumImported(wasm.ExternFunc))
	for i := range m.Funcs {
		body := m.Funcs[i].Body
		for k := range body {
			s.at[body[k].Offset] = wasmAt{fn: base + uint32(i), in: &body[k]}
		}
	}
	return s
}

// describe writes "wasm 0x3d: call $fib", or "wasm 0x3d" when the
// instruction is unknown.
func (s *sourceIndex) describe(off uint32) string {
	if a, ok := s.at[off]; ok && s.dis != nil {
		return fmt.Sprintf("wasm 0x%x: %s", off, s.dis.InstrString(a.fn, a.in))
	}
	return fmt.Sprintf("wasm 0x%x", off)
}

// instr writes the instruction at off ("call $fib"), or "" when unknown.
func (s *sourceIndex) instr(off uint32) string {
	if a, ok := s.at[off]; ok && s.dis != nil {
		return s.dis.InstrString(a.fn, a.in)
	}
	return ""
}
