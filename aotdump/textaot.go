package aotdump

import (
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// aotContents prints the sections only .aot files have, and raw ones.
func (t *textWriter) aotContents(s *Section) {
	f := t.d.AOT
	switch s.Content {
	case ContentTarget:
		if f.Target != nil {
			t.line("  triple:         %q", f.Target.Triple)
			t.line("  cpu:            %q", f.Target.CPU)
			t.line("  cpu features:   %q", f.Target.CPUFeatures)
			t.line("  code generator: %q", f.Target.CodeGen)
		}
	case ContentFunctions:
		t.aotFunctions()
	case ContentText:
		t.line("  %d bytes of native code for %d functions (--disasm to disassemble)", len(f.Text), len(f.Functions))
	case ContentRodata:
		t.line("  %d bytes of read-only data", len(f.Rodata))
	case ContentRelocs:
		t.relocs()
	case ContentHelpers:
		for _, h := range f.Helpers {
			t.line("  slot %3d: %s", h.Slot, h.Name)
		}
	case ContentOffsetMap:
		for i := range f.OffsetMaps {
			om := &f.OffsetMaps[i]
			t.line("  %s: %d pairs", t.aotFuncLabel(om.Func), len(om.Pairs))
			for _, p := range om.Pairs {
				if p.Wasm == 0 {
					t.line("    native +0x%04x <- (no single wasm instruction)", p.Native)
					continue
				}
				t.line("    native +0x%04x <- %s", p.Native, t.src.describe(p.Wasm))
			}
		}
	case ContentWasmMaps:
		t.wasmStackMapsSection(s)
	default:
		if t.extraContents(s) {
			return
		}
		t.line("  %d bytes, not decoded (--hex shows the bytes the file holds)", s.Size)
	}
}

// aotFuncLabel names defined function i: `func 3 "fib"` (index space).
func (t *textWriter) aotFuncLabel(i uint32) string {
	f := t.d.AOT
	return named("func "+strconv.FormatUint(uint64(f.NumImportedFuncs())+uint64(i), 10), f.FuncName(i))
}

func (t *textWriter) aotFunctions() {
	f := t.d.AOT
	m := t.d.Module
	for i := range f.Functions {
		fn := &f.Functions[i]
		t.line("  %s (defined %d): type %d (%s)", t.aotFuncLabel(uint32(i)), i, fn.TypeIndex, funcTypeString(m, fn.TypeIndex))
		t.line("    code 0x%x..0x%x (%d bytes), frame %d slots (%d locals), %d stack maps",
			fn.CodeOffset, uint64(fn.CodeOffset)+uint64(fn.CodeSize), fn.CodeSize, fn.FrameSlots, fn.Locals, len(fn.StackMaps))
		t.functionWasmStackMaps(uint32(i))
		if !t.o.StackMaps {
			continue
		}
		for _, sm := range fn.StackMaps {
			t.line("    safepoint +0x%04x: refs in slots %s <- %s", sm.NativeOffset, slotList(refSlots(sm.Refs)), t.src.describe(sm.WasmOffset))
		}
	}
}

// slotList writes slot numbers as "[0 3 7]" ("none" when empty).
func slotList(s []uint32) string {
	if len(s) == 0 {
		return "none"
	}
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = strconv.FormatUint(uint64(v), 10)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func (t *textWriter) relocs() {
	f := t.d.AOT
	t.line("  %d relocations", len(f.Relocs))
	if !t.o.Relocs {
		if len(f.Relocs) > 0 {
			t.line("  (--relocs lists them)")
		}
		return
	}
	t.line("  Offset      Type                      Target                 Addend")
	for _, r := range f.Relocs {
		t.line("  0x%08x  %-24s  %-20s  %+d", r.Offset, relocTypeName(f.Header.Target.Arch, r.Type), t.relocTarget(r), r.Addend)
	}
}

// relocTypeName names a relocation type, or gives its number.
func relocTypeName(arch aotfile.Arch, typ aotfile.RelocType) string {
	if n := aotfile.RelocName(arch, typ); n != "" {
		return n
	}
	return "type " + strconv.FormatUint(uint64(typ), 10)
}

// relocTarget describes what a relocation points at.
func (t *textWriter) relocTarget(r aotfile.Reloc) string {
	switch r.Kind {
	case aotfile.TargetFunction:
		return t.aotFuncLabel(r.Index)
	default:
		return r.Kind.String() + "+0x" + strconv.FormatUint(uint64(r.Index), 16)
	}
}
