package mem

import "unsafe"

// SizeAddr returns the address of the word that holds the memory's
// current size in bytes (what Len returns), for AOT code that reads the
// size without calling into Go. The word is updated atomically after the
// new pages are accessible, so a reader that sees a size may access every
// byte below it; it stays valid while the Linear is reachable and open.
// Code outside the Go heap that keeps the address must pin the Linear.
func (m *Linear) SizeAddr() *uint64 { return m.region.committedAddr() }

// committedAddr is the address of the committed byte count: an
// atomic.Uint64 is a single uint64 (its other fields take no space).
func (r *Region) committedAddr() *uint64 { return (*uint64)(unsafe.Pointer(&r.committed)) }
