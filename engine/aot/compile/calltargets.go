package compile

import w "github.com/gcscope/gcscope/engine/wasm"

// callTargets lists the defined functions (indices into g.funcs) that a
// call_ref or call_indirect of type t, whose native signature is ft's,
// may reach on its direct path: those of that signature whose type may
// match t, a subtype of it. A funcref of this instance reaching a call of
// type t has such a type (validation, and the runtime's checks of what
// the host passes in, guarantee it for call_ref; call_indirect's
// resolveIndirect compares the canonical type ids first), so a function
// of another type is only a case the switch can never take: leaving it
// out makes the dispatch shorter (shapes.wat's three virtual calls went
// from 13 cases, the dispatchers and constructors among them, to the 8
// methods). The test is conservative: a function left out would still be
// called correctly, through the helper.
func (g *modGen) callTargets(t uint32, ft *w.CompositeType) []int {
	var targets []int
	for k := range g.funcs {
		fi := uint32(g.nImpFunc + k)
		if !sameSig(g.m, fi, ft) {
			continue
		}
		if ti, ok := g.m.FuncTypeIndex(fi); !ok || g.maySubtype(ti, t) {
			targets = append(targets, k)
		}
	}
	return targets
}

// maySubtype reports whether module type s may be a subtype of module
// type t: some type on s's chain of declared supertypes (s included) may
// be canonically equal to t. It never answers false for a real subtype.
func (g *modGen) maySubtype(s, t uint32) bool {
	n := uint32(len(g.m.Types))
	for depth := 0; depth < 64; depth++ {
		if s >= n || t >= n || g.mayEqualCanon(s, t) {
			return true
		}
		sup := g.m.Types[s].Supers
		if len(sup) == 0 {
			return false
		}
		if sup[0] >= s {
			return true // not a well-formed chain: do not decide
		}
		s = sup[0]
	}
	return true
}

// mayEqualCanon reports whether module types a and b may have the same
// canonical type. Types are equal only if their recursion groups are and
// they sit at the same index in them, so types at different indices of
// their groups, or in groups of different sizes, differ; anything else is
// treated as possibly equal.
func (g *modGen) mayEqualCanon(a, b uint32) bool {
	if a == b {
		return true
	}
	ga, gb := g.m.RecGroupOf(a), g.m.RecGroupOf(b)
	if ga < 0 || gb < 0 {
		return true
	}
	ra, rb := g.m.RecGroups[ga], g.m.RecGroups[gb]
	return ra.Count == rb.Count && a-ra.First == b-rb.First
}
