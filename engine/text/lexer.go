package text

import (
	"unicode/utf8"

	"github.com/gcscope/gcscope/engine/wasm"
)

// tokKind classifies a token as the spec's lexical grammar does.
type tokKind uint8

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tAnnot    // "(@id": text is the annotation id
	tKeyword  // starts with a lowercase letter
	tID       // $name: text is the name without '$'
	tString   // text is the decoded string (arbitrary bytes)
	tAtom     // other idchar runs: numbers and reserved words
	tReserved // runs mixing strings and idchars: never valid, but one token
)

type token struct {
	kind tokKind
	text string
	pos  wasm.Pos
}

// lexer turns source text into tokens. Columns count bytes, 1-based.
type lexer struct {
	src []byte
	// text is src as one string, so token texts are substrings of it
	// rather than one allocation each (a parsed module's names then share
	// the source's memory, which tools keep anyway to show it).
	text      string
	off       int
	line      int
	lineStart int
	// annotDepth counts the annotations being lexed: their contents may
	// hold tokens (like a lone "$") that are errors elsewhere.
	annotDepth int
}

func newLexer(src []byte) *lexer { return &lexer{src: src, text: string(src), line: 1} }

func (lx *lexer) posAt(off int) wasm.Pos {
	return wasm.Pos{Line: int32(lx.line), Col: int32(off - lx.lineStart + 1)}
}

func (lx *lexer) errAt(off int, format string, args ...any) error {
	return wasm.MalformedPos(lx.posAt(off), format, args...)
}

// isIDChar reports whether c may appear in keywords, ids and numbers.
func isIDChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '/', ':', '<', '=', '>', '?', '@', '\\', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isReservedChar marks characters that are not idchars but still form
// (reserved, hence invalid) tokens rather than being illegal outright.
func isReservedChar(c byte) bool {
	switch c {
	case ',', ';', '[', ']', '{', '}':
		return true
	}
	return false
}

// skipSpace skips whitespace and comments.
func (lx *lexer) skipSpace() error {
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == '\n':
			lx.off++
			lx.line++
			lx.lineStart = lx.off
		case c == ' ' || c == '\t' || c == '\r':
			lx.off++
		case c == ';' && lx.peekAt(1) == ';':
			// A line comment ends at a newline: LF, CR, or CR LF.
			for lx.off < len(lx.src) && lx.src[lx.off] != '\n' && lx.src[lx.off] != '\r' {
				lx.off++
			}
		case c == '(' && lx.peekAt(1) == ';':
			if err := lx.blockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (lx *lexer) peekAt(d int) byte {
	if lx.off+d < len(lx.src) {
		return lx.src[lx.off+d]
	}
	return 0
}

// blockComment skips a (possibly nested) "(; ... ;)" comment.
func (lx *lexer) blockComment() error {
	start := lx.off
	depth := 0
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == '(' && lx.peekAt(1) == ';':
			depth++
			lx.off += 2
		case c == ';' && lx.peekAt(1) == ')':
			depth--
			lx.off += 2
			if depth == 0 {
				return nil
			}
		case c == '\n':
			lx.off++
			lx.line++
			lx.lineStart = lx.off
		default:
			lx.off++
		}
	}
	return lx.errAt(start, "unclosed comment")
}

// next returns the next token.
func (lx *lexer) next() (token, error) {
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	if lx.off >= len(lx.src) {
		return token{kind: tEOF, pos: lx.posAt(lx.off)}, nil
	}
	start := lx.off
	pos := lx.posAt(start)
	c := lx.src[lx.off]
	switch {
	case c == '(':
		if lx.peekAt(1) == '@' {
			lx.off += 2
			if c := lx.peekAt(0); !isIDChar(c) && c != '"' {
				if lx.annotDepth > 0 {
					// Inside an annotation, "(@" without an id is just a
					// parenthesis followed by the token "@".
					lx.off = start + 1
					return token{kind: tLParen, pos: pos}, nil
				}
				return token{}, lx.errAt(start, "empty annotation id")
			}
			lx.annotDepth++
			tok, err := lx.run()
			lx.annotDepth--
			if err != nil {
				if start+2 < len(lx.src) && lx.src[start+2] == '"' {
					return tok, lx.errAt(start, "empty annotation id")
				}
				return tok, err
			}
			name := ""
			switch tok.kind {
			case tKeyword, tAtom:
				name = tok.text
			case tString:
				name = tok.text
				if !utf8.ValidString(name) {
					return tok, lx.errAt(start, "malformed UTF-8 encoding")
				}
			case tID:
				name = "$" + tok.text
			case tReserved:
				name = tok.text
			}
			if (name == "" || tok.pos.Col != pos.Col+2 || tok.pos.Line != pos.Line) && lx.annotDepth > 0 {
				// Inside an annotation, "(@" without an id is just a
				// parenthesis followed by the token "@".
				lx.off = start + 1
				return token{kind: tLParen, pos: pos}, nil
			}
			if name == "" || tok.pos.Col != pos.Col+2 || tok.pos.Line != pos.Line {
				return tok, lx.errAt(start, "empty annotation id")
			}
			return token{kind: tAnnot, text: name, pos: pos}, nil
		}
		lx.off++
		return token{kind: tLParen, pos: pos}, nil
	case c == ')':
		lx.off++
		return token{kind: tRParen, pos: pos}, nil
	}
	return lx.run()
}

