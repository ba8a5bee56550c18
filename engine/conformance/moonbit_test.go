package conformance

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// probeRecord is one line of probe_results.node24.jsonl: the export calls
// V8 made on one module, in order, and the host calls it saw.
type probeRecord struct {
	File  string `json:"file"`
	Calls []struct {
		Fn string `json:"fn"`
		// Args is the number of arguments passed (each zero); absent for
		// the initialisation calls (start, _start, init_game), which V8
		// made first and whose result it recorded as "ok".
		Args   *int   `json:"args"`
		Result string `json:"result"`
	} `json:"calls"`
	// HostCalls are "module.name(arg,...)" in call order, starting at
	// instantiation; the probe kept only the first probeHostCallCap.
	HostCalls []string `json:"host_calls"`
}

// probeHostCallCap is how many host calls the probe recorded at most: the
// lists of the modules that draw more (Game of Life, guandan) stop at
// exactly this length.
const probeHostCallCap = 20

// moonbitKnown lists MoonBit modules the engine does not match V8 on yet,
// with the reason.
var moonbitKnown = map[string]string{}

// TestMoonBitProbe replays V8's probe of the MoonBit Code JAM 2025 games:
// the same export calls in the same order on one instance, with the same
// host imports, must give V8's results and V8's host calls, with the
// default store and under GC stress.
func TestMoonBitProbe(t *testing.T) {
	dir := programs(t, "moonbit_jam2025")
	recs := readProbe(t, filepath.Join(dir, "probe_results.node24.jsonl"))
	ran := map[string]bool{}
	calls, same := 0, 0
	for _, c := range storeConfigs {
		for _, rec := range recs {
			name := c.name + "/" + rec.File
			ran[name] = true
			runCheck(t, moonbitKnown, name, func(r *report) {
				n, s := checkProbe(t, r, c.cfg, filepath.Join(dir, rec.File), rec)
				calls += n
				same += s
			})
		}
	}
	checkKnownNames(t, moonbitKnown, ran)
	t.Logf("%d runs of %d modules, %d of %d calls give V8's result", len(ran), len(recs), same, calls)
}

// TestMoonBitProbeAOT replays the same probe on native code (-O2, no
// fallback: a module the compiler refused would fail), with the default
// store and under GC stress; each module is compiled once, the second
// configuration loading it from the compiled-file cache.
func TestMoonBitProbeAOT(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles nine modules")
	}
	dir := programs(t, "moonbit_jam2025")
	recs := readProbe(t, filepath.Join(dir, "probe_results.node24.jsonl"))
	calls, same := 0, 0
	for _, c := range withAOT(t, storeConfigs)[len(storeConfigs):] {
		for _, rec := range recs {
			r := &report{}
			n, s := checkProbe(t, r, c.cfg, filepath.Join(dir, rec.File), rec)
			calls += n
			same += s
			for _, err := range r.errs {
				t.Errorf("%s/%s: %s", c.name, rec.File, err)
			}
		}
	}
	if calls == 0 || same != calls {
		t.Errorf("%d of %d calls give V8's result", same, calls)
	}
	t.Logf("%d runs of %d modules, %d of %d calls give V8's result", len(storeConfigs)*len(recs), len(recs), same, calls)
}

func readProbe(t *testing.T, path string) []probeRecord {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []probeRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var rec probeRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no records", path)
	}
	return recs
}

// checkProbe replays one record and returns how many calls it made and
// how many agreed with V8.
func checkProbe(t *testing.T, r *report, cfg runtime.Config, path string, rec probeRecord) (calls, same int) {
	m, err := loadWasm(path)
	if err != nil {
		r.Errorf("%v", err)
		return 0, 0
	}
	s := newStore(t, cfg)
	h := &probeHost{}
	res, err := h.resolver(s, m)
	if err != nil {
		r.Errorf("host: %v", err)
		return 0, 0
	}
	inst, err := s.Instantiate(m, res)
	if err != nil {
		r.Errorf("instantiate: %v", err)
		return 0, 0
	}
	for _, c := range rec.Calls {
		calls++
		f := inst.ExportedFunc(c.Fn)
		if f == nil {
			r.Errorf("%s: no such exported function", c.Fn)
			continue
		}
		if c.Args != nil && *c.Args != len(f.Type.Comp.Params) {
			r.Errorf("%s: V8 passed %d arguments, the function takes %d", c.Fn, *c.Args, len(f.Type.Comp.Params))
			continue
		}
		out, err := f.Call(zeroArgs(f))
		got := jsResult(out, err)
		want := c.Result
		if c.Args == nil && want == "ok" && err == nil {
			got = "ok" // initialisation calls: V8 recorded only success
		}
		if got != want {
			r.Errorf("%s(): got %s, V8 %s", c.Fn, got, want)
			continue
		}
		same++
	}
	checkHostCalls(r, h.calls, rec.HostCalls)
	return calls, same
}

