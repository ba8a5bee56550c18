package capture_test

import (
	"testing"

	"github.com/gcscope/gcscope/engine"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/examples"
	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// load instantiates an example program (or WAT source) in a new runtime.
func load(t *testing.T, name string, src []byte) (*engine.Runtime, *engine.Instance) {
	t.Helper()
	return loadWith(t, name, src, engine.Config{HeapMaxBytes: 64 << 20})
}

// loadWith is load with a runtime configuration.
func loadWith(t *testing.T, name string, src []byte, cfg engine.Config) (*engine.Runtime, *engine.Instance) {
	t.Helper()
	if src == nil {
		var err error
		if src, err = examples.FS.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
	mod, err := engine.Compile(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rt, err := engine.NewRuntime(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	inst, err := rt.Instantiate(mod, "")
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rt, inst
}

// call calls an export that returns one i32 and checks the result.
func call(t *testing.T, inst *engine.Instance, name string, want int32, args ...engine.Value) {
	t.Helper()
	res, err := inst.Function(name).Call(args...)
	if err != nil || len(res) != 1 || int32(res[0].Bits) != want {
		t.Fatalf("%s: %v, %v (want %d)", name, res, err, want)
	}
}

// nodesOf lists the object nodes whose type displays as name.
func nodesOf(s *snapshot.Snapshot, name string) []int {
	var out []int
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		if s.Type(n).DisplayName() == name {
			out = append(out, n)
		}
	}
	return out
}

// distinctFuncs counts the store's functions (imports appear in several
// instances but have one funcref object).
func distinctFuncs(store *runtime.Store) int {
	seen := map[*runtime.Func]bool{}
	for _, inst := range store.Instances() {
		for _, f := range inst.Funcs {
			seen[f] = true
		}
	}
	return len(seen)
}

// checkOnlyFuncrefsBesides checks that every object not of type name is a
// funcref, one per function of the store, each rooted as "other".
func checkOnlyFuncrefsBesides(t *testing.T, s *snapshot.Snapshot, store *runtime.Store, name string) {
	t.Helper()
	funcs := 0
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		switch {
		case s.Type(n).DisplayName() == name:
		case s.Kind(n) == snapshot.KindFunc:
			funcs++
		default:
			t.Errorf("unexpected object %s", s.NodeName(n))
		}
	}
	if want := distinctFuncs(store); funcs != want {
		t.Errorf("%d funcref objects, want one per function: %d", funcs, want)
	}
	other := 0
	for _, r := range s.Roots() {
		if r.Category == snapshot.RootOther && len(r.Name) > len("funcref of ") && r.Name[:len("funcref of ")] == "funcref of " {
			other++
		}
	}
	if other != funcs {
		t.Errorf("%d funcref roots named after their function, want %d", other, funcs)
	}
}

// dominatedWithin checks that every node of set except top has its
// immediate dominator in set: freeing top frees them all.
func dominatedWithin(t *testing.T, d *analysis.DomTree, set []int, top int) {
	t.Helper()
	in := map[int]bool{}
	for _, n := range set {
		in[n] = true
	}
	for _, n := range set {
		if n != top && !in[d.Idom(n)] {
			t.Errorf("%s is dominated by %s, outside the structure", d.Snapshot().NodeName(n), d.Snapshot().NodeName(d.Idom(n)))
		}
	}
}
