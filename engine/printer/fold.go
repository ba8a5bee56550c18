package printer

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// node is one instruction of a folded body with what is written inside its
// parentheses: the operands folded into it, and for blocks their bodies.
type node struct {
	i       int // index in the body
	pushes  int // values it leaves on the stack, or unknownArity
	kids    []*node
	body    []*node  // block, loop, try_table; if's then; try's do
	clauses []clause // if's else; try's catch, catch_all and delegate
	end     int      // the end closing a block, -1 if none
	label   uint32   // the block's number among the body's block-like instructions
}

// clause is the else of an if or a handler of a legacy try: the instruction
// that starts it and its body.
type clause struct {
	i    int
	body []*node
}

// folder turns a flat body into nodes. Operands are folded into the
// instruction that consumes them when the arity says so; anything it cannot
// place stays a sibling, which reads back the same.
type folder struct {
	p      *printer
	body   []wasm.Instr
	i      int   // next instruction
	labels []int // the value count of each enclosing label, innermost last
	count  uint32
}

func (p *printer) foldedBody(d uint32, body []wasm.Instr) {
	fo := &folder{p: p, body: body}
	_, fr := p.blockArity(wasm.BlockType{Kind: wasm.BlockFunc, Index: p.funcTypeIndex()})
	fo.labels = append(fo.labels, fr)
	last := len(body)
	if last > 0 && body[last-1].Op == wasm.OpEnd {
		last--
	}
	nodes := fo.seq(last, false, false)
	for fo.i < last { // stray terminators at the top level become plain lines
		nodes = append(nodes, &node{i: fo.i, end: -1})
		fo.i++
		nodes = append(nodes, fo.seq(last, false, false)...)
	}
	p.beginBody()
	for _, n := range nodes {
		p.printNode(d, n, 2)
	}
	p.inBody = false
	if last < len(body) {
		p.lm.setInstr(d, last, p.o.line)
	}
}

func (fo *folder) labelArity(depth uint32) int {
	if int64(depth) >= int64(len(fo.labels)) {
		return unknownArity
	}
	return fo.labels[len(fo.labels)-1-int(depth)]
}

// seq reads instructions up to limit or a terminator: end, and else (inIf)
// or catch, catch_all and delegate (inTry) where they belong.
func (fo *folder) seq(limit int, inIf, inTry bool) []*node {
	var out []*node
	for fo.i < limit {
		in := &fo.body[fo.i]
		switch in.Op {
		case wasm.OpEnd:
			return out
		case wasm.OpElse:
			if inIf {
				return out
			}
		case wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate:
			if inTry {
				return out
			}
		}
		n := &node{i: fo.i, end: -1}
		fo.i++
		pops := 0
		if isBlock(in.Op) {
			pops = fo.block(n, in, limit)
		} else {
			pops, n.pushes = fo.p.arity(in, fo.labelArity)
		}
		out = fold(out, n, pops)
	}
	return out
}

// fold appends n to out, first moving into n the trailing nodes of out that
// produce exactly its pops operands.
func fold(out []*node, n *node, pops int) []*node {
	if pops > 0 {
		sum, k := 0, len(out)
		for k > 0 && sum < pops && out[k-1].pushes > 0 {
			k--
			sum += out[k].pushes
		}
		if sum == pops {
			n.kids = append([]*node(nil), out[k:]...)
			out = out[:k]
		}
	}
	return append(out, n)
}

