// Package types canonicalizes WebAssembly GC types iso-recursively for a
// whole store: a Registry interns each module's recursion groups so that
// structurally equal groups, from one module or many, share canonical type
// ids, and it answers the subtyping questions (between canonical types and
// across the abstract heap type hierarchy) that the validator, the linker
// and runtime casts ask.
//
// # Canonical representation
//
// A canonical type is identified by a TypeID. Its composite type is stored
// as a wasm.CompositeType in which every concrete heap type (a HeapType >=
// 0) is a TypeID instead of a module's type index; abstract heap types keep
// their negative codes. Value types rewritten this way ("canonical value
// types") compare with == exactly when they are equal types, because equal
// rec groups get equal ids. Each type also records its declared supertype,
// finality, depth in the hierarchy and its supertype display (ancestors by
// depth, ending with itself), so that "is a a subtype of b" is one bounds
// check and one comparison.
package types
