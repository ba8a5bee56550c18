package interp

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

const (
	msgNullStruct = "null structure reference"
	msgNullArray  = "null array reference"
	msgArrayOOB   = "out of bounds array access"
	msgOOM        = "out of memory"
)

// refTest reports whether reference r matches the cast target ci.
func refTest(s *runtime.Store, r runtime.Ref, ci *castInfo) bool {
	if r == 0 {
		return ci.nullable
	}
	h := ci.heap
	switch h {
	case wasm.HeapAny, wasm.HeapExtern, wasm.HeapFunc, wasm.HeapExn:
		return true // a non-null value is always in its own hierarchy's top
	case wasm.HeapNone, wasm.HeapNoFunc, wasm.HeapNoExtern, wasm.HeapNoExn:
		return false
	}
	if r&1 == 1 {
		return h == wasm.HeapI31 || h == wasm.HeapEq
	}
	k := s.Heap.Kind(r)
	switch h {
	case wasm.HeapI31:
		return false
	case wasm.HeapEq:
		return k == runtime.ObjStruct || k == runtime.ObjArray
	case wasm.HeapStruct:
		return k == runtime.ObjStruct
	case wasm.HeapArray:
		return k == runtime.ObjArray
	}
	if h < 0 || (k != runtime.ObjStruct && k != runtime.ObjArray && k != runtime.ObjFunc) {
		return false
	}
	return s.Types.IsSubID(s.Heap.TypeOf(r), runtime.TypeID(h))
}

// readField widens a stored field for struct.get/array.get: sign 1
// sign-extends a packed field, 2 zero-extends it.
func readField(st wasm.StorageType, v uint64, sign uint32) uint64 {
	switch st.Packed {
	case wasm.PackedI8:
		if sign == 1 {
			return uint64(uint32(int32(int8(v))))
		}
		return v & 0xFF
	case wasm.PackedI16:
		if sign == 1 {
			return uint64(uint32(int32(int16(v))))
		}
		return v & 0xFFFF
	}
	return v
}

// elemBytes is the size of an array element as stored in a data segment.
func elemBytes(st wasm.StorageType) uint64 {
	return uint64(st.Size())
}

// readData decodes n elements from little-endian data bytes.
func readData(st wasm.StorageType, data []byte, dst []uint64) {
	size := elemBytes(st)
	for i := range dst {
		b := data[uint64(i)*size:]
		switch size {
		case 1:
			dst[i] = uint64(b[0])
		case 2:
			dst[i] = uint64(binary.LittleEndian.Uint16(b))
		case 4:
			dst[i] = uint64(binary.LittleEndian.Uint32(b))
		default:
			dst[i] = binary.LittleEndian.Uint64(b)
		}
	}
}

