package aotfile

import (
	"reflect"
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
	b[0] = 2
	if _, err := DecodeWasmStackMaps(b, fns); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("version 2: got %v", err)
	}
}
