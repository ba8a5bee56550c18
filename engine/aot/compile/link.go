package compile

import (
	"debug/elf"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
)

// externReloc is a text relocation against a symbol another chunk's
// object defines.
type externReloc struct {
	aotfile.Reloc // Kind and Index unset until resolved
	sym           string
}

// isChunkSymbol reports whether an undefined symbol may be another
// chunk's function: only the compiler's own functions cross chunks.
func isChunkSymbol(name string) bool { return strings.HasPrefix(name, "gcs_func_") }

// textAlign aligns each chunk's code in the linked text (llc aligns
// functions to 16 bytes).
const textAlign = 16

// link concatenates the chunks' objects into one: texts one after the
// other, rodata likewise (each aligned as its object asks), symbols and
// relocations and line table rows moved by their object's base, and every relocation against
// another chunk's function turned into a text relocation to where that
// function landed. The loader then patches them as any call within the
// text.
func link(objs []*object) (*object, error) {
	out := &object{text: []byte{}, syms: map[string]elf.Symbol{}, rodataAlign: 1}
	textBase := make([]uint64, len(objs))
	rodataBase := make([]uint64, len(objs))
	for k, o := range objs {
		tb := alignUp(uint64(len(out.text)), textAlign)
		out.text = append(out.text, make([]byte, tb-uint64(len(out.text)))...)
		out.text = append(out.text, o.text...)
		textBase[k] = tb
		al := max(o.rodataAlign, 1)
		out.rodataAlign = max(out.rodataAlign, al)
		rb := alignUp(uint64(len(out.rodata)), al)
		out.rodata = append(out.rodata, make([]byte, rb-uint64(len(out.rodata)))...)
		out.rodata = append(out.rodata, o.rodata...)
		rodataBase[k] = rb
		for name, s := range o.syms {
			if _, dup := out.syms[name]; dup {
				return nil, fmt.Errorf("aot: link: %s is defined by two chunks", name)
			}
			s.Value += tb
			out.syms[name] = s
		}
		// Each chunk's line table maps its own text: move it with it.
		for _, r := range o.lines {
			r.addr += tb
			out.lines = append(out.lines, r)
		}
	}
	for k, o := range objs {
		for _, r := range o.relocs {
			r.Offset += uint32(textBase[k])
			switch r.Kind {
			case aotfile.TargetText:
				r.Index += uint32(textBase[k])
			case aotfile.TargetRodata:
				r.Index += uint32(rodataBase[k])
			}
			out.relocs = append(out.relocs, r)
		}
		for _, x := range o.externs {
			s, ok := out.syms[linkTarget(x.sym)]
			if !ok {
				return nil, fmt.Errorf("aot: link: no chunk defines %s", x.sym)
			}
			if aotfile.RelocWidth(aotfile.ArchX86_64, x.Type) == 0 {
				return nil, fmt.Errorf("aot: link: relocation type %d against %s is not supported", x.Type, x.sym)
			}
			r := x.Reloc
			r.Offset += uint32(textBase[k])
			r.Kind, r.Index = aotfile.TargetText, uint32(s.Value)
			out.relocs = append(out.relocs, r)
		}
	}
	if len(out.text) > 1<<31 || len(out.rodata) > 1<<31 {
		return nil, fmt.Errorf("aot: link: %d bytes of text, %d of rodata: too large", len(out.text), len(out.rodata))
	}
	return out, nil
}

func alignUp(n, a uint64) uint64 { return (n + a - 1) &^ (a - 1) }
