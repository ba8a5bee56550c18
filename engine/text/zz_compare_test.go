package text

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
)

type wabtOut struct {
	File string
	Idx  int
	Hex  string
	Err  string
}

func normalize(m *wasm.Module) {
	m.Names, m.Customs, m.Binary, m.DataCount = nil, nil, nil, nil
	for i := range m.Types {
		m.Types[i].Pos = wasm.Pos{}
	}
	clean := func(e []wasm.Instr) {
		for i := range e {
			e[i].Pos, e[i].Offset = wasm.Pos{}, 0
			if e[i].Ext != nil && len(e[i].Ext.Types) == 0 && e[i].Ext.Labels == nil && e[i].Ext.Catches == nil && e[i].Ext.Bytes == [16]byte{} {
				if e[i].Op != wasm.OpSelectT && e[i].Op != wasm.OpTryTable {
					e[i].Ext = nil
				}
			}
			if e[i].Ext != nil && e[i].Ext.Types != nil && len(e[i].Ext.Types) == 0 {
				e[i].Ext.Types = nil
			}
			if e[i].Ext != nil && e[i].Ext.Catches != nil && len(e[i].Ext.Catches) == 0 {
				e[i].Ext.Catches = nil
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
		clean(f.Body)
	}
	for i := range m.Tables {
		m.Tables[i].Pos = wasm.Pos{}
		clean(m.Tables[i].Init)
	}
	for i := range m.Memories {
		m.Memories[i].Pos = wasm.Pos{}
	}
	for i := range m.Tags {
		m.Tags[i].Pos = wasm.Pos{}
	}
	for i := range m.Globals {
		m.Globals[i].Pos = wasm.Pos{}
		clean(m.Globals[i].Init)
	}
	for i := range m.Exports {
		m.Exports[i].Pos = wasm.Pos{}
	}
	for i := range m.Elems {
		m.Elems[i].Pos = wasm.Pos{}
		clean(m.Elems[i].Offset)
		for _, e := range m.Elems[i].Init {
			clean(e)
		}
	}
	for i := range m.Datas {
		m.Datas[i].Pos = wasm.Pos{}
		clean(m.Datas[i].Offset)
		if len(m.Datas[i].Init) == 0 {
			m.Datas[i].Init = nil
		}
	}
}

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
				if !reflect.DeepEqual(fa.Index(j).Interface(), fb.Index(j).Interface()) {
					ea, eb := fa.Index(j).Interface(), fb.Index(j).Interface()
					if fa, ok := ea.(wasm.Func); ok {
						fb := eb.(wasm.Func)
						if len(fa.Body) == len(fb.Body) {
							for k := range fa.Body {
								if !reflect.DeepEqual(fa.Body[k], fb.Body[k]) {
									return fmt.Sprintf("%s[%d].Body[%d]: mine %+v\n wabt %+v", name, j, k, fa.Body[k], fb.Body[k])
								}
							}
						}
						return fmt.Sprintf("%s[%d]: mine type %d locals %v %s\n wabt type %d locals %v %s", name, j, fa.TypeIndex, fa.Locals, opNames(fa.Body), fb.TypeIndex, fb.Locals, opNames(fb.Body))
					}
					return fmt.Sprintf("%s[%d]: mine %+v\n wabt %+v", name, j, ea, eb)
				}
			}
		}
		s := fmt.Sprintf("%s: mine %+v\n wabt %+v", name, fa.Interface(), fb.Interface())
		if len(s) > 600 {
			s = s[:600]
		}
		return s
	}
	return ""
}

func TestZZCompare(t *testing.T) {
	data, err := os.ReadFile("/tmp/wabtjs/binaries.json")
	if err != nil {
		t.Skip()
	}
	var outs []wabtOut
	json.Unmarshal(data, &outs)
	mods := map[string]string{}
	src, _ := os.ReadFile("/tmp/wabtjs/modules.json")
	var ex []extracted
	json.Unmarshal(src, &ex)
	for _, e := range ex {
		mods[fmt.Sprint(e.File, e.Idx)] = e.Src
	}
	same, diff, decErr := 0, 0, 0
	kinds := map[string]int{}
	for _, o := range outs {
		if o.Err != "" {
			continue
		}
		b, _ := hex.DecodeString(o.Hex)
		theirs, err := binary.Decode(b)
		if err != nil {
			decErr++
			continue
		}
		mine, err := ParseModule([]byte(mods[fmt.Sprint(o.File, o.Idx)]))
		if err != nil {
			t.Errorf("%s: %v", o.File, err)
			continue
		}
		normalize(mine)
		normalize(theirs)
		if d := firstDiff(mine, theirs); d != "" {
			diff++
			k := d[:strings.IndexAny(d, "[:")]
			kinds[k]++
			if kinds[k] <= 4 {
				t.Logf("%s #%d: %s", o.File, o.Idx, d)
			}
		} else {
			same++
		}
	}
	t.Logf("same %d diff %d decodeErr %d kinds %v", same, diff, decErr, kinds)
}
