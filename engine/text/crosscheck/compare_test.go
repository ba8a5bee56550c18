package crosscheck

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// stripSource clears what only one side of a comparison can know: source
// positions, binary offsets, names and custom sections, the data count
// (the encoder adds one when needed), and empty-versus-nil slices.
func stripSource(m *wasm.Module) {
	m.Names, m.Customs, m.Binary, m.DataCount = nil, nil, nil, nil
	if len(m.Types) == 0 {
		m.Types = nil
	}
	if len(m.RecGroups) == 0 {
		m.RecGroups = nil
	}
	for i := range m.Types {
		m.Types[i].Pos = wasm.Pos{}
	}
	expr := func(e []wasm.Instr) {
		for i := range e {
			e[i].Pos, e[i].Offset = wasm.Pos{}, 0
			if x := e[i].Ext; x != nil {
				if len(x.Catches) == 0 {
					x.Catches = nil
				}
				if len(x.Labels) == 0 {
					x.Labels = nil
				}
			}
		}
	}
	for i := range m.Imports {
		m.Imports[i].Pos = wasm.Pos{}
	}
	for i := range m.Funcs {
		f := &m.Funcs[i]
		f.Pos, f.Offset, f.BodyOffset = wasm.Pos{}, 0, 0
		if len(f.Locals) == 0 {
			f.Locals = nil
		}
		expr(f.Body)
	}
	for i := range m.Tables {
		m.Tables[i].Pos = wasm.Pos{}
		expr(m.Tables[i].Init)
	}
	for i := range m.Memories {
		m.Memories[i].Pos = wasm.Pos{}
	}
	for i := range m.Tags {
		m.Tags[i].Pos = wasm.Pos{}
	}
	for i := range m.Globals {
		m.Globals[i].Pos = wasm.Pos{}
		expr(m.Globals[i].Init)
	}
	for i := range m.Exports {
		m.Exports[i].Pos = wasm.Pos{}
	}
	for i := range m.Elems {
		m.Elems[i].Pos = wasm.Pos{}
		expr(m.Elems[i].Offset)
		for _, e := range m.Elems[i].Init {
			expr(e)
		}
	}
	for i := range m.Datas {
		m.Datas[i].Pos = wasm.Pos{}
		expr(m.Datas[i].Offset)
		if len(m.Datas[i].Init) == 0 {
			m.Datas[i].Init = nil
		}
	}
}

// firstDiff describes the first difference between two modules, or "".
func firstDiff(a, b *wasm.Module) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		name := va.Type().Field(i).Name
		if fa.Kind() == reflect.Slice && fa.Len() == fb.Len() {
			for j := 0; j < fa.Len(); j++ {
				ea, eb := fa.Index(j).Interface(), fb.Index(j).Interface()
				if reflect.DeepEqual(ea, eb) {
					continue
				}
				if f1, ok := ea.(wasm.Func); ok {
					f2 := eb.(wasm.Func)
					if len(f1.Body) == len(f2.Body) {
						for k := range f1.Body {
							if !reflect.DeepEqual(f1.Body[k], f2.Body[k]) {
								return fmt.Sprintf("%s[%d].Body[%d]: %+v %+v vs %+v %+v", name, j, k, f1.Body[k], f1.Body[k].Ext, f2.Body[k], f2.Body[k].Ext)
							}
						}
					}
					return fmt.Sprintf("%s[%d]: type %d locals %v %s vs type %d locals %v %s", name, j,
						f1.TypeIndex, f1.Locals, opNames(f1.Body), f2.TypeIndex, f2.Locals, opNames(f2.Body))
				}
				return fmt.Sprintf("%s[%d]: %+v vs %+v", name, j, ea, eb)
			}
		}
		return fmt.Sprintf("%s: %+v vs %+v", name, fa.Interface(), fb.Interface())
	}
	return ""
}

// opNames lists a body's mnemonics.
func opNames(body []wasm.Instr) string {
	var parts []string
	for _, in := range body {
		parts = append(parts, in.Op.String())
	}
	return strings.Join(parts, " ")
}
