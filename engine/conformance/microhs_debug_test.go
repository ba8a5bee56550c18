package conformance

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

// microhsBreaks is how many breakpoints TestMicroHsMainDebugAOT spreads
// over main's instructions, besides the two at its deepest stack and
// halfway to it.
const microhsBreaks = 6

// debugTier is what TestMicroHsMainDebugAOT needs of an engine.
type debugTier interface {
	runtime.Engine
	SetBreakpoint(*runtime.Func, uint32) (uint32, error)
	Shape(*runtime.Func, uint32) (*interp.FrameShape, error)
}

// TestMicroHsMainDebugAOT: a debug build of a real MicroHs main (its
// operand stack dozens deep over thousands of instructions, so its
// operands are stored as they are pushed and its stops and allocations
// are out of line, compile/debug_operands.go) stops at breakpoints spread over main with
// the interpreter's operand stack, every operand's value (references as
// null or not), and then traps as V8 does; also under GC stress, the
// heap verified.
func TestMicroHsMainDebugAOT(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 44 KB module as a debug build")
	}
	path := filepath.Join(programs(t, "microhs_wasmgc"), microhsAOTFile)
	m, err := loadWasm(path)
	if err != nil {
		t.Fatal(err)
	}
	main := -1
	for _, ex := range m.Exports {
		if ex.Name == "main" && ex.Kind == wasm.ExternFunc {
			main = int(ex.Index) - m.NumImported(wasm.ExternFunc)
		}
	}
	if main < 0 {
		t.Fatal("no exported main")
	}
	body := m.Funcs[main].Body
	run := func(t *testing.T, eng debugTier, cfg runtime.Config, breaks []uint32) (string, *runtime.Store) {
		cfg.Engine = eng
		s := newStore(t, cfg)
		inst, err := s.Instantiate(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := eng.(*interp.Engine); ok {
			if err := interp.CompileAllForDebug(inst); err != nil {
				t.Fatal(err)
			}
		}
		f := inst.ExportedFunc("main")
		for _, off := range breaks {
			if _, err := eng.SetBreakpoint(f, off); err != nil {
				t.Fatal(err)
			}
		}
		var b strings.Builder
		env := s.Env()
		env.OnBreak = func(env *runtime.ExecEnv) error {
			fr := env.Frames[env.Depth-1]
			sh, err := eng.Shape(fr.Func, fr.Offset)
			if err != nil {
				return err
			}
			at := fr.Base
			for _, lt := range sh.Locals {
				at += slotWidth(lt)
			}
			fmt.Fprintf(&b, "%s@%d %d operands:", fr.Func.Name, fr.Offset, len(sh.Operands))
			for _, ot := range sh.Operands {
				switch {
				case ot.IsRef() && env.Slots[at] == 0:
					b.WriteString(" null")
				case ot.IsRef():
					b.WriteString(" ref")
				default:
					fmt.Fprintf(&b, " %x", env.Slots[at])
				}
				at += slotWidth(ot)
			}
			b.WriteString("\n")
			return nil
		}
		_, err = f.Call(zeroArgs(f))
		env.OnBreak = nil
		var tr *runtime.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("main: %v, want a trap", err)
		}
		fmt.Fprintf(&b, "trap %q at %v\n", tr.Msg, tr.Backtrace[0])
		return b.String(), s
	}
	// Breakpoints where main's operand stack is deepest (main builds
	// the program's graph there, then reduces it in callees, where it
	// traps), and spread over the rest.
	info, err := validate.Analyze(m, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deepPC, deepest := 0, 0
	if err := info.Operands(main, func(pc int, ops []wasm.ValType, unreachable bool) {
		if len(ops) > deepest && !unreachable && body[pc].Op != wasm.OpEnd && body[pc].Op != wasm.OpDrop {
			deepPC, deepest = pc, len(ops)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if deepest < 50 || deepest*len(body) <= compile.DefaultDebugOperandsWork {
		t.Fatalf("main's operand stack is at most %d deep over %d instructions: below the bound, the test lost its subject", deepest, len(body))
	}
	breaks := []uint32{body[deepPC].Offset, body[deepPC/2].Offset}
	for k := 1; k <= microhsBreaks; k++ {
		breaks = append(breaks, body[len(body)*k/(microhsBreaks+1)].Offset)
	}
	want, _ := run(t, interp.New(), runtime.Config{}, breaks)
	if strings.Count(want, "\n") < 3 || !strings.Contains(want, " ref") {
		t.Fatalf("the interpreter's stops are too few or hold no reference:\n%.3000s", want)
	}
	if !strings.Contains(want, fmt.Sprintf(" %d operands:", deepest)) {
		t.Fatalf("no stop with main's deepest stack (%d operands):\n%.3000s", deepest, want)
	}
	e := loader.New(nil) // one engine: the module is compiled once
	e.Options.Debug = true
	t.Cleanup(e.Close)
	for _, stress := range []bool{false, true} {
		t.Run(fmt.Sprintf("gcstress=%v", stress), func(t *testing.T) {
			got, s := run(t, e, runtime.Config{GCStress: stress}, breaks)
			if got != want {
				t.Errorf("debug build:\n%.3000s\nthe interpreter:\n%.3000s", got, want)
			}
			if err := s.Heap.GC.Verify(); err != nil {
				t.Errorf("heap: %v", err)
			}
		})
	}
}

// slotWidth is the slots a value of type t takes in a frame.
func slotWidth(t wasm.ValType) uint32 {
	if t.Kind == wasm.KindV128 {
		return 2
	}
	return 1
}
