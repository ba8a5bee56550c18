package compile

import (
	"slices"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/constant"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// Likely call_ref targets (docs/aot-compiler.md "Virtual calls without
// frame stores (aot-vcall)"). A virtual call reads its funcref from a
// vtable field (struct.get), and a module usually builds its vtables
// from ref.func constants (shapes.wat: in global initialisers), so the
// functions those struct.news store into the field are the ones the
// call reaches. Before the switch over the funcref's index (funcRefDefined,
// switchCall), the call compares the funcref itself with those
// functions' funcref objects, base + k*SmallObjectSize: one add and one
// compare per function, no test of the base (a base of all ones, the
// instance's funcrefs not consecutive, gives odd addresses that no
// object, 8-byte aligned, has), no subtraction and shift, and no
// compare tree over all the targets. Only an ordering: a struct of the
// type may come from another instance, or from a struct.new whose field
// was no constant, and its funcref then takes the switch as before.

// maxLikelyTargets bounds the functions compared before the switch.
const maxLikelyTargets = 3

// likelyTargets lists the defined functions, among targets, that
// struct.news of the struct type (or its possible subtypes) of the
// struct.get producing call_ref body[pc]'s funcref store into the field
// read, most often stored first; nil when the funcref does not come
// from a struct.get right before the call_ref, or no constant is known.
func (g *modGen) likelyTargets(body []w.Instr, pc int, targets []int) []int {
	if pc < 1 || body[pc-1].Op != w.OpStructGet {
		return nil
	}
	var out []int
	for _, k := range g.storedFuncs(body[pc-1].Index, body[pc-1].Index2) {
		if slices.Contains(targets, k) {
			out = append(out, k)
		}
	}
	if len(out) > maxLikelyTargets {
		out = out[:maxLikelyTargets]
	}
	return out
}

// storedFuncs lists the defined functions whose ref.func the module's
// struct.news of struct type t (or of its possible subtypes) store into
// field fi, most often stored first (ties in the module's order). One
// scan of the module per field, kept for the other call_refs reading it.
func (g *modGen) storedFuncs(t, fi uint32) []int {
	key := [2]uint32{t, fi}
	if out, ok := g.likely[key]; ok {
		return out
	}
	count := map[int]int{}
	var out []int
	note := func(seq []w.Instr) {
		for j, in := range seq {
			if in.Op != w.OpStructNew || int(in.Index) >= len(g.m.Types) || !g.maySubtype(in.Index, t) {
				continue
			}
			n := len(g.m.Types[in.Index].Comp.Fields)
			at := j - n + int(fi)
			if int(fi) >= n || j-n < 0 || !constOperands(seq[j-n:j]) || seq[at].Op != w.OpRefFunc {
				continue
			}
			k := int(seq[at].Index) - g.nImpFunc
			if k < 0 {
				continue
			}
			if count[k] == 0 {
				out = append(out, k)
			}
			count[k]++
		}
	}
	for i := range g.m.Globals {
		note(g.m.Globals[i].Init)
	}
	for i := range g.m.Funcs {
		note(g.m.Funcs[i].Body)
	}
	slices.SortStableFunc(out, func(a, b int) int { return count[b] - count[a] })
	if g.likely == nil {
		g.likely = map[[2]uint32][]int{}
	}
	g.likely[key] = out
	return out
}

// constOperands reports whether each instruction pushes one value and
// pops none, so that a struct.new after them takes its fields from them
// in order.
func constOperands(seq []w.Instr) bool {
	for _, in := range seq {
		switch in.Op {
		case w.OpI32Const, w.OpI64Const, w.OpF32Const, w.OpF64Const, w.OpRefFunc, w.OpRefNull,
			w.OpLocalGet, w.OpGlobalGet:
		default:
			return false
		}
	}
	return true
}

// guessTargets compares funcref r (non-null) with the funcref objects of
// the likely functions, branching on a match to a block of its own that
// switchCall later joins to the function's case (refLands), and leaves
// the current block where none matched.
func (f *funcGen) guessTargets(r valueT, likely []int) map[int]*ir.Block {
	if len(likely) == 0 {
		return nil
	}
	refBase := f.instWord(InstFuncRefBase)
	rr := f.cur.NewZExt(r, types.I64)
	lands := map[int]*ir.Block{}
	for i, k := range likely {
		hit, next := f.newBlock(), f.newBlock()
		want := f.cur.NewAdd(refBase, i64c(int64(k)<<funcRefSizeLog))
		br := f.cur.NewCondBr(f.cur.NewICmp(enum.IPredEQ, rr, want), hit, next)
		br.Metadata = append(br.Metadata, &metadata.Attachment{Name: "prof", Node: f.g.likelyWeights(len(likely) - 1 - i)})
		lands[k] = hit
		f.cur = next
	}
	return lands
}

// likelyWeights is the branch_weights node of a likely target's compare
// with rest likely targets after it: each likely target as likely as the
// others, and a funcref that matches none (the switch) rare, so that
// LLVM lays the switch out of line and allocates registers for the
// likely targets' paths.
func (g *modGen) likelyWeights(rest int) *metadata.Tuple {
	if g.likelyW == nil {
		g.likelyW = map[int]*metadata.Tuple{}
	}
	if t := g.likelyW[rest]; t != nil {
		return t
	}
	t := &metadata.Tuple{MetadataID: -1, Fields: []metadata.Field{
		&metadata.String{Value: "branch_weights"}, constant.NewInt(types.I32, likelyHitWeight),
		constant.NewInt(types.I32, int64(rest)*likelyHitWeight+1)}}
	g.mod.MetadataDefs = append(g.mod.MetadataDefs, t)
	g.likelyW[rest] = t
	return t
}

// likelyHitWeight is a likely target's weight against the switch's 1.
const likelyHitWeight = 1 << 10
