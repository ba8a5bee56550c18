package aotfile

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestWasmStackMapsRoundTrip(t *testing.T) {
	fns := []Function{{FrameSlots: 5}, {FrameSlots: 0}, {FrameSlots: 40}}
	maps := [][]WasmStackMap{
		{{Offset: 3, Slots: []uint32{0, 4}}, {Offset: 9, Slots: []uint32{2}}},
		{},
		{{Offset: 100, Slots: []uint32{39}}},
	}
	got, err := DecodeWasmStackMaps(EncodeWasmStackMaps(maps), fns)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, maps) {
		t.Fatalf("round trip: got %v, want %v", got, maps)
	}
}

func TestWasmStackMapsRejects(t *testing.T) {
	fns := []Function{{FrameSlots: 5}}
	cases := []struct {
		name string
		maps [][]WasmStackMap
		fns  []Function
		want string
	}{
		{"slot outside", [][]WasmStackMap{{{Offset: 1, Slots: []uint32{5}}}}, fns, "outside the frame"},
		{"slots unsorted", [][]WasmStackMap{{{Offset: 1, Slots: []uint32{3, 2}}}}, fns, "does not follow"},
		{"offsets unsorted", [][]WasmStackMap{{{Offset: 4}, {Offset: 4}}}, fns, "does not follow"},
		{"function count", [][]WasmStackMap{{}, {}}, fns, "lists 2 functions"},
	}
	for _, c := range cases {
		_, err := DecodeWasmStackMaps(EncodeWasmStackMaps(c.maps), c.fns)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	b := EncodeWasmStackMaps([][]WasmStackMap{{{Offset: 1, Slots: []uint32{1}}}})
	for n := 0; n < len(b); n++ {
		if _, err := DecodeWasmStackMaps(b[:n], fns); err == nil {
			t.Errorf("a payload cut to %d bytes was accepted", n)
		}
	}
	if _, err := DecodeWasmStackMaps(append(b, 0), fns); err == nil {
		t.Error("a trailing byte was accepted")
	}
	b[0] = 3
	if _, err := DecodeWasmStackMaps(b, fns); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("version 3: got %v", err)
	}
	// A map sharing more slots than the previous one has.
	b = EncodeWasmStackMaps([][]WasmStackMap{{{Offset: 1, Slots: []uint32{1}}, {Offset: 2, Slots: []uint32{1, 2}}}})
	b[4*8] = 2 // the second map's shared prefix: 2 of the first's 1
	if _, err := DecodeWasmStackMaps(b, fns); err == nil || !strings.Contains(err.Error(), "shares 2 slots of a previous map of 1") {
		t.Errorf("prefix too long: got %v", err)
	}
	// A shared prefix whose next slot does not follow it.
	b = EncodeWasmStackMaps([][]WasmStackMap{{{Offset: 1, Slots: []uint32{1, 3}}, {Offset: 2, Slots: []uint32{1, 2}}}})
	if _, err := DecodeWasmStackMaps(b, fns); err != nil {
		t.Fatal(err)
	}
	b[4*9] = 2 // the second map shares both of the first's slots, then 2
	if _, err := DecodeWasmStackMaps(b, fns); err == nil || !strings.Contains(err.Error(), "slot 2 does not follow 3") {
		t.Errorf("prefix then a smaller slot: got %v", err)
	}
}

