package runtime

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// evalConst evaluates a constant expression (numbers, extended-const
// arithmetic, references, global.get and the GC allocation forms) in the
// context of inst. Operands sit in s.constStack so that a collection
// triggered by an allocation keeps them alive.
func (s *Store) evalConst(inst *Instance, e wasm.Expr, want wasm.ValType) (Value, error) {
	base := len(s.constStack)
	defer func() { s.constStack = s.constStack[:base] }()
	push := func(v Value) { s.constStack = append(s.constStack, v) }
	pop := func() Value {
		if len(s.constStack) == base {
			return Value{}
		}
		v := s.constStack[len(s.constStack)-1]
		s.constStack = s.constStack[:len(s.constStack)-1]
		return v
	}
	for i := range e {
		in := &e[i]
		switch in.Op {
		case wasm.OpEnd:
			if len(s.constStack) == base {
				return Value{}, fmt.Errorf("constant expression: empty stack")
			}
			v := pop()
			v.Type = Canon(want, inst.Types)
			return v, nil
		case wasm.OpI32Const:
			push(I32(in.I32()))
		case wasm.OpI64Const:
			push(I64(in.I64()))
		case wasm.OpF32Const:
			push(F32(uint32(in.Value)))
		case wasm.OpF64Const:
			push(F64(in.Value))
		case wasm.OpV128Const:
			if in.Ext == nil {
				return Value{}, fmt.Errorf("constant expression: v128.const without value")
			}
			push(V128(in.Ext.Bytes))
		case wasm.OpI32Add, wasm.OpI32Sub, wasm.OpI32Mul:
			b, a := pop(), pop()
			x, y := uint32(a.Bits), uint32(b.Bits)
			switch in.Op {
			case wasm.OpI32Add:
				x += y
			case wasm.OpI32Sub:
				x -= y
			default:
				x *= y
			}
			push(Value{Type: wasm.I32, Bits: uint64(x)})
		case wasm.OpI64Add, wasm.OpI64Sub, wasm.OpI64Mul:
			b, a := pop(), pop()
			x, y := a.Bits, b.Bits
			switch in.Op {
			case wasm.OpI64Add:
				x += y
			case wasm.OpI64Sub:
				x -= y
			default:
				x *= y
			}
			push(Value{Type: wasm.I64, Bits: x})
		case wasm.OpRefNull:
			push(Value{Type: Canon(wasm.RefType(true, in.Ref.Heap), inst.Types)})
		case wasm.OpRefFunc:
			if int(in.Index) >= len(inst.Funcs) {
				return Value{}, fmt.Errorf("constant expression: unknown function %d", in.Index)
			}
			push(inst.Funcs[in.Index].Ref())
		case wasm.OpGlobalGet:
			if int(in.Index) >= len(inst.Globals) {
				return Value{}, fmt.Errorf("constant expression: unknown global %d", in.Index)
			}
			push(inst.Globals[in.Index].Get())
		case wasm.OpRefI31:
			v := pop()
			push(I31(int32(v.Bits)))
		case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
			// Both hierarchies share one representation (see HostRef).
			v := pop()
			push(Value{Type: wasm.AnyRef, Bits: v.Bits})
		case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew,
			wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
			v, err := s.constAlloc(inst, in, base)
			if err != nil {
				return Value{}, err
			}
			push(v)
		default:
			return Value{}, fmt.Errorf("constant expression: %s is not constant", in.Op)
		}
	}
	return Value{}, fmt.Errorf("constant expression: missing end")
}

// constAlloc runs a GC allocation inside a constant expression. The
// operands stay on the const stack until the object holds them.
func (s *Store) constAlloc(inst *Instance, in *wasm.Instr, base int) (Value, error) {
	d := inst.TypeDef(in.Index)
	if d == nil {
		return Value{}, fmt.Errorf("constant expression: unknown type %d", in.Index)
	}
	st := s.constStack
	take := func(n int) ([]Value, error) {
		if n < 0 || len(st)-base < n {
			return nil, fmt.Errorf("constant expression: stack underflow")
		}
		return st[len(st)-n:], nil
	}
	var r Ref
	var err error
	var n int
	switch in.Op {
	case wasm.OpStructNew, wasm.OpStructNewDefault:
		if d.Comp.Kind != wasm.CompStruct {
			return Value{}, fmt.Errorf("constant expression: type %d is not a struct", in.Index)
		}
		if in.Op == wasm.OpStructNew {
			n = len(d.Comp.Fields)
		}
		args, err2 := take(n)
		if err2 != nil {
			return Value{}, err2
		}
		if r, err = s.Heap.AllocStruct(d); err != nil {
			return Value{}, err
		}
		for i, a := range args {
			s.Heap.SetField(r, i, a.Bits)
		}
	case wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
		if d.Comp.Kind != wasm.CompArray {
			return Value{}, fmt.Errorf("constant expression: type %d is not an array", in.Index)
		}
		var length uint32
		var init []Value
		switch in.Op {
		case wasm.OpArrayNew:
			n = 2
			a, err2 := take(2)
			if err2 != nil {
				return Value{}, err2
			}
			length, init = uint32(a[1].Bits), a[:1]
		case wasm.OpArrayNewDefault:
			n = 1
			a, err2 := take(1)
			if err2 != nil {
				return Value{}, err2
			}
			length = uint32(a[0].Bits)
		default:
			n = int(in.Index2)
			a, err2 := take(n)
			if err2 != nil {
				return Value{}, err2
			}
			length, init = in.Index2, a
		}
		if r, err = s.Heap.AllocArray(d, length); err != nil {
			return Value{}, err
		}
		for i := uint32(0); i < length; i++ {
			switch in.Op {
			case wasm.OpArrayNew:
				s.Heap.GC.SetElem(r, i, init[0].Bits)
			case wasm.OpArrayNewFixed:
				s.Heap.GC.SetElem(r, i, init[i].Bits)
			}
		}
	}
	s.constStack = s.constStack[:len(s.constStack)-n]
	return Value{Type: wasm.RefType(false, wasm.HeapType(d.ID)), Bits: uint64(r)}, nil
}
