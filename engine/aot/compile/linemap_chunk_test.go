package compile

import (
	"bytes"
	"reflect"
	"testing"
)

// TestChunkedOffsetMap: a module compiled in several chunks gets the same
// offset maps as compiled whole. Each chunk's line table maps its own
// text and link moves it with the chunk, so at -O0 (no inlining, so no
// code moves across the cut) every function whose code is byte for byte
// the same has the same map, and every map names only its own function's
// instructions, in release and debug builds.
func TestChunkedOffsetMap(t *testing.T) {
	for _, name := range []string{"sieve.wat", "nbody.wat"} {
		m := binaryModule(t, name)
		owner := instrOwners(m)
		for _, debug := range []bool{false, true} {
			split := Options{OptLevel: 0, Debug: debug, ChunkInstrs: 8, Workers: 2}
			if n := len(chunks(m, split)); n < 2 {
				t.Fatalf("%s: %d chunk(s), the test needs several", name, n)
			}
			whole := compileOrSkip(t, m, Options{OptLevel: 0, Debug: debug, Workers: 1})
			parts := compileOrSkip(t, m, split)
			if len(parts.OffsetMaps) != len(m.Funcs) {
				t.Fatalf("%s debug=%v: %d offset maps for %d functions", name, debug, len(parts.OffsetMaps), len(m.Funcs))
			}
			same := 0
			for i := range m.Funcs {
				a, b := whole.Functions[i], parts.Functions[i]
				for _, p := range parts.OffsetMaps[i].Pairs {
					if o, ok := owner[p.Wasm]; p.Wasm != 0 && (!ok || o != i) {
						t.Errorf("%s debug=%v func %d: pair %+v names another function's instruction", name, debug, i, p)
					}
				}
				if !bytes.Equal(whole.Text[a.CodeOffset:a.CodeOffset+a.CodeSize], parts.Text[b.CodeOffset:b.CodeOffset+b.CodeSize]) {
					continue
				}
				same++
				if !reflect.DeepEqual(whole.OffsetMaps[i], parts.OffsetMaps[i]) {
					t.Errorf("%s debug=%v func %d: same code, different maps:\n whole  %+v\n chunks %+v",
						name, debug, i, whole.OffsetMaps[i].Pairs, parts.OffsetMaps[i].Pairs)
				}
			}
			if same == 0 {
				t.Errorf("%s debug=%v: no function's code is the same whole and in chunks; nothing compared", name, debug)
			}
		}
	}
}
