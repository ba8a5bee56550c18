package aotdump

import (
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
)

// extraContents prints the debug build's debugstops and debugoperands
// sections decoded (wasmstackmaps has its own decoder, textstackmaps.go);
// false for any other optional section, which is then shown as raw
// bytes. A section that does not decode is reported and shown raw.
func (t *textWriter) extraContents(s *Section) bool {
	f := t.d.AOT
	if f == nil || uint64(s.Offset)+uint64(s.Size) > uint64(len(t.d.Data)) {
		return false
	}
	data := t.d.Data[s.Offset : s.Offset+s.Size]
	switch aotfile.SectionID(s.ID) {
	case compile.SectionDebugStops:
		stops, err := compile.DecodeDebugStops(data, len(f.Functions))
		if err != nil {
			t.line("  (does not decode: %v)", err)
			return false
		}
		k := 0
		for i, ss := range stops {
			if len(ss) == 0 {
				t.line("  %s: no stops", t.aotFuncLabel(uint32(i)))
				continue
			}
			t.line("  %s: %d stops, break table entries %d to %d", t.aotFuncLabel(uint32(i)), len(ss), k, k+len(ss)-1)
			var offs []string
			for _, o := range ss {
				offs = append(offs, "0x"+strconv.FormatUint(uint64(o), 16))
			}
			for len(offs) > 0 {
				n := min(len(offs), 12)
				t.line("    %s", strings.Join(offs[:n], " "))
				offs = offs[n:]
			}
			k += len(ss)
		}
		return true
	case compile.SectionDebugOperands:
		homes, err := compile.DecodeDebugOperands(data, len(f.Functions))
		if err != nil {
			t.line("  (does not decode: %v)", err)
			return false
		}
		n := 0
		for i, h := range homes {
			if h {
				t.line("  %s: operands stored as pushed (none read back after a stop)", t.aotFuncLabel(uint32(i)))
				n++
			}
		}
		if n == 0 {
			t.line("  no function stores its operands as pushed: each reads its innermost block's back after a stop")
		}
		return true
	}
	return false
}
