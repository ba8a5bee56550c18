package runtime

import "github.com/gcscope/gcscope/engine/gc"

// UseAllocBuffer gives the env a thread allocation buffer bumped through
// its record's alloc_cursor and alloc_limit words, if it has none yet
// (threads made by NewThread have one; the main thread gets it at its
// first AllocStruct/AllocArray or native call). AOT code allocates inline
// through these words. The buffer is detached when the env is closed.
func (e *ExecEnv) UseAllocBuffer() error {
	if e.buf != nil {
		return nil
	}
	b := &gc.Buffer{Cursor: &e.Record[EnvAllocCursor], Limit: &e.Record[EnvAllocLimit]}
	if err := e.Store.Heap.GC.AttachBuffer(b); err != nil {
		return err
	}
	e.buf = b
	return nil
}

// DefineType registers the heap layout of struct or array type d, as the
// first allocation of d would: code that allocates d itself (AOT inline
// allocation) calls it beforehand, so the collector can scan the objects.
func (h *Heap) DefineType(d *TypeDef) error { return h.define(d) }

// PublishStarts sets the start bits of the objects AOT code allocated
// inline in the env's buffer since they were last set (gc.Heap.PublishOwn).
// Call it on the env's own thread, before a helper reads objects the code
// may just have allocated.
func (e *ExecEnv) PublishStarts() {
	if e.buf != nil {
		e.Store.Heap.GC.PublishOwn(e.buf)
	}
}
