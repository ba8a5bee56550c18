package debugger

import (
	"fmt"
	"math"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Set assigns: "PATH = EXPR", where PATH is a local, a global, a struct
// field, an array element or a number on the operand stack ($stack[i]
// of the innermost frame, where the code reads it back: FrameShape.SetFrom). Numbers convert to the place's type;
// references must match it (null only where it is nullable).
func (s *Session) Set(assign string) (*Result, error) {
	i := strings.Index(assign, "=")
	if i < 0 || strings.HasPrefix(assign[i:], "==") {
		return nil, fmt.Errorf("set needs PATH = VALUE, e.g. set $n = 3 or set node.value = 10")
	}
	lhs, rhs := strings.TrimSpace(assign[:i]), strings.TrimSpace(assign[i+1:])
	ln, err := parseExpr(lhs)
	if err != nil {
		return nil, err
	}
	rn, err := parseExpr(rhs)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.stoppedLocked(); err != nil {
		return nil, err
	}
	if s.ended {
		return nil, fmt.Errorf("the program has trapped: nothing can be changed")
	}
	c := s.ctxLocked()
	place, err := c.eval(ln)
	if err != nil {
		return nil, err
	}
	if place.lv == nil {
		return nil, fmt.Errorf("%s is not a place that can be assigned (a local, global, field or element)", lhs)
	}
	lv := place.lv
	if lv.why != "" {
		return nil, fmt.Errorf("%s", lv.why)
	}
	if !lv.mutable {
		return nil, fmt.Errorf("%s is immutable", lv.name)
	}
	x, err := c.eval(rn)
	if err != nil {
		return nil, err
	}
	v, err := c.convert(x.v, lv.storage.Unpacked(), rhs)
	if err != nil {
		return nil, err
	}
	h := s.store.Heap.GC
	switch lv.kind {
	case "local", "operand":
		c.env.Slots[lv.slot] = v.Bits
		if v.Type.Kind == wasm.KindV128 {
			c.env.Slots[lv.slot+1] = v.Hi
		}
	case "global":
		lv.global.Bits, lv.global.Hi = v.Bits, v.Hi
	case "field":
		if v.Type.Kind == wasm.KindV128 {
			h.SetFieldV128(lv.ref, int(lv.index), v.Bits, v.Hi)
		} else {
			h.SetField(lv.ref, int(lv.index), runtime.PackField(lv.storage, v.Bits))
		}
	case "elem":
		if v.Type.Kind == wasm.KindV128 {
			h.SetElemV128(lv.ref, lv.index, v.Bits, v.Hi)
		} else {
			h.SetElem(lv.ref, lv.index, runtime.PackField(lv.storage, v.Bits))
		}
	}
	after, err := c.eval(ln)
	if err != nil {
		return nil, err
	}
	return &Result{Expr: lhs, Type: c.staticType(after), Text: c.format(after.v, 1), Value: after.v}, nil
}

// convert makes a value of type t from x, or says why it cannot.
func (c *evalCtx) convert(x runtime.Value, t wasm.ValType, src string) (runtime.Value, error) {
	if t.Kind == wasm.KindRef {
		if x.Type.Kind != wasm.KindRef {
			return runtime.Value{}, fmt.Errorf("%s is not a reference: a %s needs null or a reference", src, c.s.names.typeString(t))
		}
		r := runtime.Ref(x.Bits)
		if r == 0 {
			if !t.Nullable {
				return runtime.Value{}, fmt.Errorf("null does not fit %s (not nullable)", c.s.names.typeString(t))
			}
			return runtime.Value{Type: t}, nil
		}
		var h wasm.HeapType
		info := c.s.store.Describe(x)
		switch info.Kind {
		case runtime.RefI31:
			h = wasm.HeapI31
		case runtime.RefStruct, runtime.RefArray, runtime.RefFunc:
			h = wasm.HeapType(info.Type)
		case runtime.RefHost:
			h = wasm.HeapExtern
		default:
			h = wasm.HeapExn
		}
		if !c.s.store.Types.HeapSub(h, t.Heap) {
			return runtime.Value{}, fmt.Errorf("%s (%s) does not fit %s", src, c.format(x, 0), c.s.names.typeString(t))
		}
		return runtime.Value{Type: t, Bits: x.Bits}, nil
	}
	if t.Kind == wasm.KindV128 {
		if x.Type.Kind != wasm.KindV128 {
			return runtime.Value{}, fmt.Errorf("%s is not a v128", src)
		}
		return x, nil
	}
	i, f, isF, err := number(val{v: x}, &identN{name: src})
	if err != nil {
		return runtime.Value{}, err
	}
	switch t.Kind {
	case wasm.KindI32, wasm.KindI64:
		if isF {
			if f != math.Trunc(f) {
				return runtime.Value{}, fmt.Errorf("%s is not an integer: a %s needs one", src, t)
			}
			i = int64(f)
		}
		if t.Kind == wasm.KindI32 {
			if i < math.MinInt32 || i > math.MaxUint32 {
				return runtime.Value{}, fmt.Errorf("%d does not fit an i32", i)
			}
			return runtime.I32(int32(i)), nil
		}
		return runtime.I64(i), nil
	case wasm.KindF32:
		if !isF {
			f = float64(i)
		}
		return runtime.F32(math.Float32bits(float32(f))), nil
	case wasm.KindF64:
		if !isF {
			f = float64(i)
		}
		return runtime.F64(math.Float64bits(f)), nil
	}
	return runtime.Value{}, fmt.Errorf("cannot assign to a %s", t)
}
