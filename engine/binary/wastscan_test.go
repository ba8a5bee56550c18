package binary

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a small, test-only reader for the binary modules written in
// the spec suite's .wast scripts: `(module $id? binary "..."...)`, alone or
// inside an assertion. It parses just enough S-expression syntax (comments,
// strings, parentheses) to find them; the real script parser lives in
// engine/text.

// sexp is an atom (tok) or a list.
type sexp struct {
	tok    string // atom text; strings keep their quotes
	list   []*sexp
	isList bool
	line   int
}

type wastScanner struct {
	src  string
	pos  int
	line int
}

func (s *wastScanner) skipSpace() error {
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.line++
			s.pos++
		case c == ' ' || c == '\t' || c == '\r':
			s.pos++
		case strings.HasPrefix(s.src[s.pos:], ";;"):
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		case strings.HasPrefix(s.src[s.pos:], "(;"):
			depth := 0
			for s.pos < len(s.src) {
				switch {
				case strings.HasPrefix(s.src[s.pos:], "(;"):
					depth++
					s.pos += 2
				case strings.HasPrefix(s.src[s.pos:], ";)"):
					depth--
					s.pos += 2
				default:
					if s.src[s.pos] == '\n' {
						s.line++
					}
					s.pos++
				}
				if depth == 0 {
					break
				}
			}
			if depth != 0 {
				return fmt.Errorf("line %d: unterminated block comment", s.line)
			}
		default:
			return nil
		}
	}
	return nil
}

// next reads one S-expression; it returns nil at the end of the input or
// at a closing parenthesis (which it consumes).
func (s *wastScanner) next() (*sexp, error) {
	if err := s.skipSpace(); err != nil {
		return nil, err
	}
	if s.pos >= len(s.src) {
		return nil, nil
	}
	line := s.line
	switch c := s.src[s.pos]; c {
	case ')':
		s.pos++
		return nil, nil
	case '(':
		s.pos++
		l := &sexp{isList: true, line: line}
		for {
			if err := s.skipSpace(); err != nil {
				return nil, err
			}
			if s.pos >= len(s.src) {
				return nil, fmt.Errorf("line %d: unclosed list", line)
			}
			if s.src[s.pos] == ')' {
				s.pos++
				return l, nil
			}
			x, err := s.next()
			if err != nil {
				return nil, err
			}
			l.list = append(l.list, x)
		}
	case '"':
		start := s.pos
		s.pos++
		for s.pos < len(s.src) && s.src[s.pos] != '"' {
			if s.src[s.pos] == '\\' {
				s.pos++
			}
			if s.pos < len(s.src) && s.src[s.pos] == '\n' {
				s.line++
			}
			s.pos++
		}
		if s.pos >= len(s.src) {
			return nil, fmt.Errorf("line %d: unterminated string", line)
		}
		s.pos++
		return &sexp{tok: s.src[start:s.pos], line: line}, nil
	default:
		start := s.pos
		s.pos++ // an atom has at least one character (a lone ';' included)
		for s.pos < len(s.src) {
			c := s.src[s.pos]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"' || c == ';' {
				break
			}
			s.pos++
		}
		return &sexp{tok: s.src[start:s.pos], line: line}, nil
	}
}

// unquote decodes a wast string literal: \hh bytes, \n \t \r \\ \' \",
// and \u{...} code points written as UTF-8.
func unquote(lit string) ([]byte, error) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return nil, fmt.Errorf("not a string: %s", lit)
	}
	s := lit[1 : len(lit)-1]
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		i++
		if i >= len(s) {
			return nil, fmt.Errorf("dangling escape in %s", lit)
		}
		switch c := s[i]; c {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case '\\', '\'', '"':
			out = append(out, c)
		case 'u':
			end := strings.IndexByte(s[i:], '}')
			if i+1 >= len(s) || s[i+1] != '{' || end < 0 {
				return nil, fmt.Errorf("bad \\u escape in %s", lit)
			}
			v, err := strconv.ParseUint(strings.ReplaceAll(s[i+2:i+end], "_", ""), 16, 32)
			if err != nil {
				return nil, fmt.Errorf("bad \\u escape in %s: %v", lit, err)
			}
			out = utf8.AppendRune(out, rune(v))
			i += end
		default:
			if i+1 >= len(s) {
				return nil, fmt.Errorf("bad escape in %s", lit)
			}
			v, err := strconv.ParseUint(s[i:i+2], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad escape in %s: %v", lit, err)
			}
			out = append(out, byte(v))
			i++
		}
	}
	return out, nil
}

// wastBinary is one binary module found in a script.
type wastBinary struct {
	line int
	// context is the head of the enclosing form ("assert_malformed",
	// "assert_invalid", ...), or "module" for a module at top level.
	context string
	// expected is the assertion's message, if any.
	expected string
	bytes    []byte
}

// binaryModule returns the bytes of a `(module ... binary "...")` form, or
// false if x is not one.
func binaryModule(x *sexp) ([]byte, bool, error) {
	if !x.isList || len(x.list) < 2 || x.list[0].tok != "module" {
		return nil, false, nil
	}
	i := 1
	for i < len(x.list) && !x.list[i].isList && (strings.HasPrefix(x.list[i].tok, "$") ||
		x.list[i].tok == "definition" || x.list[i].tok == "instance") {
		i++
	}
	if i >= len(x.list) || x.list[i].tok != "binary" {
		return nil, false, nil
	}
	var b []byte
	for _, s := range x.list[i+1:] {
		part, err := unquote(s.tok)
		if err != nil {
			return nil, false, fmt.Errorf("line %d: %v", x.line+1, err)
		}
		b = append(b, part...)
	}
	return b, true, nil
}

// scanWast returns every binary module in a script.
func scanWast(src string) ([]wastBinary, error) {
	s := &wastScanner{src: src}
	var out []wastBinary
	for {
		x, err := s.next()
		if err != nil {
			return out, err
		}
		if x == nil {
			if s.pos >= len(s.src) {
				return out, nil
			}
			return out, fmt.Errorf("line %d: unbalanced )", s.line+1)
		}
		if !x.isList || len(x.list) == 0 {
			continue
		}
		if b, ok, err := binaryModule(x); err != nil {
			return out, err
		} else if ok {
			out = append(out, wastBinary{line: x.line + 1, context: "module", bytes: b})
			continue
		}
		// An assertion: its first argument may be a binary module, and a
		// string after it is the expected message.
		for j, arg := range x.list[1:] {
			b, ok, err := binaryModule(arg)
			if err != nil {
				return out, err
			}
			if !ok {
				continue
			}
			wb := wastBinary{line: arg.line + 1, context: x.list[0].tok, bytes: b}
			if k := j + 2; k < len(x.list) && strings.HasPrefix(x.list[k].tok, "\"") {
				msg, err := unquote(x.list[k].tok)
				if err != nil {
					return out, err
				}
				wb.expected = string(msg)
			}
			out = append(out, wb)
		}
	}
}
