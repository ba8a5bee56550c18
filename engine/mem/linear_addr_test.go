package mem

import (
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func TestSizeAddrFollowsGrow(t *testing.T) {
	m, err := NewLinear(wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 3, HasMax: true}, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p := m.SizeAddr()
	if *p != m.Len() || *p != PageSize {
		t.Fatalf("size word %d, Len %d", *p, m.Len())
	}
	if _, ok := m.Grow(2); !ok {
		t.Fatal("grow failed")
	}
	if *p != 3*PageSize {
		t.Fatalf("size word %d after growing to 3 pages", *p)
	}
}
