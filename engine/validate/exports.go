package validate

import "github.com/gcscope/gcscope/engine/wasm"

// checkExports checks that export names are unique and that each export
// names an existing item.
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
