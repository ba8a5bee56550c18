package loader

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// newNativeStore makes a store on a fresh AOT engine with the given
// fallback (nil: none, so every function the test runs is native code and
// a module the compiler refuses fails to instantiate), after setup, when
// not nil, has configured the engine. Both close when the test ends.
func newNativeStore(t testing.TB, fallback runtime.Engine, setup func(*Engine)) (*runtime.Store, *Engine) {
	t.Helper()
	return newNativeStoreConfig(t, runtime.Config{}, fallback, setup)
}

// newNativeStoreConfig is newNativeStore with the store's other settings
// from cfg (cfg.Engine is set here).
func newNativeStoreConfig(t testing.TB, cfg runtime.Config, fallback runtime.Engine, setup func(*Engine)) (*runtime.Store, *Engine) {
	t.Helper()
	e := New(fallback)
	if setup != nil {
		setup(e)
	}
	slotsForTests(e) // debug_slots_test.go
	cfg.Engine = e
	s, err := runtime.NewStore(cfg)
	if err != nil {
		e.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); e.Close() })
	return s, e
}

// stressStore is a native store under GC stress: a collection at every
// allocation, so a root the stack maps miss shows as a freed object.
func stressStore(t testing.TB) *runtime.Store {
	t.Helper()
	s, _ := newNativeStoreConfig(t, runtime.Config{GCStress: true}, nil, nil)
	return s
}

// nativeStore is newNativeStore without fallback or setup.
func nativeStore(t testing.TB) *runtime.Store {
	t.Helper()
	s, _ := newNativeStore(t, nil, nil)
	return s
}

// instantiateWith runs m on a fresh native store whose engine setup
// configures (nil: the defaults).
func instantiateWith(t testing.TB, m *wasm.Module, setup func(*Engine)) (*runtime.Instance, *Engine) {
	t.Helper()
	s, e := newNativeStore(t, nil, setup)
	inst, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return inst, e
}
