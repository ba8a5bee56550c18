package bench

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// Which real programs the compile-time report takes: the largest ones the
// compiler accepts, up to maxCompilePrograms, none above maxCompileSize
// (compiling megabytes with opt -O2 would take minutes per run).
const (
	maxCompilePrograms = 4
	maxCompileSize     = 512 << 10
	// compileRuns is how often each module is compiled per level; the
	// fastest run counts.
	compileRuns = 3
)

// compileModule is one module to compile: its name, Wasm size and the
// decoded, validated module.
type compileModule struct {
	name string
	size int
	mod  *wasm.Module
}

// compileModules returns the examples the compiler accepts, then the
// largest real programs under ../shared/programs it accepts. Acceptance
// is decided by generating the IR (cheap), so programs join the report as
// the compiler learns their features. refused lists the examples it
// does not accept yet, with the reason.
func compileModules(tb testing.TB) (mods []compileModule, refused []string, err error) {
	for _, file := range aotPrograms(tb) {
		bin, err := exampleBinary(file)
		if err != nil {
			return nil, nil, err
		}
		m, err := decodeValid(bin)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", file, err)
		}
		if _, err := compile.GenerateIR(m); err != nil {
			refused = append(refused, fmt.Sprintf("%s (%v)", file, err))
			continue
		}
		mods = append(mods, compileModule{strings.TrimSuffix(file, ".wat"), len(bin), m})
	}
	var real []compileModule
	root := shared.Programs(tb)
	err = filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".wasm") || info.Size() > maxCompileSize {
			return err
		}
		bin, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		m, err := decodeValid(bin)
		if err != nil {
			return nil // not every file is for this engine's front end: skip it
		}
		if _, err := compile.GenerateIR(m); err == nil {
			rel, _ := filepath.Rel(root, path)
			real = append(real, compileModule{rel, len(bin), m})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(real, func(a, b compileModule) int { return cmp.Compare(b.size, a.size) })
	return append(mods, real[:min(len(real), maxCompilePrograms)]...), refused, nil
}

// cpuWithChildren returns the CPU time (user and system) of this process
// plus that of its children that have finished and been waited for.
func cpuWithChildren() (time.Duration, error) {
	var self, children syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		return 0, err
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children); err != nil {
		return 0, err
	}
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() + children.Utime.Nano() + children.Stime.Nano()), nil
}

func decodeValid(bin []byte) (*wasm.Module, error) {
	m, err := binary.Decode(bin)
	if err != nil {
		return nil, err
	}
	return m, validate.Module(m)
}

// compileTimes returns the fastest CPU time of IR generation alone and of
// a whole compilation at -O2 and at -O0, over compileRuns runs each. CPU
// time of this process and of its finished children (opt and llc, which
// run one after the other, single-threaded), so it is what the wall time
// would be on an idle machine, and other processes' load counts less.
func compileTimes(m *wasm.Module) (ir, o2, o0 time.Duration, err error) {
	fastest := func(f func() error) (time.Duration, error) {
		var best time.Duration
		for range compileRuns {
			start, err := cpuWithChildren()
			if err != nil {
				return 0, err
			}
			if err := f(); err != nil {
				return 0, err
			}
			end, err := cpuWithChildren()
			if err != nil {
				return 0, err
			}
			if d := end - start; best == 0 || d < best {
				best = d
			}
		}
		return best, nil
	}
	if ir, err = fastest(func() error { _, err := compile.GenerateIR(m); return err }); err != nil {
		return
	}
	for _, lv := range []struct {
		level int
		d     *time.Duration
	}{{2, &o2}, {0, &o0}} {
		if *lv.d, err = fastest(func() error {
			_, err := compile.Compile(m, compile.Options{OptLevel: lv.level})
			return err
		}); err != nil {
			return
		}
	}
	return
}

// reportCompileTimes writes the compile-time table: per module its Wasm
// size, IR generation time, and whole-compilation time and time per KB at
// -O2 (opt + llc) and -O0 (llc only: the compiler skips opt at level 0).
func reportCompileTimes(tb testing.TB, w io.Writer) error {
	mods, refused, err := compileModules(tb)
	if err != nil {
		return err
	}
	if len(mods) == 0 {
		return errors.New("the AOT compiler accepts no module")
	}
	fmt.Fprintf(w, "AOT compile time (CPU incl. opt and llc, fastest of %d; -O2 = IR + opt + llc, -O0 = IR + llc):\n", compileRuns)
	fmt.Fprintf(w, "%-58s %8s %8s %9s %9s %9s %9s\n", "module", "KB", "IR ms", "-O2 ms", "-O2 ms/KB", "-O0 ms", "-O0 ms/KB")
	for _, m := range mods {
		ir, o2, o0, err := compileTimes(m.mod)
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		kb := float64(m.size) / 1024
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		fmt.Fprintf(w, "%-58s %8.1f %8.1f %9.0f %9.1f %9.0f %9.1f\n", m.name, kb, ms(ir), ms(o2), ms(o2)/kb, ms(o0), ms(o0)/kb)
	}
	for _, r := range refused {
		fmt.Fprintf(w, "not compiled: %s\n", r)
	}
	return nil
}

// BenchmarkAOTCompile compiles each module of the compile-time report at
// -O2 and -O0; MB/s is Wasm bytes compiled per second.
func BenchmarkAOTCompile(b *testing.B) {
	mods, _, err := compileModules(b)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range mods {
		for _, level := range []int{2, 0} {
			// The base name: a slash would nest the benchmark names.
			b.Run(fmt.Sprintf("%s/O%d", filepath.Base(m.name), level), func(b *testing.B) {
				b.SetBytes(int64(m.size))
				for b.Loop() {
					if _, err := compile.Compile(m.mod, compile.Options{OptLevel: level}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
