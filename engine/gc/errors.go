package gc

import "errors"

// Errors returned by the heap. ErrOutOfMemory and ErrOutOfBounds carry the
// spec's trap words so the runtime can pass their text through.
var (
	ErrOutOfMemory   = errors.New("out of memory")
	ErrOutOfBounds   = errors.New("out of bounds array access")
	ErrBadRef        = errors.New("gc: not a reference to a live object of the expected kind")
	ErrUndefinedType = errors.New("gc: type id has no layout of the expected kind")
	ErrTypeConflict  = errors.New("gc: type id already defined with a different layout")
	ErrClosed        = errors.New("gc: heap closed")
	ErrBusy          = errors.New("gc: heap is being walked")
	ErrCorrupt       = errors.New("gc: heap corrupt")
	// ErrBufferAttached: a Buffer used with a heap it is not attached to,
	// or attached twice.
	ErrBufferAttached = errors.New("gc: allocation buffer not attached to this heap, or attached twice")
)
