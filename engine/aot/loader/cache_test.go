package loader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/validate"
)

func TestCache(t *testing.T) {
	b, err := binary.Encode(parse(t, smallWat))
	if err != nil {
		t.Fatal(err)
	}
	m, err := binary.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	run := func() {
		t.Helper()
		e := New(nil)
		e.CacheDir = dir
		defer e.Close()
		s, _ := runtime.NewStore(runtime.Config{Engine: e})
		defer s.Close()
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := inst.ExportedFunc("add").Call([]runtime.Value{runtime.I32(2), runtime.I32(3)})
		if err != nil || int32(res[0].Bits) != 5 {
			t.Fatalf("add: %v %v", res, err)
		}
	}
	run()
	key, ok := cacheKey(m, compile.Options{OptLevel: 2})
	if !ok {
		t.Fatal("a decoded module has no cache key")
	}
	path := filepath.Join(dir, key)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no cached file: %v", err)
	}
	// Damage the cached file: the engine recompiles and replaces it.
	if err := os.WriteFile(path, []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	run()
	if st2, err := os.Stat(path); err != nil || st2.Size() != st.Size() {
		t.Fatalf("cached file not rewritten: %v", err)
	}
	run() // from the cache
}
