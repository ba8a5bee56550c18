package compile

import "github.com/gcscope/gcscope/engine/wasm"

// liveness answers, conservatively, whether a local may still be read
// after a given instruction, so safepoints write only references that
// can matter (DESIGN.md section 5: reference slots are written where a
// reference is live across a safepoint). Control flows forward except
// along loop back-edges, so a local can be read after instruction pc only
// by a local.get at or after the start of the outermost loop enclosing pc
// (or after pc itself outside loops).
type liveness struct {
	lastGet []int // per local: index of its last local.get, -1 if none
	from    []int // per instruction: where reads that matter may start
}

func newLiveness(body []wasm.Instr, nLocals int) liveness {
	l := liveness{lastGet: make([]int, nLocals), from: make([]int, len(body))}
	for i := range l.lastGet {
		l.lastGet[i] = -1
	}
	var loops []int // start index of each open block; -1 for non-loops
	outer := func(pc int) int {
		for _, s := range loops {
			if s >= 0 {
				return s
			}
		}
		return pc
	}
	for pc := range body {
		in := &body[pc]
		switch in.Op {
		case wasm.OpBlock, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			loops = append(loops, -1)
		case wasm.OpLoop:
			loops = append(loops, pc)
		case wasm.OpEnd:
			if len(loops) > 0 {
				loops = loops[:len(loops)-1]
			}
		case wasm.OpLocalGet:
			if int(in.Index) < nLocals {
				l.lastGet[in.Index] = pc
			}
		}
		l.from[pc] = outer(pc)
	}
	return l
}

// mayRead reports whether local i may be read at or after instruction pc
// (pc counts: its own operands are already on the stack, but a local.get
// at pc itself is a read at pc).
func (l liveness) mayRead(i, pc int) bool {
	if pc < 0 || pc >= len(l.from) {
		return true
	}
	return l.lastGet[i] >= l.from[pc]
}
