package gc

import (
	"encoding/binary"
	"testing"
)

// FuzzHeap drives the heap with arbitrary operations, including arbitrary
// 32-bit values used as references and stored into reference fields. The
// heap must never panic, never report corruption, and after a final
// collection Walk must agree with the stats.
func FuzzHeap(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte("\x00\x00\x03\x10\x00\x00\x00\x05\x01\x00\x00\x00\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := newTestHeap(t, Options{MaxBytes: 1 << 20, InitialBytes: 4096})
		var objs []Ref
		buf := NewBuffer()
		if err := h.AttachBuffer(buf); err != nil {
			t.Fatal(err)
		}
		word := func() uint32 {
			if len(data) < 4 {
				return 0
			}
			v := binary.LittleEndian.Uint32(data)
			data = data[4:]
			return v
		}
		ref := func() Ref {
			v := word()
			if len(objs) > 0 && v&0x80000000 == 0 {
				return objs[int(v)%len(objs)]
			}
			return Ref(v) // anything at all
		}
		for len(data) > 0 {
			op := data[0]
			data = data[1:]
			switch op % 10 {
			case 0:
				alloc := h.AllocStruct
				if op&0x80 != 0 {
					alloc = func(id uint32) (Ref, error) { return h.AllocStructIn(buf, id) }
				}
				if r, err := alloc(tNode); err == nil {
					objs = append(objs, r)
				}
			case 1:
				if r, err := h.AllocArray(tRefArr, word()%64); err == nil {
					objs = append(objs, r)
				}
			case 2:
				if r, err := h.AllocArray(tI8Arr, word()%2000); err == nil {
					objs = append(objs, r)
				}
			case 3:
				h.SetField(ref(), int(word()%3), uint64(ref()))
			case 4:
				h.SetElem(ref(), word()%64, uint64(ref()))
			case 5:
				h.roots = append(h.roots, ref())
			case 6:
				if len(h.roots) > 0 {
					h.roots = h.roots[1:]
				}
			case 7:
				if err := h.Collect(); err != nil {
					t.Fatal(err)
				}
				objs = objs[:0] // unrooted ones may be gone; refs stay arbitrary
				objs = append(objs, h.roots...)
			case 8:
				_ = h.CopyArray(ref(), word()%64, ref(), word()%64, word()%64)
				_ = h.FillArray(ref(), word()%64, word()%64, uint64(word()))
			case 9:
				h.Pin(ref())
				_ = h.GetField(ref(), int(word()%4))
				_ = h.GetElem(ref(), word())
				_ = h.SizeOf(ref())
			}
		}
		if err := h.Collect(); err != nil {
			t.Fatal(err)
		}
		n, bytes := h.count()
		if st := h.Stats(); st.LiveObjects != uint64(n) || st.LiveBytes != bytes {
			t.Fatalf("walk %d/%d vs stats %+v", n, bytes, st)
		}
	})
}
