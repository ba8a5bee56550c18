package validate

import (
	"github.com/gcscope/gcscope/engine/types"
	"github.com/gcscope/gcscope/engine/wasm"
)

// moduleCtx is the spec's validation context C: the module's index spaces
// with every type in canonical form, filled in as the module's sections are
// checked.
type moduleCtx struct {
	m   *wasm.Module
	reg *types.Registry
	ids []types.TypeID
	tys []*types.Type // canonical record of each type index

	funcs   []uint32 // type index of each function (imports first)
	tables  []wasm.TableType
	mems    []wasm.MemoryType
	globals []wasm.GlobalType
	tags    []uint32 // type index of each tag
	elems   []wasm.ValType

	numImportedFuncs   int
	numImportedGlobals int
	// numDatas is how many data segments instructions may name: the data
	// count section's value if there is one, else the data section's size.
	numDatas int
	// declared marks functions that ref.func may name in function bodies.
	declared map[uint32]bool
}

func newModuleCtx(m *wasm.Module, reg *types.Registry, ids []types.TypeID) *moduleCtx {
	mc := &moduleCtx{m: m, reg: reg, ids: ids, tys: make([]*types.Type, len(ids))}
	for i, id := range ids {
		mc.tys[i] = reg.Type(id)
	}
	return mc
}

// typ returns the canonical record of type index ti, or nil.
func (mc *moduleCtx) typ(ti uint32) *types.Type {
	if int64(ti) < int64(len(mc.tys)) {
		return mc.tys[ti]
	}
	return nil
}

// funcType returns the canonical function type at type index ti.
func (mc *moduleCtx) funcType(ti uint32) (*wasm.CompositeType, error) {
	t := mc.typ(ti)
	if t == nil {
		return nil, invalid("unknown type %d", ti)
	}
	if t.Comp.Kind != wasm.CompFunc {
		return nil, invalid("type mismatch: type %d is not a function type", ti)
	}
	return &t.Comp, nil
}

// structType and arrayType do the same for the other composite kinds.
func (mc *moduleCtx) structType(ti uint32) (*types.Type, error) {
	t := mc.typ(ti)
	if t == nil {
		return nil, invalid("unknown type %d", ti)
	}
	if t.Comp.Kind != wasm.CompStruct {
		return nil, invalid("type mismatch: type %d is not a struct type", ti)
	}
	return t, nil
}

func (mc *moduleCtx) arrayType(ti uint32) (*types.Type, error) {
	t := mc.typ(ti)
	if t == nil {
		return nil, invalid("unknown type %d", ti)
	}
	if t.Comp.Kind != wasm.CompArray || len(t.Comp.Fields) != 1 {
		return nil, invalid("type mismatch: type %d is not an array type", ti)
	}
	return t, nil
}

// valType converts a module value type to canonical form, checking it.
func (mc *moduleCtx) valType(t wasm.ValType) (wasm.ValType, error) {
	c, ok := types.Canonical(mc.ids, t)
	if !ok {
		if t.Kind == wasm.KindRef {
			if t.Heap >= 0 {
				return c, invalid("unknown type %d", int64(t.Heap))
			}
			return c, invalid("unknown type: heap type code %d", int64(t.Heap))
		}
		return c, invalid("type mismatch: invalid value type %d", t.Kind)
	}
	return c, nil
}

// heapType converts a module heap type to canonical form, checking it.
func (mc *moduleCtx) heapType(h wasm.HeapType) (wasm.HeapType, error) {
	c, ok := types.CanonicalHeap(mc.ids, h)
	if !ok {
		if h >= 0 {
			return c, invalid("unknown type %d", int64(h))
		}
		return c, invalid("unknown type: heap type code %d", int64(h))
	}
	return c, nil
}

// sub reports whether canonical value type a matches b.
func (mc *moduleCtx) sub(a, b wasm.ValType) bool {
	if a == b || a.Kind == wasm.KindBot {
		return true
	}
	if a.Kind != wasm.KindRef || b.Kind != wasm.KindRef {
		return false
	}
	return mc.reg.ValSubtype(a, b)
}

// funcTypeOf returns the canonical type of function fi.
func (mc *moduleCtx) funcTypeOf(fi uint32) (*wasm.CompositeType, error) {
	if int64(fi) >= int64(len(mc.funcs)) {
		return nil, invalid("unknown function %d", fi)
	}
	return mc.funcType(mc.funcs[fi])
}

func (mc *moduleCtx) table(ti uint32) (*wasm.TableType, error) {
	if int64(ti) >= int64(len(mc.tables)) {
		return nil, invalid("unknown table %d", ti)
	}
	return &mc.tables[ti], nil
}

func (mc *moduleCtx) memory(mi uint32) (*wasm.MemoryType, error) {
	if int64(mi) >= int64(len(mc.mems)) {
		return nil, invalid("unknown memory %d", mi)
	}
	return &mc.mems[mi], nil
}

func (mc *moduleCtx) elem(ei uint32) (wasm.ValType, error) {
	if int64(ei) >= int64(len(mc.elems)) {
		return wasm.ValType{}, invalid("unknown elem segment %d", ei)
	}
	return mc.elems[ei], nil
}

// data checks a data segment index. (A binary module that names data
// segments in code without a data count section is malformed, and the
// decoder rejects it; a text module needs no such section.)
func (mc *moduleCtx) data(di uint32) error {
	if int64(di) >= int64(mc.numDatas) {
		return invalid("unknown data segment %d", di)
	}
	return nil
}

// tagType returns the canonical function type of tag ti.
func (mc *moduleCtx) tagType(ti uint32) (*wasm.CompositeType, error) {
	if int64(ti) >= int64(len(mc.tags)) {
		return nil, invalid("unknown tag %d", ti)
	}
	return mc.funcType(mc.tags[ti])
}
