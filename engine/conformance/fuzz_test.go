package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// fuzzKnown lists binaryen fuzz modules whose output the engine does not
// match yet, with the reason.
var fuzzKnown = map[string]string{}

// TestBinaryenFuzzExec runs each module binaryen 132's fuzzer generated
// (wasm-opt -ttf) as binaryen's --fuzz-exec does — instantiate with the
// fuzzing-support host, then call every exported function in export
// order with zero arguments and log every exported global — printing
// what binaryen's interpreter prints, and compares the output line by
// line with the recorded NAME.fuzzexec.txt, with the default store and
// with the collector collecting at every allocation, interpreted and as
// native code (withAOT). The modules are the
// shared corpus (binaryen_fuzz/), more generated the same way in
// testdata/binaryen (see gen.sh there), and those of the folder
// $GCSCOPE_FUZZ_DIR if set.
func TestBinaryenFuzzExec(t *testing.T) {
	dirs := []string{programs(t, "binaryen_fuzz"), filepath.Join("testdata", "binaryen")}
	if d := os.Getenv("GCSCOPE_FUZZ_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	var files []string
	for _, dir := range dirs {
		fs, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
		if err != nil || len(fs) == 0 {
			t.Fatalf("no fuzz modules in %s: %v", dir, err)
		}
		files = append(files, fs...)
	}
	ran := map[string]bool{}
	passed, lines := 0, 0
	tolerated = 0
	for _, c := range withAOT(t, storeConfigs) {
		for _, path := range files {
			name := c.name + "/" + filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
			ran[name] = true
			if runCheck(t, fuzzKnown, name, func(r *report) {
				want, err := os.ReadFile(strings.TrimSuffix(path, ".wasm") + ".fuzzexec.txt")
				if err != nil {
					r.Errorf("%v", err)
					return
				}
				got := fuzzExec(t, c.cfg, path)
				lines += compareLines(r, got, string(want))
			}) {
				passed++
			}
		}
	}
	if os.Getenv("GCSCOPE_FUZZ_DIR") == "" {
		checkKnownNames(t, fuzzKnown, ran)
	}
	t.Logf("%d of %d runs print what binaryen printed (%d matching lines, %d of them through a tolerance)", passed, len(ran), lines, tolerated)
}

// tolerated counts the lines that matched binaryen's only through
// linesMatch's tolerances (trap wording, canonical NaNs).
var tolerated int

// compareLines reports the lines where got and want differ and returns
// how many lines agree, adding those matched through a tolerance to
// tolerated.
func compareLines(r *report, got, want string) int {
	same, tol := diffLines(r, got, want)
	tolerated += tol
	return same
}

// diffLines reports the lines where got and want differ and returns how
// many lines agree and how many of those only through linesMatch's
// tolerances.
func diffLines(r *report, got, want string) (same, tol int) {
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	for i := range max(len(g), len(w)) {
		gl, wl := lineAt(g, i, "(end)"), lineAt(w, i, "(end)")
		if gl == wl {
			same++
			continue
		}
		if linesMatch(gl, wl) {
			same++
			tol++
			continue
		}
		r.LineErrorf(i+1, "line %d: got %q, binaryen %q", i+1, gl, wl)
	}
	return same, tol
}

// fuzzExec runs a module as binaryen's ExecutionResults::collect does and
// returns what it prints.
func fuzzExec(t *testing.T, cfg runtime.Config, path string) string {
	var out strings.Builder
	m, err := loadWasm(path)
	if err != nil {
		return fmt.Sprintf("[load error: %v]\n", err)
	}
	s := newStore(t, cfg)
	h, err := newFuzzHost(s, m, &out)
	if err != nil {
		return fmt.Sprintf("[host error: %v]\n", err)
	}
	res, err := h.resolver()
	if err != nil {
		return fmt.Sprintf("[host error: %v]\n", err)
	}
	h.inStart = true
	inst, err := s.Instantiate(m, res)
	h.inStart = false
	if err != nil {
		var exc *runtime.Exception
		if errors.As(err, &exc) {
			out.WriteString("[exception thrown: failed to instantiate module]\n")
		} else {
			out.WriteString(h.failure(err) + "\n")
		}
		return out.String()
	}
	h.inst = inst
	for _, e := range m.Exports {
		switch e.Kind {
		case wasm.ExternFunc:
			out.WriteString("[fuzz-exec] export " + e.Name + "\n")
			h.callExport(e.Name, inst.Funcs[e.Index])
		case wasm.ExternGlobal:
			out.WriteString("[fuzz-exec] export " + e.Name + "\n")
			out.WriteString("[LoggingExternalInterface logging " + h.value(inst.Globals[e.Index].Get()) + "]\n")
		}
	}
	return out.String()
}

// callExport calls one export with zero arguments and prints its results,
// its trap or its uncaught exception.
func (h *fuzzHost) callExport(name string, f *runtime.Func) {
	for _, p := range f.Type.Comp.Params {
		if p.IsRef() && !p.Nullable {
			h.out.WriteString("[trap fuzzer can only send defaultable parameters to exports]\n")
			return
		}
	}
	res, err := f.Call(zeroArgs(f))
	if err != nil {
		h.out.WriteString(h.failure(err) + "\n")
		return
	}
	if len(res) == 0 {
		return
	}
	vals := make([]string, len(res))
	for i, v := range res {
		vals[i] = h.value(v)
	}
	h.out.WriteString("[fuzz-exec] note result: " + name + " => " + strings.Join(vals, "\n") + "\n")
}

// failure prints a failed call: a trap with binaryen's message for it, an
// uncaught exception with its tag's name and payload.
func (h *fuzzHost) failure(err error) string {
	var tr *runtime.Trap
	var exc *runtime.Exception
	switch {
	case errors.As(err, &tr) && tr.Msg == outOfMemory:
		return hostLimitLine
	case errors.As(err, &tr):
		op, _ := trapOp(h.m, tr)
		return trapLine(binaryenTraps(op, tr.Msg))
	case errors.As(err, &exc):
		s := "[exception thrown: " + h.tagName(exc.Tag)
		for _, v := range exc.Payload {
			s += " " + h.value(v)
		}
		return s + "]"
	}
	return "[error: " + firstLine(err.Error()) + "]"
}

// outOfMemory is the trap message of an allocation the heap cannot
// hold, and hostLimitLine what binaryen's interpreter prints instead of
// a trap when an allocation exceeds its own limit (all6755:
// array.new_default of 4294967260 elements), going on with the next
// export. Both are the resource exhaustion the spec leaves to the
// implementation, not a trap of the program. A module where only one
// side hits its limit still differs.
const (
	outOfMemory   = "out of memory"
	hostLimitLine = "[host limit allocation failure]"
)

// tagName is the name binaryen knows a tag by: its own names for the
// fuzzing-support tags, else the module's name for it from the name
// section, else the name it is exported under (the fuzzer exports tags
// under their names), else the name the fuzzer gave it. The fuzzer names
// the tags it makes "tag$", then "tag$_N" with N the number of tags the
// module had then (binaryen's Names::getValidTagName), and may import the
// two fuzzing-support tags between its first tags and later ones; when a
// module imports tags, which of a later defined tag's two possible
// names applies cannot be told from the binary, and both are given,
// separated by tagAlternatives. A defined tag the name section does not
// name also gets the name binaryen gives it when it reads the binary
// (binaryenReference may compare with that run): "tag$D", D its index
// among the defined tags, a form the fuzzer's names never take.
func (h *fuzzHost) tagName(tag *runtime.Tag) string {
	name, defined := h.fuzzerTagName(tag)
	if defined < 0 {
		return name
	}
	return name + tagAlternatives + fmt.Sprintf("tag$%d", defined)
}

// fuzzerTagName is tagName without the name binaryen reads from the
// binary, and the index of the tag among the module's defined tags when
// the name section does not name it (else -1).
func (h *fuzzHost) fuzzerTagName(tag *runtime.Tag) (string, int) {
	switch tag {
	case h.wasmTag:
		return "imported-wasm-tag", -1
	case h.jsTag:
		return "imported-js-tag", -1
	}
	if h.inst == nil {
		return "<unknown tag>", -1
	}
	for i, tg := range h.inst.Tags {
		if tg != tag {
			continue
		}
		if h.m.Names != nil {
			if n, ok := h.m.Names.Tags[uint32(i)]; ok {
				return n, -1
			}
		}
		nImp := h.m.NumImported(wasm.ExternTag)
		d := i - nImp
		read := max(d, -1) // binaryen's reader names imports otherwise
		for _, e := range h.m.Exports {
			if e.Kind == wasm.ExternTag && e.Index == uint32(i) {
				return e.Name, read
			}
		}
		if d == 0 || nImp == 0 {
			return fuzzerTagName(d), read // the first tag made is "tag$" in any case
		}
		return fuzzerTagName(d) + tagAlternatives + fuzzerTagName(d+nImp), read
	}
	return "<unknown tag>", -1
}

// fuzzerTagName is the name binaryen's fuzzer gives the tag it makes
// when the module has n tags.
func fuzzerTagName(n int) string {
	if n == 0 {
		return "tag$"
	}
	return fmt.Sprintf("tag$_%d", n)
}

// tagAlternatives separates the possible names of a tag in an exception
// line we print; linesMatch accepts any of them.
const tagAlternatives = "|"

// lineAt is lines[i], or missing past the end: comparisons of two
// listings of different lengths name what one of them lacks.
func lineAt(lines []string, i int, missing string) string {
	if i < len(lines) {
		return lines[i]
	}
	return missing
}
