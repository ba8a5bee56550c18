package wasi

import (
	"encoding/binary"

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

// span returns mem[p:p+n], or false if it is not all inside mem.
func span(mem []byte, p, n uint32) ([]byte, bool) {
	end := uint64(p) + uint64(n)
	if end > uint64(len(mem)) {
		return nil, false
	}
	return mem[p:end], true
}

// load32 reads a little-endian u32 at p.
func load32(mem []byte, p uint32) (uint32, bool) {
	b, ok := span(mem, p, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

// store32 writes a little-endian u32 at p.
func store32(mem []byte, p, v uint32) bool {
	b, ok := span(mem, p, 4)
	if ok {
		binary.LittleEndian.PutUint32(b, v)
	}
	return ok
}

// store64 writes a little-endian u64 at p.
func store64(mem []byte, p uint32, v uint64) bool {
	b, ok := span(mem, p, 8)
	if ok {
		binary.LittleEndian.PutUint64(b, v)
	}
	return ok
}

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
