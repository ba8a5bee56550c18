package debugger

import (
	"fmt"
	"strconv"
	"strings"
)

// The expression language of print, set and breakpoint conditions:
//
//	expr    = or
//	or      = and { "||" and }
//	and     = cmp { "&&" cmp }
//	cmp     = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]
//	sum     = prod { ("+" | "-") prod }
//	prod    = unary { ("*" | "/" | "%") unary }
//	unary   = ("-" | "!") unary | postfix
//	postfix = primary { "." NAME | "[" expr [ ":" expr ] "]" }
//	primary = NUMBER | "null" | "true" | "false" | NAME | "(" expr ")"
//
// NAME is a local or global ($n or n, $local0, $global1) or, after a dot,
// a struct field (left, $left or its number) or an array's length;
// $stack[i] is an operand (operands.go).

// node is a parsed expression.
type node interface{ String() string }

type (
	numLit struct {
		text  string
		i     int64
		f     float64
		float bool
	}
	nullLit struct{}
	identN  struct{ name string }
	fieldN  struct {
		x    node
		name string
	}
	indexN struct {
		x, i  node
		hi    node // a range x[i:hi] (print only)
		slice bool
	}
	unaryN struct {
		op string
		x  node
	}
	binaryN struct {
		op   string
		l, r node
	}
)

func (n *numLit) String() string  { return n.text }
func (*nullLit) String() string   { return "null" }
func (n *identN) String() string  { return n.name }
func (n *fieldN) String() string  { return n.x.String() + "." + n.name }
func (n *unaryN) String() string  { return n.op + n.x.String() }
func (n *binaryN) String() string { return n.l.String() + " " + n.op + " " + n.r.String() }
func (n *indexN) String() string {
	if n.slice {
		return fmt.Sprintf("%s[%s:%s]", n.x, n.i, n.hi)
	}
	return fmt.Sprintf("%s[%s]", n.x, n.i)
}

type parser struct {
	toks []string
	pos  int
	src  string
}

const exprHelp = "expressions are paths like $n, node.left.value, arr[3] or arr[0:4], operands like $stack[-1], numbers, null, and the operators == != < <= > >= && || ! + - * / %"

// parseExpr parses an expression.
func parseExpr(src string) (node, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty expression: %s", exprHelp)
	}
	p := &parser{toks: toks, src: src}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q in %q: %s", p.toks[p.pos], src, exprHelp)
	}
	return n, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' && !strings.HasPrefix(s[i:], "0x")) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			if i+1 < len(s) {
				switch two := s[i : i+2]; two {
				case "==", "!=", "<=", ">=", "&&", "||":
					toks = append(toks, two)
					i += 2
					continue
				}
			}
			if !strings.ContainsRune(".[]:()<>!+-*/%", rune(c)) {
				return nil, fmt.Errorf("unexpected character %q in %q: %s", c, s, exprHelp)
			}
			toks = append(toks, string(c))
			i++
		}
	}
	return toks, nil
}

func (p *parser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *parser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *parser) expect(t string) error {
	if got := p.next(); got != t {
		if got == "" {
			return fmt.Errorf("%q ends early: expected %q", p.src, t)
		}
		return fmt.Errorf("expected %q, found %q in %q", t, got, p.src)
	}
	return nil
}

func (p *parser) binary(ops []string, sub func() (node, error), once bool) (node, error) {
	l, err := sub()
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		found := false
		for _, o := range ops {
			found = found || o == op
		}
		if !found {
			return l, nil
		}
		p.pos++
		r, err := sub()
		if err != nil {
			return nil, err
		}
		l = &binaryN{op: op, l: l, r: r}
		if once {
			return l, nil
		}
	}
}

func (p *parser) or() (node, error)  { return p.binary([]string{"||"}, p.and, false) }
func (p *parser) and() (node, error) { return p.binary([]string{"&&"}, p.cmp, false) }
func (p *parser) cmp() (node, error) {
	return p.binary([]string{"==", "!=", "<", "<=", ">", ">="}, p.sum, true)
}
func (p *parser) sum() (node, error)  { return p.binary([]string{"+", "-"}, p.prod, false) }
func (p *parser) prod() (node, error) { return p.binary([]string{"*", "/", "%"}, p.unary, false) }

func (p *parser) unary() (node, error) {
	if op := p.peek(); op == "-" || op == "!" {
		p.pos++
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryN{op: op, x: x}, nil
	}
	return p.postfix()
}

func (p *parser) postfix() (node, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		switch p.peek() {
		case ".":
			p.pos++
			name := p.next()
			if name == "" || !isIdentByte(name[0]) {
				return nil, fmt.Errorf("expected a field name after %q in %q", x.String()+".", p.src)
			}
			x = &fieldN{x: x, name: name}
		case "[":
			p.pos++
			i, err := p.or()
			if err != nil {
				return nil, err
			}
			ix := &indexN{x: x, i: i}
			if p.peek() == ":" {
				p.pos++
				if ix.hi, err = p.or(); err != nil {
					return nil, err
				}
				ix.slice = true
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			x = ix
		default:
			return x, nil
		}
	}
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch {
	case t == "":
		return nil, fmt.Errorf("%q ends early: %s", p.src, exprHelp)
	case t == "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case t == "null":
		return &nullLit{}, nil
	case t == "true":
		return &numLit{text: t, i: 1}, nil
	case t == "false":
		return &numLit{text: t, i: 0}, nil
	case t[0] >= '0' && t[0] <= '9':
		if i, err := strconv.ParseInt(t, 0, 64); err == nil {
			return &numLit{text: t, i: i}, nil
		}
		if u, err := strconv.ParseUint(t, 0, 64); err == nil {
			return &numLit{text: t, i: int64(u)}, nil
		}
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return &numLit{text: t, f: f, float: true}, nil
		}
		return nil, fmt.Errorf("bad number %q in %q", t, p.src)
	case isIdentByte(t[0]):
		return &identN{name: t}, nil
	}
	return nil, fmt.Errorf("unexpected %q in %q: %s", t, p.src, exprHelp)
}
