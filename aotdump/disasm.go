package aotdump

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
	"golang.org/x/arch/x86/x86asm"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// DisasmOptions choose what WriteDisasm shows.
type DisasmOptions struct {
	// Func selects one function by name or index (function index space);
	// "" means every function.
	Func string
	// Source is the module the .aot file was compiled from, if known: its
	// instructions are printed next to the native code compiled from them.
	// Without it only their offsets are.
	Source *wasm.Module
}

// FindFunc returns the defined-function index of the function sel names
// (a name from the names section, or an index in the function index space).
func (d *Dump) FindFunc(sel string) (uint32, error) {
	f := d.AOT
	if f == nil {
		return 0, fmt.Errorf("not an .aot file")
	}
	base := f.NumImportedFuncs()
	for i := range f.Functions {
		if f.FuncName(uint32(i)) == sel || strings.TrimPrefix(sel, "$") == f.FuncName(uint32(i)) && sel != "$" {
			return uint32(i), nil
		}
	}
	if n, err := strconv.ParseUint(sel, 0, 32); err == nil && n >= uint64(base) && n-uint64(base) < uint64(len(f.Functions)) {
		return uint32(n - uint64(base)), nil
	}
	return 0, fmt.Errorf("no compiled function %q (give a name or an index from %d to %d)", sel, base, uint64(base)+uint64(len(f.Functions))-1)
}

// WriteDisasm disassembles the native code of an .aot file's functions,
// interleaving the Wasm instruction each range of code came from (from the
// offset map), the relocations that patch it and its safepoints.
func WriteDisasm(w io.Writer, d *Dump, opts DisasmOptions) error {
	if d.AOT == nil {
		return fmt.Errorf("--disasm needs an .aot file: a .wasm file has no native code")
	}
	f := d.AOT
	sel := -1
	if opts.Func != "" {
		i, err := d.FindFunc(opts.Func)
		if err != nil {
			return err
		}
		sel = int(i)
	}
	bw := bufio.NewWriter(w)
	x := &disasm{d: d, f: f, w: bw, src: newSourceIndex(opts.Source)}
	for i := range f.Functions {
		if sel >= 0 && i != sel {
			continue
		}
		x.function(uint32(i))
	}
	return bw.Flush()
}

type disasm struct {
	d   *Dump
	f   *aotfile.File
	w   *bufio.Writer
	src *sourceIndex
	// starts holds the defined functions' indices sorted by code offset,
	// built on first use by symbol.
	starts []uint32
}

func (x *disasm) line(format string, args ...any) {
	fmt.Fprintf(x.w, format, args...)
	x.w.WriteByte('\n')
}

// funcLabel names defined function i.
func (x *disasm) funcLabel(i uint32) string {
	return named("func "+strconv.FormatUint(uint64(x.f.NumImportedFuncs())+uint64(i), 10), x.f.FuncName(i))
}

// function disassembles defined function i.
func (x *disasm) function(i uint32) {
	fn := &x.f.Functions[i]
	start, end := uint64(fn.CodeOffset), uint64(fn.CodeOffset)+uint64(fn.CodeSize)
	x.line("\n%s: code 0x%x..0x%x, %d bytes, frame %d slots", x.funcLabel(i), start, end, fn.CodeSize, fn.FrameSlots)
	if end > uint64(len(x.f.Text)) {
		x.line("  (code lies outside the %d-byte text section)", len(x.f.Text))
		return
	}
	code := x.f.Text[start:end]
	decode := decodeX86
	switch x.f.Header.Target.Arch {
	case aotfile.ArchX86_64:
	case aotfile.ArchAArch64:
		decode = decodeARM64
	default:
		x.line("  (disassembly of %s code is not supported; --hex --section text shows the bytes)", x.f.Header.Target.Arch)
		return
	}
	om := x.f.OffsetMap(i)
	pair := 0
	for pc := 0; pc < len(code); {
		if om != nil {
			for pair < len(om.Pairs) && uint64(om.Pairs[pair].Native) <= uint64(pc) {
				if w := om.Pairs[pair].Wasm; w == 0 {
					x.line("                                ; (no single wasm instruction)")
				} else {
					x.line("                                ; %s", x.src.describe(w))
				}
				pair++
			}
		}
		n, text := decode(code[pc:], start+uint64(pc), x.symbol)
		if n <= 0 {
			n = 1
		}
		raw := code[pc:min(pc+n, len(code))]
		x.line("  %06x  %-20s  %s%s", start+uint64(pc), hexBytes(raw), text, x.relocNote(uint32(start)+uint32(pc), uint32(n)))
		pc += n
		if sm := fn.StackMapAt(uint32(pc)); sm != nil {
			x.line("                                ; safepoint: refs in slots %s <- %s", slotList(refSlots(sm.Refs)), x.src.describe(sm.WasmOffset))
		}
	}
}

