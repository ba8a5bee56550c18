package wasi

import (
	"github.com/gcscope/gcscope/engine/mem"
	"github.com/gcscope/gcscope/engine/runtime"
)

// memoryOf returns the caller's memory: its export "memory", else its
// first memory, else nil (every access then fails with ERRNO_FAULT).
func memoryOf(caller *runtime.Instance) []byte {
	if caller == nil {
		return nil
	}
	if m, ok := caller.Export("memory").(*runtime.Memory); ok {
		return m.Bytes()
	}
	if len(caller.Mems) > 0 {
		return caller.Mems[0].Bytes()
	}
	return nil
}

// u32 returns argument i as an unsigned 32-bit value.
func u32(args []runtime.Value, i int) uint32 { return uint32(args[i].Bits) }

// span, load32, store32 and store64 are engine/mem's bounds-checked
// accessors at the 32-bit addresses WASI passes.

func span(b []byte, p, n uint32) ([]byte, bool) { return mem.Span(b, uint64(p), uint64(n)) }

func load32(b []byte, p uint32) (uint32, bool) { return mem.Load32(b, uint64(p)) }

func store32(b []byte, p, v uint32) bool { return mem.Store32(b, uint64(p), v) }

func store64(b []byte, p uint32, v uint64) bool { return mem.Store64(b, uint64(p), v) }

// iovecs reads n (buf, len) pairs at p and returns the buffers they
// name, or false if any of them is out of bounds.
func iovecs(mem []byte, p, n uint32) ([][]byte, bool) {
	if uint64(p)+uint64(n)*8 > uint64(len(mem)) {
		return nil, false // also keeps p+8*i below from wrapping
	}
	out := make([][]byte, 0, n)
	for i := range n {
		buf, _ := load32(mem, p+8*i)
		ln, _ := load32(mem, p+8*i+4)
		b, ok := span(mem, buf, ln)
		if !ok {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// guestString reads n bytes at p as a string.
func guestString(mem []byte, p, n uint32) (string, bool) {
	b, ok := span(mem, p, n)
	return string(b), ok
}
