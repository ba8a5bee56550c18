package runtime

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/wasm"
)

// StubImports returns a resolver that satisfies every import of m with a
// stand-in of exactly the imported type: functions that trap
// "unimplemented import" when called, zero (or null) globals, empty
// tables, memories of the minimum size and fresh tags. It lets programs
// written for another host (a browser, a JS runtime) be instantiated,
// inspected and partly run. Imports that fallback resolves win.
func (s *Store) StubImports(m *wasm.Module, fallback Resolver) (Resolver, error) {
	stubs := &stubResolver{fallback: fallback, externs: map[[2]string][]Extern{}, next: map[[2]string]int{}}
	ids, err := s.Types.DefineModule(m)
	if err != nil {
		return nil, err
	}
	host := s.NewHostInstance("<stubs>")
	for i := range m.Imports {
		imp := &m.Imports[i]
		if fallback != nil {
			if _, ok := fallback.Resolve(imp.Module, imp.Name); ok {
				continue
			}
		}
		key := [2]string{imp.Module, imp.Name}
		var e Extern
		switch imp.Kind {
		case wasm.ExternFunc:
			if int(imp.TypeIndex) >= len(ids) {
				return nil, fmt.Errorf("import %s.%s: unknown type %d", imp.Module, imp.Name, imp.TypeIndex)
			}
			name := imp.Module + "." + imp.Name
			f := &Func{Type: s.Types.Def(ids[imp.TypeIndex]), Inst: host, Index: uint32(len(host.Funcs)), Name: name,
				Host: func(*Instance, []Value) ([]Value, error) {
					return nil, &Trap{Msg: "unimplemented import " + name}
				}}
			if err := s.addFunc(f); err != nil {
				return nil, err
			}
			host.Funcs = append(host.Funcs, f)
			e = f
		case wasm.ExternGlobal:
			g := &Global{Type: wasm.GlobalType{Val: Canon(imp.Global.Val, ids), Mutable: imp.Global.Mutable}}
			host.Globals = append(host.Globals, g)
			e = g
		case wasm.ExternTable:
			tt := imp.Table
			tt.Elem = Canon(tt.Elem, ids)
			tb := NewTable(tt, 0)
			host.Tables = append(host.Tables, tb)
			e = tb
		case wasm.ExternMemory:
			mem, err := NewMemory(imp.Memory)
			if err != nil {
				return nil, err
			}
			host.Mems = append(host.Mems, mem)
			e = mem
		case wasm.ExternTag:
			if int(imp.TypeIndex) >= len(ids) {
				return nil, fmt.Errorf("import %s.%s: unknown type %d", imp.Module, imp.Name, imp.TypeIndex)
			}
			tg := s.addTag(s.Types.Def(ids[imp.TypeIndex]))
			host.Tags = append(host.Tags, tg)
			e = tg
		}
		// A name imported twice with different types gets one stub per
		// import, handed out in import order.
		stubs.externs[key] = append(stubs.externs[key], e)
	}
	return stubs, nil
}

type stubResolver struct {
	fallback Resolver
	externs  map[[2]string][]Extern
	next     map[[2]string]int
}

func (r *stubResolver) Resolve(module, name string) (Extern, bool) {
	if r.fallback != nil {
		if e, ok := r.fallback.Resolve(module, name); ok {
			return e, true
		}
	}
	key := [2]string{module, name}
	es := r.externs[key]
	if len(es) == 0 {
		return nil, false
	}
	i := r.next[key] % len(es)
	r.next[key]++
	return es[i], true
}
