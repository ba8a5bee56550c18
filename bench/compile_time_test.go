package bench

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/llir/llvm/ir"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

// Which real programs the compile-time report takes: up to
// maxCompilePrograms modules the compiler accepts, none above
// maxCompileSize (compiling megabytes with opt -O2 takes minutes per run),
// spread over the folders of ../shared/programs (one compiler each) by
// pickLargest.
const (
	maxCompilePrograms = 4
	maxCompileSize     = 512 << 10
	// compileRuns is how often each module is compiled per level; the
	// fastest run counts. A run over singleRunAbove is not repeated.
	compileRuns    = 3
	singleRunAbove = 5 * time.Second
	// realCompileBudget bounds each opt and llc run on a real program: a
	// module that takes longer is reported as over budget, not waited for.
	realCompileBudget = time.Minute
	// maxIRInstructions leaves out real programs whose LLVM IR is larger:
	// some (microhs_wasmgc's, with GC support) expand to hundreds of LLVM
	// instructions per Wasm byte, and printing millions of instructions
	// for opt takes minutes and gigabytes before opt even starts.
	maxIRInstructions = 1_000_000
)

// irInstructions counts the instructions of an LLVM module.
func irInstructions(m *ir.Module) int {
	n := 0
	for _, f := range m.Funcs {
		for _, b := range f.Blocks {
			n += len(b.Insts) + 1 // and the terminator
		}
	}
	return n
}

// compileModule is one module to compile: its name, Wasm size and the
// decoded, validated module; example is set for the bundled examples.
type compileModule struct {
	name    string
	size    int
	mod     *wasm.Module
	example bool
}

// compileModules returns the examples the compiler accepts, then real
// programs under ../shared/programs it accepts (see maxCompilePrograms).
// Acceptance is decided by generating the IR (cheap), so programs join
// the report as the compiler learns their features. notes lists the
// examples it does not accept yet, with the reason, and the programs
// left out for the size of their IR.
func compileModules(tb testing.TB) (mods []compileModule, notes []string, err error) {
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
			notes = append(notes, fmt.Sprintf("not compiled: %s (%v)", file, err))
			continue
		}
		mods = append(mods, compileModule{strings.TrimSuffix(file, ".wat"), len(bin), m, true})
	}
	// Only sizes first: translating a module to IR can take seconds and
	// gigabytes, so only the candidates pickLargest reaches are checked.
	byFolder := map[string][]candidate{}
	root := shared.Programs(tb)
	err = filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".wasm") || info.Size() > maxCompileSize {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		folder := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		byFolder[folder] = append(byFolder[folder], candidate{rel, path, int(info.Size())})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var readErr error
	accept := func(c candidate) (compileModule, bool) {
		bin, err := os.ReadFile(c.path)
		if err != nil {
			readErr = err
			return compileModule{}, false
		}
		m, err := decodeValid(bin)
		if err != nil {
			return compileModule{}, false // not every file is for this engine's front end
		}
		ir, err := compile.GenerateIR(m)
		if err != nil {
			return compileModule{}, false
		}
		if n := irInstructions(ir); n > maxIRInstructions {
			notes = append(notes, fmt.Sprintf("left out: %s (%.1f KB): its IR has %d instructions, over %d",
				c.name, float64(len(bin))/1024, n, maxIRInstructions))
			return compileModule{}, false
		}
		return compileModule{c.name, len(bin), m, false}, true
	}
	picked := pickLargest(byFolder, maxCompilePrograms, accept)
	if readErr != nil {
		return nil, nil, readErr
	}
	return append(mods, picked...), notes, nil
}

// candidate is a real program that may join the compile-time report.
type candidate struct {
	name, path string
	size       int
}

