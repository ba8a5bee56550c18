package capture

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// typeSource is where a canonical type's names come from: a module type
// index of one instance.
type typeSource struct {
	inst  *runtime.Instance
	index uint32
}

// names answers "what is this called" for a store, from the name sections
// (or $identifiers) of its instances' modules. Several modules may name
// one canonical type: the first instance (in instantiation order) that
// gives it a name wins.
type names struct {
	store *runtime.Store
	types map[runtime.TypeID]typeSource
	funcs map[gc.Ref]*runtime.Func // funcref object → function, built on first use
}

func newNames(store *runtime.Store) *names {
	n := &names{store: store, types: map[runtime.TypeID]typeSource{}}
	for _, inst := range store.Instances() {
		for i, id := range inst.Types {
			src, ok := n.types[id]
			if !ok || (typeName(src) == "" && typeName(typeSource{inst, uint32(i)}) != "") {
				n.types[id] = typeSource{inst, uint32(i)}
			}
		}
	}
	return n
}

// modNames returns the module names of inst, or nil.
func modNames(inst *runtime.Instance) *wasm.Names {
	if inst == nil || inst.Module == nil {
		return nil
	}
	return inst.Module.Names
}

// typeName is the "$name" a module gives its type, or "".
func typeName(src typeSource) string {
	if nm := modNames(src.inst); nm != nil && nm.Types[src.index] != "" {
		return "$" + nm.Types[src.index]
	}
	return ""
}

// typeInfo names canonical type id for objects of kind k.
func (n *names) typeInfo(id uint32, k snapshot.Kind) snapshot.Type {
	var t snapshot.Type
	if id == snapshot.NoType {
		return t // DisplayName says funcref, externref, exnref
	}
	tid := runtime.TypeID(id)
	src, known := n.types[tid]
	name := ""
	if known {
		name = typeName(src)
	}
	switch k {
	case snapshot.KindStruct, snapshot.KindArray:
		t.Name = name // empty: DisplayName makes "struct#12"
		if k == snapshot.KindStruct && known {
			t.Fields = n.fieldNames(src, tid)
		}
	case snapshot.KindFunc:
		if name == "" {
			name = n.signature(tid)
		}
		t.Name = "funcref " + name
	case snapshot.KindExn:
		if tag := n.tagName(tid); tag != "" {
			name = tag
		} else if name == "" {
			name = n.signature(tid)
		}
		t.Name = "exn " + name
	}
	return t
}

// fieldNames lists the field names of a struct type, nil if none is named.
func (n *names) fieldNames(src typeSource, id runtime.TypeID) []string {
	nm := modNames(src.inst)
	d := n.store.Types.Def(id)
	if nm == nil || d == nil || len(nm.Fields[src.index]) == 0 {
		return nil
	}
	fields := make([]string, len(d.Comp.Fields))
	for i := range fields {
		fields[i] = nm.Fields[src.index][uint32(i)]
	}
	return fields
}

// signature writes a function type as "[i32 (ref $node)] -> [i32]".
func (n *names) signature(id runtime.TypeID) string {
	d := n.store.Types.Def(id)
	if d == nil || d.Comp.Kind != wasm.CompFunc {
		return fmt.Sprintf("#%d", id)
	}
	if len(d.Comp.Results) == 0 {
		return n.typeList(d.Comp.Params)
	}
	return n.typeList(d.Comp.Params) + " -> " + n.typeList(d.Comp.Results)
}

// typeList writes canonical value types as "[i32 (ref null $node)]",
// concrete heap types by name ("$node", else "struct#12").
func (n *names) typeList(ts []wasm.ValType) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.String()
		if t.Kind != wasm.KindRef || t.Heap.IsAbstract() {
			continue
		}
		tid := runtime.TypeID(t.Heap)
		heap := typeName(n.types[tid])
		if d := n.store.Types.Def(tid); heap == "" && d != nil {
			heap = fmt.Sprintf("%s#%d", compKind(d.Comp.Kind), tid)
		}
		if t.Nullable {
			parts[i] = "(ref null " + heap + ")"
		} else {
			parts[i] = "(ref " + heap + ")"
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// compKind names a composite type's kind as snapshot kinds are named.
func compKind(k wasm.CompKind) string {
	switch k {
	case wasm.CompStruct:
		return "struct"
	case wasm.CompArray:
		return "array"
	}
	return "func"
}

// tagName is the "$name" of the first named tag whose type is id, or "".
func (n *names) tagName(id runtime.TypeID) string {
	for _, inst := range n.store.Instances() {
		nm := modNames(inst)
		for i, tg := range inst.Tags {
			if nm != nil && tg != nil && tg.Type != nil && tg.Type.ID == id && nm.Tags[uint32(i)] != "" {
				return "$" + nm.Tags[uint32(i)]
			}
		}
	}
	return ""
}

// funcName is "$name" for a named Wasm function, "module.name" for a host
// function, else "func N" (with the instance's name when it has one).
func funcName(f *runtime.Func) string {
	if f.Host != nil && f.Name != "" && f.Inst != nil && f.Inst.Name != "" {
		return f.Inst.Name + "." + f.Name
	}
	if f.Name != "" {
		return "$" + f.Name
	}
	if f.Inst != nil && f.Inst.Name != "" {
		return fmt.Sprintf("%s.func %d", f.Inst.Name, f.Index)
	}
	return fmt.Sprintf("func %d", f.Index)
}

// funcOf finds the function whose funcref object is r.
func (n *names) funcOf(r gc.Ref) *runtime.Func {
	if n.funcs == nil {
		n.funcs = map[gc.Ref]*runtime.Func{}
		for _, inst := range n.store.Instances() {
			for _, f := range inst.Funcs {
				if f != nil {
					n.funcs[gc.Ref(f.Ref().Bits)] = f
				}
			}
		}
	}
	return n.funcs[r]
}
