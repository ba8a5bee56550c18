package loader

import (
	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// LoadedFile returns the .aot file whose code runs m (compiled or
// preloaded), or nil if m has none yet or the compiler refused it. The
// debugger's sections pane shows it.
func (e *Engine) LoadedFile(m *wasm.Module) *aotfile.File {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.mods[m]; c != nil && c.mod != nil {
		return c.mod.File
	}
	return nil
}
