package aotdump

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/binary/leb128"
	"github.com/gcscope/gcscope/engine/printer"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Helpers that turn parts of a module into words, shared by the printers.

func nameIn(n wasm.NameMap, i uint32) string {
	if n == nil {
		return ""
	}
	return n[i]
}

func typeName(m *wasm.Module, ti uint32) string {
	if m.Names == nil {
		return ""
	}
	return nameIn(m.Names.Types, ti)
}

func fieldName(m *wasm.Module, ti, fi uint32) string {
	if m.Names == nil || m.Names.Fields == nil {
		return ""
	}
	return nameIn(m.Names.Fields[ti], fi)
}

// named appends ` "name"` when name is not empty.
func named(s, name string) string {
	if name == "" {
		return s
	}
	return s + " " + strconv.Quote(name)
}

// fieldString is a struct field or array element type: "mut i8".
func fieldString(f wasm.FieldType) string {
	if f.Mutable {
		return "mut " + f.Storage.String()
	}
	return f.Storage.String()
}

// compString describes a composite type on one line.
func compString(m *wasm.Module, ti uint32, c *wasm.CompositeType) string {
	switch c.Kind {
	case wasm.CompFunc:
		return "func " + wasm.TypeString(c.Params) + " -> " + wasm.TypeString(c.Results)
	case wasm.CompArray:
		if len(c.Fields) == 1 {
			return "array " + fieldString(c.Fields[0])
		}
		return "array ?"
	case wasm.CompStruct:
		parts := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			parts[i] = named(strconv.Itoa(i), fieldName(m, ti, uint32(i))) + ": " + fieldString(f)
		}
		return "struct {" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("composite(%d)", c.Kind)
}

// kindString names a composite kind.
func kindString(k wasm.CompKind) string {
	switch k {
	case wasm.CompFunc:
		return "func"
	case wasm.CompStruct:
		return "struct"
	case wasm.CompArray:
		return "array"
	}
	return fmt.Sprintf("composite(%d)", k)
}

// funcTypeString describes type ti if it exists.
func funcTypeString(m *wasm.Module, ti uint32) string {
	if uint64(ti) < uint64(len(m.Types)) {
		return compString(m, ti, &m.Types[ti].Comp)
	}
	return "?"
}

// exprString writes a constant expression without its final end.
func exprString(dis *printer.Disassembler, e wasm.Expr) string {
	var parts []string
	for i := range e {
		if e[i].Op == wasm.OpEnd && i == len(e)-1 {
			break
		}
		parts = append(parts, dis.InstrString(0, &e[i]))
	}
	return strings.Join(parts, "; ")
}

func limitsString(l wasm.Limits) string {
	if l.HasMax {
		return fmt.Sprintf("min %d max %d", l.Min, l.Max)
	}
	return fmt.Sprintf("min %d", l.Min)
}

func tableString(t wasm.TableType) string {
	s := t.Elem.String() + " " + limitsString(t.Limits)
	if t.Addr64 {
		s += " i64"
	}
	return s
}

func memoryString(t wasm.MemoryType) string {
	s := limitsString(t.Limits) + " pages"
	if t.Shared {
		s += " shared"
	}
	if t.Addr64 {
		s += " i64"
	}
	return s
}

func globalTypeString(g wasm.GlobalType) string {
	if g.Mutable {
		return "mut " + g.Val.String()
	}
	return g.Val.String()
}

// modeString names a segment mode.
func modeString(m wasm.SegmentMode) string {
	switch m {
	case wasm.SegmentActive:
		return "active"
	case wasm.SegmentPassive:
		return "passive"
	case wasm.SegmentDeclarative:
		return "declarative"
	}
	return fmt.Sprintf("mode(%d)", m)
}

// quoteBytes shows up to max bytes as a Go-quoted string, with "..." when
// there are more.
func quoteBytes(b []byte, max int) string {
	if len(b) <= max {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:max])) + "..."
}

// bodySize is the size of a .wasm function body, its size field included,
// read from the binary at f.Offset; 0 if unknown.
func bodySize(bin []byte, f *wasm.Func) uint32 {
	if f.Offset == 0 || uint64(f.Offset) >= uint64(len(bin)) {
		return 0
	}
	v, k, err := leb128.Uint32(bin[f.Offset:])
	if err != nil {
		return 0
	}
	return uint32(k) + v
}

// importedCount counts imports of kind k.
func importedCount(m *wasm.Module, k wasm.ExternKind) uint32 {
	return uint32(m.NumImported(k))
}

// refSlots lists the slots set in a stack map bitmap.
func refSlots(bitmap []byte) []uint32 {
	out := []uint32{}
	for i, by := range bitmap {
		for bit := 0; bit < 8; bit++ {
			if by&(1<<bit) != 0 {
				out = append(out, uint32(i*8+bit))
			}
		}
	}
	return out
}

// kindedMap is one name map of the name section with its kind's name.
type kindedMap struct {
	kind string
	m    wasm.NameMap
}

// kindedIndirect is an indirect name map with its kind's name.
type kindedIndirect struct {
	kind string
	m    wasm.IndirectNameMap
}

// nameMaps lists the name section's direct maps in a fixed order.
func nameMaps(n *wasm.Names) []kindedMap {
	return []kindedMap{{"func", n.Funcs}, {"type", n.Types}, {"table", n.Tables},
		{"memory", n.Memories}, {"global", n.Globals}, {"elem", n.Elems},
		{"data", n.Datas}, {"tag", n.Tags}}
}

// indirectMaps lists the name section's indirect maps in a fixed order.
func indirectMaps(n *wasm.Names) []kindedIndirect {
	return []kindedIndirect{{"local", n.Locals}, {"label", n.Labels}, {"field", n.Fields}}
}

// sortedKeys returns a map's keys in increasing order.
func sortedKeys[V any](m map[uint32]V) []uint32 {
	out := make([]uint32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
