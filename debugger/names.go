package debugger

import (
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// names answers "what is this called" for the target's module: functions,
// locals, globals, types and fields, from the name section (or the text's
// $identifiers). Unnamed things get a name made from their index.
type names struct {
	m     *wasm.Module
	inst  *runtime.Instance
	byCan map[runtime.TypeID]uint32 // canonical type id → first module type index
}

func newNames(m *wasm.Module, inst *runtime.Instance) *names {
	n := &names{m: m, inst: inst, byCan: map[runtime.TypeID]uint32{}}
	for i, id := range inst.Types {
		if _, ok := n.byCan[id]; !ok {
			n.byCan[id] = uint32(i)
		}
	}
	return n
}

func (n *names) nm() *wasm.Names {
	if n.m.Names == nil {
		return &wasm.Names{}
	}
	return n.m.Names
}

// funcName is "$name", or "func[i]" for an unnamed function.
func (n *names) funcName(i uint32) string {
	if s := n.nm().Funcs[i]; s != "" {
		return "$" + s
	}
	for _, e := range n.m.Exports {
		if e.Kind == wasm.ExternFunc && e.Index == i {
			return fmt.Sprintf("func[%d] %q", i, e.Name)
		}
	}
	return fmt.Sprintf("func[%d]", i)
}

// localName is "$name", or "$localN" for an unnamed local.
func (n *names) localName(fn, i uint32) string {
	if s := n.nm().Locals[fn][i]; s != "" {
		return "$" + s
	}
	return fmt.Sprintf("$local%d", i)
}

// globalName is "$name", or "$globalN".
func (n *names) globalName(i uint32) string {
	if s := n.nm().Globals[i]; s != "" {
		return "$" + s
	}
	return fmt.Sprintf("$global%d", i)
}

// typeName names a canonical type id: "$node", or "type[3]".
func (n *names) typeName(id runtime.TypeID) string {
	if ti, ok := n.byCan[id]; ok {
		if s := n.nm().Types[ti]; s != "" {
			return "$" + s
		}
		return fmt.Sprintf("type[%d]", ti)
	}
	return fmt.Sprintf("type#%d", id)
}

// fieldName names field i of canonical struct type id: "left", or "field3".
func (n *names) fieldName(id runtime.TypeID, i int) string {
	if ti, ok := n.byCan[id]; ok {
		if s := n.nm().Fields[ti][uint32(i)]; s != "" {
			return s
		}
	}
	return fmt.Sprintf("field%d", i)
}

// fieldIndex finds a field of canonical struct type id by name ("left",
// "$left") or number.
func (n *names) fieldIndex(id runtime.TypeID, nfields int, name string) (int, bool) {
	name = strings.TrimPrefix(name, "$")
	for i := 0; i < nfields; i++ {
		if n.fieldName(id, i) == name {
			return i, true
		}
	}
	var k int
	if _, err := fmt.Sscanf(name, "%d", &k); err == nil && fmt.Sprint(k) == name && k >= 0 && k < nfields {
		return k, true
	}
	return 0, false
}

// heapName writes a canonical heap type.
func (n *names) heapName(h wasm.HeapType) string {
	if h.IsAbstract() {
		return h.String()
	}
	return n.typeName(runtime.TypeID(h))
}

// typeString writes a canonical value type with names: "(ref null $node)".
func (n *names) typeString(t wasm.ValType) string {
	if t.Kind != wasm.KindRef || t.Heap.IsAbstract() {
		return t.String()
	}
	if t.Nullable {
		return "(ref null " + n.heapName(t.Heap) + ")"
	}
	return "(ref " + n.heapName(t.Heap) + ")"
}

// storageString writes a canonical field storage type.
func (n *names) storageString(s wasm.StorageType) string {
	if s.Packed != wasm.NotPacked {
		return s.String()
	}
	return n.typeString(s.Val)
}

// canon turns a module-local value type into its canonical form.
func (n *names) canon(t wasm.ValType) wasm.ValType { return runtime.Canon(t, n.inst.Types) }

// findFunc finds a function by "$name", "name", "func[i]" or index.
func (n *names) findFunc(s string) (uint32, bool) {
	total := uint32(len(n.inst.Funcs))
	name := strings.TrimPrefix(s, "$")
	for i := uint32(0); i < total; i++ {
		if n.nm().Funcs[i] == name && name != "" {
			return i, true
		}
	}
	for _, e := range n.m.Exports {
		if e.Kind == wasm.ExternFunc && e.Name == name {
			return e.Index, true
		}
	}
	idx := strings.TrimSuffix(strings.TrimPrefix(s, "func["), "]")
	var k uint32
	if _, err := fmt.Sscanf(idx, "%d", &k); err == nil && fmt.Sprint(k) == idx && k < total {
		return k, true
	}
	return 0, false
}

// funcNames lists every function name, for completion.
func (n *names) funcNames() []string {
	var out []string
	for i := range n.inst.Funcs {
		out = append(out, n.funcName(uint32(i)))
	}
	return out
}
