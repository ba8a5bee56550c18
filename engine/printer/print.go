package printer

import (
	"io"
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Options control the printed form.
type Options struct {
	// Folded writes function bodies as nested s-expressions, operands
	// inside the instruction that uses them. The default is the flat form
	// of wasm2wat: one instruction a line, blocks closed by end.
	Folded bool
	// Indent is one level of indentation; "" means two spaces.
	Indent string
	// NoNames ignores the name section and writes plain indices.
	NoNames bool
}

// Print writes m as a text-format module and returns where each function and
// instruction was printed. The text reads back (text.ParseModule) as the
// same module, apart from how names are stored. It never panics on a
// malformed module: indices out of range are printed as numbers and missing
// pieces are skipped; a nil module prints as an empty one. The only errors
// are w's.
func Print(w io.Writer, m *wasm.Module, opts Options) (*LineMap, error) {
	if m == nil {
		m = &wasm.Module{}
	}
	if opts.Indent == "" {
		opts.Indent = "  "
	}
	p := newPrinter(m, opts.NoNames)
	p.opts = opts
	p.o = newOutput(w, opts.Indent)
	p.lm = newLineMap(m)
	p.module()
	p.lm.finish(p.o.line)
	if err := p.o.finish(); err != nil {
		return nil, err
	}
	return p.lm, nil
}

// printer holds what printing a module needs: the module, its identifiers
// and the output.
type printer struct {
	m     *wasm.Module
	names *moduleNames
	opts  Options
	o     *output
	lm    *LineMap
	buf   []byte // scratch for building one instruction's text

	// The function being printed: its index and the identifiers of its
	// locals (nil when it has none).
	fn     uint32
	locals nameTable
	// inBody is set while a function body is printed, so label depths can
	// be resolved; blockLabel is the label text for the block instruction
	// being written.
	inBody     bool
	blockLabel string
	// labels is the stack of enclosing blocks while printing a body.
	labels []label
	// labelCount numbers the block-like instructions of the function, as
	// the name section's label map does.
	labelCount uint32
}

func newPrinter(m *wasm.Module, noNames bool) *printer {
	if m == nil {
		m = &wasm.Module{}
	}
	p := &printer{m: m}
	if noNames {
		p.names = newModuleNames(nil)
	} else {
		p.names = newModuleNames(m.Names)
	}
	return p
}

func (p *printer) module() {
	o := p.o
	o.newLine(0)
	o.str("(module")
	if p.names.module != "" {
		o.str(" ")
		o.str(p.names.module)
	}
	p.typeSection()
	p.imports()
	p.tables()
	p.memories()
	p.tags()
	p.globals()
	p.exports()
	p.start()
	p.elems()
	p.funcs()
	p.datas()
	p.customs()
	o.str(")")
}

// def starts a definition line "(kind $name (;i;)" at depth 1.
func (p *printer) def(kind, name string, index uint32) {
	p.o.newLine(1)
	p.o.str("(")
	p.o.str(kind)
	p.nameAndIndex(name, index)
}

// nameAndIndex writes " $name (;i;)", the identifier when there is one and
// the index as a comment for orientation.
func (p *printer) nameAndIndex(name string, index uint32) {
	if name != "" {
		p.o.str(" ")
		p.o.str(name)
	}
	p.o.str(" (;")
	var num [20]byte
	p.o.bytes(strconv.AppendUint(num[:0], uint64(index), 10))
	p.o.str(";)")
}

// appendRef writes a reference to item i of an index space: its identifier, or
// its index.
func appendRef(b []byte, t nameTable, i uint32) []byte {
	if s := t.get(i); s != "" {
		return append(b, s...)
	}
	return strconv.AppendUint(b, uint64(i), 10)
}

// funcType returns type ti when it is a function type.
func (p *printer) funcType(ti uint32) (*wasm.CompositeType, bool) {
	if int64(ti) >= int64(len(p.m.Types)) {
		return nil, false
	}
	c := &p.m.Types[ti].Comp
	return c, c.Kind == wasm.CompFunc
}