// block reads a block-like instruction's contents into n and returns how
// many operands may fold into it (only if's condition and parameters, since
// only if has a place for them before its body).
func (fo *folder) block(n *node, in *wasm.Instr, limit int) int {
	n.label = fo.count
	fo.count++
	params, results := fo.p.blockArity(in.Block)
	n.pushes = results
	if in.Op == wasm.OpLoop {
		fo.labels = append(fo.labels, params)
	} else {
		fo.labels = append(fo.labels, results)
	}
	switch in.Op {
	case wasm.OpIf:
		n.body = fo.seq(limit, true, false)
		if fo.i < limit && fo.body[fo.i].Op == wasm.OpElse {
			c := clause{i: fo.i}
			fo.i++
			c.body = fo.seq(limit, false, false)
			n.clauses = append(n.clauses, c)
		}
	case wasm.OpTry:
		n.body = fo.seq(limit, false, true)
		for fo.i < limit {
			op := fo.body[fo.i].Op
			if op != wasm.OpCatch && op != wasm.OpCatchAll && op != wasm.OpDelegate {
				break
			}
			c := clause{i: fo.i}
			fo.i++
			if op == wasm.OpDelegate {
				n.clauses = append(n.clauses, c)
				fo.labels = fo.labels[:len(fo.labels)-1]
				return 0 // delegate ends the try; there is no end
			}
			c.body = fo.seq(limit, false, true)
			n.clauses = append(n.clauses, c)
		}
	default:
		n.body = fo.seq(limit, false, false)
	}
	fo.labels = fo.labels[:len(fo.labels)-1]
	if fo.i < limit && fo.body[fo.i].Op == wasm.OpEnd {
		n.end = fo.i
		fo.i++
	}
	if in.Op == wasm.OpIf && params >= 0 {
		return params + 1
	}
	return 0
}

// printNode writes a node and what it holds, starting on a new line at
// depth, each instruction on its own line.
func (p *printer) printNode(d uint32, n *node, depth int) {
	in := &p.m.Funcs[d].Body[n.i]
	p.lm.setInstr(d, n.i, p.o.newLine(depth))
	p.o.str("(")
	if !isBlock(in.Op) {
		p.buf = p.appendInstr(p.buf[:0], in)
		p.o.bytes(p.buf)
		for _, k := range n.kids {
			p.printNode(d, k, depth+1)
		}
		p.o.str(")")
		return
	}
	l := label{name: p.names.labelName(p.fn, n.label), depth: len(p.labels) + 1}
	p.setBlockLabel(l)
	p.buf = p.appendInstr(p.buf[:0], in)
	p.o.bytes(p.buf)
	p.blockLabel = ""
	// An if's condition is evaluated outside the if, before its label.
	for _, k := range n.kids {
		p.printNode(d, k, depth+1)
	}
	p.labels = append(p.labels, l)
	switch in.Op {
	case wasm.OpIf:
		p.o.newLine(depth + 1)
		p.o.str("(then")
		p.printSeq(d, n.body, depth+2)
		p.o.str(")")
		for _, c := range n.clauses {
			p.lm.setInstr(d, c.i, p.o.newLine(depth+1))
			p.o.str("(else")
			p.printSeq(d, c.body, depth+2)
			p.o.str(")")
		}
	case wasm.OpTry:
		p.o.newLine(depth + 1)
		p.o.str("(do")
		p.printSeq(d, n.body, depth+2)
		p.o.str(")")
		for _, c := range n.clauses {
			ci := &p.m.Funcs[d].Body[c.i]
			if ci.Op == wasm.OpDelegate {
				p.popLabel() // delegate's target is counted outside the try
			}
			p.lm.setInstr(d, c.i, p.o.newLine(depth+1))
			p.o.str("(")
			p.buf = p.appendInstr(p.buf[:0], ci)
			p.o.bytes(p.buf)
			if ci.Op == wasm.OpDelegate {
				p.o.str(")")
				p.o.str(")")
				return
			}
			p.printSeq(d, c.body, depth+2)
			p.o.str(")")
		}
	default:
		p.printSeq(d, n.body, depth+1)
	}
	p.popLabel()
	p.o.str(")")
	if n.end >= 0 {
		p.lm.setInstr(d, n.end, p.o.line)
	}
}

func (p *printer) printSeq(d uint32, nodes []*node, depth int) {
	for _, n := range nodes {
		p.printNode(d, n, depth)
	}
}
