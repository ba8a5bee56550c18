package validate

import "github.com/gcscope/gcscope/engine/wasm"

// check validates everything after the type section, in the order the
// spec's module rule does, filling the context as it goes.
func (mc *moduleCtx) check(info *Info, keep bool) error {
	m := mc.m
	if err := mc.checkImports(); err != nil {
		return err
	}
	for i := range m.Funcs {
		if _, err := mc.funcType(m.Funcs[i].TypeIndex); err != nil {
			return place(err, m.Funcs[i].Pos, int64(mc.numImportedFuncs+i))
		}
		mc.funcs = append(mc.funcs, m.Funcs[i].TypeIndex)
	}
	for i := range m.Tags {
		if err := mc.checkTag(m.Tags[i].Type.TypeIndex); err != nil {
			return place(err, m.Tags[i].Pos, -1)
		}
		mc.tags = append(mc.tags, m.Tags[i].Type.TypeIndex)
	}
	mc.numDatas = len(m.Datas)
	if m.DataCount != nil {
		// A decoder rejects this already; checking again keeps a data
		// index that passed validation from pointing past the segments.
		if int64(*m.DataCount) != int64(len(m.Datas)) {
			return wasm.Errorf(wasm.Malformed, "data count and data section have inconsistent lengths")
		}
	}
	mc.collectDeclared()

	// Tables and globals see only the imported globals and the globals
	// defined before them (Wasm 3.0 lets a global use earlier ones).
	cc := newChecker(mc)
	for i := range m.Tables {
		if err := mc.checkTable(cc, &m.Tables[i]); err != nil {
			return place(err, m.Tables[i].Pos, -1)
		}
	}
	for i := range m.Memories {
		if err := checkMemoryType(m.Memories[i].Type); err != nil {
			return place(err, m.Memories[i].Pos, -1)
		}
		mc.mems = append(mc.mems, m.Memories[i].Type)
	}
	for i := range m.Globals {
		g := &m.Globals[i]
		t, err := mc.valType(g.Type.Val)
		if err != nil {
			return place(err, g.Pos, -1)
		}
		if err := cc.constExpr(g.Init, t, len(mc.globals)); err != nil {
			return place(err, g.Pos, -1)
		}
		mc.globals = append(mc.globals, wasm.GlobalType{Val: t, Mutable: g.Type.Mutable})
	}
	for i := range m.Elems {
		if err := mc.checkElem(cc, &m.Elems[i]); err != nil {
			return place(err, m.Elems[i].Pos, -1)
		}
	}
	for i := range m.Datas {
		if err := mc.checkData(cc, &m.Datas[i]); err != nil {
			return place(err, m.Datas[i].Pos, -1)
		}
	}
	for i := range m.Funcs {
		var fi *FuncInfo
		if keep {
			fi = &info.Funcs[i]
		}
		if err := cc.function(uint32(mc.numImportedFuncs+i), &m.Funcs[i], fi); err != nil {
			return err
		}
	}
	if err := mc.checkExports(); err != nil {
		return err
	}
	if m.Start != nil {
		ft, err := mc.funcTypeOf(*m.Start)
		if err != nil {
			return err
		}
		if len(ft.Params) != 0 || len(ft.Results) != 0 {
			return invalid("start function must have type [] -> []")
		}
	}
	return nil
}

// place adds a text position and function index to an error that has none.
func place(err error, pos wasm.Pos, fn int64) error {
	if e, ok := err.(*wasm.Error); ok {
		if !e.Pos.IsValid() {
			e.Pos = pos
		}
		if e.Func < 0 {
			e.Func = fn
		}
	}
	return err
}

func (mc *moduleCtx) checkImports() error {
	for i := range mc.m.Imports {
		im := &mc.m.Imports[i]
		if err := mc.checkImport(im); err != nil {
			return place(err, im.Pos, -1)
		}
	}
	return nil
}

func (mc *moduleCtx) checkImport(im *wasm.Import) error {
	switch im.Kind {
	case wasm.ExternFunc:
		if _, err := mc.funcType(im.TypeIndex); err != nil {
			return err
		}
		mc.funcs = append(mc.funcs, im.TypeIndex)
		mc.numImportedFuncs++
	case wasm.ExternTable:
		tt, err := mc.tableType(im.Table)
		if err != nil {
			return err
		}
		mc.tables = append(mc.tables, tt)
	case wasm.ExternMemory:
		if err := checkMemoryType(im.Memory); err != nil {
			return err
		}
		mc.mems = append(mc.mems, im.Memory)
	case wasm.ExternGlobal:
		t, err := mc.valType(im.Global.Val)
		if err != nil {
			return err
		}
		mc.globals = append(mc.globals, wasm.GlobalType{Val: t, Mutable: im.Global.Mutable})
		mc.numImportedGlobals++
	case wasm.ExternTag:
		if err := mc.checkTag(im.TypeIndex); err != nil {
			return err
		}
		mc.tags = append(mc.tags, im.TypeIndex)
	default:
		return invalid("unknown import kind %d", im.Kind)
	}
	return nil
}

func (mc *moduleCtx) checkTag(ti uint32) error {
	ft, err := mc.funcType(ti)
	if err != nil {
		return err
	}
	if len(ft.Results) != 0 {
		return invalid("non-empty tag result type")
	}
	return nil
}

// tableType checks a table type and returns it with its element type in
// canonical form.
func (mc *moduleCtx) tableType(tt wasm.TableType) (wasm.TableType, error) {
	if err := checkTableLimits(tt); err != nil {
		return tt, err
	}
	if !tt.Elem.IsRef() {
		return tt, invalid("type mismatch: table element type %s is not a reference type", tt.Elem)
	}
	et, err := mc.valType(tt.Elem)
	if err != nil {
		return tt, err
	}
	tt.Elem = et
	return tt, nil
}

func (mc *moduleCtx) checkTable(cc *checker, t *wasm.Table) error {
	tt, err := mc.tableType(t.Type)
	if err != nil {
		return err
	}
	if t.Init != nil {
		if err := cc.constExpr(t.Init, tt.Elem, mc.numImportedGlobals); err != nil {
			return err
		}
	} else if !tt.Elem.Nullable {
		return invalid("type mismatch: a table of non-null %s needs an initializer", tt.Elem)
	}
	mc.tables = append(mc.tables, tt)
	return nil
}
