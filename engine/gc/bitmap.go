package gc

import (
	"math/bits"
	"sync/atomic"

	"github.com/gcscope/gcscope/engine/mem"
)

// bitmap has one bit per 8-byte granule of the heap.
//
// The heap keeps a start bitmap with a bit set where an object begins. It
// tells a real object from an arbitrary even number in one load, so a bad
// reference from the runtime or the debugger is ignored instead of
// corrupting the heap, and it lets the sweep skip dead objects without
// reading them. Every allocation path sets the bit, except AOT code's
// inline one, whose bits the runtime sets when it needs them
// (buffer_publish.go). The collector's mark bits are a second bitmap of
// the same shape.
type bitmap []uint64

func bitmapWords(heapBytes uint64) int { return int(heapBytes/512 + 1) }

func (m bitmap) set(off uint64) { m[off>>9] |= 1 << (off >> 3 & 63) }

// setShared is set for the start bitmap, whose words threads bumping
// through neighbouring allocation buffers update at the same time.
func (m bitmap) setShared(off uint64) { atomic.OrUint64(&m[off>>9], 1<<(off>>3&63)) }

// has reports whether the bit for off is set; offsets beyond the map are
// not. The word is loaded atomically (a plain mov on x86-64): another
// thread may be publishing its buffer's bits into it (buffer_publish.go).
func (m bitmap) has(off uint64) bool {
	return off>>9 < uint64(len(m)) && atomic.LoadUint64(&m[off>>9])&(1<<(off>>3&63)) != 0
}

// count returns how many bits are set for the offsets in [from, to)
// (8-byte aligned), reading each word atomically: threads may be setting
// bits of neighbouring buffers meanwhile. Whole words are counted in a
// plain loop (a sealed 32 KiB buffer is 64 of them, counted at every
// refill).
func (m bitmap) count(from, to uint64) uint64 {
	to = min(to, uint64(len(m))<<9)
	if from >= to {
		return 0
	}
	lo, hi := from>>9, to>>9 // the words holding from and to
	first := atomic.LoadUint64(&m[lo]) >> (from >> 3 & 63)
	if lo == hi {
		return uint64(popcount(first & (1<<((to-from)>>3) - 1)))
	}
	n := uint64(popcount(first))
	for i := lo + 1; i < hi; i++ {
		n += uint64(popcount(atomic.LoadUint64(&m[i])))
	}
	if k := to >> 3 & 63; k != 0 {
		n += uint64(popcount(atomic.LoadUint64(&m[hi]) & (1<<k - 1)))
	}
	return n
}

func popcount(x uint64) int { return bits.OnesCount64(x) }

// bitmapMem keeps a bitmap outside the Go heap, reserved for the whole
// heap reservation and committed as the heap grows, so its address never
// changes: AOT code sets start bits through StartBitmap.
type bitmapMem struct {
	r *mem.Region
}

func newBitmapMem(maxHeap uint64) (*bitmapMem, error) {
	r, err := mem.Reserve(uint64(bitmapWords(maxHeap)) * 8)
	if err != nil {
		return nil, err
	}
	return &bitmapMem{r: r}, nil
}

// cover commits enough of the bitmap for heapBytes and returns it.
func (m *bitmapMem) cover(heapBytes uint64) (bitmap, error) {
	if err := m.r.Commit(uint64(bitmapWords(heapBytes)) * 8); err != nil {
		return nil, err
	}
	return bitmap(m.r.Words()), nil
}

// isStart reports whether an object starts at off.
func (h *Heap) isStart(off uint64) bool {
	return off&7 == 0 && off < uint64(len(h.b)) && h.starts.has(off)
}
