package types

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/wasm"
)

// groupKey encodes a group so that two groups get the same key exactly when
// they are iso-recursively equal: references into the group are written as
// their position in it, references outside as canonical ids (which the
// earlier groups' ids already fix).
func groupKey(key []byte, m *wasm.Module, g wasm.RecGroup, ids []TypeID) []byte {
	key = binary.AppendUvarint(key, uint64(g.Count))
	ref := func(h wasm.HeapType) {
		switch {
		case h < 0:
			key = append(key, 'a')
			key = binary.AppendVarint(key, int64(h))
		case uint32(h) >= g.First:
			key = append(key, 'r')
			key = binary.AppendUvarint(key, uint64(uint32(h)-g.First))
		default:
			key = append(key, 'c')
			key = binary.AppendUvarint(key, uint64(ids[h]))
		}
	}
	val := func(t wasm.ValType) {
		key = append(key, byte(t.Kind))
		if t.Kind == wasm.KindRef {
			if t.Nullable {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
			ref(t.Heap)
		}
	}
	for ti := g.First; ti < g.First+g.Count; ti++ {
		st := &m.Types[ti]
		if st.Final {
			key = append(key, 'F')
		} else {
			key = append(key, 'O')
		}
		key = binary.AppendUvarint(key, uint64(len(st.Supers)))
		for _, s := range st.Supers {
			ref(wasm.HeapType(s))
		}
		c := &st.Comp
		key = append(key, byte(c.Kind))
		key = binary.AppendUvarint(key, uint64(len(c.Params)))
		for _, t := range c.Params {
			val(t)
		}
		key = binary.AppendUvarint(key, uint64(len(c.Results)))
		for _, t := range c.Results {
			val(t)
		}
		key = binary.AppendUvarint(key, uint64(len(c.Fields)))
		for _, fl := range c.Fields {
			key = append(key, byte(fl.Storage.Packed))
			if fl.Mutable {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
			if fl.Storage.Packed == wasm.NotPacked {
				val(fl.Storage.Val)
			}
		}
	}
	return key
}
