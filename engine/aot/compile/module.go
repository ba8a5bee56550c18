package compile

import (
	"fmt"

	"github.com/llir/llvm/ir"
	"github.com/llir/llvm/ir/enum"
	"github.com/llir/llvm/ir/metadata"
	"github.com/llir/llvm/ir/types"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/gc"
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
	likely   map[[2]uint32][]int     // stored ref.funcs per struct field (callref_likely.go)
	likelyW  map[int]*metadata.Tuple // likely targets' branch weights by targets after (callref_likely.go)
	m        *wasm.Module
	mod      *ir.Module
	nImpFunc int
	nImpGlob int
	funcs    []*ir.Func // defined functions
	globals  []wasm.GlobalType
	mems     []wasm.MemoryType // memory index space (memories.go)
	tables   []wasm.TableType  // table index space
	intr     map[string]*ir.Func
	// useIndex numbers instructions by index, for modules without offsets.
	useIndex bool
	noFrames bool
	exn      *modExn           // tags, and whether calls test for exceptions (exn.go)
	tail     map[*ir.Func]bool // functions making or receiving tail calls (tailcall.go)
	frames   []frameInfo       // per defined function
	dbg      *debugGen         // debug builds only (debug.go)
	lines    *lineGen          // line tables for the offset map (lines.go), or nil
	layouts  map[uint32]*gc.Layout
	cold     *metadata.Tuple  // branch weights of cold branches (entrycheck.go)
	rsp      *metadata.Tuple  // the stack pointer's name (entrycheck.go)
	rec      map[int]*recFunc // functions inlined into themselves (recinline.go)
	leaves   *leafState       // small leaves called through clones (leafcall.go)
	probes   *outerProbes     // loops' calls of recursive functions' probes (probe_calls.go)
	unroll   bool             // small loops get two copies (loopunroll.go)
	cursors  bool             // the allocation cursor in a variable (alloc_cursor.go)
	spec     *specState       // debug builds' fast versions (debug_spec.go)
	nulls    nullState        // operand types for null checks (nonnull.go)

	// noLoopVersions is set at -O0, where no optimizer uses a loop's
	// second copy (loopversion.go).
	noLoopVersions bool

	// cursorFuncs marks the functions that keep the allocation cursor
	// in a variable (alloc_cursor.go loopAllocates).
	cursorFuncs []bool
	allocs      []int // each defined function's allocation instructions (cursor_straight.go allocCounts)
}

// frameInfo is what the .aot file records of a function's frame.
type frameInfo struct {
	slots, locals uint32
	maps          []aotfile.WasmStackMap
	stops         []uint32 // debug builds: the stops' offsets
	operandsHome  bool     // debug builds: operands stored as pushed (debug_operands.go)
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
// translation's internal invariants are checked, never trusted). The IR
// is what optimized builds (-O1 and above) start from; -O0 builds leave
// out the second copies of inner loops (loopversion.go).
func GenerateIR(m *wasm.Module) (*ir.Module, error) {
	return GenerateIRFor(m, Options{OptLevel: 2})
}

// GenerateIRFor is GenerateIR for the build opts describe: a debug build's
// stop tests are in it, and at -O0 the inner loops have one copy, so
// `gcscope compile --emit-llvm` shows the IR the compile starts from.
// Only Debug, OptLevel and NoFrameHeaders matter; the module is not split
// into chunks.
func GenerateIRFor(m *wasm.Module, opts Options) (*ir.Module, error) {
	mod, _, err := generate(m, opts)
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
	g := &modGen{m: m, mod: ir.NewModule(), intr: map[string]*ir.Func{}, useIndex: m.Binary == nil,
		noFrames: opts.NoFrameHeaders, noLoopVersions: opts.OptLevel == 0, allocs: allocCounts(m)}
	if opts.Debug {
		g.dbg = &debugGen{stops: make([][]uint32, len(m.Funcs)), slotsWork: slotsWork(opts)}
		info, err := g.analysis() // nonnull.go
		if err != nil {
			return nil, nil, fmt.Errorf("aot: operand stack depths: %w", err)
		}
		g.dbg.homes = operandHomes(m, info, operandsWork(opts)) // debug_operands.go
		g.dbg.plain = debugPlainFuncs(m, opts, g.dbg.homes)
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
	if g.exn, err = newModExn(m); err != nil {
		return nil, nil, err
	}
	g.collectMemories()
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
	var plain []bool
	if g.dbg != nil {
		plain = g.dbg.plain
	}
	g.declareRec(recLevels(m, opts, plain))
	g.declareSpec() // debug_spec.go

	// Small leaves and stubs called as clones (leafcall.go), small loops
	// in two copies (loopunroll.go): optimized release builds.
	g.declareLeaves(opts)
	g.declareProbeCalls(opts) // probe_calls.go
	g.unroll = opts.OptLevel >= 2 && !opts.Debug
	g.cursors = g.unroll && !hasTailCalls(m)
	g.cursorFuncs = make([]bool, len(m.Funcs))
	for i := range m.Funcs {
		g.cursorFuncs[i] = (loopAllocates(m.Funcs[i].Body) || (g.rec[i] == nil && g.straightAllocates(i))) && // cursor_straight.go
			!g.outlinesAllocs(i) // alloc_outline.go
	}
	for i := range m.Funcs {
		if err := g.genFunc(i); err != nil {
			return nil, nil, fmt.Errorf("function %d: %w", g.nImpFunc+i, err)
		}
		g.genEntry(i)
	}
	if err := g.genRecClones(); err != nil {
		return nil, nil, err
	}
	if err := g.genOuterProbes(); err != nil { // probe_calls.go
		return nil, nil, err
	}
	if err := g.genLeafClones(); err != nil { // leafcall.go
		return nil, nil, err
	}
	if err := g.genSpec(); err != nil { // debug_spec.go
		return nil, nil, err
	}
	g.optOutHuge()
	g.hintSmall()
	g.inlineBuilders() // cursor_straight.go
	if g.tail != nil {
		g.useTailConv()
	}
	g.useWasmConv()
	return g.mod, g.frames, nil
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
		return v128T, nil
	case wasm.KindRef:
		// Every reference is a compressed gc.Ref (a 32-bit heap offset,
		// an i31 or null). The heap does not move, so code holds them in
		// registers; at safepoints it also writes them to their frame
		// slots, where the stack maps tell the collector to look.
		return types.I32, nil
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
	ps := []*ir.Param{envParam(), ir.NewParam("top", slotPtr)}
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
	k := 0
	for _, p := range ft.Params {
		var a valueT
		a, k = getSlot(b, slots, k, mustType(p))
		args = append(args, a)
	}
	var out valueT
	if len(ft.Results) > 1 {
		out = b.NewGetElementPtr(types.I64, slots, i64c(0))
		args = append(args, out)
	}
	r := b.NewCall(g.funcs[i], args...)
	if len(ft.Results) == 1 {
		putSlot(b, slots, 0, r)
	}
	b.NewRet(nil)
	g.lines.tagger(e).finish()
}
