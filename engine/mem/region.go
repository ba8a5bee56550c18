package mem

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// ErrClosed is returned by operations on a Region or Linear after Close.
var ErrClosed = errors.New("mem: region closed")

// osPageSize is the granularity of mprotect; reservations and commits are
// rounded up to it.
var osPageSize = uint64(os.Getpagesize())

// Region is a contiguous range of address space outside the Go heap. It is
// reserved whole when created (inaccessible, costing no memory) and its
// prefix is made readable and writable by Commit, so the bytes never move:
// Base stays valid for the Region's life, which is what AOT code, shared
// memories and the non-moving GC heap rely on.
//
// A Region is freed by Close. A cleanup unmaps it if it becomes unreachable
// without Close, so slices obtained from Bytes or Words must not outlive the
// Region itself: keep the Region (or its owner) reachable while using them.
type Region struct {
	mu        sync.Mutex // serializes Commit and Close
	mapping   []byte     // the whole reservation, as returned by mmap
	committed atomic.Uint64
	cleanup   runtime.Cleanup
}

// CommitSize is how many bytes a Commit of n makes accessible: n rounded
// up to whole OS pages. Callers that keep something per committed byte
// (the GC heap's start bitmap) size it from this, not from n.
func CommitSize(n uint64) (uint64, bool) { return roundUp(n, osPageSize) }

// Reserve reserves size bytes of address space (rounded up to the OS page
// size, at least one page) and commits none of it.
func Reserve(size uint64) (*Region, error) {
	n, ok := roundUp(size, osPageSize)
	if !ok || n > maxReservation {
		return nil, fmt.Errorf("mem: reservation of %d bytes is too large", size)
	}
	if n == 0 {
		n = osPageSize
	}
	m, err := mmap(n)
	if err != nil {
		return nil, fmt.Errorf("mem: reserving %d bytes: %w", n, err)
	}
	r := &Region{mapping: m}
	// The safety net: unmap if the owner forgets Close. The argument is the
	// mapping, not r, so the cleanup does not keep r alive.
	r.cleanup = runtime.AddCleanup(r, func(m []byte) { _ = syscall.Munmap(m) }, m)
	return r, nil
}

// mmap reserves n bytes. Regions dropped without Close are unmapped by
// cleanups, which only run after a Go collection; a program that drops
// many memories while allocating little Go memory can run out of address
// space first, so on ENOMEM it collects, lets the cleanups run and retries.
func mmap(n uint64) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		m, err := syscall.Mmap(-1, 0, int(n), syscall.PROT_NONE,
			syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
		if err != syscall.ENOMEM || attempt == 3 {
			return m, err
		}
		runtime.GC()
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
}

// Alloc reserves and commits size bytes at once: the fixed-size regions the
// runtime uses for frame stacks and exec env records.
func Alloc(size uint64) (*Region, error) {
	r, err := Reserve(size)
	if err != nil {
		return nil, err
	}
	if err := r.Commit(size); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// maxReservation bounds a single reservation (64 GiB): far more than any
// memory gcscope reserves, small enough that a corrupt size cannot ask for
// the whole address space.
const maxReservation = 64 << 30

// Commit makes the first n bytes readable and writable (n is rounded up to
// the OS page size). Committing less than is already committed does nothing;
// committed memory is never taken back before Close. New bytes read as zero.
func (r *Region) Commit(n uint64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mapping == nil {
		return ErrClosed
	}
	want, ok := roundUp(n, osPageSize)
	if !ok || want > uint64(len(r.mapping)) {
		return fmt.Errorf("mem: commit of %d bytes exceeds the %d-byte reservation", n, len(r.mapping))
	}
	have := r.committed.Load()
	if want <= have {
		return nil
	}
	if err := syscall.Mprotect(r.mapping[have:want], syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		return fmt.Errorf("mem: committing %d bytes: %w", want-have, err)
	}
	// Publish the size only after the pages are accessible, so a concurrent
	// reader of Bytes never sees an inaccessible byte.
	r.committed.Store(want)
	return nil
}

// Decommit gives the physical memory behind the whole OS pages inside
// [off, off+n) back to the OS and returns how many bytes that covered. The
// bytes stay accessible and read as zero afterwards; memory is taken again
// when they are next written. Ranges beyond the committed part are clipped.
func (r *Region) Decommit(off, n uint64) (uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mapping == nil {
		return 0, ErrClosed
	}
	end := r.committed.Load()
	if n <= end && off <= end-n {
		end = off + n
	}
	lo, ok := roundUp(off, osPageSize)
	hi := end &^ (osPageSize - 1)
	if !ok || hi <= lo {
		return 0, nil
	}
	if err := syscall.Madvise(r.mapping[lo:hi], syscall.MADV_DONTNEED); err != nil {
		return 0, err
	}
	return hi - lo, nil
}

// Committed is the number of committed (accessible) bytes.
func (r *Region) Committed() uint64 { return r.committed.Load() }

// Reserved is the size of the reservation in bytes (0 after Close).
func (r *Region) Reserved() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return uint64(len(r.mapping))
}

// Bytes is the committed part of the region. Its length only grows; take a
// fresh slice after Commit. It is nil after Close.
func (r *Region) Bytes() []byte {
	n := r.committed.Load()
	m := r.mapping
	if m == nil {
		return nil
	}
	return m[:n:n]
}

// Words is the committed part of the region as 64-bit words (the region is
// page-aligned, so every word is aligned): the slots of a frame stack.
func (r *Region) Words() []uint64 {
	b := r.Bytes()
	if len(b) < 8 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}

// Base is the address of the first byte of the region, for code outside Go
// (AOT code, the exec env record). It is 0 after Close.
func (r *Region) Base() uintptr {
	m := r.mapping
	if m == nil {
		return 0
	}
	return uintptr(unsafe.Pointer(&m[0]))
}

// Close unmaps the region. Slices and addresses obtained from it become
// invalid. Closing twice is harmless.
func (r *Region) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mapping == nil {
		return nil
	}
	r.cleanup.Stop()
	err := syscall.Munmap(r.mapping)
	r.mapping = nil
	r.committed.Store(0)
	return err
}

// roundUp rounds n up to a multiple of the power of two a, reporting false
// on overflow.
func roundUp(n, a uint64) (uint64, bool) {
	m := (n + a - 1) &^ (a - 1)
	return m, m >= n
}