// pickLargest takes up to n modules that accept turns into compileModules:
// the largest accepted of each folder first, then the next largest of
// each, and so on, so that several compilers' output is timed when there
// is; largest first within each pass. It calls accept in size order and
// no more than it must.
func pickLargest(byFolder map[string][]candidate, n int, accept func(candidate) (compileModule, bool)) []compileModule {
	bySize := func(a, b candidate) int { return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name)) }
	folders := slices.Sorted(maps.Keys(byFolder))
	next := map[string]int{} // the next candidate to try, per folder
	for _, f := range folders {
		slices.SortFunc(byFolder[f], bySize)
	}
	var picked []compileModule
	for len(picked) < n {
		var round []compileModule
		for _, f := range folders {
			for cs := byFolder[f]; next[f] < len(cs); {
				c := cs[next[f]]
				next[f]++
				if m, ok := accept(c); ok {
					round = append(round, m)
					break
				}
			}
		}
		if len(round) == 0 {
			break
		}
		slices.SortFunc(round, func(a, b compileModule) int {
			return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name))
		})
		picked = append(picked, round[:min(len(round), n-len(picked))]...)
	}
	return picked
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

// compileLevels are the optimization levels the report compiles at.
var compileLevels = []int{2, 0}

// fastestCPU runs f compileRuns times (once when a run takes over
// singleRunAbove) and returns its fastest CPU time: this process's plus
// its finished children's (opt and llc, which run one after the other,
// single-threaded), so it is what the wall time would be on an idle
// machine, and other processes' load counts less.
func fastestCPU(f func() error) (time.Duration, error) {
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
		if best > singleRunAbove {
			break
		}
	}
	return best, nil
}

// compileAt compiles m at level; budget, if not zero, bounds each opt and
// llc run, and a compilation killed by it says so.
func compileAt(m *wasm.Module, level int, budget time.Duration) error {
	start := time.Now()
	_, err := compile.Compile(m, compile.Options{OptLevel: level, Tools: compile.Tools{Timeout: budget}})
	if err != nil && budget > 0 && time.Since(start) >= budget {
		return fmt.Errorf("over the %v budget per opt/llc run", budget)
	}
	return err
}

// reportCompileTimes writes the compile-time table: per module its Wasm
// size, the number of LLVM IR instructions it becomes and the time that
// IR generation takes, and whole-compilation time and time per KB at
// -O2 (opt + llc) and -O0 (llc only: the compiler skips opt at level 0),
// each the fastest CPU time of up to compileRuns runs. An example that
// fails to compile is an error; a real program that does (over budget,
// say) is reported in the table.
func reportCompileTimes(tb testing.TB, w io.Writer) error {
	mods, notes, err := compileModules(tb)
	if err != nil {
		return err
	}
	if len(mods) == 0 {
		return errors.New("the AOT compiler accepts no module")
	}
	fmt.Fprintf(w, "AOT compile time (CPU incl. opt and llc, fastest of %d; -O2 = IR + opt + llc, -O0 = IR + llc):\n", compileRuns)
	fmt.Fprintf(w, "%-50s %7s %8s %7s %9s %9s %9s %9s\n", "module", "KB", "IR insts", "IR ms", "-O2 ms", "-O2 ms/KB", "-O0 ms", "-O0 ms/KB")
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	var failures []string
	for _, m := range mods {
		kb := float64(m.size) / 1024
		budget := realCompileBudget
		if m.example {
			budget = 0
		}
		var insts int
		irTime, err := fastestCPU(func() error {
			mod, err := compile.GenerateIR(m.mod)
			if err == nil {
				insts = irInstructions(mod)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		row := fmt.Sprintf("%-50s %7.1f %8d %7.1f", m.name, kb, insts, ms(irTime))
		for _, level := range compileLevels {
			d, err := fastestCPU(func() error { return compileAt(m.mod, level, budget) })
			if err != nil {
				if m.example {
					return fmt.Errorf("%s -O%d: %w", m.name, level, err)
				}
				msg, _, _ := strings.Cut(err.Error(), "\n")
				failures = append(failures, fmt.Sprintf("%s -O%d: %s", m.name, level, msg))
				row += fmt.Sprintf(" %9s %9s", "failed", "-")
				continue
			}
			row += fmt.Sprintf(" %9.0f %9.1f", ms(d), ms(d)/kb)
		}
		fmt.Fprintln(w, row)
	}
	for _, f := range failures {
		fmt.Fprintf(w, "failed: %s\n", f)
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
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
		for _, level := range compileLevels {
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
