package binary

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/gcscope/gcscope/engine/wasm"
)

// clearOffsets removes what legitimately differs between a decoded module
// and the decoding of its re-encoding: byte offsets and the bytes they
// refer to.
func clearOffsets(m *wasm.Module) {
	m.Binary = nil
	clear := func(x wasm.Expr) {
		for i := range x {
			x[i].Offset = 0
		}
	}
	for i := range m.Funcs {
		m.Funcs[i].Offset, m.Funcs[i].BodyOffset = 0, 0
		clear(m.Funcs[i].Body)
	}
	for i := range m.Tables {
		clear(m.Tables[i].Init)
	}
	for i := range m.Globals {
		clear(m.Globals[i].Init)
	}
	for i := range m.Elems {
		clear(m.Elems[i].Offset)
		for _, x := range m.Elems[i].Init {
			clear(x)
		}
	}
	for i := range m.Datas {
		clear(m.Datas[i].Offset)
	}
}

// checkRoundTrip encodes a decoded module, decodes the result, and compares
// the two modules; it also checks that encoding is deterministic and that
// the offsets Encode records point at the instructions' opcodes.
func checkRoundTrip(m *wasm.Module) error {
	out, err := Encode(m)
	if err != nil {
		return fmt.Errorf("encode: %v", err)
	}
	if err := checkOffsets(m, out); err != nil {
		return err
	}
	again, err := Encode(m)
	if err != nil || !bytes.Equal(out, again) {
		return fmt.Errorf("encoding twice gave different bytes (err %v)", err)
	}
	m2, err := Decode(out)
	if err != nil {
		return fmt.Errorf("decode of re-encoding: %v", err)
	}
	if err := checkOffsets(m2, out); err != nil {
		return fmt.Errorf("decoded: %v", err)
	}
	clearOffsets(m)
	clearOffsets(m2)
	if !reflect.DeepEqual(m, m2) {
		return fmt.Errorf("re-decoded module differs: %s", firstDiff(m, m2))
	}
	return nil
}

// checkOffsets checks that each instruction's offset holds its opcode's
// first byte and that function offsets bracket their bodies.
func checkOffsets(m *wasm.Module, b []byte) error {
	for i := range m.Funcs {
		f := &m.Funcs[i]
		if f.Offset >= f.BodyOffset || int(f.BodyOffset) > len(b) {
			return fmt.Errorf("func %d: offsets %d/%d out of order", i, f.Offset, f.BodyOffset)
		}
		for j, in := range f.Body {
			want := byte(in.Op)
			if p := in.Op.Prefix(); p != 0 {
				want = p
			}
			if int(in.Offset) >= len(b) || b[in.Offset] != want {
				return fmt.Errorf("func %d instr %d (%s): offset 0x%x does not hold its opcode", i, j, in.Op, in.Offset)
			}
		}
	}
	return nil
}

// firstDiff names the first part of two modules that differs, to make a
// failure readable.
func firstDiff(a, b *wasm.Module) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		name := va.Type().Field(i).Name
		if fa.Kind() == reflect.Slice && fb.Kind() == reflect.Slice {
			if fa.Len() != fb.Len() {
				return fmt.Sprintf("%s: %d vs %d entries", name, fa.Len(), fb.Len())
			}
			for j := 0; j < fa.Len(); j++ {
				if !reflect.DeepEqual(fa.Index(j).Interface(), fb.Index(j).Interface()) {
					return fmt.Sprintf("%s[%d]: %+v vs %+v", name, j, fa.Index(j).Interface(), fb.Index(j).Interface())
				}
			}
		}
		return fmt.Sprintf("%s: %+v vs %+v", name, fa.Interface(), fb.Interface())
	}
	return "no difference found"
}

// checkSections checks that Sections tiles a well-formed module exactly:
// each section starts where the previous one ended, the last ends at the
// end of the file, and custom sections carry the names Decode saw.
func checkSections(b []byte, m *wasm.Module) error {
	secs, err := Sections(b)
	if err != nil {
		return fmt.Errorf("sections: %v", err)
	}
	next := 8
	var customs []string
	for _, s := range secs {
		if s.Offset != next || s.ContentOffset <= s.Offset || s.ContentOffset+s.Size > len(b) {
			return fmt.Errorf("section %s at 0x%x (contents 0x%x+%d) does not follow 0x%x", s.Name, s.Offset, s.ContentOffset, s.Size, next)
		}
		next = s.ContentOffset + s.Size
		if s.ID == wasm.SectionCustom && !(s.Name == "name" && m.Names != nil && !containsName(customs)) {
			customs = append(customs, s.Name)
		}
	}
	if next != len(b) {
		return fmt.Errorf("sections end at 0x%x, the file at 0x%x", next, len(b))
	}
	if len(customs) != len(m.Customs) {
		return fmt.Errorf("%d custom sections listed, %d decoded", len(customs), len(m.Customs))
	}
	for i, c := range m.Customs {
		if customs[i] != c.Name {
			return fmt.Errorf("custom section %d: listed %q, decoded %q", i, customs[i], c.Name)
		}
	}
	return nil
}

// containsName reports whether a "name" custom section was listed already
// (only the first one can be the decoded name section).
func containsName(names []string) bool {
	for _, n := range names {
		if n == "name" {
			return true
		}
	}
	return false
}
