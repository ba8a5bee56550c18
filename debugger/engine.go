package debugger

import (
	"bytes"
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// debugEngine is what the session needs of an engine besides running
// code: breakpoints placed at instructions, stepping for one thread, and
// the shape of a frame at an offset. Both engine/interp (debug code) and
// engine/aot/loader (debug builds) provide it; either calls
// ExecEnv.OnBreak and OnInterrupt with every frame committed in the same
// slot numbering, so the rest of the debugger does not know which runs.
type debugEngine interface {
	runtime.Engine
	SetBreakpoint(f *runtime.Func, offset uint32) (uint32, error)
	ClearBreakpoint(f *runtime.Func, offset uint32)
	SetStepping(env *runtime.ExecEnv, on bool)
	Shape(f *runtime.Func, offset uint32) (*interp.FrameShape, error)
}

var (
	_ debugEngine = (*interp.Engine)(nil)
	_ debugEngine = (*loader.Engine)(nil)
)

// aotMagic starts an .aot file (docs/aot-format.md).
var aotMagic = []byte("\x00gca")

// isAOTFile reports whether src is an .aot file.
func isAOTFile(src []byte) bool { return bytes.HasPrefix(src, aotMagic) }

// loadAOT reads an .aot target: the module it was compiled from and an
// engine running its code, which must be a debug build.
func loadAOT(path string, src []byte) (*wasm.Module, *loader.Engine, error) {
	mod, err := loader.Load(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if !mod.Debug() {
		mod.Close()
		return nil, nil, fmt.Errorf("%s: not a debug build: the debugger needs one (gcscope compile --debug)", path)
	}
	e := loader.New(nil)
	e.Preload(mod.File.Module, mod)
	return mod.File.Module, e, nil
}

// newAOTEngine compiles debug builds (through the compile cache in dir,
// if any) and refuses what the compiler does not support rather than
// falling back to the interpreter: a session runs one tier.
func newAOTEngine(dir string) *loader.Engine {
	e := loader.New(nil)
	e.Options = compile.Options{OptLevel: 2, Debug: true}
	e.CacheDir = dir
	return e
}

// engine returns the engine of the next run: the session's AOT engine
// (kept across restarts, so the code is compiled once), or a new
// interpreter.
func (s *Session) engine() debugEngine {
	if s.aot != nil {
		return s.aot
	}
	return interp.New()
}

// prepare readies inst's code for debugging before it runs: the
// interpreter compiles every function as debug code; AOT code must be a
// native debug build.
func (s *Session) prepare(eng debugEngine, inst *runtime.Instance) error {
	if _, ok := eng.(*interp.Engine); ok {
		// Debug code: every Wasm instruction stays an instruction of its
		// own, so breakpoints and steps land exactly where asked.
		return interp.CompileAllForDebug(inst)
	}
	for _, f := range inst.Funcs {
		if f.Inst == inst && f.Def != nil && len(f.Def.Body) > 0 {
			if _, err := eng.SetBreakpoint(f, f.Def.Body[0].Offset); err != nil {
				return fmt.Errorf("%s: %w", s.opts.Path, err)
			}
			eng.ClearBreakpoint(f, f.Def.Body[0].Offset)
			return nil
		}
	}
	return nil
}

// Tier names the engine the session runs: "interpreter" or "aot".
func (s *Session) Tier() string {
	if s.aot != nil {
		return "aot"
	}
	return "interpreter"
}
