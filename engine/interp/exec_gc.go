package interp

import (
	"errors"

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

// gcOp runs the struct, array, i31 and cast instructions on the
// engine/gc heap.
func gcOp(env *runtime.ExecEnv, inst *runtime.Instance, cd *code, in *instr, l []uint64) string {
	s := env.Store
	h := s.Heap.GC
	defs := dataOf(inst).defs
	switch in.op {
	case opStructNew:
		d := defs[in.b]
		r, err := env.AllocStruct(d)
		if err != nil {
			return allocFailure(err)
		}
		if in.c == 0 {
			k := in.a
			for i, f := range d.Comp.Fields {
				if isV128(f.Storage) {
					h.SetFieldV128(r, i, l[k], l[k+1])
					k += 2
					continue
				}
				h.SetField(r, i, l[k])
				k++
			}
		}
		l[in.a] = uint64(r)
	case opStructGet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullStruct
		}
		st := defs[in.b].Comp.Fields[in.c].Storage
		if isV128(st) {
			l[in.a], l[in.a+1] = h.GetFieldV128(r, int(in.c))
			return ""
		}
		l[in.a] = readField(st, h.GetField(r, int(in.c)), in.d)
	case opStructSet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullStruct
		}
		if isV128(defs[in.b].Comp.Fields[in.c].Storage) {
			h.SetFieldV128(r, int(in.c), l[in.a+1], l[in.a+2])
			return ""
		}
		h.SetField(r, int(in.c), l[in.a+1])
	case opArrayNew, opArrayNewDefault, opArrayNewFixed:
		d := defs[in.b]
		w := uint32(1)
		if isV128(d.Comp.Fields[0].Storage) {
			w = 2
		}
		var n uint32
		switch in.op {
		case opArrayNew:
			n = uint32(l[in.a+w])
		case opArrayNewDefault:
			n = uint32(l[in.a])
		default:
			n = in.c
		}
		r, err := env.AllocArray(d, n)
		if err != nil {
			return allocFailure(err)
		}
		switch in.op {
		case opArrayNew:
			if w == 2 && n > 0 {
				_ = h.FillArrayV128(r, 0, n, l[in.a], l[in.a+1])
			} else if v := l[in.a]; v != 0 && n > 0 {
				_ = h.FillArray(r, 0, n, v)
			}
		case opArrayNewFixed:
			for i := uint32(0); i < n; i++ {
				if w == 2 {
					h.SetElemV128(r, i, l[in.a+2*i], l[in.a+2*i+1])
				} else {
					h.SetElem(r, i, l[in.a+i])
				}
			}
		}
		l[in.a] = uint64(r)
	case opArrayNewData:
		d := defs[in.b]
		data := inst.Datas[in.c]
		off, n := uint64(uint32(l[in.a])), uint64(uint32(l[in.a+1]))
		size := uint64(d.Comp.Fields[0].Storage.Size())
		if !inRange(off, n*size, uint64(len(data))) {
			return msgMemOOB
		}
		r, err := env.AllocArray(d, uint32(n))
		if err != nil {
			return allocFailure(err)
		}
		copy(h.ArrayData(r), data[off:off+n*size])
		l[in.a] = uint64(r)
	case opArrayNewElem:
		d := defs[in.b]
		off, n := uint64(uint32(l[in.a])), uint64(uint32(l[in.a+1]))
		if !inRange(off, n, uint64(len(inst.Elems[in.c]))) {
			return msgTableOOB
		}
		r, err := env.AllocArray(d, uint32(n))
		if err != nil {
			return allocFailure(err)
		}
		seg := inst.Elems[in.c]
		for i := uint64(0); i < n; i++ {
			h.SetElem(r, uint32(i), uint64(seg[off+i]))
		}
		l[in.a] = uint64(r)
	case opArrayGet, opArraySet:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		i := uint32(l[in.a+1])
		if i >= h.ArrayLen(r) {
			return msgArrayOOB
		}
		st := defs[in.b].Comp.Fields[0].Storage
		switch {
		case isV128(st) && in.op == opArrayGet:
			l[in.a], l[in.a+1] = h.GetElemV128(r, i)
		case isV128(st):
			h.SetElemV128(r, i, l[in.a+2], l[in.a+3])
		case in.op == opArrayGet:
			l[in.a] = readField(st, h.GetElem(r, i), in.d)
		default:
			h.SetElem(r, i, l[in.a+2])
		}
	case opArrayLen:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		l[in.a] = uint64(h.ArrayLen(r))
	case opArrayFill:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		var err error
		if isV128(defs[in.b].Comp.Fields[0].Storage) {
			err = h.FillArrayV128(r, uint32(l[in.a+1]), uint32(l[in.a+4]), l[in.a+2], l[in.a+3])
		} else {
			err = h.FillArray(r, uint32(l[in.a+1]), uint32(l[in.a+3]), l[in.a+2])
		}
		if err != nil {
			return msgArrayOOB
		}
	case opArrayCopy:
		dr, sr := runtime.Ref(l[in.a]), runtime.Ref(l[in.a+2])
		if dr == 0 || sr == 0 {
			return msgNullArray
		}
		if h.CopyArray(dr, uint32(l[in.a+1]), sr, uint32(l[in.a+3]), uint32(l[in.a+4])) != nil {
			return msgArrayOOB
		}
	case opArrayInitData, opArrayInitElem:
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return msgNullArray
		}
		d, so, n := uint64(uint32(l[in.a+1])), uint64(uint32(l[in.a+2])), uint64(uint32(l[in.a+3]))
		if !inRange(d, n, uint64(h.ArrayLen(r))) {
			return msgArrayOOB
		}
		if in.op == opArrayInitData {
			size := uint64(defs[in.b].Comp.Fields[0].Storage.Size())
			data := inst.Datas[in.c]
			if !inRange(so, n*size, uint64(len(data))) {
				return msgMemOOB
			}
			copy(h.ArrayData(r)[d*size:], data[so:so+n*size])
		} else {
			seg := inst.Elems[in.c]
			if !inRange(so, n, uint64(len(seg))) {
				return msgTableOOB
			}
			for k := uint64(0); k < n; k++ {
				h.SetElem(r, uint32(d+k), uint64(seg[so+k]))
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
		r := runtime.Ref(l[in.a])
		if r == 0 {
			return "null i31 reference"
		}
		if in.op == opI31GetS {
			l[in.a] = uint64(uint32(r.I31S()))
		} else {
			l[in.a] = uint64(r.I31U())
		}
	}
	return ""
}

func isV128(st wasm.StorageType) bool {
	return st.Packed == wasm.NotPacked && st.Val.Kind == wasm.KindV128
}

// allocFailure turns an allocation error into a trap message.
func allocFailure(err error) string {
	if errors.Is(err, runtime.ErrOutOfMemory) {
		return msgOOM
	}
	return "internal error: " + err.Error()
}

// other runs the instructions the main loop does not handle inline.
func (e *Engine) other(env *runtime.ExecEnv, inst *runtime.Instance, cd *code, in *instr, l []uint64) string {
	switch {
	case in.op >= opMemSize && in.op <= opDataDrop:
		return memOp(inst, in, l)
	case in.op >= opTableGet && in.op <= opElemDrop:
		return tableOp(inst, in, l)
	case in.op >= opRefTest && in.op <= opRefCast, in.op >= opI31New && in.op <= opArrayInitElem:
		return gcOp(env, inst, cd, in, l)
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
		return atomicOp(env, inst, in, l)
	case opSIMD:
		return simdFns[in.d](simdCtx{l: l, in: in, inst: inst, cd: cd})
	case opFence, opNop:
	default:
		return "internal error: unknown instruction"
	}
	return ""
}
