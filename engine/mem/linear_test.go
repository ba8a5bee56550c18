package mem

import (
	"sync"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func memType(min, max uint64, hasMax, shared, a64 bool) wasm.MemoryType {
	return wasm.MemoryType{Limits: wasm.Limits{Min: min, Max: max, HasMax: hasMax}, Shared: shared, Addr64: a64}
}

func TestLinearGrow(t *testing.T) {
	m, err := NewLinear(memType(1, 3, true, false, false))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Size() != 1 || len(m.Bytes()) != PageSize || m.Max() != 3 {
		t.Fatalf("size %d len %d max %d", m.Size(), len(m.Bytes()), m.Max())
	}
	base := m.Base()
	m.Bytes()[5] = 9
	if old, ok := m.Grow(2); !ok || old != 1 {
		t.Fatalf("grow 2: %d %v", old, ok)
	}
	if m.Base() != base || m.Bytes()[5] != 9 || len(m.Bytes()) != 3*PageSize {
		t.Fatal("grow moved the memory or lost data")
	}
	if old, ok := m.Grow(1); ok || old != -1 {
		t.Fatalf("grow past max: %d %v", old, ok)
	}
	if old, ok := m.Grow(0); !ok || old != 3 {
		t.Fatalf("grow 0: %d %v", old, ok)
	}
	if old, ok := m.Grow(^uint64(0)); ok || old != -1 {
		t.Fatal("huge delta accepted")
	}
}

func TestLinearLimits(t *testing.T) {
	m, err := NewLinear(memType(0, 0, false, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if m.Max() != Max32Pages || m.Bytes() == nil || len(m.Bytes()) != 0 {
		t.Fatalf("unbounded 32-bit memory: max %d", m.Max())
	}
	m.Close()
	m, err = NewLinear(memType(1, 1<<40, true, false, true))
	if err != nil {
		t.Fatal(err)
	}
	if m.Max() != Max64Pages || !m.Addr64() {
		t.Fatalf("memory64 cap: max %d", m.Max())
	}
	m.Close()
	if _, err := NewLinear(memType(Max32Pages+1, 0, false, false, false)); err == nil {
		t.Fatal("32-bit memory over 4 GiB accepted")
	}
	m, err = NewLinear(memType(0, 0, true, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Grow(1); ok {
		t.Fatal("grew a memory with max 0")
	}
	m.Close()
}

func TestLinearReadWrite(t *testing.T) {
	m, err := NewLinear(memType(1, 1, true, false, false))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !m.Write(PageSize-4, []byte{1, 2, 3, 4}) || m.Write(PageSize-3, []byte{1, 2, 3, 4}) {
		t.Fatal("Write bounds")
	}
	var d [4]byte
	if !m.Read(PageSize-4, d[:]) || d != [4]byte{1, 2, 3, 4} || m.Read(^uint64(0)-1, d[:]) {
		t.Fatal("Read bounds or contents")
	}
	b := m.Bytes()
	if v, ok := Load32(b, PageSize-4); !ok || v != 0x04030201 {
		t.Fatalf("Load32 = %#x %v", v, ok)
	}
	if _, ok := Load64(b, PageSize-4); ok {
		t.Fatal("Load64 across the end")
	}
	if !Store16(b, 10, 0xBEEF) || b[10] != 0xEF || Store8(b, PageSize, 1) {
		t.Fatal("Store16/Store8")
	}
	if v, _ := Load16(b, 10); v != 0xBEEF {
		t.Fatal("Load16")
	}
	if !Store64(b, 16, 1<<63|5) {
		t.Fatal("Store64")
	}
	if v, _ := Load64(b, 16); v != 1<<63|5 {
		t.Fatal("Load64")
	}
	if v, ok := Load8(b, 16); !ok || v != 5 {
		t.Fatal("Load8")
	}
	if !Store32(b, 0, 1) || Store32(b, PageSize-2, 1) {
		t.Fatal("Store32 bounds")
	}
}

// Concurrent grows of a shared memory each get a distinct old size and the
// final size is their sum; readers see a consistent slice throughout.
func TestSharedGrowConcurrent(t *testing.T) {
	m, err := NewLinear(memType(0, 64, true, true, false))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var wg sync.WaitGroup
	olds := make(chan int64, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 8; i++ {
				old, ok := m.Grow(1)
				if !ok {
					t.Error("grow failed")
					return
				}
				olds <- old
				b := m.Bytes()
				if len(b) > 0 {
					_, _ = AtomicRMW(b, uint64(len(b)-4), 4, RMWAdd, 1)
				}
			}
		}()
	}
	wg.Wait()
	close(olds)
	seen := map[int64]bool{}
	for o := range olds {
		if seen[o] {
			t.Fatalf("old size %d returned twice", o)
		}
		seen[o] = true
	}
	if m.Size() != 64 || len(seen) != 64 {
		t.Fatalf("size %d after 64 grows", m.Size())
	}
}
