package debugger

import (
	"fmt"
	"math"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// evalCtx evaluates expressions against a stopped thread: its frames
// (outermost first) and the selected one (0 innermost).
type evalCtx struct {
	s      *Session
	env    *runtime.ExecEnv
	frames []runtime.Frame
	cur    int
}

// val is an evaluated expression: a value with its static type, where it
// lives (for set), or a range of array elements.
type val struct {
	v     runtime.Value
	lv    *lvalue
	elems []val // an array range
	first uint32
}

// lvalue is a place a value can be written to.
type lvalue struct {
	kind    string // "local", "global", "field", "elem", "operand"
	name    string
	why     string // set when the place cannot be written: the reason
	slot    uint32
	global  *runtime.Global
	ref     runtime.Ref
	index   uint32
	storage wasm.StorageType
	mutable bool
}

func (c *evalCtx) frame() (runtime.Frame, bool) {
	i := len(c.frames) - 1 - c.cur
	if i < 0 || i >= len(c.frames) {
		return runtime.Frame{}, false
	}
	return c.frames[i], true
}

func (c *evalCtx) eval(n node) (val, error) {
	switch n := n.(type) {
	case *numLit:
		if n.float {
			return val{v: runtime.F64(math.Float64bits(n.f))}, nil
		}
		return val{v: runtime.I64(n.i)}, nil
	case *nullLit:
		return val{v: runtime.Null(wasm.HeapNone)}, nil
	case *identN:
		return c.ident(n.name)
	case *fieldN:
		x, err := c.eval(n.x)
		if err != nil {
			return val{}, err
		}
		return c.field(x, n)
	case *indexN:
		return c.index(n)
	case *unaryN:
		x, err := c.eval(n.x)
		if err != nil {
			return val{}, err
		}
		if n.op == "!" {
			return boolVal(!truthy(x)), nil
		}
		i, f, isF, err := number(x, n.x)
		if err != nil {
			return val{}, err
		}
		if isF {
			return val{v: runtime.F64(math.Float64bits(-f))}, nil
		}
		return val{v: runtime.I64(-i)}, nil
	case *binaryN:
		return c.binary(n)
	}
	return val{}, fmt.Errorf("cannot evaluate %s", n)
}

// ident finds a local of the selected frame, else a global.
func (c *evalCtx) ident(name string) (val, error) {
	s := c.s
	want := "$" + strings.TrimPrefix(name, "$")
	fr, ok := c.frame()
	var localNames []string
	if ok {
		vars, _ := s.localsOf(fr)
		for i, lv := range vars {
			if lv.name == want || want == fmt.Sprintf("$local%d", i) {
				v := readSlot(c.env, fr.Base+lv.slot, lv.t)
				return val{v: v, lv: &lvalue{kind: "local", name: lv.name, slot: fr.Base + lv.slot, storage: wasm.StorageType{Val: lv.t}, mutable: true}}, nil
			}
			localNames = append(localNames, lv.name)
		}
	}
	for i, g := range s.inst.Globals {
		gn := s.names.globalName(uint32(i))
		if gn == want || want == fmt.Sprintf("$global%d", i) {
			return val{v: g.Get(), lv: &lvalue{kind: "global", name: gn, global: g, storage: wasm.StorageType{Val: g.Type.Val}, mutable: g.Type.Mutable}}, nil
		}
	}
	if isStackName(name) {
		return val{}, fmt.Errorf("%s", stackHelp)
	}
	where := "no frame is selected"
	if ok {
		where = fmt.Sprintf("%s has locals %s", s.names.funcName(fr.Func.Index), strings.Join(localNames, " "))
		if len(localNames) == 0 {
			where = s.names.funcName(fr.Func.Index) + " has no locals"
		}
	}
	return val{}, fmt.Errorf("no local or global named %s (%s; see locals and globals)", want, where)
}

// field reads a struct field (by name or number) or an array's length.
func (c *evalCtx) field(x val, n *fieldN) (val, error) {
	s := c.s
	if x.v.Type.Kind != wasm.KindRef {
		return val{}, fmt.Errorf("%s is a %s, not a reference: it has no field %s", n.x, x.v.Type, n.name)
	}
	r := runtime.Ref(x.v.Bits)
	info := s.store.Describe(x.v)
	switch info.Kind {
	case runtime.RefNull:
		return val{}, fmt.Errorf("%s is null: it has no field %s", n.x, n.name)
	case runtime.RefStruct:
		d := s.store.Types.Def(info.Type)
		i, ok := s.names.fieldIndex(info.Type, len(d.Comp.Fields), n.name)
		if !ok {
			var fs []string
			for k := range d.Comp.Fields {
				fs = append(fs, s.names.fieldName(info.Type, k))
			}
			return val{}, fmt.Errorf("%s (a %s) has no field %s; its fields are: %s", n.x, s.names.typeName(info.Type), n.name, strings.Join(fs, " "))
		}
		ft := d.Comp.Fields[i]
		return val{v: c.fieldValue(r, i, ft.Storage), lv: &lvalue{kind: "field", name: n.String(), ref: r, index: uint32(i), storage: ft.Storage, mutable: ft.Mutable}}, nil
	case runtime.RefArray:
		if n.name == "length" || n.name == "len" {
			return val{v: runtime.I32(int32(s.store.Heap.GC.ArrayLen(r)))}, nil
		}
		return val{}, fmt.Errorf("%s is an array: index it (%s[0]) or ask its length (%s.length)", n.x, n.x, n.x)
	}
	return val{}, fmt.Errorf("%s is %s: it has no fields", n.x, c.format(x.v, 0))
}

func (c *evalCtx) fieldValue(r runtime.Ref, i int, st wasm.StorageType) runtime.Value {
	h := c.s.store.Heap.GC
	t := st.Unpacked()
	if t.Kind == wasm.KindV128 {
		lo, hi := h.GetFieldV128(r, i)
		return runtime.Value{Type: t, Bits: lo, Hi: hi}
	}
	return runtime.Value{Type: t, Bits: h.GetField(r, i)}
}

func (c *evalCtx) elemValue(r runtime.Ref, i uint32, st wasm.StorageType) runtime.Value {
	h := c.s.store.Heap.GC
	t := st.Unpacked()
	if t.Kind == wasm.KindV128 {
		lo, hi := h.GetElemV128(r, i)
		return runtime.Value{Type: t, Bits: lo, Hi: hi}
	}
	return runtime.Value{Type: t, Bits: h.GetElem(r, i)}
}

// index reads an array element or a range of them.
func (c *evalCtx) index(n *indexN) (val, error) {
	s := c.s
	x, err := c.eval(n.x)
	if id, ok := n.x.(*identN); ok && err != nil && isStackName(id.name) {
		return c.operand(n) // operands.go
	}
	if err != nil {
		return val{}, err
	}
	info := s.store.Describe(x.v)
	if x.v.Type.Kind != wasm.KindRef || info.Kind != runtime.RefArray {
		if x.v.Type.Kind == wasm.KindRef && info.Kind == runtime.RefNull {
			return val{}, fmt.Errorf("%s is null: it cannot be indexed", n.x)
		}
		return val{}, fmt.Errorf("%s is %s, not an array: it cannot be indexed", n.x, c.format(x.v, 0))
	}
	r := runtime.Ref(x.v.Bits)
	length := s.store.Heap.GC.ArrayLen(r)
	ft := s.store.Types.Def(info.Type).Comp.Elem()
	at := func(e node) (uint32, error) {
		iv, err := c.eval(e)
		if err != nil {
			return 0, err
		}
		i, _, isF, err := number(iv, e)
		if err != nil || isF {
			return 0, fmt.Errorf("index %s is not an integer", e)
		}
		if i < 0 || i > int64(length) || (!n.slice && i == int64(length)) {
			return 0, fmt.Errorf("index %d out of range: %s has %d elements", i, n.x, length)
		}
		return uint32(i), nil
	}
	lo, err := at(n.i)
	if err != nil {
		return val{}, err
	}
	if !n.slice {
		return val{v: c.elemValue(r, lo, ft.Storage), lv: &lvalue{kind: "elem", name: n.String(), ref: r, index: lo, storage: ft.Storage, mutable: ft.Mutable}}, nil
	}
	hi, err := at(n.hi)
	if err != nil {
		return val{}, err
	}
	if hi < lo {
		return val{}, fmt.Errorf("empty range %s: the end comes before the start", n)
	}
	out := val{v: x.v, first: lo, elems: []val{}}
	for i := lo; i < hi; i++ {
		out.elems = append(out.elems, val{v: c.elemValue(r, i, ft.Storage)})
	}
	return out, nil
}

// number reads a value as an integer or a float.
func number(x val, n node) (i int64, f float64, isFloat bool, err error) {
	v := x.v
	switch v.Type.Kind {
	case wasm.KindI32:
		return int64(int32(v.Bits)), 0, false, nil
	case wasm.KindI64:
		return int64(v.Bits), 0, false, nil
	case wasm.KindF32:
		return 0, float64(math.Float32frombits(uint32(v.Bits))), true, nil
	case wasm.KindF64:
		return 0, math.Float64frombits(v.Bits), true, nil
	case wasm.KindRef:
		if r := runtime.Ref(v.Bits); r.IsI31() {
			return int64(r.I31S()), 0, false, nil
		}
	}
	return 0, 0, false, fmt.Errorf("%s is not a number", n)
}

func boolVal(b bool) val {
	if b {
		return val{v: runtime.I32(1)}
	}
	return val{v: runtime.I32(0)}
}

// truthy: non-zero numbers and non-null references are true.
func truthy(x val) bool {
	if x.v.Type.Kind == wasm.KindF32 || x.v.Type.Kind == wasm.KindF64 {
		i, f, _, _ := number(x, nil)
		return f != 0 || i != 0
	}
	if x.v.Type.Kind == wasm.KindI32 {
		return uint32(x.v.Bits) != 0
	}
	return x.v.Bits != 0 || x.v.Hi != 0
}

func (c *evalCtx) binary(n *binaryN) (val, error) {
	l, err := c.eval(n.l)
	if err != nil {
		return val{}, err
	}
	if n.op == "&&" || n.op == "||" {
		if truthy(l) == (n.op == "||") {
			return boolVal(n.op == "||"), nil
		}
		r, err := c.eval(n.r)
		if err != nil {
			return val{}, err
		}
		return boolVal(truthy(r)), nil
	}
	r, err := c.eval(n.r)
	if err != nil {
		return val{}, err
	}
	// References compare by identity.
	if l.v.Type.Kind == wasm.KindRef && r.v.Type.Kind == wasm.KindRef && (n.op == "==" || n.op == "!=") {
		return boolVal((l.v.Bits == r.v.Bits) == (n.op == "==")), nil
	}
	li, lf, lF, err := number(l, n.l)
	if err != nil {
		return val{}, err
	}
	ri, rf, rF, err := number(r, n.r)
	if err != nil {
		return val{}, err
	}
	if lF || rF {
		if !lF {
			lf = float64(li)
		}
		if !rF {
			rf = float64(ri)
		}
		switch n.op {
		case "+":
			return val{v: runtime.F64(math.Float64bits(lf + rf))}, nil
		case "-":
			return val{v: runtime.F64(math.Float64bits(lf - rf))}, nil
		case "*":
			return val{v: runtime.F64(math.Float64bits(lf * rf))}, nil
		case "/":
			return val{v: runtime.F64(math.Float64bits(lf / rf))}, nil
		case "%":
			return val{v: runtime.F64(math.Float64bits(math.Mod(lf, rf)))}, nil
		}
		return compare(n.op, lf < rf, lf == rf), nil
	}
	switch n.op {
	case "+":
		return val{v: runtime.I64(li + ri)}, nil
	case "-":
		return val{v: runtime.I64(li - ri)}, nil
	case "*":
		return val{v: runtime.I64(li * ri)}, nil
	case "/", "%":
		if ri == 0 {
			return val{}, fmt.Errorf("division by zero in %s", n)
		}
		if n.op == "/" {
			return val{v: runtime.I64(li / ri)}, nil
		}
		return val{v: runtime.I64(li % ri)}, nil
	}
	return compare(n.op, li < ri, li == ri), nil
}

func compare(op string, less, eq bool) val {
	switch op {
	case "==":
		return boolVal(eq)
	case "!=":
		return boolVal(!eq)
	case "<":
		return boolVal(less)
	case "<=":
		return boolVal(less || eq)
	case ">":
		return boolVal(!less && !eq)
	}
	return boolVal(!less)
}
