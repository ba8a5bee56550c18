package debugger

import (
	"fmt"
	"slices"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Breakpoint is a place to stop at.
type Breakpoint struct {
	ID      int
	Spec    string // the place as the user wrote it
	Func    uint32
	Offset  uint32 // bytecode offset it is patched at
	Temp    bool   // deleted when first hit (tbreak)
	Enabled bool
	Cond    string // condition expression, "" for none
	Hits    int    // times hit (with its condition true)
	cond    node
}

// BreakpointInfo is a breakpoint with its place resolved, for listings.
type BreakpointInfo struct {
	Breakpoint
	Place Place
}

// SetBreakpoint adds a breakpoint at a place (see Resolve's syntax);
// temporary ones are deleted when hit. cond is an expression that must be
// true to stop ("" for none).
func (s *Session) SetBreakpoint(spec string, temp bool, cond string) (*BreakpointInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return nil, ErrRunning
	}
	loc, err := s.resolve(spec, s.curFuncLocked())
	if err != nil {
		return nil, err
	}
	bp := &Breakpoint{Spec: spec, Func: loc.fn, Offset: loc.off, Temp: temp, Enabled: true}
	if cond != "" {
		if bp.cond, err = parseExpr(cond); err != nil {
			return nil, err
		}
		bp.Cond = cond
	}
	if err := s.applyLocked(bp); err != nil {
		return nil, err
	}
	s.nextBP++
	bp.ID = s.nextBP
	s.bps = append(s.bps, bp)
	return s.infoLocked(bp), nil
}

// curFuncLocked is the selected frame's function, or -1.
func (s *Session) curFuncLocked() int64 {
	if fr, ok := s.frameLocked(s.cur); ok && fr.Func != nil {
		return int64(fr.Func.Index)
	}
	return -1
}

// applyLocked patches an enabled breakpoint into the code.
func (s *Session) applyLocked(bp *Breakpoint) error {
	if !bp.Enabled || s.inst == nil || int(bp.Func) >= len(s.inst.Funcs) {
		return nil
	}
	at, err := s.eng.SetBreakpoint(s.inst.Funcs[bp.Func], bp.Offset)
	if err != nil {
		return err
	}
	bp.Offset = at
	return nil
}

// unapplyLocked removes a breakpoint's patch unless another enabled
// breakpoint shares its place.
func (s *Session) unapplyLocked(bp *Breakpoint) {
	for _, o := range s.bps {
		if o != bp && o.Enabled && o.Func == bp.Func && o.Offset == bp.Offset {
			return
		}
	}
	if s.inst != nil && int(bp.Func) < len(s.inst.Funcs) {
		s.eng.ClearBreakpoint(s.inst.Funcs[bp.Func], bp.Offset)
	}
}

func (s *Session) infoLocked(bp *Breakpoint) *BreakpointInfo {
	return &BreakpointInfo{Breakpoint: *bp, Place: s.placeAt(bp.Func, bp.Offset, false)}
}

func (s *Session) findBPLocked(id int) (*Breakpoint, error) {
	for _, bp := range s.bps {
		if bp.ID == id {
			return bp, nil
		}
	}
	return nil, fmt.Errorf("no breakpoint number %d (see breakpoints)", id)
}

// Breakpoints lists the breakpoints in the order they were set.
func (s *Session) Breakpoints() []BreakpointInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []BreakpointInfo
	for _, bp := range s.bps {
		out = append(out, *s.infoLocked(bp))
	}
	return out
}

// DeleteBreakpoint removes a breakpoint by number.
func (s *Session) DeleteBreakpoint(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return ErrRunning
	}
	bp, err := s.findBPLocked(id)
	if err != nil {
		return err
	}
	s.bps = slices.DeleteFunc(s.bps, func(b *Breakpoint) bool { return b == bp })
	s.unapplyLocked(bp)
	return nil
}

// DeleteAllBreakpoints removes every breakpoint.
func (s *Session) DeleteAllBreakpoints() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return ErrRunning
	}
	bps := s.bps
	s.bps = nil
	for _, bp := range bps {
		s.unapplyLocked(bp)
	}
	return nil
}

// EnableBreakpoint enables or disables a breakpoint.
func (s *Session) EnableBreakpoint(id int, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == StateRunning {
		return ErrRunning
	}
	bp, err := s.findBPLocked(id)
	if err != nil {
		return err
	}
	if bp.Enabled == on {
		return nil
	}
	bp.Enabled = on
	if on {
		return s.applyLocked(bp)
	}
	s.unapplyLocked(bp)
	return nil
}

// SetCondition sets (or with "" removes) a breakpoint's condition.
func (s *Session) SetCondition(id int, cond string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bp, err := s.findBPLocked(id)
	if err != nil {
		return err
	}
	if cond == "" {
		bp.cond, bp.Cond = nil, ""
		return nil
	}
	n, err := parseExpr(cond)
	if err != nil {
		return err
	}
	bp.cond, bp.Cond = n, cond
	return nil
}

// hitLocked finds the enabled breakpoints at a frame's place, evaluates
// their conditions and counts hits; it returns the first that stops, and
// the error of a condition that could not be evaluated.
func (s *Session) hitLocked(env *runtime.ExecEnv, fn, off uint32) (*Breakpoint, error) {
	var hit *Breakpoint
	var condErr error
	for _, bp := range s.bps {
		if !bp.Enabled || bp.Func != fn || bp.Offset != off {
			continue
		}
		if bp.cond != nil {
			c := &evalCtx{s: s, env: env, frames: env.ActiveFrames()}
			v, err := c.eval(bp.cond)
			if err != nil {
				condErr = fmt.Errorf("breakpoint %d: condition %s: %w", bp.ID, bp.Cond, err)
			} else if !truthy(v) {
				continue
			}
		}
		bp.Hits++
		if hit == nil {
			hit = bp
		}
	}
	if hit != nil && hit.Temp {
		// Other threads may be running this code: the patch goes at the
		// all-stop this hit makes.
		s.bps = slices.DeleteFunc(s.bps, func(b *Breakpoint) bool { return b == hit })
		s.unpatch = append(s.unpatch, hit)
	}
	return hit, condErr
}

// bpByIDLocked returns breakpoint id if it still exists and is enabled.
func (s *Session) bpByIDLocked(id int) *Breakpoint {
	for _, bp := range s.bps {
		if bp.ID == id && bp.Enabled {
			return bp
		}
	}
	return nil
}
