package loader

import (
	goruntime "runtime"
	"sync"
)

// pinSet holds the Pinners of an engine's instances (global values and
// memories whose addresses native code keeps). A runtime.Pinner still
// pinning when it is collected is a fatal error, and `gcscope run` and
// tests drop engines without Close: a cleanup on the engine unpins the
// set then. The set references only the pinners (and through them the
// pinned globals and memories), never the engine or a store, so the
// engine can become unreachable.
type pinSet struct {
	mu   sync.Mutex
	pins []*goruntime.Pinner
}

func (p *pinSet) add() *goruntime.Pinner {
	p.mu.Lock()
	defer p.mu.Unlock()
	pn := &goruntime.Pinner{}
	p.pins = append(p.pins, pn)
	return pn
}

// unpinAll releases every pin (the pinners stay usable).
func (p *pinSet) unpinAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pn := range p.pins {
		pn.Unpin()
	}
}

// reset unpins everything and forgets the pinners (Engine.Close; nil
// for an engine that never ran anything).
func (p *pinSet) reset() {
	if p == nil {
		return
	}
	p.unpinAll()
	p.mu.Lock()
	p.pins = nil
	p.mu.Unlock()
}
