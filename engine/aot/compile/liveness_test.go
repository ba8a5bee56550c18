package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestLiveness(t *testing.T) {
	get := func(i uint32) wasm.Instr { return wasm.Instr{Op: wasm.OpLocalGet, Index: i} }
	op := func(o wasm.Opcode) wasm.Instr { return wasm.Instr{Op: o} }
	body := []wasm.Instr{
		get(0),           // 0
		op(wasm.OpCall),  // 1
		op(wasm.OpLoop),  // 2
		op(wasm.OpBlock), // 3
		op(wasm.OpCall),  // 4: in the loop
		get(1),           // 5
		op(wasm.OpEnd),   // 6
		op(wasm.OpEnd),   // 7
		op(wasm.OpCall),  // 8
		get(2),           // 9
		op(wasm.OpEnd),   // 10
	}
	l := newLiveness(body, 3)
	cases := []struct {
		local, pc int
		want      bool
	}{
		{0, 0, true},  // read by the instruction itself
		{0, 1, false}, // never read again
		{1, 1, true},  // read later
		{1, 4, true},  // read later in the loop
		{1, 6, true},  // the loop's back-edge reaches the read at 5
		{1, 8, false}, // after the loop
		{2, 8, true},
		{2, 10, false},
	}
	for _, c := range cases {
		if got := l.mayRead(c.local, c.pc); got != c.want {
			t.Errorf("local %d at %d: mayRead = %v, want %v", c.local, c.pc, got, c.want)
		}
	}
}
