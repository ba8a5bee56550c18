package mem

import (
	"sync"
	"testing"
)

func TestAtomicChecks(t *testing.T) {
	r, err := Alloc(4096)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b := r.Bytes()
	if _, err := AtomicLoad(b, 4094, 4); err != ErrOutOfBounds {
		t.Fatalf("out of bounds: %v", err)
	}
	if _, err := AtomicLoad(b, 2, 4); err != ErrUnaligned {
		t.Fatalf("unaligned: %v", err)
	}
	if _, err := AtomicLoad(b, 4095, 2); err != ErrOutOfBounds {
		t.Fatalf("bounds before alignment: %v", err)
	}
	if _, err := AtomicLoad(b, 0, 3); err == nil {
		t.Fatal("width 3 accepted")
	}
}

func TestAtomicSubword(t *testing.T) {
	r, _ := Alloc(4096)
	defer r.Close()
	b := r.Bytes()
	copy(b, []byte{0x11, 0x22, 0x33, 0x44})
	if v, _ := AtomicLoad(b, 2, 2); v != 0x4433 {
		t.Fatalf("load16 = %#x", v)
	}
	if old, _ := AtomicRMW(b, 1, 1, RMWAdd, 0xFF); old != 0x22 || b[1] != 0x21 || b[0] != 0x11 || b[2] != 0x33 {
		t.Fatalf("add8 wraps within its byte: old %#x bytes % x", old, b[:4])
	}
	if old, _ := AtomicCmpxchg(b, 2, 2, 0x4433, 0xAABB); old != 0x4433 || b[2] != 0xBB || b[3] != 0xAA {
		t.Fatalf("cmpxchg16: old %#x bytes % x", old, b[:4])
	}
	if old, _ := AtomicCmpxchg(b, 2, 2, 0x1, 0x2); old != 0xAABB || b[2] != 0xBB {
		t.Fatal("failed cmpxchg16 wrote")
	}
	if old, _ := AtomicCmpxchg(b, 8, 8, 0, 1<<40); old != 0 {
		t.Fatal("cmpxchg64")
	}
	if v, _ := AtomicLoad(b, 8, 8); v != 1<<40 {
		t.Fatal("load64 after cmpxchg")
	}
	ops := []struct {
		op   RMWOp
		v    uint64
		want uint64
	}{{RMWSub, 1, 0xF}, {RMWAnd, 0x3, 0x3}, {RMWOr, 0x30, 0x33}, {RMWXor, 0x1, 0x32}, {RMWXchg, 7, 7}}
	_ = AtomicStore(b, 16, 4, 0x10)
	for _, o := range ops {
		_, _ = AtomicRMW(b, 16, 4, o.op, o.v)
		if v, _ := AtomicLoad(b, 16, 4); v != o.want {
			t.Fatalf("op %d: %#x, want %#x", o.op, v, o.want)
		}
	}
}

// Neighbouring bytes updated by different goroutines must not lose updates:
// the subword CAS loop has to preserve the other bytes of the word.
func TestAtomicConcurrent(t *testing.T) {
	r, _ := Alloc(4096)
	defer r.Close()
	b := r.Bytes()
	const n = 2000
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < n; i++ {
				_, _ = AtomicRMW(b, uint64(g), 1, RMWAdd, 1)
				_, _ = AtomicRMW(b, 8, 8, RMWAdd, 1)
			}
		}(g)
	}
	wg.Wait()
	for g := 0; g < 4; g++ {
		if b[g] != byte(n%256) {
			t.Fatalf("byte %d = %d, want %d", g, b[g], n%256)
		}
	}
	if v, _ := AtomicLoad(b, 8, 8); v != 4*n {
		t.Fatalf("counter = %d", v)
	}
}
