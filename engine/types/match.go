package types

import "github.com/gcscope/gcscope/engine/wasm"

// The matching rules the linker applies when an import is satisfied by
// something another module exports. All types here are canonical (see the
// package doc): value types' concrete heap types are TypeIDs.

// MatchLimits reports whether limits have (of the provided item) fit the
// limits want that an import declares: at least the minimum, and a maximum
// no larger than the declared one if it declares one.
func MatchLimits(have, want wasm.Limits) bool {
	if have.Min < want.Min {
		return false
	}
	if want.HasMax {
		return have.HasMax && have.Max <= want.Max
	}
	return true
}

// MatchFunc reports whether a function of canonical type have may satisfy
// an import of type want (Wasm 3.0: a declared subtype will do).
func (r *Registry) MatchFunc(have, want TypeID) bool { return r.IsSubtype(have, want) }

// MatchTag reports whether a tag of type have satisfies an import of type
// want: the types must be equivalent, which canonical ids make equality.
func MatchTag(have, want TypeID) bool { return have == want }

// MatchGlobal reports whether a global of type have satisfies an import of
// type want: immutable globals are covariant, mutable ones invariant.
func (r *Registry) MatchGlobal(have, want wasm.GlobalType) bool {
	if have.Mutable != want.Mutable {
		return false
	}
	if have.Mutable {
		return have.Val == want.Val
	}
	return r.ValSubtype(have.Val, want.Val)
}

// MatchTable reports whether a table of type have satisfies an import of
// type want: same element type (tables are mutable) and address type, and
// matching limits.
func MatchTable(have, want wasm.TableType) bool {
	return have.Elem == want.Elem && have.Addr64 == want.Addr64 && MatchLimits(have.Limits, want.Limits)
}

// MatchMemory reports whether a memory of type have satisfies an import of
// type want: same address type and sharing, and matching limits.
func MatchMemory(have, want wasm.MemoryType) bool {
	return have.Addr64 == want.Addr64 && have.Shared == want.Shared && MatchLimits(have.Limits, want.Limits)
}
