package compile

import (
	"slices"
	"testing"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// planOf plans function fn of the module src and returns, per group, the
// body indexes of its lead and members, and the largest end.
func planOf(t *testing.T, src string, fn int) (groups [][]int, ends []uint64) {
	t.Helper()
	m := parse(t, []byte(src))
	g := &modGen{m: m}
	g.collectMemories()
	p := g.planBounds(m.Funcs[fn].Body)
	var leads []int
	for pc := range p.lead {
		leads = append(leads, pc)
	}
	slices.Sort(leads)
	for _, pc := range leads {
		grp := p.lead[pc]
		pcs := []int{pc}
		for q, mg := range p.member {
			if mg == grp {
				pcs = append(pcs, q)
			}
		}
		slices.Sort(pcs)
		groups = append(groups, pcs)
		ends = append(ends, grp.maxEnd)
	}
	return groups, ends
}

// opsAt lists the opcodes at the given body indexes of function fn.
func opsAt(t *testing.T, src string, fn int, pcs []int) []w.Opcode {
	m := parse(t, []byte(src))
	var ops []w.Opcode
	for _, pc := range pcs {
		ops = append(ops, m.Funcs[fn].Body[pc].Op)
	}
	return ops
}

func TestPlanBoundsGroups(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		groups int
		sizes  []int // members per group, lead included
		ends   []uint64
	}{
		{"struct walk", `(drop (f64.add (f64.add (f64.load (local.get 0)) (f64.load offset=8 (local.get 0)))
			(f64.load offset=16 (local.get 0))))`, 1, []int{3}, []uint64{24}},
		{"two bases interleaved", `(drop (f64.add (f64.add (f64.load (local.get 0)) (f64.load (local.get 1)))
			(f64.add (f64.load offset=8 (local.get 0)) (f64.load offset=8 (local.get 1)))))`, 2, []int{2, 2}, []uint64{16, 16}},
		{"largest first: no group needed", `(drop (f64.add (f64.load offset=16 (local.get 0)) (f64.load (local.get 0))))`, 0, nil, nil},
		{"a store ends the run", `(f64.store (local.get 0) (f64.load (local.get 0)))
			(f64.store offset=8 (local.get 0) (f64.load offset=8 (local.get 0)))`, 0, nil, nil},
		{"a final store joins", `(f64.store offset=8 (local.get 0) (f64.load (local.get 0)))`, 1, []int{2}, []uint64{16}},
		{"the base reassigned", `(drop (f64.load (local.get 0)))
			(local.set 0 (i32.const 64))
			(drop (f64.load offset=8 (local.get 0)))`, 0, nil, nil},
		{"a division may trap between", `(drop (f64.load (local.get 0)))
			(drop (i32.div_u (local.get 1) (local.get 1)))
			(drop (f64.load offset=8 (local.get 0)))`, 0, nil, nil},
		{"a call between", `(drop (f64.load (local.get 0)))
			(call $nop)
			(drop (f64.load offset=8 (local.get 0)))`, 0, nil, nil},
		{"an unnamed address between", `(drop (f64.load (local.get 0)))
			(drop (f64.load (i32.add (local.get 1) (i32.const 4))))
			(drop (f64.load offset=8 (local.get 0)))`, 0, nil, nil},
		{"other locals set between", `(local.set 2 (f64.load (local.get 0)))
			(local.set 2 (f64.add (local.get 2) (f64.load offset=8 (local.get 0))))
			(drop (local.get 2))`, 1, []int{2}, []uint64{16}},
		{"constant addresses", `(drop (i32.add (i32.load (i32.const 0)) (i32.load offset=12 (i32.const 0))))`, 1, []int{2}, []uint64{16}},
	}
	for _, c := range cases {
		src := `(module (memory 1) (func $nop)
			(func (param i32 i32) (local f64) ` + c.body + `))`
		groups, ends := planOf(t, src, 1)
		if len(groups) != c.groups {
			t.Errorf("%s: %d groups %v, want %d", c.name, len(groups), groups, c.groups)
			continue
		}
		for i, g := range groups {
			if len(g) != c.sizes[i] || ends[i] != c.ends[i] {
				t.Errorf("%s: group %d is %v (%v) ending at %d, want %d accesses ending at %d",
					c.name, i, g, opsAt(t, src, 1, g), ends[i], c.sizes[i], c.ends[i])
			}
		}
	}
}

// TestPlanBoundsOnlyPlainMemories: memory64 and shared memories keep a
// check per access.
func TestPlanBoundsOnlyPlainMemories(t *testing.T) {
	body := `(drop (f64.load (local.get 0))) (drop (f64.load offset=8 (local.get 0)))`
	for _, c := range []struct {
		mem, param string
		groups     int
	}{{"(memory 1)", "i32", 1}, {"(memory i64 1)", "i64", 0}, {"(memory 1 2 shared)", "i32", 0}} {
		src := `(module ` + c.mem + ` (func (param ` + c.param + `) ` + body + `))`
		if groups, _ := planOf(t, src, 0); len(groups) != c.groups {
			t.Errorf("%s: %d groups, want %d", c.mem, len(groups), c.groups)
		}
	}
}

// TestPlanBoundsReplayOrder: a group's cold path replays every access of
// the run from its lead to its last member, other bases included, so a
// failing access of another base earlier in the run traps first.
func TestPlanBoundsReplayOrder(t *testing.T) {
	src := `(module (memory 1) (memory 1)
		(func (param i32 i32) (result f64)
			(f64.add (f64.add (f64.load (local.get 0)) (f64.load 1 (local.get 1)))
				(f64.load offset=8 (local.get 0)))))`
	m := parse(t, []byte(src))
	g := &modGen{m: m}
	g.collectMemories()
	p := g.planBounds(m.Funcs[0].Body)
	if len(p.lead) != 1 {
		t.Fatalf("%d groups, want 1", len(p.lead))
	}
	for _, grp := range p.lead {
		var mems []uint32
		for _, a := range grp.replay {
			mems = append(mems, a.mem)
		}
		if !slices.Equal(mems, []uint32{0, 1, 0}) {
			t.Fatalf("replayed accesses of memories %v, want [0 1 0]", mems)
		}
	}
}
