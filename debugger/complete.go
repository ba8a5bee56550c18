package debugger

import (
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// CompleteExpr returns completions of the path an expression ends with:
// local and global names, or after a dot the fields of the struct the
// path leads to. Each completion is the whole word that replaces the
// path's last part.
func (s *Session) CompleteExpr(prefix string) []string {
	start := len(prefix)
	for start > 0 && (isIdentByte(prefix[start-1]) || prefix[start-1] == '.' || prefix[start-1] == '[' || prefix[start-1] == ']') {
		start--
	}
	path := prefix[start:]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store == nil || s.state == StateRunning {
		return nil
	}
	var cands []string
	word := path
	if dot := strings.LastIndexByte(path, '.'); dot >= 0 {
		word = path[dot+1:]
		base, err := parseExpr(path[:dot])
		if err != nil {
			return nil
		}
		c := s.ctxLocked()
		x, err := c.eval(base)
		if err != nil || x.v.Type.Kind != wasm.KindRef {
			return nil
		}
		info := s.store.Describe(x.v)
		switch info.Kind {
		case runtime.RefStruct:
			d := s.store.Types.Def(info.Type)
			for i := range d.Comp.Fields {
				cands = append(cands, s.names.fieldName(info.Type, i))
			}
		case runtime.RefArray:
			cands = append(cands, "length")
		}
	} else {
		if fr, ok := s.frameLocked(s.cur); ok && s.state == StateStopped {
			vars, _ := s.localsOf(fr)
			for _, v := range vars {
				cands = append(cands, v.name)
			}
			cands = append(cands, "$stack[") // operands.go
		}
		for i := range s.inst.Globals {
			cands = append(cands, s.names.globalName(uint32(i)))
		}
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, word) || strings.HasPrefix(c, "$"+word) {
			out = append(out, c)
		}
	}
	return out
}
