package debugger

import (
	"fmt"

	"github.com/gcscope/gcscope/engine/runtime"
)

// GlobalInfo is one global of the target instance.
type GlobalInfo struct {
	Index   int
	Name    string
	Type    string
	Mutable bool
	Text    string
}

// Globals lists the instance's globals with their values.
func (s *Session) Globals() ([]GlobalInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return nil, ErrRunning
	}
	if s.store == nil {
		return nil, ErrExited
	}
	c := s.ctxLocked()
	var out []GlobalInfo
	for i, g := range s.inst.Globals {
		out = append(out, GlobalInfo{Index: i, Name: s.names.globalName(uint32(i)), Type: s.names.typeString(g.Type.Val),
			Mutable: g.Type.Mutable, Text: c.format(g.Get(), 1)})
	}
	return out, nil
}

// TableInfo is one table: its type, size and elements (from First).
type TableInfo struct {
	Index int
	Name  string
	Type  string
	Size  uint64
	First uint64
	Elems []string
}

// Tables lists the instance's tables with up to count elements from
// first (count 0: none).
func (s *Session) Tables(first, count uint64) ([]TableInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return nil, ErrRunning
	}
	if s.store == nil {
		return nil, ErrExited
	}
	c := s.ctxLocked()
	var out []TableInfo
	for i, t := range s.inst.Tables {
		name := fmt.Sprintf("table[%d]", i)
		if n := s.module.Names; n != nil && n.Tables[uint32(i)] != "" {
			name = "$" + n.Tables[uint32(i)]
		}
		ti := TableInfo{Index: i, Name: name, Type: s.names.typeString(t.Type.Elem), Size: t.Size(), First: first}
		for k := first; k < t.Size() && k < first+count; k++ {
			ti.Elems = append(ti.Elems, c.format(runtime.Value{Type: t.Type.Elem, Bits: uint64(t.Elems[k])}, 0))
		}
		out = append(out, ti)
	}
	return out, nil
}

// ReadMemory reads n bytes of memory idx at addr.
func (s *Session) ReadMemory(idx int, addr, n uint64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return nil, ErrRunning
	}
	if s.store == nil {
		return nil, ErrExited
	}
	if idx < 0 || idx >= len(s.inst.Mems) {
		if len(s.inst.Mems) == 0 {
			return nil, fmt.Errorf("the module has no linear memory")
		}
		return nil, fmt.Errorf("no memory %d: the module has %d", idx, len(s.inst.Mems))
	}
	data := s.inst.Mems[idx].Bytes()
	size := uint64(len(data))
	if addr >= size || n > size-addr {
		return nil, fmt.Errorf("address 0x%x+%d is out of bounds: memory %d is 0x%x bytes", addr, n, idx, size)
	}
	return append([]byte(nil), data[addr:addr+n]...), nil
}

// EvalInt evaluates an expression to an integer (an address, a count).
func (s *Session) EvalInt(expr string) (int64, error) {
	n, err := parseExpr(expr)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return 0, ErrRunning
	}
	if s.store == nil {
		return 0, ErrExited
	}
	x, err := s.ctxLocked().eval(n)
	if err != nil {
		return 0, err
	}
	i, _, isF, err := number(x, n)
	if err != nil || isF {
		return 0, fmt.Errorf("%s is not an integer", expr)
	}
	return i, nil
}
