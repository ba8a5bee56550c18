package debugger

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
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

// loadAOT reads an .aot target (a debug build) and returns the engine
// running its code. The file holds no function bodies, which the
// debugger needs (instructions, frame shapes, WAT lines): the caller
// passes the module read from the source file, which must be the one
// the file was compiled from (its hash is in the header).
func loadAOT(path string, src []byte) (*loader.Module, error) {
	mod, err := loader.Load(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !mod.Debug() {
		mod.Close()
		return nil, fmt.Errorf("%s: not a debug build: the debugger needs one (gcscope compile --debug)", path)
	}
	return mod, nil
}

// aotSource finds the source module of an .aot target: opts.SourcePath,
// else FILE.wasm or FILE.wat beside FILE.aot.
func aotSource(opts Options) (string, []byte, error) {
	cands := []string{opts.SourcePath}
	if opts.SourcePath == "" {
		base := strings.TrimSuffix(opts.Path, filepath.Ext(opts.Path))
		cands = []string{base + ".wasm", base + ".wat"}
	}
	for _, p := range cands {
		if b, err := os.ReadFile(p); err == nil {
			return p, b, nil
		} else if opts.SourcePath != "" {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("%s: the debugger needs the module the file was compiled from (its function bodies): put it beside it as %s or name it with --source", opts.Path, strings.Join(cands, " or "))
}

// attachAOT checks that m is the module the .aot file was compiled from
// and makes the engine run the file's code for it.
func attachAOT(path, srcPath string, m *wasm.Module, mod *loader.Module) (*loader.Engine, error) {
	want := mod.File.Header.ModuleHash
	if want == ([32]byte{}) || aotfile.ModuleHash(m.Binary) != want {
		return nil, fmt.Errorf("%s: %s is not the module it was compiled from (module hashes differ)", path, srcPath)
	}
	e := loader.New(nil)
	e.Preload(m, mod)
	return e, nil
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

// AOTPath is the .aot file the session runs, "" unless the target was
// one (with Options.AOT the code is compiled in memory).
func (s *Session) AOTPath() string { return s.aotPath }