// decodeX86 decodes one instruction, never panicking.
func decodeX86(b []byte, pc uint64, sym x86asm.SymLookup) (n int, text string) {
	defer func() {
		if r := recover(); r != nil {
			n, text = 1, "(bad)"
		}
	}()
	inst, err := x86asm.Decode(b, 64)
	if err != nil {
		return 1, "(bad)"
	}
	// Name only branch targets: an immediate that happens to equal a text
	// offset is not an address.
	var lookup x86asm.SymLookup
	for _, a := range inst.Args {
		if _, ok := a.(x86asm.Rel); ok {
			lookup = sym
		}
	}
	return inst.Len, x86asm.IntelSyntax(inst, pc, lookup)
}

// decodeARM64 decodes one AArch64 instruction (always 4 bytes), never
// panicking.
func decodeARM64(b []byte, pc uint64, sym x86asm.SymLookup) (n int, text string) {
	defer func() {
		if r := recover(); r != nil {
			n, text = 4, "(bad)"
		}
	}()
	if len(b) < 4 {
		return len(b), "(truncated)"
	}
	inst, err := arm64asm.Decode(b[:4])
	if err != nil {
		return 4, "(bad)"
	}
	return 4, arm64asm.GNUSyntax(inst)
}

// symbol names a text address for the disassembler: the function whose
// code holds it.
func (x *disasm) symbol(addr uint64) (string, uint64) {
	if x.starts == nil {
		x.starts = make([]uint32, len(x.f.Functions))
		for i := range x.starts {
			x.starts[i] = uint32(i)
		}
		fs := x.f.Functions
		sort.Slice(x.starts, func(a, b int) bool { return fs[x.starts[a]].CodeOffset < fs[x.starts[b]].CodeOffset })
	}
	fs := x.f.Functions
	// The last function starting at or before addr.
	k := sort.Search(len(x.starts), func(i int) bool { return uint64(fs[x.starts[i]].CodeOffset) > addr }) - 1
	if k < 0 {
		return "", 0
	}
	i := x.starts[k]
	fn := &fs[i]
	if addr >= uint64(fn.CodeOffset)+uint64(fn.CodeSize) {
		return "", 0
	}
	name := x.f.FuncName(i)
	if name == "" {
		name = "func" + strconv.FormatUint(uint64(x.f.NumImportedFuncs())+uint64(i), 10)
	}
	return name, uint64(fn.CodeOffset)
}

// relocNote describes the relocations patching [at, at+n).
func (x *disasm) relocNote(at, n uint32) string {
	var notes []string
	// Relocations are sorted by offset (the reader checks it).
	rs := x.f.Relocs
	k := sort.Search(len(rs), func(i int) bool { return rs[i].Offset >= at })
	for _, r := range rs[k:] {
		if uint64(r.Offset) >= uint64(at)+uint64(n) {
			break
		}
		tgt := r.Kind.String() + "+0x" + strconv.FormatUint(uint64(r.Index), 16)
		if r.Kind == aotfile.TargetFunction {
			tgt = x.funcLabel(r.Index)
		}
		notes = append(notes, fmt.Sprintf("%s %s %+d", relocTypeName(x.f.Header.Target.Arch, r.Type), tgt, r.Addend))
	}
	if len(notes) == 0 {
		return ""
	}
	return "    ; " + strings.Join(notes, "; ")
}

func hexBytes(b []byte) string {
	var s strings.Builder
	for i, c := range b {
		if i > 0 {
			s.WriteByte(' ')
		}
		if i == 8 {
			s.WriteString("..")
			break
		}
		fmt.Fprintf(&s, "%02x", c)
	}
	return s.String()
}
