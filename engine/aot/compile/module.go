package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Unsupported reports a module feature the AOT compiler does not handle
// yet; the caller may fall back to the interpreter.
type Unsupported struct{ Msg string }

func (e *Unsupported) Error() string { return "aot: unsupported: " + e.Msg }

func unsupported(format string, args ...any) error {
	return &Unsupported{Msg: fmt.Sprintf(format, args...)}
}

// modGen holds what every function's generation shares.
type modGen struct {
	m        *wasm.Module
	mod      *ir.Module
	nImpFunc int
	nImpGlob int
	funcs    []*ir.Func // defined functions
	globals  []wasm.GlobalType
	intr     map[string]*ir.Func
	// useIndex numbers instructions by index, for modules without offsets.
	useIndex bool
	noFrames bool
	frames   []frameInfo // per defined function
	dbg      *debugGen   // debug builds only (debug.go)
	lines    *lineGen    // line tables for the offset map (lines.go), or nil
}

// frameInfo is what the .aot file records of a function's frame.
type frameInfo struct {
	slots, locals uint32
	maps          []aotfile.WasmStackMap
	stops         []uint32 // debug builds: the stops' offsets
}

var (
	envPtr  = types.NewPointer(types.I64)
	slotPtr = types.NewPointer(types.I64)
)

// GenerateIR translates a validated module into an LLVM module: one
// internal function per defined function, plus an exported entry wrapper
// for each (see EntrySymbol).
//
// The module must have been validated; an invalid one yields an error (the
// translation's internal invariants are checked, never trusted).
func GenerateIR(m *wasm.Module) (*ir.Module, error) {
	mod, _, err := generate(m, Options{})
	return mod, err
}

func generate(m *wasm.Module, opts Options) (mod *ir.Module, frames []frameInfo, err error) {
	if m == nil {
		return nil, nil, fmt.Errorf("aot: no module")
	}
	defer func() {
		if p := recover(); p != nil {
			mod, frames, err = nil, nil, fmt.Errorf("aot: cannot translate the module (is it validated?): %v", p)
		}
	}()
	if err := checkModule(m); err != nil {
		return nil, nil, err
	}
	g := &modGen{m: m, mod: ir.NewModule(), intr: map[string]*ir.Func{}, useIndex: m.Binary == nil,
		noFrames: opts.NoFrameHeaders}
	if opts.Debug {
		g.dbg = &debugGen{stops: make([][]uint32, len(m.Funcs))}
	}
	g.mod.TargetTriple = "x86_64-unknown-linux-gnu"
	if !opts.NoOffsetMap && !g.useIndex {
		g.lines = newLineGen(g.mod)
	}
	for _, im := range m.Imports {
		switch im.Kind {
		case wasm.ExternFunc:
			g.nImpFunc++
		case wasm.ExternGlobal:
			g.nImpGlob++
			g.globals = append(g.globals, im.Global)
		}
	}
	for _, gl := range m.Globals {
		g.globals = append(g.globals, gl.Type)
	}
	for i := range m.Funcs {
		ft, err := g.funcType(uint32(g.nImpFunc + i))
		if err != nil {
			return nil, nil, err
		}
		f := g.mod.NewFunc(funcSymbol(i), retType(ft), sigParams(ft)...)
		f.Linkage = enum.LinkageInternal
		f.FuncAttrs = append(f.FuncAttrs, enum.FuncAttrNoUnwind, ir.AttrPair{Key: "no-builtins"},
			ir.AttrPair{Key: "no-jump-tables", Value: "true"}, ir.AttrPair{Key: "frame-pointer", Value: "none"})
		g.funcs = append(g.funcs, f)
	}
	g.frames = make([]frameInfo, len(m.Funcs))
	for i := range m.Funcs {
		if err := g.genFunc(i); err != nil {
			return nil, nil, fmt.Errorf("function %d: %w", g.nImpFunc+i, err)
		}
		g.genEntry(i)
	}
	return g.mod, g.frames, nil
}

// checkModule refuses what this first slice of the compiler cannot run.
func checkModule(m *wasm.Module) error {
	nMem := len(m.Memories)
	for _, im := range m.Imports {
		switch im.Kind {
		case wasm.ExternMemory:
			nMem++
			if im.Memory.Addr64 {
				return unsupported("memory64")
			}
		case wasm.ExternTag:
			return unsupported("exception tags")
		case wasm.ExternTable:
			if im.Table.Addr64 {
				return unsupported("table64")
			}
		}
	}
	for _, t := range m.Tables {
		if t.Type.Addr64 {
			return unsupported("table64")
		}
	}
	for _, mm := range m.Memories {
		if mm.Type.Addr64 {
			return unsupported("memory64")
		}
		if mm.Type.Shared {
			return unsupported("shared memory")
		}
	}
	if nMem > 1 {
		return unsupported("multiple memories")
	}
	if len(m.Tags) > 0 {
		return unsupported("exception tags")
	}
	for _, t := range m.Types {
		if t.Comp.Kind != wasm.CompFunc {
			return unsupported("GC types")
		}
	}
	return nil
}

