package gc

import "os"

// Buffers are not zeroed.
//
// A refill used to zero the memory it handed to a thread's buffer, so an
// inline allocation only wrote the header and the non-zero fields. That
// zeroing was a separate pass over every allocated byte (memclr was 5-8%
// of binary_trees' time in the AOT tier, and it evicted the first level
// cache every 32 KiB). Now every allocation from a buffer writes its whole
// object instead, while the bytes are being written anyway:
//
//   - the Go fast path (bump) clears the body before the header;
//   - AOT code writes the header, the fields the instruction gives, and
//     zeros over everything else: the constant-zero fields and the
//     padding of a struct (Layout.ZeroSpans), all of a default struct or
//     array, an array's length word as 8 bytes (so the padding after it
//     is zero) and its last 8 bytes before its elements.
//
// All of it happens before the thread reaches a safepoint, so a
// collection, Walk or Verify (which run with the thread stopped at a
// call) never sees a half-written object. The heap's locked paths (alloc)
// clear objects themselves and are unchanged.

// PoisonByte is what Options.Poison fills buffer memory with: any byte an
// allocation forgets to write reads as 0xa5, which is no valid reference
// pattern a test would take for null.
const PoisonByte = 0xa5

// poisonFromEnv reports whether GCSCOPE_GC_POISON asks every heap to
// poison its buffers (tests of the AOT tier, whose stores are made by the
// runtime's own configuration).
func poisonFromEnv() bool { return os.Getenv("GCSCOPE_GC_POISON") != "" }

// poison fills [start, end) with PoisonByte when the heap was asked to.
func (ms *markSweep) poison(start, end uint64) {
	if !ms.h.opts.Poison {
		return
	}
	p := ms.h.b[start:end]
	for i := range p {
		p[i] = PoisonByte
	}
}

// ZeroSpans returns the byte ranges [from, to) of a struct of this
// layout, after the header, that no field in written covers: the
// padding between and after the fields, and the fields left out of
// written (the ones an instruction sets to zero). written(i) reports
// whether field i will be stored. An allocation from a buffer writes
// zeros over these ranges, since the buffer's memory is not zeroed.
func (l *Layout) ZeroSpans(written func(i int) bool) [][2]uint32 {
	var spans [][2]uint32
	at := uint32(HeaderSize)
	// Fields are placed in declaration order at increasing offsets.
	for i, fd := range l.Fields {
		if !written(i) {
			continue
		}
		if fd.Offset > at {
			spans = append(spans, [2]uint32{at, fd.Offset})
		}
		at = max(at, fd.Offset+fd.Size)
	}
	if l.Size > at {
		spans = append(spans, [2]uint32{at, l.Size})
	}
	return spans
}
