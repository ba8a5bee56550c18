package debugger

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Place is where a thread or frame is: a function, the bytecode offset of
// the current instruction, and its WAT line:column when the module came
// from text.
type Place struct {
	Func   uint32 // index in the function space
	Name   string // "$fib", or "func[3]"
	Offset uint32 // bytecode offset of the instruction (in the module binary)
	Rel    uint32 // Offset from the function's first instruction
	Pos    wasm.Pos
	File   string // the text file's name, when Pos is valid
	Host   bool   // a host function (no offset)
}

// String writes the place as "$fib+0x5 (@0x3c) at fib.wat:13:7".
func (p Place) String() string {
	if p.Host {
		return p.Name + " <host>"
	}
	s := fmt.Sprintf("%s+0x%x (@0x%x)", p.Name, p.Rel, p.Offset)
	if p.Pos.IsValid() {
		s += fmt.Sprintf(" at %s:%d:%d", p.File, p.Pos.Line, p.Pos.Col)
	}
	return s
}

// placeOf describes a frame's place.
func (s *Session) placeOf(fr runtime.Frame) Place {
	if fr.Func == nil {
		return Place{Name: "?"}
	}
	return s.placeAt(fr.Func.Index, fr.Offset, fr.Func.Host != nil || fr.Func.Inst != s.inst)
}

func (s *Session) placeAt(fn, off uint32, host bool) Place {
	p := Place{Func: fn, Name: s.names.funcName(fn), Offset: off, Host: host}
	if host {
		return p
	}
	if b := s.code.body(fn); len(b) > 0 && off >= b[0].Offset {
		p.Rel = off - b[0].Offset
	}
	p.Pos = s.code.pos(fn, off)
	if p.Pos.IsValid() {
		p.File = s.Name()
	}
	return p
}

// location is a resolved breakpoint location.
type location struct {
	fn  uint32
	off uint32
}

// locationHelp is the syntax of places, for error messages.
const locationHelp = "a place is FUNC (name like $fib or fib, or func[N]), FUNC+OFFSET (from the function's first instruction), LINE or FILE:LINE (a WAT line), or *0xADDR (a bytecode offset)"

// resolve parses a place; cur is the selected frame's function (for a
// bare "+OFFSET"), or -1.
func (s *Session) resolve(spec string, cur int64) (location, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return location{}, fmt.Errorf("no place given: %s", locationHelp)
	}
	// *0xADDR or 0xADDR: an absolute bytecode offset.
	if a := strings.TrimPrefix(spec, "*"); a != spec || strings.HasPrefix(spec, "0x") {
		off, err := strconv.ParseUint(a, 0, 32)
		if err != nil {
			return location{}, fmt.Errorf("bad offset %q: %s", a, locationHelp)
		}
		fn, ok := s.code.funcOfOffset(uint32(off))
		if !ok {
			return location{}, fmt.Errorf("no function's code holds offset 0x%x", off)
		}
		return location{fn, uint32(off)}, nil
	}
	// FILE:LINE or LINE.
	lineSpec := spec
	if i := strings.LastIndexByte(spec, ':'); i >= 0 {
		lineSpec = spec[i+1:]
	}
	if line, err := strconv.ParseUint(lineSpec, 10, 31); err == nil {
		return s.resolveLine(int32(line))
	}
	// FUNC, FUNC+OFF, +OFF.
	name, rel := spec, uint64(0)
	if i := strings.LastIndexByte(spec, '+'); i >= 0 {
		var err error
		if rel, err = strconv.ParseUint(spec[i+1:], 0, 32); err != nil {
			return location{}, fmt.Errorf("bad offset %q in %q: %s", spec[i+1:], spec, locationHelp)
		}
		name = spec[:i]
	}
	var fn uint32
	if name == "" {
		if cur < 0 {
			return location{}, fmt.Errorf("+OFFSET needs a selected frame: %s", locationHelp)
		}
		fn = uint32(cur)
	} else {
		var ok bool
		if fn, ok = s.names.findFunc(name); !ok {
			return location{}, fmt.Errorf("no function %q: %s", name, locationHelp)
		}
	}
	b := s.code.body(fn)
	if len(b) == 0 {
		return location{}, fmt.Errorf("%s is imported: it has no code to stop in", s.names.funcName(fn))
	}
	off := b[0].Offset + uint32(rel)
	if off > b[len(b)-1].Offset || rel > uint64(b[len(b)-1].Offset) {
		return location{}, fmt.Errorf("%s has no instruction at +0x%x (its code is 0x%x bytes)", s.names.funcName(fn), rel, b[len(b)-1].Offset-b[0].Offset+1)
	}
	return location{fn, off}, nil
}

// resolveLine finds the instruction at a WAT line: of the source when the
// module came from text, else of the disassembly (the disassemble command's
// numbering).
func (s *Session) resolveLine(line int32) (location, error) {
	if s.src != nil {
		l, _, ok := s.code.atLine(line)
		if !ok {
			return location{}, fmt.Errorf("no instruction at line %d of %s (or in the 20 lines after it)", line, s.Name())
		}
		return location{l.fn, s.code.body(l.fn)[l.i].Offset}, nil
	}
	lm := s.disasm().lm
	for l := int(line); l < int(line)+20; l++ {
		if fn, i, ok := lm.At(l); ok {
			return location{fn, s.code.body(fn)[i].Offset}, nil
		}
	}
	return location{}, fmt.Errorf("no instruction at line %d of the disassembly", line)
}
