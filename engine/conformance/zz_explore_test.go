package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

func TestZZExplore(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	var files []string
	filepath.Walk("/work/shared/programs", func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".wasm") && fi.Size() < 2<<20 && !strings.Contains(p, "binaryen_fuzz") && !strings.Contains(p, "microhs") {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		m, err := loadWasm(f)
		if err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		s := newStore(t, runtime.Config{})
		r, err := s.StubImports(m, nil)
		if err != nil {
			t.Logf("%s: stubs %v", f, err)
			continue
		}
		inst, err := s.Instantiate(m, r)
		if err != nil {
			t.Logf("%s: inst %v", filepath.Base(f), firstLine(err.Error()))
			continue
		}
		n := 0
		for _, e := range m.Exports {
			if e.Kind != wasm.ExternFunc {
				continue
			}
			fn := inst.Funcs[e.Index]
			ok := true
			for _, p := range fn.Type.Comp.Params {
				if p.IsRef() && !p.Nullable {
					ok = false
				}
			}
			if !ok {
				continue
			}
			timer := time.AfterFunc(200*time.Millisecond, func() { s.Env().Interrupt.Store(1) })
			_, err := fn.Call(zeroArgs(fn))
			timer.Stop()
			s.Env().Interrupt.Store(0)
			n++
			if err != nil && (strings.Contains(err.Error(), "internal") || strings.Contains(err.Error(), "panic")) {
				t.Errorf("%s %s: %v", filepath.Base(f), e.Name, err)
			}
		}
		t.Logf("%s: %d exports called", filepath.Base(f), n)
	}
}
