package compilereport

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Outcome is how compiling one module at one level ended.
type Outcome int

const (
	Compiled Outcome = iota // an .aot file came out
	Refused                 // *compile.Unsupported
	Failed                  // decoding, validating or compiling failed otherwise
)

// Result is one module compiled at one level.
type Result struct {
	Level   int
	Outcome Outcome
	Reason  string        // why it was refused or failed
	Time    time.Duration // wall time
	// CPU is the processor time (user and system) of this process and
	// of opt and llc while compiling: steadier than Time on a loaded
	// machine.
	CPU     time.Duration
	AOTSize int // bytes of the .aot file
}

// Row is one module's line of the report.
type Row struct {
	Path    string // relative to the report's folder
	Size    int64  // bytes of the .wasm file
	Results []Result
}

// Report is the outcome of compiling every module of a folder.
type Report struct {
	Levels []int
	Rows   []Row
}

// Config says how Run compiles.
type Config struct {
	Levels  []int // LLVM optimization levels, each module compiled at every one
	Tools   compile.Tools
	Workers int // compile.Options.Workers: opt+llc runs at once on a large module
	// Progress, when set, gets one line per module as soon as it is done
	// (a sweep of a large folder takes long; the table only comes at the
	// end).
	Progress io.Writer
	// Compile replaces compile.Compile when set: the report's tests use it
	// to see a refusal, which no module the decoder accepts draws from the
	// compiler any more.
	Compile func(*wasm.Module, compile.Options) ([]byte, error)
}

// Run compiles every .wasm file under dir at each of cfg.Levels, in path
// order. A module that fails to decode or validate is a Failed row, not
// an error; only walking the folder can fail.
func Run(dir string, cfg Config) (*Report, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".wasm") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("compile report: %w", err)
	}
	sort.Strings(paths)
	r := &Report{Levels: cfg.Levels}
	for i, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			rel = p
		}
		row := compileOne(p, rel, cfg)
		r.Rows = append(r.Rows, row)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "[%d/%d] %s %.1f KiB:", i+1, len(paths), rel, float64(row.Size)/1024)
			for _, x := range row.Results {
				fmt.Fprintf(cfg.Progress, " -O%d %s;", x.Level, x.cell())
			}
			fmt.Fprintln(cfg.Progress)
		}
	}
	return r, nil
}

// compileOne decodes, validates and compiles one module at each level.
func compileOne(path, rel string, cfg Config) Row {
	row := Row{Path: rel}
	fail := func(err error) Row {
		for _, l := range cfg.Levels {
			row.Results = append(row.Results, Result{Level: l, Outcome: Failed, Reason: firstLine(err.Error())})
		}
		return row
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fail(err)
	}
	row.Size = int64(len(b))
	m, err := binary.Decode(b)
	if err != nil {
		return fail(fmt.Errorf("decode: %w", err))
	}
	if err := validate.Module(m); err != nil {
		return fail(fmt.Errorf("validate: %w", err))
	}
	for _, l := range cfg.Levels {
		start, cpu0 := time.Now(), cpuTime()
		compileFn := cfg.Compile
		if compileFn == nil {
			compileFn = compile.Compile
		}
		data, err := compileFn(m, compile.Options{OptLevel: l, Tools: cfg.Tools, Workers: cfg.Workers})
		res := Result{Level: l, Time: time.Since(start), CPU: cpuTime() - cpu0, AOTSize: len(data)}
		var un *compile.Unsupported
		switch {
		case errors.As(err, &un):
			res.Outcome, res.Reason = Refused, un.Msg
		case err != nil:
			res.Outcome, res.Reason = Failed, firstLine(err.Error())
		}
		row.Results = append(row.Results, res)
	}
	return row
}

// cpuTime is the processor time this process and its finished children
// (opt, llc) have used so far.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids) != nil {
		return 0
	}
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Write prints the report: a table of every module, the refusal reasons
// by count, and the numbers of the largest module compiled.
func (r *Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprint(tw, "program\twasm KiB")
	for _, l := range r.Levels {
		fmt.Fprintf(tw, "\t-O%d", l)
	}
	fmt.Fprintln(tw)
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%.1f", row.Path, float64(row.Size)/1024)
		for _, res := range row.Results {
			fmt.Fprintf(tw, "\t%s", res.cell())
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, l := range r.Levels {
		fmt.Fprintf(w, "-O%d: %s\n", l, r.summary(l))
	}
	if big, res := r.Largest(); big != nil {
		fmt.Fprintf(w, "largest compiled: %s, %.1f KiB wasm:", big.Path, float64(big.Size)/1024)
		for _, x := range res {
			fmt.Fprintf(w, " -O%d %v (cpu %v) → %.1f KiB .aot;", x.Level, x.Time.Round(time.Millisecond),
				x.CPU.Round(time.Millisecond), float64(x.AOTSize)/1024)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func (x Result) cell() string {
	switch x.Outcome {
	case Compiled:
		return fmt.Sprintf("%v (cpu %v), %.1f KiB", x.Time.Round(time.Millisecond), x.CPU.Round(time.Millisecond), float64(x.AOTSize)/1024)
	case Refused:
		return "refused: " + shortReason(x.Reason)
	}
	return "FAILED: " + shortReason(x.Reason)
}

func shortReason(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// digits are replaced in the summary's reasons, so "(ref 3)" and
// "(ref 7)" count as one.
var digits = regexp.MustCompile(`\b[0-9]+\b`)

// summary counts the modules of one level by outcome, and the refusals by
// reason.
func (r *Report) summary(level int) string {
	var ok, refused, failed int
	reasons := map[string]int{}
	for _, row := range r.Rows {
		for _, x := range row.Results {
			if x.Level != level {
				continue
			}
			switch x.Outcome {
			case Compiled:
				ok++
			case Refused:
				refused++
				reasons[digits.ReplaceAllString(x.Reason, "N")]++
			default:
				failed++
			}
		}
	}
	var rs []string
	for k, n := range reasons {
		rs = append(rs, fmt.Sprintf("%d %s", n, k))
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] > rs[j] })
	s := fmt.Sprintf("%d modules: %d compiled, %d refused, %d failed", len(r.Rows), ok, refused, failed)
	if len(rs) > 0 {
		s += " (refused: " + strings.Join(rs, ", ") + ")"
	}
	return s
}

// Largest returns the largest module (by .wasm size) that compiled at
// every level, with its results, or nil.
func (r *Report) Largest() (*Row, []Result) {
	var best *Row
	for i := range r.Rows {
		row := &r.Rows[i]
		all := len(row.Results) > 0
		for _, x := range row.Results {
			all = all && x.Outcome == Compiled
		}
		if all && (best == nil || row.Size > best.Size) {
			best = row
		}
	}
	if best == nil {
		return nil, nil
	}
	return best, best.Results
}

// Failures returns "path -Ol: reason" for every result that failed (not
// refused): a compiler or toolchain error on a valid module.
func (r *Report) Failures() []string {
	var out []string
	for _, row := range r.Rows {
		for _, x := range row.Results {
			if x.Outcome == Failed {
				out = append(out, fmt.Sprintf("%s -O%d: %s", row.Path, x.Level, x.Reason))
			}
		}
	}
	return out
}
