package wasm

import (
	"errors"
	"fmt"
	"strings"
)

// Phase says which check rejected a module.
type Phase uint8

// Front-end phases, as the spec's script assertions name them.
const (
	Malformed Phase = iota + 1 // the binary or text cannot be read
	Invalid                    // it reads, but does not validate
)

func (p Phase) String() string {
	switch p {
	case Malformed:
		return "malformed"
	case Invalid:
		return "invalid"
	}
	return "error"
}

// Error is a front-end error: where it is and what is wrong. Msg starts
// with the spec's own words ("unexpected end", "type mismatch", "unknown
// type", ...) so scripts can match it; anything after a colon is detail.
type Error struct {
	Phase  Phase
	Offset int64 // byte offset in the binary, or -1
	Pos    Pos   // line:column in the text, if the module came from text
	Func   int64 // function index (in the function index space), or -1
	Msg    string
}

// Errorf builds an Error without a place; callers set Offset, Pos or Func.
func Errorf(phase Phase, format string, args ...any) *Error {
	return &Error{Phase: phase, Offset: -1, Func: -1, Msg: fmt.Sprintf(format, args...)}
}

// MalformedAt is a decoding error at a byte offset.
func MalformedAt(offset int64, format string, args ...any) *Error {
	e := Errorf(Malformed, format, args...)
	e.Offset = offset
	return e
}

// MalformedPos is a text error at a line:column.
func MalformedPos(pos Pos, format string, args ...any) *Error {
	e := Errorf(Malformed, format, args...)
	e.Pos = pos
	return e
}

func (e *Error) Error() string {
	var where []string
	if e.Pos.IsValid() {
		where = append(where, e.Pos.String())
	}
	if e.Func >= 0 {
		where = append(where, fmt.Sprintf("func %d", e.Func))
	}
	if e.Offset >= 0 {
		where = append(where, fmt.Sprintf("offset 0x%x", e.Offset))
	}
	if len(where) == 0 {
		return e.Msg
	}
	return strings.Join(where, ", ") + ": " + e.Msg
}

// PhaseOf returns the phase of a front-end error anywhere in err's chain,
// or 0 if err is not one.
func PhaseOf(err error) Phase {
	var e *Error
	if errors.As(err, &e) {
		return e.Phase
	}
	return 0
}