// checkHostCalls compares our host calls with V8's (capped) list.
func checkHostCalls(r *report, got, want []string) {
	if len(want) == probeHostCallCap && len(got) > len(want) {
		got = got[:len(want)]
	}
	for i := range max(len(got), len(want)) {
		g, w := lineAt(got, i, "(none)"), lineAt(want, i, "(none)")
		if g != w {
			r.Errorf("host call %d: got %s, V8 %s (%d calls, V8 %d)", i, g, w, len(got), len(want))
			return
		}
	}
}

// jsResult formats a call's outcome as the probe printed V8's: the JS
// value of the single result (i32 as a signed number, i64 as a BigInt),
// "undefined" for none, "error: " and the message for a trap.
func jsResult(out []runtime.Value, err error) string {
	if err != nil {
		return "error: " + firstLine(err.Error())
	}
	if len(out) == 0 {
		return "undefined"
	}
	if len(out) > 1 {
		return fmt.Sprintf("(%d results)", len(out))
	}
	v := out[0]
	switch v.Type.Kind {
	case wasm.KindI32:
		return strconv.Itoa(int(int32(v.Bits)))
	case wasm.KindI64:
		return strconv.FormatInt(int64(v.Bits), 10)
	case wasm.KindF32:
		return jsNumber(float64(math.Float32frombits(uint32(v.Bits))))
	case wasm.KindF64:
		return jsNumber(math.Float64frombits(v.Bits))
	}
	return v.String()
}

// jsNumber formats integral numbers as JS does; others are not expected
// in the probe and print in Go's shortest form.
func jsNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// probeHost provides the MoonBit games' imports as the probe did: every
// imported function records "module.name(args)" and returns zero (the
// probe's functions returned nothing, so LightsOut's lib.random never
// lit a cell: V8 saw all cells off); an imported memory is created with
// the imported limits.
type probeHost struct {
	calls []string
}

func (h *probeHost) resolver(s *runtime.Store, m *wasm.Module) (runtime.Resolver, error) {
	res := resolver{}
	hosts := map[string]*runtime.Instance{}
	for i := range m.Imports {
		imp := &m.Imports[i]
		host := hosts[imp.Module]
		if host == nil {
			host = s.NewHostInstance(imp.Module)
			hosts[imp.Module] = host
		}
		var e runtime.Extern
		switch imp.Kind {
		case wasm.ExternFunc:
			ft := m.Types[imp.TypeIndex].Comp
			name := imp.Module + "." + imp.Name
			f, err := host.DefineFunc(imp.Name, ft, func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
				parts := make([]string, len(args))
				for i, a := range args {
					parts[i] = jsResult([]runtime.Value{a}, nil)
				}
				h.calls = append(h.calls, name+"("+strings.Join(parts, ",")+")")
				out := make([]runtime.Value, len(ft.Results))
				for i, t := range ft.Results {
					out[i] = runtime.Value{Type: t}
				}
				return out, nil
			})
			if err != nil {
				return nil, err
			}
			e = f
		case wasm.ExternMemory:
			mem, err := host.DefineMemory(imp.Name, imp.Memory)
			if err != nil {
				return nil, err
			}
			e = mem
		default:
			return nil, errors.New("probe host: unexpected import kind " + imp.Kind.String() + " " + imp.Module + "." + imp.Name)
		}
		res[[2]string{imp.Module, imp.Name}] = e
	}
	return res, nil
}
