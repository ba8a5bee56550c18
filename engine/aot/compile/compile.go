package compile

import (
	"encoding/binary"
	"fmt"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Version names the compiler in .aot headers (and keys a compiled-file
// cache): bump it when the generated code changes meaning. 0.2: calls in
// modules that can see exceptions test the pending-exception word (and,
// on another branch, frames with slot areas). 0.3: both, with one
// instance table (global pointers, instance data words, memory
// descriptors). 0.4: offset maps from line tables, debug builds (the
// break table an instance data word). 0.5: table.get/set through the
// op helper's pure pseudo-ops (OpTableGetPure/OpTableSetPure). 0.6: one
// entry compare against the stack guard (ABI 3), call_indirect's direct
// path through the table descriptors, v128 fields and payloads. 0.7
// (aot-bounds): coalesced bounds checks, versioned call-free inner loops.
// 0.8 (aot-gcbench): inline allocations write their whole object (buffers
// are not zeroed) with the header from the header table after the
// canonical ids, and no longer read InstInlineAlloc; small leaf functions
// are inlinehint; the env parameter is dereferenceable. 0.9
// (aot-recinline): small self-recursive functions inlined into themselves
// (levels under one entry check), the entry check as sp - guard < frame
// end, debug builds with the guard's entry check and no header store at
// entry. 1.0 (ABI 4; aot-casts): casts to non-final types read the
// store's supertype display (InstDisplays); the instance table and the
// allocation buffers changed under 0.8 and 1.0, hence the ABI. 1.1 (ABI
// 5): a probe below recursion levels and owed headers (aot-callpath),
// debug builds keep the interrupt word and skip unchanged locals
// (aot-debugfib), helper calls with preserve_most (aot-hostcall), inline
// allocations set no start bits (aot-startbits). 1.2: versioned loops'
// fast copies leave out the checks of accesses their first test guards
// and test the interrupt word once per chunk of iterations (aot-loops);
// no null checks on operands validation proved non-nullable
// (aot-gccalls); level 0 inlines a last self-call that is not a tail
// call, at most 4,000 instructions of level copies per module, header
// words are loaded at entry, allocation slow paths are cold (aot-trees);
// Wasm->Wasm calls under GHC's convention, no callee-saved registers
// (callconv.go; the entry wrappers, hence the ABI, are unchanged), and
// debug builds get the recursion probe (aot-callconv). 1.3: debug
// builds' inlined levels hand their interrupt word back and leave their
// commits owed to the callee (aot-debugcalls), and debug builds version
// call-free loops (aot-debugloops). 1.4: call_ref through the helper
// counts v128 arguments and results as two slots (aot-v128local). 1.5:
// call_ref and return_call_ref find a callee of their own instance from
// the funcref's address (InstFuncRefBase, ABI 6; aot-smallgc), debug
// builds run pure recursive functions speculatively in their release
// translation (debug_spec.go, aot-debugsplit), and min and max return
// their first NaN operand, quieted (aot-diff). 1.6: debug builds keep
// the locals of functions with many locals x instructions in their
// frame slots (debug_slots.go, aot-debugslots). 1.7 (aot-listspeed):
// direct calls of small leaves and of call_ref stubs, and call_ref's
// direct calls of small leaf targets, go to clones without an entry
// check, a direct call's clone owing the caller's commit (leafcall.go);
// small innermost loops are translated twice with one interrupt test
// (loopunroll.go); shared trap blocks keep apart paths that owe a
// level's header and paths that paid it. 1.8: a call_ref whose switch
// calls clones leaves its commit to the switch's paths, the clones owing
// it and the stub's own debt (callref_owed.go), and it compares the
// funcref with the likely targets' first (callref_likely.go) (aot-vcall);
// debug builds call leaves and call_ref stubs and targets through clones
// too, each the callee's debug translation as an inlined level
// (debug_leaf.go), and owed commits hold references (debug_owed.go)
// (aot-debugratio); a direct call in a loop of a function inlined into
// itself goes to its outer probe, whose prefix runs casts, i31
// instructions, array reads and loops that reach the function's end
// (probe_calls.go), and functions with three or more allocations keep
// the allocation cursor in a variable (cursor_straight.go) (aot-i31).
// 1.9: allocations in the small leaves a function calls count towards
// its three, builders (no loop, calls only to small leaves, three or
// more allocations, at most four callers) are inlined into their callers
// (cursor_straight.go), the likely call_ref targets' compares carry
// branch weights that make the switch after them cold
// (callref_likely.go), and immutable globals' values are invariant
// loads in release builds (invariant.go). 1.10: functions with 256 or
// more allocation instructions allocate through a per-function
// out-of-line allocator, the frame committed at each allocation
// (alloc_outline.go). 1.11: debug builds store the operands of functions
// with a deep operand stack x instructions to their slots as they are
// pushed, commit and read back none at stops, and allocate out of line
// in them as release builds do (debug_operands.go). 1.12: catch clauses
// no longer ask the runtime to pin the exnref they hand the code (frame
// slots root it; exn.go).
const Version = "gcscope-aot 1.12"

// SectionEntries is the optional section listing, per defined function,
// the text offset of its entry wrapper (u32 each, little-endian).
const SectionEntries = aotfile.FirstOptionalID + 1

// Options configure a compilation.
type Options struct {
	OptLevel int // 0..3, as llc's -O
	Tools    Tools
	// NoFrameHeaders leaves out the frame-header stack (and with it the
	// call depth limit and backtraces; the native stack limit still turns
	// runaway recursion into "call stack exhausted"). It exists to measure
	// what the headers cost; the runtime expects them otherwise.
	NoFrameHeaders bool
	// Workers bounds how many opt+llc runs of a large module's chunks go
	// at once: 0 means GOMAXPROCS, 1 compiles the module as one chunk.
	Workers int
	// ChunkInstrs is the size of a chunk in Wasm instructions (0:
	// DefaultChunkInstrs); modules under twice this stay one chunk.
	ChunkInstrs int
	// Debug makes a debug build (debug.go, docs/aot-compiler.md "Debug
	// builds"): a stop test before every instruction, every value
	// committed to the frame when one fires. The header's FlagDebug says
	// so.
	Debug bool
	// DebugSlotsWork is, in a debug build, the locals x instructions of a
	// function above which its locals live in their frame slots rather
	// than in registers committed at every stop (debug_slots.go): 0 means
	// DefaultDebugSlotsWork, a negative value every function with locals
	// (to test that path).
	DebugSlotsWork int
	// DebugOperandsWork is, in a debug build, the largest operand stack x
	// instructions of a function above which its operands are stored to
	// their frame slots as they are pushed rather than at every stop
	// (debug_operands.go): 0 means DefaultDebugOperandsWork, a negative
	// value every function with operands (to test that path).
	DebugOperandsWork int
	// NoOffsetMap leaves out the offset map (and the line tables it is
	// read from), to measure what it costs to compile.
	NoOffsetMap bool
	// noRecInline compiles self-recursive functions without inlining
	// them into themselves (recinline.go): the retry when LLVM left a
	// level uninlined.
	noRecInline bool
}

// Compile translates a validated module to an .aot file.
func Compile(m *wasm.Module, opts Options) ([]byte, error) {
	if m == nil {
		return nil, fmt.Errorf("aot: no module")
	}
	if opts.OptLevel < 0 || opts.OptLevel > aotfile.MaxOptLevel {
		return nil, fmt.Errorf("aot: optimization level %d is not 0..%d", opts.OptLevel, aotfile.MaxOptLevel)
	}
	if opts.Debug && opts.NoFrameHeaders {
		return nil, fmt.Errorf("aot: a debug build needs frame headers")
	}
	mod, frames, err := generate(m, opts)
	if err != nil {
		return nil, err
	}
	obj, err := toLinkedObject(m, mod, opts)
	if err != nil {
		return nil, err
	}
	if recLeftover(obj) != "" {
		// A level without an entry check of its own was not inlined
		// (recinline.go): compile the functions without levels.
		opts.noRecInline = true
		if mod, frames, err = generate(m, opts); err != nil {
			return nil, err
		}
		if obj, err = toLinkedObject(m, mod, opts); err != nil {
			return nil, err
		}
	}
	sortRows(obj.lines)
	return build(m, obj, frames, opts)
}

// build assembles the .aot file from the module and the object.
func build(m *wasm.Module, obj *object, frames []frameInfo, opts Options) ([]byte, error) {
	h := aotfile.Header{
		ABIVersion: ABIVersion,
		Target:     aotfile.Target{Arch: aotfile.ArchX86_64, OS: aotfile.OSLinux, PointerSize: 8, Endian: aotfile.LittleEndian},
		OptLevel:   uint8(opts.OptLevel),
		Compiler:   Version,
		Features:   simdFeatures(m),
	}
	h.Features |= memoryFeatures(m)
	if opts.Debug {
		h.Flags |= aotfile.FlagDebug
	}
	if x, err := newModExn(m); err == nil && x.test {
		h.Flags |= aotfile.FlagCatches
	}
	if m.Binary != nil {
		h.ModuleHash = aotfile.ModuleHash(m.Binary)
	}
	b := aotfile.NewBuilder(h)
	b.SetTarget(aotfile.TargetInfo{Triple: "x86_64-unknown-linux-gnu", CPU: CPU,
		CodeGen: fmt.Sprintf("llc 14 -O%d -relocation-model=pic", opts.OptLevel)})
	if err := b.SetModule(m); err != nil {
		return nil, err
	}
	if len(obj.text) > 0 {
		b.SetText(obj.text)
	}
	b.SetRodata(append([]byte{}, obj.rodata...))
	for _, r := range obj.relocs {
		b.AddReloc(r)
	}
	entries := make([]byte, 0, 4*len(m.Funcs))
	var maps [][]aotfile.WasmStackMap
	for i := range m.Funcs {
		e, ok := obj.syms[EntrySymbol(i)]
		if !ok {
			return nil, fmt.Errorf("aot: llc output lacks %s", EntrySymbol(i))
		}
		entries = binary.LittleEndian.AppendUint32(entries, uint32(e.Value))
		// The function's own code, unless opt inlined it into its only
		// caller, the entry wrapper.
		code := e
		if s, ok := obj.syms[funcSymbol(i)]; ok {
			code = s
		}
		fi := frames[i]
		b.AddFunction(aotfile.Function{TypeIndex: m.Funcs[i].TypeIndex, CodeOffset: uint32(code.Value),
			CodeSize: uint32(code.Size), FrameSlots: fi.slots, Locals: fi.locals})
		maps = append(maps, fi.maps)
		if obj.lines != nil {
			b.AddOffsetMap(offsetMap(obj.lines, uint32(i), code.Value, code.Size))
		}
	}
	b.AddExtra(aotfile.RawSection{ID: SectionEntries, Name: "entries", Align: 4, Data: entries})
	b.AddExtra(aotfile.RawSection{ID: aotfile.SectionWasmStackMaps, Name: "wasmstackmaps", Align: 4,
		Data: aotfile.EncodeWasmStackMaps(maps)})
	if opts.Debug {
		stops := make([][]uint32, len(frames))
		homes := make([]bool, len(frames))
		for i, fi := range frames {
			stops[i], homes[i] = fi.stops, fi.operandsHome
		}
		b.AddExtra(aotfile.RawSection{ID: SectionDebugStops, Name: "debugstops", Align: 4, Data: encodeDebugStops(stops)})
		b.AddExtra(aotfile.RawSection{ID: SectionDebugOperands, Name: "debugoperands", Align: 4, Data: encodeDebugOperands(homes)})
	}
	if b.File().Relocs == nil {
		b.File().Relocs = []aotfile.Reloc{}
	}
	b.File().Helpers = []aotfile.Helper{}
	for k, n := range HelperNames {
		b.AddHelper(uint32(k), n)
	}
	return b.Bytes()
}
