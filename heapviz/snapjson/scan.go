package snapjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// scanner reads the snapshot's top-level object by hand. encoding/json
// reads a million-object file at a few megabytes a second, since it
// decodes every number of "nodes" and "edges" through reflection; the
// scanner parses those arrays straight into uint32 slices and hands only
// the small members (types, roots, unknown ones) to encoding/json.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) syntaxErr(format string, args ...any) error {
	return &FormatError{Offset: int64(s.pos), Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) eof() error {
	return &FormatError{Offset: int64(len(s.data)), Msg: "unexpected end of file"}
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, or an error at the end.
func (s *scanner) peek() (byte, error) {
	s.ws()
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	return s.data[s.pos], nil
}

func (s *scanner) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return s.syntaxErr("invalid character %q, want %q", got, c)
	}
	s.pos++
	return nil
}

// stringSpan returns the bytes of the string literal at pos, quotes
// included, and whether it has escapes.
func (s *scanner) stringSpan() ([]byte, bool, error) {
	start := s.pos
	escaped := false
	for i := start + 1; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '\\':
			escaped = true
			i++
		case c == '"':
			s.pos = i + 1
			return s.data[start:s.pos], escaped, nil
		case c < 0x20:
			s.pos = i
			return nil, false, s.syntaxErr("control character %#x in a string", c)
		}
	}
	return nil, false, s.eof()
}

// key reads an object member's name.
func (s *scanner) key() (string, error) {
	c, err := s.peek()
	if err != nil {
		return "", err
	}
	if c != '"' {
		return "", s.syntaxErr("invalid character %q, want a member name", c)
	}
	start := s.pos
	span, escaped, err := s.stringSpan()
	if err != nil {
		return "", err
	}
	if !escaped {
		return string(span[1 : len(span)-1]), nil
	}
	var k string
	if err := json.Unmarshal(span, &k); err != nil {
		return "", &FormatError{Offset: int64(start), Msg: "invalid member name: " + err.Error()}
	}
	return k, nil
}

// valueSpan skips one JSON value and returns its bytes. Nesting is only
// counted here; the caller's json.Unmarshal checks the value properly.
func (s *scanner) valueSpan() ([]byte, error) {
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	start := s.pos
	switch c {
	case '"':
		span, _, err := s.stringSpan()
		return span, err
	case '{', '[':
		depth := 0
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case '"':
				if _, _, err := s.stringSpan(); err != nil {
					return nil, err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.pos++
			if depth == 0 {
				return s.data[start:s.pos], nil
			}
		}
		return nil, s.eof()
	}
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.data[start:s.pos], nil
		}
		s.pos++
	}
	return s.data[start:s.pos], nil
}

// unmarshal decodes a member's value with encoding/json, placing its
// errors at their byte offset in the file.
func (s *scanner) unmarshal(name string, v any) error {
	s.ws()
	base := int64(s.pos)
	span, err := s.valueSpan()
	if err != nil {
		return err
	}
	err = json.Unmarshal(span, v)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return &FormatError{Offset: base + badByte(syn.Offset), Msg: name + ": " + syn.Error()}
	case errors.As(err, &typ):
		// encoding/json places type errors after the bad value; a whole
		// member of the wrong type is better placed at its start.
		where, at := name, base
		if typ.Field != "" {
			where, at = name+"."+typ.Field, base+badByte(typ.Offset)
		}
		return &FormatError{Offset: at, Msg: fmt.Sprintf("%s: a JSON %s where %s belongs", where, typ.Value, typ.Type)}
	}
	return &FormatError{Offset: base, Msg: name + ": " + err.Error()}
}

// badByte turns encoding/json's offsets, which count the bytes read up to
// and including the offending one, into that byte's own offset.
func badByte(read int64) int64 { return max(read-1, 0) }

// uints reads an array of unsigned 32-bit integers, the bulk of a file.
func (s *scanner) uints(name string) ([]uint32, error) {
	c, err := s.peek()
	if err != nil {
		return nil, err
	}
	if c == 'n' && s.pos+4 <= len(s.data) && string(s.data[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return nil, nil
	}
	if err := s.expect('['); err != nil {
		return nil, err
	}
	// Size the slice by counting the commas up to the closing bracket (two
	// fast byte scans): growing by append would allocate and copy twice
	// the data. The count only sizes the slice; the parse below checks.
	n := len(s.data) - s.pos
	if end := bytes.IndexByte(s.data[s.pos:], ']'); end >= 0 {
		n = end
	}
	out := make([]uint32, 0, bytes.Count(s.data[s.pos:s.pos+n], []byte{','})+1)
	if c, err := s.peek(); err != nil {
		return nil, err
	} else if c == ']' {
		s.pos++
		return out, nil
	}
	for {
		v, err := s.uint(name, len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		c, err := s.peek()
		if err != nil {
			return nil, err
		}
		s.pos++
		switch c {
		case ',':
		case ']':
			return out, nil
		default:
			s.pos--
			return nil, s.syntaxErr("invalid character %q in %s, want ',' or ']'", c, name)
		}
	}
}

// uint reads element i of array name: a plain decimal fast path, and for
// anything else a check that it is a JSON number at all (a syntax error
// otherwise) before saying why it is not a uint32.
func (s *scanner) uint(name string, i int) (uint32, error) {
	s.ws()
	start := s.pos
	var v uint64
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + uint64(c-'0')
		s.pos++
		if v > math.MaxUint32 {
			break
		}
	}
	n := s.pos - start
	if n > 0 && v <= math.MaxUint32 && !(n > 1 && s.data[start] == '0') && !numberTail(s.data, s.pos) {
		return uint32(v), nil
	}
	s.pos = start
	span, err := s.valueSpan()
	if err != nil {
		return 0, err
	}
	path := fmt.Sprintf("%s[%d]", name, i)
	if len(span) > 0 && (span[0] == '-' || (span[0] >= '0' && span[0] <= '9')) && json.Valid(span) {
		return 0, atPath(path, "%s is not an unsigned 32-bit integer", span)
	}
	if len(span) > 0 && (span[0] == '"' || span[0] == '{' || span[0] == '[' || string(span) == "true" || string(span) == "false" || string(span) == "null") && json.Valid(span) {
		return 0, atPath(path, "%s where a number belongs", describe(span))
	}
	s.pos = start
	return 0, s.syntaxErr("invalid value %s in %s", strconv.Quote(string(span)), name)
}

// numberTail reports whether a number continues at i with a fraction or
// exponent, so its digits so far are not the whole number.
func numberTail(data []byte, i int) bool {
	return i < len(data) && (data[i] == '.' || data[i] == 'e' || data[i] == 'E')
}

func describe(span []byte) string {
	switch span[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return string(span)
}
