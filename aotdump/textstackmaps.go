package aotdump

import (
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// wasmStackMapsSection prints the wasmstackmaps section: a count per
// function, and with --stackmaps the maps themselves, unless the functions
// section is shown too and lists them under each function.
func (t *textWriter) wasmStackMapsSection(s *Section) {
	d := t.d
	c, ok := d.CountStackMaps()
	if !ok {
		return // damaged: the section's problem is printed above
	}
	t.line("  %s", c.String())
	elsewhere := t.o.StackMaps && d.Section("functions") != nil && t.o.selected(d.Section("functions"))
	for i, fm := range d.WasmStackMaps {
		if len(fm) == 0 {
			continue
		}
		t.line("  %s: %s", t.aotFuncLabel(uint32(i)), plural(len(fm), "safepoint"))
		if t.o.StackMaps && !elsewhere {
			t.safepoints(uint32(i), fm, "    ")
		}
	}
	switch {
	case elsewhere && c.Safepoints > 0:
		t.line("  (listed under each function in the functions section)")
	case !t.o.StackMaps && c.Safepoints > 0:
		t.line("  (--stackmaps lists them)")
	}
}

// functionWasmStackMaps prints, under defined function fn in the functions
// section, its safepoints' count and with --stackmaps its maps.
func (t *textWriter) functionWasmStackMaps(fn uint32) {
	maps := t.d.WasmStackMaps
	if maps == nil || uint64(fn) >= uint64(len(maps)) {
		return
	}
	t.line("    %s in wasmstackmaps", plural(len(maps[fn]), "safepoint"))
	if t.o.StackMaps {
		t.safepoints(fn, maps[fn], "    ")
	}
}

// safepoints lists one function's stack maps: each safepoint's Wasm
// offset, the instruction there when the source is known, and the slots
// holding references with what they are.
func (t *textWriter) safepoints(fn uint32, maps []aotfile.WasmStackMap, indent string) {
	for _, m := range maps {
		at := "wasm 0x" + hex32(m.Offset)
		if in := t.src.instr(m.Offset); in != "" {
			at += " (" + in + ")"
		}
		if len(m.Slots) == 0 {
			t.line("%ssafepoint %s: no references", indent, at)
			continue
		}
		parts := make([]string, len(m.Slots))
		for k, s := range m.Slots {
			parts[k] = "slot " + itoa(s) + " = " + t.d.DescribeSlot(fn, s, t.o.Source).Label()
		}
		t.line("%ssafepoint %s: %s", indent, at, strings.Join(parts, ", "))
	}
}

// hex32 writes v in lower-case hex.
func hex32(v uint32) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	i := len(b)
	for {
		i--
		b[i] = digits[v&15]
		v >>= 4
		if v == 0 {
			return string(b[i:])
		}
	}
}

// plural writes "1 safepoint" or "3 safepoints".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(uint32(n)) + " " + what + "s"
}
