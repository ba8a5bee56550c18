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
			e := wasm.Errorf(wasm.Malformed, "data count and data section have inconsistent lengths")
			return e
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

func (mc *moduleCtx) checkElem(cc *checker, e *wasm.ElemSegment) error {
	if !e.Type.IsRef() {
		return invalid("type mismatch: element type %s is not a reference type", e.Type)
	}
	et, err := mc.valType(e.Type)
	if err != nil {
		return err
	}
	for _, item := range e.Init {
		if err := cc.constExpr(item, et, len(mc.globals)); err != nil {
			return err
		}
	}
	if e.Mode == wasm.SegmentActive {
		tt, err := mc.table(e.Table)
		if err != nil {
			return err
		}
		if err := cc.constExpr(e.Offset, tt.AddrType(), len(mc.globals)); err != nil {
			return err
		}
		if !mc.sub(et, tt.Elem) {
			return invalid("type mismatch: element segment of %s does not fit table of %s", et, tt.Elem)
		}
	}
	mc.elems = append(mc.elems, et)
	return nil
}

func (mc *moduleCtx) checkData(cc *checker, d *wasm.DataSegment) error {
	if d.Mode != wasm.SegmentActive {
		return nil
	}
	mt, err := mc.memory(d.Memory)
	if err != nil {
		return err
	}
	return cc.constExpr(d.Offset, mt.AddrType(), len(mc.globals))
}

func (mc *moduleCtx) checkExports() error {
	seen := make(map[string]bool, len(mc.m.Exports))
	for i := range mc.m.Exports {
		ex := &mc.m.Exports[i]
		if seen[ex.Name] {
			return invalidAt(ex.Pos, "duplicate export name %q", ex.Name)
		}
		seen[ex.Name] = true
		var n int
		switch ex.Kind {
		case wasm.ExternFunc:
			n = len(mc.funcs)
		case wasm.ExternTable:
			n = len(mc.tables)
		case wasm.ExternMemory:
			n = len(mc.mems)
		case wasm.ExternGlobal:
			n = len(mc.globals)
		case wasm.ExternTag:
			n = len(mc.tags)
		default:
			return invalidAt(ex.Pos, "unknown export kind %d", ex.Kind)
		}
		if int64(ex.Index) >= int64(n) {
			kind := ex.Kind.String()
			if ex.Kind == wasm.ExternFunc {
				kind = "function" // the spec's word, as in every other message
			}
			return invalidAt(ex.Pos, "unknown %s %d", kind, ex.Index)
		}
	}
	return nil
}

// collectDeclared gathers the functions a body's ref.func may name: those
// referenced anywhere in the module outside function bodies (exports and
// every constant expression: segments, global and table initializers).
func (mc *moduleCtx) collectDeclared() {
	m := mc.m
	mc.declared = make(map[uint32]bool)
	add := func(e wasm.Expr) {
		for i := range e {
			if e[i].Op == wasm.OpRefFunc {
				mc.declared[e[i].Index] = true
			}
		}
	}
	for i := range m.Exports {
		if m.Exports[i].Kind == wasm.ExternFunc {
			mc.declared[m.Exports[i].Index] = true
		}
	}
	for i := range m.Elems {
		for _, it := range m.Elems[i].Init {
			add(it)
		}
		add(m.Elems[i].Offset)
	}
	for i := range m.Globals {
		add(m.Globals[i].Init)
	}
	for i := range m.Tables {
		add(m.Tables[i].Init)
	}
	for i := range m.Datas {
		add(m.Datas[i].Offset)
	}
}
