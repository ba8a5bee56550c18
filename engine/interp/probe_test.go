package interp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// loadProgram decodes, validates and instantiates a program against stub
// imports.
func loadProgram(t *testing.T, s *runtime.Store, path string) (*runtime.Instance, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skip(err)
	}
	m, err := binary.Decode(b)
	if err != nil {
		return nil, err
	}
	if err := validate.Module(m); err != nil {
		return nil, err
	}
	r, err := s.StubImports(m, nil)
	if err != nil {
		return nil, err
	}
	return s.Instantiate(m, r)
}

// TestMoonBitProbes replays the export calls V8 made on the MoonBit games
// (zero arguments) and compares the results.
func TestMoonBitProbes(t *testing.T) {
	if testing.Short() {
		t.Skip("programs in -short mode")
	}
	dir := filepath.Join(programs, "moonbit_jam2025")
	f, err := os.Open(filepath.Join(dir, "probe_results.node24.jsonl"))
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	type callRec struct {
		Fn     string `json:"fn"`
		Args   int    `json:"args"`
		Result string `json:"result"`
	}
	var rec struct {
		File  string    `json:"file"`
		Calls []callRec `json:"calls"`
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	total, same := 0, 0
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		s := newStore(t, runtime.Config{GCStress: false})
		inst, err := loadProgram(t, s, filepath.Join(dir, rec.File))
		if err != nil {
			t.Logf("%s: %v", rec.File, err)
			continue
		}
		for _, c := range rec.Calls {
			fn := inst.ExportedFunc(c.Fn)
			if fn == nil {
				continue
			}
			total++
			args := make([]runtime.Value, len(fn.Type.Comp.Params))
			for i, p := range fn.Type.Comp.Params {
				args[i] = runtime.Value{Type: p}
			}
			res, err := fn.Call(args)
			got := "undefined"
			switch {
			case err != nil:
				got = "error: " + err.Error()
			case len(res) == 1 && res[0].Type.Kind == wasm.KindI32:
				got = strconv.Itoa(int(int32(res[0].Bits)))
			case len(res) == 1:
				got = fmt.Sprint(res[0])
			}
			want := c.Result
			if want == "ok" {
				want = "undefined"
			}
			if got == want {
				same++
			} else {
				t.Logf("%s %s: got %s, V8 %s", rec.File, c.Fn, strings.SplitN(got, "\n", 2)[0], c.Result)
			}
		}
	}
	t.Logf("%d of %d calls agree with V8", same, total)
	if same*10 < total*9 {
		t.Errorf("only %d of %d calls agree with V8", same, total)
	}
}

// TestMicroHsMain runs main() of the MicroHs programs, which V8 traps with
// "illegal cast" in every file: the same trap is the expected result.
func TestMicroHsMain(t *testing.T) {
	if testing.Short() {
		t.Skip("programs in -short mode")
	}
	files, _ := filepath.Glob(filepath.Join(programs, "microhs_wasmgc", "*.wasm"))
	agree := 0
	for _, f := range files[:min(len(files), 20)] {
		s := newStore(t, runtime.Config{})
		inst, err := loadProgram(t, s, f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		fn := inst.ExportedFunc("main")
		if fn == nil {
			continue
		}
		_, err = fn.Call(make([]runtime.Value, len(fn.Type.Comp.Params)))
		var tr *runtime.Trap
		if errors.As(err, &tr) && tr.Msg == "cast failure" {
			agree++
		} else {
			t.Logf("%s: main: %v", filepath.Base(f), err)
		}
	}
	t.Logf("%d of %d agree with V8 (cast failure)", agree, min(len(files), 20))
}
