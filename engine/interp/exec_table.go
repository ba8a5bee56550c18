package interp

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
)

const msgTableOOB = "out of bounds table access"

// tableOp runs the table instructions and elem.drop.
func tableOp(inst *runtime.Instance, in *instr, l []uint64) string {
	switch in.op {
	case opTableGet:
		t := inst.Tables[in.b]
		i := addrVal(l[in.a], t.Type.Addr64)
		if i >= t.Size() {
			return msgTableOOB
		}
		l[in.a] = uint64(t.Elems[i])
	case opTableSet:
		t := inst.Tables[in.b]
		i := addrVal(l[in.a], t.Type.Addr64)
		if i >= t.Size() {
			return msgTableOOB
		}
		t.Elems[i] = runtime.Ref(l[in.a+1])
	case opTableSize:
		l[in.a] = inst.Tables[in.b].Size()
	case opTableGrow:
		t := inst.Tables[in.b]
		old, ok := t.Grow(addrVal(l[in.a+1], t.Type.Addr64), runtime.Ref(l[in.a]))
		switch {
		case !ok && t.Type.Addr64:
			l[in.a] = ^uint64(0)
		case !ok:
			l[in.a] = uint64(^uint32(0))
		default:
			l[in.a] = old
		}
	case opTableFill:
		t := inst.Tables[in.b]
		i, v, n := addrVal(l[in.a], t.Type.Addr64), runtime.Ref(l[in.a+1]), addrVal(l[in.a+2], t.Type.Addr64)
		if !inRange(i, n, t.Size()) {
			return msgTableOOB
		}
		for k := i; k < i+n; k++ {
			t.Elems[k] = v
		}
	case opTableCopy:
		dt, st := inst.Tables[in.b], inst.Tables[in.c]
		d, s := addrVal(l[in.a], dt.Type.Addr64), addrVal(l[in.a+1], st.Type.Addr64)
		n := addrVal(l[in.a+2], dt.Type.Addr64 && st.Type.Addr64)
		if !inRange(d, n, dt.Size()) || !inRange(s, n, st.Size()) {
			return msgTableOOB
		}
		copy(dt.Elems[d:d+n], st.Elems[s:s+n])
	case opTableInit:
		t := inst.Tables[in.b]
		seg := inst.Elems[in.c]
		d, s, n := addrVal(l[in.a], t.Type.Addr64), uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+2]))
		if !inRange(d, n, t.Size()) || !inRange(s, n, uint64(len(seg))) {
			return msgTableOOB
		}
		copy(t.Elems[d:d+n], seg[s:s+n])
	case opElemDrop:
		inst.Elems[in.b] = nil
	}
	return ""
}

// callee resolves the target of call_indirect (table b, index in slot c)
// or call_ref (reference in slot c) and checks its type against the
// expected canonical type imm, with subtyping.
func (e *Engine) callee(s *runtime.Store, inst *runtime.Instance, in *instr, l []uint64) (*runtime.Func, string) {
	var r runtime.Ref
	if in.op == opCallIndirect || in.op == opReturnCallIndirect {
		t := inst.Tables[in.b]
		i := addrVal(l[in.c], t.Type.Addr64)
		if i >= t.Size() {
			return nil, fmt.Sprintf("undefined element %d", i)
		}
		r = t.Elems[i]
		if r == 0 {
			return nil, fmt.Sprintf("uninitialized element %d", i)
		}
	} else {
		r = runtime.Ref(l[in.c])
		if r == 0 {
			return nil, "null function reference"
		}
	}
	f := s.FuncOf(r)
	if f == nil {
		return nil, "indirect call type mismatch"
	}
	if want := runtime.TypeID(in.imm); f.Type.ID != want && !s.Types.IsSubID(f.Type.ID, want) {
		return nil, "indirect call type mismatch"
	}
	return f, ""
}
