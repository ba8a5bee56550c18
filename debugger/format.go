package debugger

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// maxElems is how many array elements print shows.
const maxElems = 10

// format writes a value as print shows it; depth says how many levels of
// struct fields and array elements to expand (0: the reference only).
func (c *evalCtx) format(v runtime.Value, depth int) string {
	if s, ok := runtime.FormatNumber(v); ok {
		return s
	}
	if v.Type.Kind == wasm.KindRef {
		return c.formatRef(v, depth)
	}
	return v.String()
}

func (c *evalCtx) formatRef(v runtime.Value, depth int) string {
	s := c.s
	r := runtime.Ref(v.Bits)
	info := s.store.Describe(v)
	switch info.Kind {
	case runtime.RefNull:
		return "null"
	case runtime.RefI31:
		return fmt.Sprintf("i31 %d", info.I31)
	case runtime.RefFunc:
		if info.Func != nil && info.Func.Inst == s.inst {
			return "func " + s.names.funcName(info.Func.Index)
		}
		return "func"
	case runtime.RefHost:
		return fmt.Sprintf("extern %d", info.Host)
	case runtime.RefExn:
		return fmt.Sprintf("exn@0x%x", uint32(r))
	case runtime.RefDangling:
		return fmt.Sprintf("dangling@0x%x", uint32(r))
	}
	head := fmt.Sprintf("%s@0x%x", s.names.typeName(info.Type), uint32(r))
	d := s.store.Types.Def(info.Type)
	if info.Kind == runtime.RefArray {
		n := s.store.Heap.GC.ArrayLen(r)
		head += fmt.Sprintf(" (length %d)", n)
		if depth <= 0 {
			return head
		}
		st := d.Comp.Elem().Storage
		var parts []string
		for i := uint32(0); i < n && i < maxElems; i++ {
			parts = append(parts, c.format(c.elemValue(r, i, st), depth-1))
		}
		if n > maxElems {
			parts = append(parts, fmt.Sprintf("... %d more", n-maxElems))
		}
		return head + " [" + strings.Join(parts, ", ") + "]"
	}
	if depth <= 0 {
		return head
	}
	var parts []string
	for i, ft := range d.Comp.Fields {
		parts = append(parts, s.names.fieldName(info.Type, i)+": "+c.format(c.fieldValue(r, i, ft.Storage), depth-1))
	}
	return head + " {" + strings.Join(parts, ", ") + "}"
}

// staticType names the declared type of an evaluated value.
func (c *evalCtx) staticType(x val) string {
	if x.lv != nil {
		return c.s.names.storageString(x.lv.storage)
	}
	return x.v.Type.String()
}

// Result is an evaluated expression, as print shows it.
type Result struct {
	Expr  string
	Type  string // the declared type ("" for computed values)
	Text  string // the value, one line
	Value runtime.Value
	// Lines holds the expanded view (inspect): one line per field or
	// element.
	Lines []string
}

// Eval evaluates an expression in the selected frame; depth is how many
// levels of fields to show (print uses 1).
func (s *Session) Eval(expr string, depth int) (*Result, error) {
	n, err := parseExpr(expr)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return nil, ErrRunning
	}
	if s.store == nil {
		return nil, ErrExited
	}
	c := s.ctxLocked()
	x, err := c.eval(n)
	if err != nil {
		return nil, err
	}
	res := &Result{Expr: expr, Value: x.v}
	if x.elems != nil {
		var parts []string
		for i, e := range x.elems {
			line := fmt.Sprintf("[%d]: %s", x.first+uint32(i), c.format(e.v, depth-1))
			parts = append(parts, line)
			res.Lines = append(res.Lines, line)
		}
		res.Text = "{" + strings.Join(parts, ", ") + "}"
		return res, nil
	}
	if x.lv != nil {
		res.Type = c.staticType(x)
	}
	res.Text = c.format(x.v, depth)
	res.Lines = c.expand(x.v)
	return res, nil
}

// expand lists a struct's fields or an array's first elements, one a line.
func (c *evalCtx) expand(v runtime.Value) []string {
	s := c.s
	if v.Type.Kind != wasm.KindRef {
		return nil
	}
	info := s.store.Describe(v)
	r := runtime.Ref(v.Bits)
	var out []string
	switch info.Kind {
	case runtime.RefStruct:
		d := s.store.Types.Def(info.Type)
		for i, ft := range d.Comp.Fields {
			mut := ""
			if ft.Mutable {
				mut = "mut "
			}
			out = append(out, fmt.Sprintf("%s: %s%s = %s", s.names.fieldName(info.Type, i), mut, s.names.storageString(ft.Storage), c.format(c.fieldValue(r, i, ft.Storage), 0)))
		}
	case runtime.RefArray:
		st := s.store.Types.Def(info.Type).Comp.Elem().Storage
		n := s.store.Heap.GC.ArrayLen(r)
		for i := uint32(0); i < n && i < 4*maxElems; i++ {
			out = append(out, fmt.Sprintf("[%d]: %s", i, c.format(c.elemValue(r, i, st), 0)))
		}
		if n > 4*maxElems {
			out = append(out, fmt.Sprintf("... %d more (print it with a range: x[%d:%d])", n-4*maxElems, 4*maxElems, n))
		}
	}
	return out
}

// Format writes a value (a result, a returned value) as print shows it,
// references by what they point at.
func (s *Session) Format(v runtime.Value) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store == nil || s.names == nil {
		return v.String()
	}
	c := &evalCtx{s: s, env: s.store.Env()}
	return c.format(v, 0) + " : " + s.names.typeString(v.Type)
}