// TestWasmStackMapsShared: consecutive maps of a deep stack are written
// as the prefix they share and what follows it, so a hundred safepoints
// over the same 500 slots take about 1/100 of version 1's bytes, and
// version 1 payloads still read.
func TestWasmStackMapsShared(t *testing.T) {
	fns := []Function{{FrameSlots: 1000}}
	var fm []WasmStackMap
	var full int
	for j := range 100 {
		slots := make([]uint32, 0, 500+j)
		for s := range 500 + j {
			slots = append(slots, uint32(s))
		}
		if j%10 == 9 {
			slots = slots[:400] // a safepoint with fewer operands
		}
		fm = append(fm, WasmStackMap{Offset: uint32(10 + j), Slots: slots})
		full += 8 + 4*len(slots)
	}
	b := EncodeWasmStackMaps([][]WasmStackMap{fm})
	if len(b)*10 > full {
		t.Errorf("%d bytes, version 1 %d: want a tenth or less", len(b), full)
	}
	got, err := DecodeWasmStackMaps(b, fns)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, [][]WasmStackMap{fm}) {
		t.Fatal("round trip changed the maps")
	}
	// Version 1: offset, count, slots.
	v1 := le(nil).u32(1).u32(1).u32(uint32(len(fm)))
	for _, m := range fm {
		v1 = v1.u32(m.Offset).u32(uint32(len(m.Slots)))
		for _, s := range m.Slots {
			v1 = v1.u32(s)
		}
	}
	if got, err := DecodeWasmStackMaps(v1, fns); err != nil || !reflect.DeepEqual(got, [][]WasmStackMap{fm}) {
		t.Errorf("version 1: %v", err)
	}
}

// TestWasmStackMapTable: the loader's compact table answers every
// safepoint with the slots DecodeWasmStackMaps lists, stores a run of
// slots shared by consecutive maps once (from version 2's prefixes and
// from version 1's full lists alike), and has no map at other offsets.
func TestWasmStackMapTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fns := []Function{{FrameSlots: 700}, {FrameSlots: 3}, {FrameSlots: 700}}
	maps := make([][]WasmStackMap, len(fns))
	listed := 0
	for fn := range fns {
		if fns[fn].FrameSlots < 10 {
			continue // a function with no safepoints
		}
		var stack []uint32 // a deep stack that grows and shrinks
		for j := range 300 {
			switch {
			case len(stack) < 400 || rng.IntN(3) > 0:
				stack = append(stack, uint32(len(stack)+rng.IntN(2)))
				if n := len(stack); n > 1 && stack[n-1] <= stack[n-2] {
					stack[n-1] = stack[n-2] + 1
				}
			default:
				stack = stack[:len(stack)-1-rng.IntN(5)]
			}
			maps[fn] = append(maps[fn], WasmStackMap{Offset: uint32(2*j + 1), Slots: slices.Clone(stack)})
			listed += len(stack)
		}
	}
	b := EncodeWasmStackMaps(maps)
	v1 := le(nil).u32(1).u32(uint32(len(maps)))
	for _, fm := range maps {
		v1 = v1.u32(uint32(len(fm)))
		for _, m := range fm {
			v1 = v1.u32(m.Offset).u32(uint32(len(m.Slots)))
			for _, s := range m.Slots {
				v1 = v1.u32(s)
			}
		}
	}
	for name, payload := range map[string][]byte{"version 2": b, "version 1": v1} {
		tab, err := ReadWasmStackMapTable(payload, fns)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tab.Functions() != len(fns) {
			t.Fatalf("%s: %d functions, want %d", name, tab.Functions(), len(fns))
		}
		if tab.Nodes()*20 > listed {
			t.Errorf("%s: %d nodes for %d listed slots: the shared runs were not shared", name, tab.Nodes(), listed)
		}
		for fn, fm := range maps {
			if tab.Maps(fn) != len(fm) {
				t.Errorf("%s: function %d has %d maps, want %d", name, fn, tab.Maps(fn), len(fm))
			}
			for _, m := range fm {
				got, ok := tab.AppendSlots([]uint32{99}, fn, m.Offset)
				if !ok || !slices.Equal(got[1:], m.Slots) || got[0] != 99 {
					t.Fatalf("%s: function %d at %d: %v %v, want %v after 99", name, fn, m.Offset, ok, got, m.Slots)
				}
				if got, ok := tab.AppendSlots(nil, fn, m.Offset+1); ok || len(got) != 0 {
					t.Fatalf("%s: function %d has a map at %d: %v", name, fn, m.Offset+1, got)
				}
			}
		}
		if _, ok := tab.AppendSlots(nil, len(fns), 1); ok {
			t.Errorf("%s: a map for a function past the end", name)
		}
	}
}
