package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/binary"
	_ "github.com/gcscope/gcscope/engine/interp" // the engine under test
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// programs returns a folder of ../shared/programs.
func programs(t *testing.T, sub string) string {
	t.Helper()
	return filepath.Join(shared.Programs(t), sub)
}

// loadWasm reads, decodes and validates a binary module.
func loadWasm(path string) (*wasm.Module, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := binary.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := validate.Module(m); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	return m, nil
}

// loadWAT parses a text module, then encodes and decodes it so that its
// instructions carry bytecode offsets as a binary module's do, and
// validates it.
func loadWAT(src []byte) (*wasm.Module, error) {
	m, err := text.ParseModule(src)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	b, err := binary.Encode(m)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if m, err = binary.Decode(b); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := validate.Module(m); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	return m, nil
}

// storeConfigs are the store configurations checks run under: the
// default, and the collector's stress mode (a collection at every
// allocation), which shakes out references the engine fails to root.
type storeConfig struct {
	name string
	cfg  runtime.Config
}

var storeConfigs = []storeConfig{
	{"default", runtime.Config{}},
	{"gcstress", runtime.Config{GCStress: true}},
}

// withAOT returns configs followed by each of them on the AOT engine
// (-O2, no fallback; named "aot/NAME"), one engine per configuration
// sharing a compiled-file cache, so a module is compiled once. With
// -short it returns configs alone.
func withAOT(t *testing.T, configs []storeConfig) []storeConfig {
	if testing.Short() {
		return configs
	}
	out := append([]storeConfig(nil), configs...)
	cache := t.TempDir()
	for _, c := range configs {
		e := loader.New(nil)
		e.CacheDir = cache
		t.Cleanup(func() { e.Close() })
		cfg := c.cfg
		cfg.Engine = e
		out = append(out, storeConfig{"aot/" + c.name, cfg})
	}
	return out
}

// newStore creates a store closed when the test ends.
func newStore(t *testing.T, cfg runtime.Config) *runtime.Store {
	t.Helper()
	s, err := runtime.NewStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// zeroArgs returns the zero value of each parameter of f (null for
// references), as the recording hosts passed.
func zeroArgs(f *runtime.Func) []runtime.Value {
	ps := f.Type.Comp.Params
	args := make([]runtime.Value, len(ps))
	for i, p := range ps {
		args[i] = runtime.Value{Type: p}
	}
	return args
}

// resolver is a Resolver over a fixed map of externs by module and name.
type resolver map[[2]string]runtime.Extern

func (r resolver) Resolve(module, name string) (runtime.Extern, bool) {
	e, ok := r[[2]string{module, name}]
	return e, ok
}

// firstLine cuts an error message (which may carry a backtrace) to its
// first line.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// report collects the mismatches of one check, so that the caller can
// decide whether they fail the test (see runCheck).
type report struct {
	errs  []string
	lines []int // the output line each mismatch is about, or 0
}

// Errorf records a mismatch.
func (r *report) Errorf(format string, args ...any) {
	r.LineErrorf(0, format, args...)
}

// LineErrorf records a mismatch about line of an output listing.
func (r *report) LineErrorf(line int, format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
	r.lines = append(r.lines, line)
}

// failed reports whether any mismatch was recorded.
func (r *report) failed() bool { return len(r.errs) > 0 }

// maxShown bounds how many mismatches of one check are printed.
const maxShown = 8

// runCheck runs check as subtest name. Its mismatches fail the test,
// unless known lists name as a known failure (with the reason); then the
// check must still fail, or the test fails asking to update the list. A
// panic in the check counts as a mismatch. It returns whether the check
// passed.
func runCheck(t *testing.T, known map[string]string, name string, check func(r *report)) bool {
	t.Helper()
	var r report
	t.Run(name, func(t *testing.T) {
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.Errorf("panic: %v", p)
				}
			}()
			check(&r)
		}()
		reason, isKnown := known[name]
		switch {
		case isKnown && !r.failed():
			t.Errorf("listed as a known failure (%s) but passes now: remove it from the list", reason)
		case isKnown:
			t.Logf("known failure (%s): %s", reason, strings.Join(r.errs[:min(len(r.errs), 2)], "; "))
		default:
			for i, e := range r.errs {
				if i == maxShown {
					t.Errorf("... and %d more mismatches", len(r.errs)-maxShown)
					break
				}
				t.Error(e)
			}
		}
	})
	return !r.failed()
}

// checkKnownNames fails if known lists a check that does not exist, so
// the list cannot hold stale entries.
func checkKnownNames(t *testing.T, known map[string]string, ran map[string]bool) {
	t.Helper()
	for name := range known {
		if !ran[name] {
			t.Errorf("known-failure list names %q, which is not a check", name)
		}
	}
}
