package compile

import (
	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"
)

// The supertype display table: casts to a non-final type test an object
// whose canonical id is neither the target's nor one of the module's own
// subtypes of it (gc_cast.go) against the store's displays, inline, as V8
// and WAMR do. The loader (loader/displays.go) keeps one table per store
// and engine; the instance data word InstDisplays holds the address of a
// word that holds the table's address (the table moves when it grows).
//
// Table layout, little-endian u32s:
//
//	[0]                     n: the canonical ids covered, 0 .. n-1
//	[1]                     unused
//	[2 + DisplayWidth*id + d]  the ancestor of id at depth d (its display;
//	                        d = id's depth is id itself), or NoAncestor
//	                        past id's depth
//
// An object of id X is a subtype of T at depth dT iff X's ancestor at dT
// is T: one bounds check and one load. Ids at or above n (types the
// store registered after the table last grew) and targets deeper than
// DisplayWidth-1 ask the op helper, as every such cast did before.
const (
	// DisplayWidth is the number of ancestors kept per canonical id.
	DisplayWidth = 8
	// DisplayHeaderWords is the number of u32s before the first entry.
	DisplayHeaderWords = 2
	// NoAncestor fills the entries past a type's depth: no canonical id.
	NoAncestor = 0xffff_ffff
)

// typeDepth is the length of module type t's declared supertype chain
// (which canonicalization keeps, so it is the canonical type's depth).
func (g *modGen) typeDepth(t uint32) int {
	d := 0
	for d < 64 {
		sup := g.m.Types[t].Supers
		if len(sup) == 0 || sup[0] >= t {
			return d
		}
		t = sup[0]
		d++
	}
	return d
}

// displayTest computes (i1) whether the object r, whose header holds the
// canonical id id, is a subtype of module type ti: through the display
// table when ti is shallow enough and the table covers id, else through
// the op helper.
func (f *funcGen) displayTest(r, id valueT, ti uint32) valueT {
	depth := f.g.typeDepth(ti)
	if int(ti) >= len(f.g.m.Types) || depth >= DisplayWidth {
		return f.subtypeHelper(r, ti)
	}
	b := f.cur
	u32p := types.NewPointer(types.I32)
	// Not an invariant load: another thread's instantiation may grow the
	// table (the old one stays valid).
	tab := b.NewIntToPtr(b.NewLoad(types.I64, b.NewIntToPtr(f.instWord(InstDisplays), slotPtr)), u32p)
	n := b.NewLoad(types.I32, tab)
	look, help, join := f.newBlock(), f.newBlock(), f.newBlock()
	b.NewCondBr(b.NewICmp(enum.IPredULT, id, n), look, help)

	f.cur = look
	idx := look.NewAdd(look.NewMul(look.NewZExt(id, types.I64), i64c(DisplayWidth)), i64c(int64(DisplayHeaderWords+depth)))
	anc := look.NewLoad(types.I32, look.NewGetElementPtr(types.I32, tab, idx))
	hit := f.cur.NewICmp(enum.IPredEQ, anc, f.canonID(ti))
	lookEnd := f.cur
	f.cur.NewBr(join)

	f.cur = help
	res := f.subtypeHelper(r, ti)
	helpEnd := f.cur
	f.cur.NewBr(join)

	f.cur = join
	return join.NewPhi(ir.NewIncoming(hit, lookEnd), ir.NewIncoming(res, helpEnd))
}
