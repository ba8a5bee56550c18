package binary

import "github.com/gcscope/gcscope/engine/wasm"

// Name section subsection ids (the extended name section proposal adds the
// ones after locals).
const (
	nameModule   = 0
	nameFuncs    = 1
	nameLocals   = 2
	nameLabels   = 3
	nameTypes    = 4
	nameTables   = 5
	nameMemories = 6
	nameGlobals  = 7
	nameElems    = 8
	nameDatas    = 9
	nameFields   = 10
	nameTags     = 11
)

// decodeNames decodes a name section's payload. It reports false if the
// payload is malformed in any way (truncated, a subsection repeated or
// unknown, an index named twice), so that the caller keeps it as an
// opaque custom section: a custom section never makes a module malformed.
func decodeNames(data []byte) (*wasm.Names, bool) {
	r := newReader(data)
	n := &wasm.Names{}
	var seen uint32 // bit i: subsection i was read
	for !r.eof() && r.err == nil {
		id := int(r.byte())
		size := r.u32()
		if r.err != nil || uint64(size) > uint64(r.remaining()) || id > nameTags || seen&(1<<id) != 0 {
			return nil, false
		}
		seen |= 1 << id
		end := r.pos + int(size)
		sub := &reader{b: r.b[:end], pos: r.pos, endMsg: msgEnd, fn: -1}
		switch id {
		case nameModule:
			n.Module = sub.name()
		case nameFuncs:
			n.Funcs = sub.nameMap()
		case nameLocals:
			n.Locals = sub.indirectNameMap()
		case nameLabels:
			n.Labels = sub.indirectNameMap()
		case nameTypes:
			n.Types = sub.nameMap()
		case nameTables:
			n.Tables = sub.nameMap()
		case nameMemories:
			n.Memories = sub.nameMap()
		case nameGlobals:
			n.Globals = sub.nameMap()
		case nameElems:
			n.Elems = sub.nameMap()
		case nameDatas:
			n.Datas = sub.nameMap()
		case nameFields:
			n.Fields = sub.indirectNameMap()
		case nameTags:
			n.Tags = sub.nameMap()
		}
		if sub.err != nil || sub.pos != end {
			return nil, false
		}
		r.pos = end
	}
	if r.err != nil {
		return nil, false
	}
	return n, true
}

// nameMap reads index-name pairs. The format asks for increasing indices,
// but real producers (dart2wasm's field names) do not always sort, so any
// order is accepted; a repeated index is not, since the map could not hold
// what was written.
func (r *reader) nameMap() wasm.NameMap {
	cnt := r.count()
	nm := make(wasm.NameMap, r.capFor(cnt, 2))
	for i := 0; i < cnt && r.err == nil; i++ {
		at := r.pos
		idx := r.u32()
		s := r.name()
		if _, dup := nm[idx]; dup && r.err == nil {
			r.failAt(at, "name map repeats index %d", idx)
		}
		nm[idx] = s
	}
	return nm
}

func (r *reader) indirectNameMap() wasm.IndirectNameMap {
	cnt := r.count()
	im := make(wasm.IndirectNameMap, r.capFor(cnt, 2))
	for i := 0; i < cnt && r.err == nil; i++ {
		at := r.pos
		idx := r.u32()
		inner := r.nameMap()
		if _, dup := im[idx]; dup && r.err == nil {
			r.failAt(at, "name map repeats index %d", idx)
		}
		im[idx] = inner
	}
	return im
}