// funcType returns the type of function fi of the function index space.
func (g *modGen) funcType(fi uint32) (*wasm.CompositeType, error) {
	ti, ok := g.m.FuncTypeIndex(fi)
	if !ok || int(ti) >= len(g.m.Types) {
		return nil, fmt.Errorf("function %d has no valid type", fi)
	}
	ct := &g.m.Types[ti].Comp
	for _, t := range append(append([]wasm.ValType{}, ct.Params...), ct.Results...) {
		if _, err := llType(t); err != nil {
			return nil, err
		}
	}
	return ct, nil
}

// llType maps a Wasm value type to its LLVM type.
func llType(t wasm.ValType) (types.Type, error) {
	switch t.Kind {
	case wasm.KindI32:
		return types.I32, nil
	case wasm.KindI64:
		return types.I64, nil
	case wasm.KindF32:
		return types.Float, nil
	case wasm.KindF64:
		return types.Double, nil
	case wasm.KindV128:
		return nil, unsupported("SIMD")
	case wasm.KindRef:
		// funcref and externref values are compressed references (32-bit
		// heap offsets). The objects they name are kept alive by the
		// store (funcref objects, host handles), and the heap does not
		// move, so code may hold them in registers across safepoints;
		// GC types, whose objects only frames keep alive, need stack maps
		// and are refused by checkModule.
		if t.Heap >= 0 || t.Heap == wasm.HeapFunc || t.Heap == wasm.HeapExtern ||
			t.Heap == wasm.HeapNoFunc || t.Heap == wasm.HeapNoExtern {
			return types.I32, nil
		}
		return nil, unsupported("reference type %s", t)
	}
	return nil, unsupported("value type %s", t)
}

func mustType(t wasm.ValType) types.Type {
	ty, err := llType(t)
	if err != nil {
		panic(err) // checked by funcType and the local checks first
	}
	return ty
}

// retType is the LLVM return type: void, the single result, or void with
// the results written through a trailing out pointer.
func retType(ft *wasm.CompositeType) types.Type {
	if len(ft.Results) == 1 {
		return mustType(ft.Results[0])
	}
	return types.Void
}

func sigParams(ft *wasm.CompositeType) []*ir.Param {
	// top is where the function writes its frame header: frame headers
	// travel in a register from caller to callee instead of through the
	// env record, so linking one costs a compare and a store.
	ps := []*ir.Param{ir.NewParam("env", envPtr), ir.NewParam("top", slotPtr)}
	for _, p := range ft.Params {
		ps = append(ps, ir.NewParam("", mustType(p)))
	}
	if len(ft.Results) > 1 {
		ps = append(ps, ir.NewParam("out", slotPtr))
	}
	return ps
}

// genEntry emits the exported wrapper of defined function i.
func (g *modGen) genEntry(i int) {
	ft, _ := g.funcType(uint32(g.nImpFunc + i))
	env := ir.NewParam("env", envPtr)
	slots := ir.NewParam("slots", slotPtr)
	e := g.mod.NewFunc(EntrySymbol(i), types.Void, env, slots)
	e.Visibility = enum.VisibilityHidden
	e.FuncAttrs = append(e.FuncAttrs, enum.FuncAttrNoUnwind, ir.AttrPair{Key: "frame-pointer", Value: "none"})
	b := e.NewBlock("")
	top := b.NewIntToPtr(b.NewLoad(types.I64, b.NewGetElementPtr(types.I64, env, i64c(envFrameTop))), slotPtr)
	args := []valueT{env, top}
	for k, p := range ft.Params {
		args = append(args, fromSlot(b, b.NewLoad(types.I64, slotAt(b, slots, k)), mustType(p)))
	}
	var out valueT
	if len(ft.Results) > 1 {
		out = b.NewGetElementPtr(types.I64, slots, i64c(0))
		args = append(args, out)
	}
	r := b.NewCall(g.funcs[i], args...)
	if len(ft.Results) == 1 {
		b.NewStore(toSlot(b, r), slotAt(b, slots, 0))
	}
	b.NewRet(nil)
	g.lines.tagger(e).finish()
}
