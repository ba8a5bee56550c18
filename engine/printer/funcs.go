package printer

import (
	"strconv"

	"github.com/gcscope/gcscope/engine/wasm"
)

func (p *printer) funcs() {
	base := uint32(p.m.NumImported(wasm.ExternFunc))
	for d := range p.m.Funcs {
		f := &p.m.Funcs[d]
		fi := base + uint32(d)
		p.fn = fi
		p.locals = p.names.localNames(fi)
		line := p.o.newLine(1)
		p.lm.setFuncStart(fi, line)
		p.o.str("(func")
		p.nameAndIndex(p.names.funcs.get(fi), fi)
		p.funcNameAnnotation(fi)
		p.funcHeader(f)
		if p.opts.Folded {
			p.foldedBody(uint32(d), f.Body)
		} else {
			p.flatBody(uint32(d), f.Body)
		}
		p.o.str(")")
		p.lm.setFuncEnd(fi, p.o.line)
	}
	p.locals = nil
}

// funcHeader writes the type use, the parameters and results (parameters
// one by one where they have names), and the locals on the next line.
func (p *printer) funcHeader(f *wasm.Func) {
	b := append(p.buf[:0], " (type "...)
	b = appendRef(b, p.names.types, f.TypeIndex)
	b = append(b, ')')
	nparams := 0
	if c, ok := p.funcType(f.TypeIndex); ok {
		b = p.appendLocalDecls(b, "param", 0, c.Params)
		b = p.appendValTypes(b, "result", c.Results)
		nparams = len(c.Params)
	}
	p.buf = b
	p.o.bytes(b)
	if len(f.Locals) > 0 {
		p.o.newLine(2)
		p.buf = p.appendLocalDecls(p.buf[:0], "local", nparams, f.Locals)
		p.o.bytes(p.buf[1:]) // without the leading space
	}
}

// appendLocalDecls writes parameters or locals numbered from first: named
// ones alone as (param $x i32), runs of unnamed ones together.
func (p *printer) appendLocalDecls(b []byte, keyword string, first int, ts []wasm.ValType) []byte {
	open := false
	for i, t := range ts {
		name := p.locals.get(uint32(first + i))
		if name != "" || !open {
			if open {
				b = append(b, ')')
			}
			b = append(b, " ("...)
			b = append(b, keyword...)
			open = true
			if name != "" {
				b = append(b, ' ')
				b = append(b, name...)
				b = append(b, ' ')
				b = p.appendValType(b, t)
				b = append(b, ')')
				open = false
				continue
			}
		}
		b = append(b, ' ')
		b = p.appendValType(b, t)
	}
	if open {
		b = append(b, ')')
	}
	return b
}

// beginBody resets the label state for function body printing.
func (p *printer) beginBody() {
	p.inBody = true
	p.labels = p.labels[:0]
	p.labelCount = 0
}

// nextLabel numbers the next block-like instruction of a flat body and
// returns its label, set as the label text appendInstr writes.
func (p *printer) nextLabel() label {
	l := label{name: p.names.labelName(p.fn, p.labelCount), depth: len(p.labels) + 1}
	p.labelCount++
	p.setBlockLabel(l)
	return l
}

// setBlockLabel makes l the label appendInstr writes for the next block:
// its identifier, or its @depth in a comment. The label is pushed only
// after the block instruction is written, since try_table's catch labels
// are resolved outside the new block.
func (p *printer) setBlockLabel(l label) {
	if l.name != "" {
		p.blockLabel = l.name
	} else {
		p.blockLabel = "(;@" + strconv.Itoa(l.depth) + ";)"
	}
}

func (p *printer) popLabel() {
	if len(p.labels) > 0 {
		p.labels = p.labels[:len(p.labels)-1]
	}
}

// isBlock reports whether op opens a block that end (or delegate) closes.
func isBlock(op wasm.Opcode) bool {
	switch op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
		return true
	}
	return false
}

// flatBody writes a body one instruction a line, indented by block depth.
// The final end is not written: the function's closing parenthesis, on the
// last line, stands for it.
func (p *printer) flatBody(d uint32, body []wasm.Instr) {
	p.beginBody()
	const base = 2 // the depth of the body's outermost instructions
	depth := base
	for i := range body {
		in := &body[i]
		if i == len(body)-1 && in.Op == wasm.OpEnd {
			p.lm.setInstr(d, i, p.o.line)
			break
		}
		at := depth
		switch in.Op {
		case wasm.OpEnd:
			p.popLabel()
			depth = max(depth-1, base)
			at = depth
		case wasm.OpDelegate:
			// delegate closes the try; its target is counted outside it.
			p.popLabel()
			depth = max(depth-1, base)
			at = depth
		case wasm.OpElse, wasm.OpCatch, wasm.OpCatchAll:
			at = max(depth-1, base)
		}
		p.lm.setInstr(d, i, p.o.newLine(at))
		var l label
		block := isBlock(in.Op)
		if block {
			l = p.nextLabel()
		}
		p.buf = p.appendInstr(p.buf[:0], in)
		p.o.bytes(p.buf)
		p.blockLabel = ""
		if block {
			p.labels = append(p.labels, l)
			depth++
		}
	}
	p.inBody = false
}

// nameAnnotation writes (@name "...") when an item's name could not be its
// identifier as it stands (it repeats another item's name, so the
// identifier got a #index suffix): the annotation keeps the real name, and
// the printed text reads back to the same name section.
func (p *printer) nameAnnotation(names wasm.NameMap, printed nameTable, idx uint32) {
	if p.opts.NoNames {
		return
	}
	orig, ok := names[idx]
	if !ok || orig == "" || printed.get(idx) == identifier(orig) {
		return
	}
	b := append(p.buf[:0], " (@name "...)
	b = appendString(b, []byte(orig), true)
	p.buf = append(b, ')')
	p.o.bytes(p.buf)
}

// funcNameAnnotation is nameAnnotation for function fi.
func (p *printer) funcNameAnnotation(fi uint32) {
	if p.m.Names != nil {
		p.nameAnnotation(p.m.Names.Funcs, p.names.funcs, fi)
	}
}

// tagNameAnnotation is nameAnnotation for tag ti.
func (p *printer) tagNameAnnotation(ti uint32) {
	if p.m.Names != nil {
		p.nameAnnotation(p.m.Names.Tags, p.names.tags, ti)
	}
}
