package text

import (
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// sexpr is one node of the S-expression tree the parser works on: an atom
// (a token) or a parenthesized list. Annotations are kept apart from the
// ordinary children, so the grammar rules never see them unless they ask.
type sexpr struct {
	list bool
	tok  token // the atom; for a list, its '(' position (and annotation id)
	kids []*sexpr
	// annots are the annotations written directly inside this list; at is
	// how many ordinary children preceded each one.
	annots []annotation
	annot  string // for an annotation list: its id (without '@')
	end    wasm.Pos
}

type annotation struct {
	at   int
	node *sexpr
}

func (n *sexpr) pos() wasm.Pos {
	if n == nil {
		return wasm.Pos{}
	}
	return n.tok.pos
}

// head returns the keyword a list starts with, or "".
func (n *sexpr) head() string {
	if n != nil && n.list && len(n.kids) > 0 && n.kids[0].tok.kind == tKeyword {
		return n.kids[0].tok.text
	}
	return ""
}

// is reports whether n is a list starting with keyword kw.
func (n *sexpr) is(kw string) bool { return n.head() == kw }

// isKeyword reports whether n is the atom keyword kw.
func (n *sexpr) isKeyword(kw string) bool {
	return n != nil && !n.list && n.tok.kind == tKeyword && n.tok.text == kw
}

func (n *sexpr) isAtom(k tokKind) bool { return n != nil && !n.list && n.tok.kind == k }

// maxDepth bounds the nesting of parentheses: the converters recurse over
// folded instructions, and a goroutine's stack, though growable, is not
// unlimited.
const maxDepth = 100000

// parseSexprs reads the whole source into a root list holding the
// top-level nodes. Any lexical error or unbalanced parenthesis fails it.
//
// Large modules have millions of nodes, so nodes come from slabs and the
// children of open lists collect on one shared stack, each list getting an
// exactly sized slice when it closes.
func parseSexprs(src []byte) (*sexpr, error) {
	lx := newLexer(src)
	var slab []sexpr
	alloc := func() *sexpr {
		if len(slab) == 0 {
			slab = make([]sexpr, 256)
		}
		n := &slab[0]
		slab = slab[1:]
		return n
	}
	root := &sexpr{list: true, tok: token{kind: tLParen, pos: wasm.Pos{Line: 1, Col: 1}}}
	stack := []*sexpr{root}
	bases := []int{0} // where each open list's children start in pending
	var pending []*sexpr
	closeList := func(n *sexpr, base int) {
		if len(pending) > base {
			n.kids = append([]*sexpr(nil), pending[base:]...)
		}
		pending = pending[:base]
	}
	for {
		tok, err := lx.next()
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch tok.kind {
		case tEOF:
			if len(stack) > 1 {
				if top.annot != "" {
					return nil, wasm.MalformedPos(top.pos(), "unclosed annotation")
				}
				return nil, wasm.MalformedPos(tok.pos, "unexpected end of input: unclosed parenthesis opened at %v", top.pos())
			}
			closeList(root, 0)
			root.end = tok.pos
			return root, nil
		case tLParen, tAnnot:
			n := alloc()
			n.list, n.tok = true, tok
			if tok.kind == tAnnot || top.annot != "" {
				lx.annotDepth++
			}
			if tok.kind == tAnnot {
				n.annot = tok.text
				top.annots = append(top.annots, annotation{at: len(pending) - bases[len(bases)-1], node: n})
			} else {
				pending = append(pending, n)
			}
			stack = append(stack, n)
			bases = append(bases, len(pending))
			if len(stack) > maxDepth {
				return nil, wasm.MalformedPos(tok.pos, "unexpected token: parentheses nested deeper than %d", maxDepth)
			}
		case tRParen:
			if len(stack) == 1 {
				return nil, wasm.MalformedPos(tok.pos, "unexpected token: unbalanced ')'")
			}
			top.end = tok.pos
			closeList(top, bases[len(bases)-1])
			stack = stack[:len(stack)-1]
			bases = bases[:len(bases)-1]
			if top.annot != "" || stack[len(stack)-1].annot != "" {
				lx.annotDepth--
			}
		default:
			n := alloc()
			n.tok = tok
			pending = append(pending, n)
		}
	}
}

// cursor walks the children of a list.
type cursor struct {
	n    *sexpr
	kids []*sexpr
	i    int
}

func newCursor(n *sexpr, skip int) *cursor {
	return &cursor{n: n, kids: n.kids, i: skip}
}

func (c *cursor) done() bool { return c.i >= len(c.kids) }

// peek returns the next child without consuming it, or nil at the end.
func (c *cursor) peek() *sexpr {
	if c.i < len(c.kids) {
		return c.kids[c.i]
	}
	return nil
}

// peek2 returns the child after the next one, or nil.
func (c *cursor) peek2() *sexpr {
	if c.i+1 < len(c.kids) {
		return c.kids[c.i+1]
	}
	return nil
}

func (c *cursor) next() *sexpr {
	if c.i < len(c.kids) {
		c.i++
		return c.kids[c.i-1]
	}
	return nil
}

// pos is the position of the next child, or of the closing parenthesis.
func (c *cursor) pos() wasm.Pos {
	if n := c.peek(); n != nil {
		return n.pos()
	}
	return c.n.end
}

// optID consumes an $id if one is next.
func (c *cursor) optID() (string, wasm.Pos, bool) {
	if n := c.peek(); n.isAtom(tID) {
		c.i++
		return n.tok.text, n.pos(), true
	}
	return "", wasm.Pos{}, false
}

// unexpected is the error for a child no rule accepts here.
func unexpected(n *sexpr, c *cursor) error {
	if n == nil {
		return wasm.MalformedPos(c.pos(), "unexpected token: missing item before ')'")
	}
	return tokenError(n)
}

// tokenError describes a child in the spec interpreter's words: reserved
// words and unknown keywords are "unknown operator", anything else in the
// wrong place is an "unexpected token".
func tokenError(n *sexpr) error {
	if !n.list {
		switch n.tok.kind {
		case tAtom:
			if isNumber(n.tok.text) {
				return wasm.MalformedPos(n.pos(), "unexpected token %s", n.tok.text)
			}
			return wasm.MalformedPos(n.pos(), "unknown operator %s", n.tok.text)
		case tReserved:
			return wasm.MalformedPos(n.pos(), "unknown operator %s", n.tok.text)
		case tKeyword:
			return keywordError(n)
		case tString:
			return wasm.MalformedPos(n.pos(), "unexpected token: string")
		case tID:
			return wasm.MalformedPos(n.pos(), "unexpected token $%s", n.tok.text)
		}
	}
	if h := n.head(); h != "" {
		if err := keywordError(n.kids[0]); !strings.HasPrefix(err.(*wasm.Error).Msg, "unexpected token") {
			return err
		}
		return wasm.MalformedPos(n.pos(), "unexpected token (%s ...)", h)
	}
	if len(n.kids) > 0 && !n.kids[0].list && (n.kids[0].tok.kind == tReserved || n.kids[0].tok.kind == tAtom) {
		return tokenError(n.kids[0])
	}
	return wasm.MalformedPos(n.pos(), "unexpected token")
}

// grammarKeywords are the words of the text format's grammar other than
// instruction mnemonics: the spec's lexer knows them, so a misplaced one is
// an "unexpected token", while an unknown word is an "unknown operator".
var grammarKeywords = map[string]bool{}

func init() {
	for _, w := range []string{"module", "func", "param", "result", "type", "local", "global",
		"table", "memory", "elem", "data", "import", "export", "start", "offset", "item",
		"declare", "mut", "ref", "null", "rec", "sub", "final", "struct", "array", "field",
		"then", "else", "end", "do", "catch", "catch_all", "catch_ref", "catch_all_ref",
		"delegate", "tag", "shared", "unshared", "i8", "i16", "binary", "quote", "definition",
		"instance", "register", "invoke", "get", "either", "inf", "nan", "i8x16", "i16x8",
		"i32x4", "i64x2", "f32x4", "f64x2", "thread", "wait"} {
		grammarKeywords[w] = true
	}
	for k := range numTypes {
		grammarKeywords[k] = true
	}
	for k := range refShorthands {
		grammarKeywords[k] = true
	}
	for k := range wasm.AbstractHeapByName {
		grammarKeywords[k] = true
	}
}

// keywordError is the error for a keyword no rule accepts where it is.
func keywordError(n *sexpr) error {
	w := n.tok.text
	if grammarKeywords[w] || len(wasm.LookupName(w)) > 0 || strings.HasPrefix(w, "offset=") ||
		strings.HasPrefix(w, "align=") || strings.HasPrefix(w, "nan:") || strings.HasPrefix(w, "assert_") {
		return wasm.MalformedPos(n.pos(), "unexpected token %s", w)
	}
	return wasm.MalformedPos(n.pos(), "unknown operator %s", w)
}

// isNumber reports whether an atom is a well-formed number literal.
func isNumber(s string) bool {
	_, ierr := parseInt(s, 64)
	_, ferr := parseFloat(s, f64Format)
	return ierr != errNotNumber || ferr != errNotNumber
}
