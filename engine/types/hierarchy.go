package types

import "github.com/gcscope/gcscope/engine/wasm"

// The relations in this file work on canonical heap and value types: a
// concrete heap type (>= 0) is a TypeID of the registry.

// Top returns the top of the hierarchy heap type h belongs to: any, func,
// extern or exn. HeapBot and unknown ids have no hierarchy; Top returns
// HeapBot for them.
func (r *Registry) Top(h wasm.HeapType) wasm.HeapType {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.top(h)
}

func (r *Registry) top(h wasm.HeapType) wasm.HeapType {
	switch h {
	case wasm.HeapAny, wasm.HeapEq, wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
		return wasm.HeapAny
	case wasm.HeapFunc, wasm.HeapNoFunc:
		return wasm.HeapFunc
	case wasm.HeapExtern, wasm.HeapNoExtern:
		return wasm.HeapExtern
	case wasm.HeapExn, wasm.HeapNoExn:
		return wasm.HeapExn
	}
	if h >= 0 && int64(h) <= int64(^uint32(0)) {
		if t := r.get(TypeID(h)); t != nil {
			if t.Comp.Kind == wasm.CompFunc {
				return wasm.HeapFunc
			}
			return wasm.HeapAny
		}
	}
	return wasm.HeapBot
}

// Bottom returns the bottom heap type of h's hierarchy: none, nofunc,
// noextern or noexn (HeapBot if h has no hierarchy).
func (r *Registry) Bottom(h wasm.HeapType) wasm.HeapType {
	switch r.Top(h) {
	case wasm.HeapAny:
		return wasm.HeapNone
	case wasm.HeapFunc:
		return wasm.HeapNoFunc
	case wasm.HeapExtern:
		return wasm.HeapNoExtern
	case wasm.HeapExn:
		return wasm.HeapNoExn
	}
	return wasm.HeapBot
}

// HeapSubtype reports whether canonical heap type a matches b.
func (r *Registry) HeapSubtype(a, b wasm.HeapType) bool {
	if a == b {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.heapSubtype(a, b)
}

func (r *Registry) heapSubtype(a, b wasm.HeapType) bool {
	if a == b || a == wasm.HeapBot {
		return true
	}
	if b >= 0 {
		if a >= 0 {
			return b <= wasm.HeapType(^uint32(0)) && a <= wasm.HeapType(^uint32(0)) &&
				r.isSubtype(TypeID(a), TypeID(b))
		}
		// Only the bottom of b's hierarchy is below a concrete type.
		switch a {
		case wasm.HeapNone:
			return r.top(b) == wasm.HeapAny
		case wasm.HeapNoFunc:
			return r.top(b) == wasm.HeapFunc
		}
		return false
	}
	// b is abstract: decide by a's abstract "kind".
	ka := a
	if a >= 0 {
		t := r.get(TypeID(a))
		if a > wasm.HeapType(^uint32(0)) || t == nil {
			return false
		}
		switch t.Comp.Kind {
		case wasm.CompFunc:
			ka = wasm.HeapFunc
		case wasm.CompStruct:
			ka = wasm.HeapStruct
		case wasm.CompArray:
			ka = wasm.HeapArray
		default:
			return false
		}
		if ka == b {
			return true
		}
	}
	switch b {
	case wasm.HeapAny:
		return ka == wasm.HeapEq || ka == wasm.HeapI31 || ka == wasm.HeapStruct ||
			ka == wasm.HeapArray || ka == wasm.HeapNone
	case wasm.HeapEq:
		return ka == wasm.HeapI31 || ka == wasm.HeapStruct || ka == wasm.HeapArray || ka == wasm.HeapNone
	case wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray:
		return ka == wasm.HeapNone
	case wasm.HeapFunc:
		return ka == wasm.HeapNoFunc
	case wasm.HeapExtern:
		return ka == wasm.HeapNoExtern
	case wasm.HeapExn:
		return ka == wasm.HeapNoExn
	}
	return false
}

// ValSubtype reports whether canonical value type a matches b. The
// validator's unknown type (KindBot) matches everything.
func (r *Registry) ValSubtype(a, b wasm.ValType) bool {
	if a == b || a.Kind == wasm.KindBot {
		return true
	}
	if a.Kind != wasm.KindRef || b.Kind != wasm.KindRef {
		return false
	}
	if a.Nullable && !b.Nullable {
		return false
	}
	return r.HeapSubtype(a.Heap, b.Heap)
}

func (r *Registry) valSubtype(a, b wasm.ValType) bool {
	if a == b || a.Kind == wasm.KindBot {
		return true
	}
	if a.Kind != wasm.KindRef || b.Kind != wasm.KindRef || (a.Nullable && !b.Nullable) {
		return false
	}
	return r.heapSubtype(a.Heap, b.Heap)
}

// fieldSubtype: immutable fields are covariant, mutable ones invariant.
func (r *Registry) fieldSubtype(a, b wasm.FieldType) bool {
	if a.Mutable != b.Mutable || a.Storage.Packed != b.Storage.Packed {
		return false
	}
	if a.Storage.Packed != wasm.NotPacked {
		return true
	}
	if a.Mutable {
		return a.Storage.Val == b.Storage.Val
	}
	return r.valSubtype(a.Storage.Val, b.Storage.Val)
}

// StorageSubtype reports whether storage type a matches b (packed types
// match only themselves); array.copy uses it.
func (r *Registry) StorageSubtype(a, b wasm.StorageType) bool {
	if a.Packed != b.Packed {
		return false
	}
	if a.Packed != wasm.NotPacked {
		return true
	}
	return r.ValSubtype(a.Val, b.Val)
}

// compSubtype is the structural matching a declared subtype must satisfy.
func (r *Registry) compSubtype(a, b *wasm.CompositeType) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case wasm.CompFunc:
		if len(a.Params) != len(b.Params) || len(a.Results) != len(b.Results) {
			return false
		}
		for i := range a.Params {
			if !r.valSubtype(b.Params[i], a.Params[i]) { // contravariant
				return false
			}
		}
		for i := range a.Results {
			if !r.valSubtype(a.Results[i], b.Results[i]) {
				return false
			}
		}
		return true
	case wasm.CompStruct, wasm.CompArray:
		if len(a.Fields) < len(b.Fields) || (a.Kind == wasm.CompArray && len(a.Fields) != len(b.Fields)) {
			return false
		}
		for i := range b.Fields {
			if !r.fieldSubtype(a.Fields[i], b.Fields[i]) {
				return false
			}
		}
		return true
	}
	return false
}
