package aotfile

import "fmt"

// Helper names a runtime helper the code calls through slot Slot of the exec
// env's helper table. The loader checks that the runtime's table has the
// helper of that name in that slot, so code never calls the wrong routine
// after the runtime's helper list changes.
type Helper struct {
	Slot uint32
	Name string
}

// maxHelperName bounds helper names; they are identifiers.
const maxHelperName = 255

// DecodeHelpers decodes a helpers section payload lying at absolute offset
// off. Slots and names must each be unique.
func DecodeHelpers(b []byte, off int64) ([]Helper, error) {
	c := newCursor(b, off, SectionHelpers.String())
	n := c.count(4+4+1, "helper")
	out := make([]Helper, 0, n)
	slots := map[uint32]bool{}
	names := map[string]bool{}
	for i := 0; i < n && c.err == nil; i++ {
		at := c.pos
		var h Helper
		h.Slot = c.u32("slot")
		h.Name = c.str("helper name")
		if c.err != nil {
			break
		}
		switch {
		case h.Name == "" || len(h.Name) > maxHelperName:
			c.failAt(at+4, "helper %d: name of %d bytes, want 1 to %d", i, len(h.Name), maxHelperName)
		case slots[h.Slot]:
			c.failAt(at, "helper %d (%s): slot %d is used twice", i, h.Name, h.Slot)
		case names[h.Name]:
			c.failAt(at+8, "helper %d: name %q is listed twice", i, h.Name)
		}
		slots[h.Slot], names[h.Name] = true, true
		if c.err == nil {
			out = append(out, h)
		}
	}
	c.end()
	return out, c.errOrNil()
}

func encodeHelpers(hs []Helper) ([]byte, error) {
	w := le(nil).u32(uint32(len(hs)))
	for _, h := range hs {
		if h.Name == "" || len(h.Name) > maxHelperName || badChar([]byte(h.Name)) >= 0 {
			return nil, fmt.Errorf("aot: helper name %q must be 1 to %d bytes of printable ASCII", h.Name, maxHelperName)
		}
		w = w.u32(h.Slot).str(h.Name)
	}
	return w, nil
}