// gcOp runs the struct, array, i31 and cast instructions.
func gcOp(s *runtime.Store, inst *runtime.Instance, cd *code, in *instr, l []uint64) string {
	h := s.Heap
	defs := dataOf(inst).defs
	switch in.op {
	case opStructNew:
		d := defs[in.b]
		r, err := h.AllocStruct(d)
		if err != nil {
			return msgOOM
		}
		if in.c == 0 {
			vals := h.Vals(r)
			for i := range vals {
				vals[i] = runtime.PackField(d.Comp.Fields[i].Storage, l[in.a+uint32(i)])
			}
		}
		l[in.a] = uint64(r)
	case opStructGet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullStruct
		}
		l[in.a] = readField(defs[in.b].Comp.Fields[in.c].Storage, h.Vals(r)[in.c], in.d)
	case opStructSet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullStruct
		}
		h.Vals(r)[in.c] = runtime.PackField(defs[in.b].Comp.Fields[in.c].Storage, l[in.a+1])
	case opArrayNew, opArrayNewDefault, opArrayNewFixed:
		d := defs[in.b]
		var n uint32
		switch in.op {
		case opArrayNew:
			n = uint32(l[in.a+1])
		case opArrayNewDefault:
			n = uint32(l[in.a])
		default:
			n = in.c
		}
		r, err := h.AllocArray(d, n)
		if err != nil {
			return msgOOM
		}
		vals := h.Vals(r)
		st := d.Comp.Fields[0].Storage
		switch in.op {
		case opArrayNew:
			v := runtime.PackField(st, l[in.a])
			for i := range vals {
				vals[i] = v
			}
		case opArrayNewFixed:
			for i := range vals {
				vals[i] = runtime.PackField(st, l[in.a+uint32(i)])
			}
		}
		l[in.a] = uint64(r)
	case opArrayNewData:
		d := defs[in.b]
		st := d.Comp.Fields[0].Storage
		data := inst.Datas[in.c]
		off, n := uint64(uint32(l[in.a])), uint64(uint32(l[in.a+1]))
		if !inRange(off, n*elemBytes(st), uint64(len(data))) {
			return msgMemOOB
		}
		r, err := h.AllocArray(d, uint32(n))
		if err != nil {
			return msgOOM
		}
		readData(st, data[off:], h.Vals(r))
		l[in.a] = uint64(r)
	case opArrayNewElem:
		d := defs[in.b]
		seg := inst.Elems[in.c]
		off, n := uint64(uint32(l[in.a])), uint64(uint32(l[in.a+1]))
		if !inRange(off, n, uint64(len(seg))) {
			return msgTableOOB
		}
		r, err := h.AllocArray(d, uint32(n))
		if err != nil {
			return msgOOM
		}
		seg = inst.Elems[in.c] // a collection does not move it, but re-read anyway
		vals := h.Vals(r)
		for i := range vals {
			vals[i] = uint64(seg[off+uint64(i)])
		}
		l[in.a] = uint64(r)
	case opArrayGet, opArraySet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		vals := h.Vals(r)
		i := uint64(uint32(l[in.a+1]))
		if i >= uint64(len(vals)) {
			return msgArrayOOB
		}
		st := defs[in.b].Comp.Fields[0].Storage
		if in.op == opArrayGet {
			l[in.a] = readField(st, vals[i], in.d)
		} else {
			vals[i] = runtime.PackField(st, l[in.a+2])
		}
	case opArrayLen:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		l[in.a] = uint64(len(h.Vals(r)))
	case opArrayFill:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		vals := h.Vals(r)
		off, n := uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+3]))
		if !inRange(off, n, uint64(len(vals))) {
			return msgArrayOOB
		}
		v := runtime.PackField(defs[in.b].Comp.Fields[0].Storage, l[in.a+2])
		for k := off; k < off+n; k++ {
			vals[k] = v
		}
	case opArrayCopy:
		dr, sr := runtime.Ref(l[in.a]), runtime.Ref(l[in.a+2])
		if dr == 0 || sr == 0 {
			return msgNullArray
		}
		dv, sv := h.Vals(dr), h.Vals(sr)
		d, so, n := uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+3])), uint64(uint32(l[in.a+4]))
		if !inRange(d, n, uint64(len(dv))) || !inRange(so, n, uint64(len(sv))) {
			return msgArrayOOB
		}
		copy(dv[d:d+n], sv[so:so+n])
	case opArrayInitData, opArrayInitElem:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		vals := h.Vals(r)
		d, so, n := uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+2])), uint64(uint32(l[in.a+3]))
		if !inRange(d, n, uint64(len(vals))) {
			return msgArrayOOB
		}
		if in.op == opArrayInitData {
			st := defs[in.b].Comp.Fields[0].Storage
			data := inst.Datas[in.c]
			size := elemBytes(st)
			if !inRange(so, n*size, uint64(len(data))) {
				return msgMemOOB
			}
			readData(st, data[so:], vals[d:d+n])
		} else {
			seg := inst.Elems[in.c]
			if !inRange(so, n, uint64(len(seg))) {
				return msgTableOOB
			}
			for k := uint64(0); k < n; k++ {
				vals[d+k] = uint64(seg[so+k])
			}
		}
	case opRefTest:
		l[in.a] = b2u(refTest(s, runtime.Ref(l[in.a]), &cd.casts[in.b]))
	case opRefCast:
		if !refTest(s, runtime.Ref(l[in.a]), &cd.casts[in.b]) {
			return "cast failure"
		}
	case opI31New:
		l[in.a] = uint64(uint32(l[in.a])<<1 | 1)
	case opI31GetS, opI31GetU:
		r := uint32(l[in.a])
		if r == 0 {
			return "null i31 reference"
		}
		if in.op == opI31GetS {
			l[in.a] = uint64(uint32(int32(r) >> 1))
		} else {
			l[in.a] = uint64(r >> 1)
		}
	}
	return ""
}

// other runs the instructions the main loop does not handle inline.
func (e *Engine) other(env *runtime.ExecEnv, inst *runtime.Instance, cd *code, in *instr, l []uint64) string {
	switch {
	case in.op >= opMemSize && in.op <= opDataDrop:
		return memOp(inst, in, l)
	case in.op >= opTableGet && in.op <= opElemDrop:
		return tableOp(inst, in, l)
	case in.op >= opRefTest && in.op <= opRefCast, in.op >= opI31New && in.op <= opArrayInitElem:
		return gcOp(env.Store, inst, cd, in, l)
	}
	switch in.op {
	case opRefIsNull:
		l[in.a] = b2u(l[in.a] == 0)
	case opRefFunc:
		l[in.a] = inst.Funcs[in.b].Ref().Bits
	case opRefEq:
		l[in.a] = b2u(uint32(l[in.a]) == uint32(l[in.a+1]))
	case opRefAsNonNull:
		if l[in.a] == 0 {
			return "null reference"
		}
	case opAtomic:
		return atomicOp(inst, in, l)
	case opFence, opNop:
	default:
		return "internal error: unknown instruction"
	}
	return ""
}
