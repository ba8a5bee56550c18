package binary

import "github.com/gcscope/gcscope/engine/wasm"

// names writes the name section from m.Names, if any: subsections in id
// order, each map sorted by index, so equal names give equal bytes. A nil
// map is left out; an empty one is written empty, as it was read.
func (e *encoder) names() {
	n := e.m.Names
	if n == nil {
		return
	}
	w := &e.sec
	w.buf = w.buf[:0]
	w.name("name")
	var sub writer
	emit := func(id byte) {
		w.byte(id)
		w.count(len(sub.buf))
		w.bytes(sub.buf)
		sub.buf = sub.buf[:0]
	}
	if n.Module != "" {
		sub.name(n.Module)
		emit(nameModule)
	}
	maps := []struct {
		id     byte
		direct wasm.NameMap
		nested wasm.IndirectNameMap
	}{
		{nameFuncs, n.Funcs, nil}, {nameLocals, nil, n.Locals}, {nameLabels, nil, n.Labels},
		{nameTypes, n.Types, nil}, {nameTables, n.Tables, nil}, {nameMemories, n.Memories, nil},
		{nameGlobals, n.Globals, nil}, {nameElems, n.Elems, nil}, {nameDatas, n.Datas, nil},
		{nameFields, nil, n.Fields}, {nameTags, n.Tags, nil},
	}
	for _, sm := range maps {
		switch {
		case sm.direct != nil:
			sub.nameMap(sm.direct)
		case sm.nested != nil:
			sub.count(len(sm.nested))
			for _, k := range sortedKeys(sm.nested) {
				sub.u32(k)
				sub.nameMap(sm.nested[k])
			}
		default:
			continue
		}
		emit(sm.id)
	}
	e.flush(wasm.SectionCustom, nil)
}

func (w *writer) nameMap(m wasm.NameMap) {
	w.count(len(m))
	for _, k := range sortedKeys(m) {
		w.u32(k)
		w.name(m[k])
	}
}