// run lexes a maximal sequence of idchars and strings. Tokens must be
// separated by space or parentheses, so a run that mixes them (`$l"a"`,
// `0"a"`) is one reserved token, which no grammar rule accepts.
func (lx *lexer) run() (token, error) {
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	start := lx.off
	pos := lx.posAt(start)
	pieces := 0
	strings := 0
	var str []byte
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		if c == '"' {
			strStart := lx.off
			s, err := lx.str()
			if err != nil {
				if strStart == start+1 && lx.src[start] == '$' {
					// The spec interpreter reports a bad $"..." as a
					// missing identifier.
					return token{}, lx.errAt(start, "empty identifier")
				}
				return token{}, err
			}
			str = s
			pieces++
			strings++
			continue
		}
		if !isIDChar(c) && !isReservedChar(c) {
			break
		}
		if c == ';' && lx.peekAt(1) == ';' {
			break // a line comment ends the token
		}
		for lx.off < len(lx.src) && (isIDChar(lx.src[lx.off]) || isReservedChar(lx.src[lx.off])) {
			if lx.src[lx.off] == ';' && lx.peekAt(1) == ';' {
				break
			}
			lx.off++
		}
		pieces++
	}
	if lx.off == start {
		if lx.off < len(lx.src) && lx.src[lx.off] >= 0x80 {
			if r, _ := utf8.DecodeRune(lx.src[lx.off:]); r == utf8.RuneError {
				return token{}, lx.errAt(start, "malformed UTF-8 encoding")
			}
		}
		return token{}, lx.errAt(start, "illegal character")
	}
	raw := lx.text[start:lx.off]
	switch {
	case strings == 1 && pieces == 1:
		return token{kind: tString, text: string(str), pos: pos}, nil
	case strings == 1 && pieces == 2 && raw[0] == '$' && raw[1] == '"':
		if len(str) == 0 {
			return token{}, lx.errAt(start, "empty identifier")
		}
		if !utf8.Valid(str) {
			return token{}, lx.errAt(start, "malformed UTF-8 encoding")
		}
		return token{kind: tID, text: string(str), pos: pos}, nil
	case strings > 0:
		return token{kind: tReserved, text: raw, pos: pos}, nil
	}
	for i := 0; i < len(raw); i++ {
		if isReservedChar(raw[i]) {
			return token{kind: tReserved, text: raw, pos: pos}, nil
		}
	}
	switch {
	case raw[0] == '$':
		if len(raw) == 1 && lx.annotDepth > 0 {
			return token{kind: tReserved, text: raw, pos: pos}, nil
		}
		if len(raw) == 1 {
			return token{}, lx.errAt(start, "empty identifier")
		}
		return token{kind: tID, text: raw[1:], pos: pos}, nil
	case raw[0] >= 'a' && raw[0] <= 'z':
		return token{kind: tKeyword, text: raw, pos: pos}, nil
	}
	return token{kind: tAtom, text: raw, pos: pos}, nil
}

// str lexes a string literal at lx.off and returns its decoded bytes.
func (lx *lexer) str() ([]byte, error) {
	start := lx.off
	lx.off++ // opening quote
	var out []byte
	for {
		if lx.off >= len(lx.src) || lx.src[lx.off] == '\n' {
			return nil, lx.errAt(start, "unclosed string")
		}
		c := lx.src[lx.off]
		switch {
		case c == '"':
			lx.off++
			return out, nil
		case c == '\\':
			n, err := lx.escape(&out)
			if err != nil {
				return nil, err
			}
			lx.off += n
		case c < 0x20 || c == 0x7F:
			return nil, lx.errAt(lx.off, "illegal character")
		default:
			out = append(out, c)
			lx.off++
		}
	}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// escape decodes the escape sequence at lx.off (a backslash), appending
// its bytes, and returns its length in the source.
func (lx *lexer) escape(out *[]byte) (int, error) {
	c := lx.peekAt(1)
	switch c {
	case 't':
		*out = append(*out, '\t')
	case 'n':
		*out = append(*out, '\n')
	case 'r':
		*out = append(*out, '\r')
	case '"', '\'', '\\':
		*out = append(*out, c)
	case 'u':
		if lx.peekAt(2) != '{' {
			return 0, lx.errAt(lx.off, "illegal escape")
		}
		v := 0
		i := 3
		digits := 0
		for ; lx.off+i < len(lx.src) && lx.src[lx.off+i] != '}'; i++ {
			d := hexVal(lx.src[lx.off+i])
			if d < 0 {
				if lx.src[lx.off+i] == '_' && digits > 0 {
					continue
				}
				return 0, lx.errAt(lx.off, "illegal escape")
			}
			digits++
			v = v*16 + d
			if v > 0x10FFFF {
				return 0, lx.errAt(lx.off, "malformed UTF-8 encoding")
			}
		}
		if lx.off+i >= len(lx.src) || digits == 0 {
			return 0, lx.errAt(lx.off, "illegal escape")
		}
		if v >= 0xD800 && v < 0xE000 {
			return 0, lx.errAt(lx.off, "malformed UTF-8 encoding")
		}
		*out = utf8.AppendRune(*out, rune(v))
		return i + 1, nil
	default:
		h, l := hexVal(c), hexVal(lx.peekAt(2))
		if h < 0 || l < 0 {
			return 0, lx.errAt(lx.off, "illegal escape")
		}
		*out = append(*out, byte(h<<4|l))
		return 3, nil
	}
	return 2, nil
}
