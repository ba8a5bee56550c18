package gc

import (
	"math/rand"
	"testing"
)

// TestRandomAgainstModel allocates, links, drops, pins and collects at
// random and checks the heap against a Go-side model of the object graph:
// after every collection exactly the objects reachable in the model are
// allocated, and every reachable object holds what the model says.
func TestRandomAgainstModel(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		runModel(t, seed, seed == 4)
	}
}

type modelObj struct {
	typ  uint32
	val  uint64 // node value, or array length
	refs []Ref  // node: [next]; pair: [a b]; ref array: elements
}

func runModel(t *testing.T, seed int64, stress bool) {
	rng := rand.New(rand.NewSource(seed))
	h := newTestHeap(t, Options{MaxBytes: 8 << 20, InitialBytes: 64 << 10, Stress: stress})
	buf := NewBuffer() // half the nodes and byte arrays come through it
	h.AttachBuffer(buf)
	model := map[Ref]*modelObj{}
	var objs []Ref // every object ever allocated and not known dead
	handles := map[Handle]Ref{}
	var seen uint64 // collections the model has pruned for
	steps := 4000
	if stress {
		steps = 800
	}
	pick := func() Ref {
		if len(objs) == 0 || rng.Intn(8) == 0 {
			return MakeI31(int32(rng.Intn(100)))
		}
		return objs[rng.Intn(len(objs))]
	}
	reachable := func() map[Ref]bool {
		seen := map[Ref]bool{}
		var stack []Ref
		push := func(r Ref) {
			if r.IsObject() && !seen[r] {
				seen[r] = true
				stack = append(stack, r)
			}
		}
		for _, r := range h.roots {
			push(r)
		}
		for _, r := range handles {
			push(r)
		}
		for len(stack) > 0 {
			r := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, c := range model[r].refs {
				push(c)
			}
		}
		return seen
	}
	// In stress mode every allocation collects, so the model forgets
	// unreachable objects before each allocation too.
	prune := func() {
		live := reachable()
		kept := objs[:0]
		for _, r := range objs {
			if live[r] {
				kept = append(kept, r)
			} else {
				delete(model, r)
			}
		}
		objs = kept
	}
	check := func() {
		if err := h.Verify(); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		live := reachable()
		n := 0
		h.Walk(func(r Ref) bool {
			n++
			m, ok := model[r]
			if !ok || !live[r] {
				t.Fatalf("seed %d: object %#x allocated but unreachable", seed, uint32(r))
			}
			if h.TypeOf(r) != m.typ {
				t.Fatalf("seed %d: %#x has type %d, want %d", seed, uint32(r), h.TypeOf(r), m.typ)
			}
			switch m.typ {
			case tNode:
				if h.GetField(r, 1) != m.val || Ref(h.GetField(r, 0)) != m.refs[0] {
					t.Fatalf("seed %d: node %#x damaged", seed, uint32(r))
				}
			case tPair:
				if Ref(h.GetField(r, 0)) != m.refs[0] || Ref(h.GetField(r, 1)) != m.refs[1] {
					t.Fatalf("seed %d: pair %#x damaged", seed, uint32(r))
				}
			case tRefArr:
				for i, c := range m.refs {
					if Ref(h.GetElem(r, uint32(i))) != c {
						t.Fatalf("seed %d: array %#x elem %d damaged", seed, uint32(r), i)
					}
				}
			case tI8Arr:
				if h.ArrayLen(r) != uint32(m.val) {
					t.Fatalf("seed %d: byte array length", seed)
				}
				for i, c := range h.ArrayData(r) {
					if c != byte(m.val+uint64(i)) {
						t.Fatalf("seed %d: byte array %#x damaged", seed, uint32(r))
					}
				}
			}
			return true
		})
		if n != len(live) {
			t.Fatalf("seed %d: %d objects allocated, %d reachable", seed, n, len(live))
		}
		if st := h.Stats(); st.BadRefs != 0 || st.LiveObjects != uint64(n) ||
			st.AllocatedBytes != st.FreedBytes+st.LiveBytes || st.AllocatedObjects != st.FreedObjects+st.LiveObjects {
			t.Fatalf("seed %d: stats %+v", seed, st)
		}
	}
	alloc := func(typ uint32) Ref {
		if stress {
			prune()
		}
		var r Ref
		var err error
		m := &modelObj{typ: typ}
		switch typ {
		case tNode:
			if rng.Intn(2) == 0 {
				r, err = h.AllocStructIn(buf, tNode)
			} else {
				r, err = h.AllocStruct(tNode)
			}
			m.refs = []Ref{Null}
		case tPair:
			r, err = h.AllocStruct(tPair)
			m.refs = []Ref{Null, Null}
		case tRefArr:
			n := rng.Intn(20)
			r, err = h.AllocArray(tRefArr, uint32(n))
			m.refs = make([]Ref, n)
		case tI8Arr:
			n := rng.Intn(600) // small and large requests
			if rng.Intn(2) == 0 {
				r, err = h.AllocArrayIn(buf, tI8Arr, uint32(n))
			} else {
				r, err = h.AllocArray(tI8Arr, uint32(n))
			}
			m.val = uint64(n)
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if n := h.Stats().Collections; n != seen {
			// The heap collected on its own (pacing, or no free chunk
			// fitting a buffer): what the model cannot reach now was
			// unreachable then, and its memory may be handed out again.
			seen = n
			prune()
		}
		if _, dup := model[r]; dup {
			t.Fatalf("seed %d: %#x allocated twice while reachable", seed, uint32(r))
		}
		if typ == tI8Arr {
			for i := range h.ArrayData(r) {
				h.ArrayData(r)[i] = byte(m.val + uint64(i))
			}
		}
		model[r] = m
		objs = append(objs, r)
		return r
	}
	for step := 0; step < steps; step++ {
		switch op := rng.Intn(20); {
		case op < 8: // allocate, maybe root it
			r := alloc([]uint32{tNode, tPair, tRefArr, tI8Arr}[rng.Intn(4)])
			if rng.Intn(3) == 0 {
				h.roots = append(h.roots, r)
			} else if len(h.roots) > 0 {
				// Link it from something reachable so it survives.
				host := h.roots[rng.Intn(len(h.roots))]
				link(h, model, host, r, rng)
			}
		case op < 13: // link two objects
			if len(objs) > 0 {
				link(h, model, objs[rng.Intn(len(objs))], pick(), rng)
			}
		case op < 15: // drop a root
			if len(h.roots) > 0 {
				i := rng.Intn(len(h.roots))
				h.roots = append(h.roots[:i], h.roots[i+1:]...)
			}
		case op < 16: // pin
			if len(objs) > 0 {
				r := objs[rng.Intn(len(objs))]
				handles[h.Pin(r)] = r
			}
		case op < 17: // unpin
			for x := range handles {
				h.Unpin(x)
				delete(handles, x)
				break
			}
		default: // collect and check
			if err := h.Collect(); err != nil {
				t.Fatal(err)
			}
			seen = h.Stats().Collections
			prune()
			check()
		}
	}
	h.Collect()
	prune()
	check()
}

// link stores child into a reference slot of host, in heap and model.
func link(h *testHeap, model map[Ref]*modelObj, host, child Ref, rng *rand.Rand) {
	m := model[host]
	if m == nil || len(m.refs) == 0 {
		return
	}
	i := rng.Intn(len(m.refs))
	m.refs[i] = child
	switch m.typ {
	case tNode, tPair:
		h.SetField(host, i, uint64(child))
	case tRefArr:
		h.SetElem(host, uint32(i), uint64(child))
	}
}
