package wast

import (
	"encoding/binary"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// matchesAny reports whether a result matches one of the alternatives an
// assert_return gives (more than one for (either ...)).
func matchesAny(got Value, alts []text.Value) bool {
	for _, want := range alts {
		if matches(got, want) {
			return true
		}
	}
	return false
}

func matches(got Value, want text.Value) bool {
	switch want.Kind {
	case text.ValNum:
		if got.Type.Kind != want.Type.Kind {
			return false
		}
		if want.Type.Kind == wasm.KindI32 || want.Type.Kind == wasm.KindF32 {
			return uint32(got.Bits) == uint32(want.Bits)
		}
		return got.Bits == want.Bits
	case text.ValNanCanonical, text.ValNanArithmetic:
		if got.Type.Kind != want.Type.Kind {
			return false
		}
		return nanMatches(want.Type.Kind, got.Bits, want.Kind == text.ValNanCanonical)
	case text.ValV128:
		return got.Type.Kind == wasm.KindV128 && v128Matches(got.V128, want)
	}
	if !got.Type.IsRef() {
		return false
	}
	return refMatches(got, want)
}

// nanMatches checks a float's bits against nan:canonical (only the quiet
// bit set in the payload) or nan:arithmetic (quiet bit set, any payload).
func nanMatches(k wasm.Kind, bits uint64, canonical bool) bool {
	if k == wasm.KindF32 {
		b := uint32(bits) & 0x7FFFFFFF
		if canonical {
			return b == 0x7FC00000
		}
		return b&0x7FC00000 == 0x7FC00000
	}
	b := bits & 0x7FFFFFFFFFFFFFFF
	if canonical {
		return b == 0x7FF8000000000000
	}
	return b&0x7FF8000000000000 == 0x7FF8000000000000
}

// v128Matches compares lane by lane where the expectation has lanes (NaN
// patterns may stand for float lanes), else byte for byte.
func v128Matches(got [16]byte, want text.Value) bool {
	if len(want.Lanes) == 0 {
		return got == want.Bytes
	}
	width := 16 / len(want.Lanes)
	for i, lane := range want.Lanes {
		chunk := got[i*width : (i+1)*width]
		var bits uint64
		switch width {
		case 1:
			bits = uint64(chunk[0])
		case 2:
			bits = uint64(binary.LittleEndian.Uint16(chunk))
		case 4:
			bits = uint64(binary.LittleEndian.Uint32(chunk))
		default:
			bits = binary.LittleEndian.Uint64(chunk)
		}
		switch lane.Kind {
		case text.ValNanCanonical, text.ValNanArithmetic:
			kind := wasm.KindF64
			if width == 4 {
				kind = wasm.KindF32
			}
			if !nanMatches(kind, bits, lane.Kind == text.ValNanCanonical) {
				return false
			}
		default:
			mask := uint64(1)<<(8*uint(width)) - 1
			if width == 8 {
				mask = ^uint64(0)
			}
			if bits != lane.Bits&mask {
				return false
			}
		}
	}
	return true
}

func refMatches(got Value, want text.Value) bool {
	r := got.Ref
	switch want.Kind {
	case text.ValRefNull, text.ValRefNullAny:
		return r.Null
	case text.ValRefExtern:
		return !r.Null && r.Kind == wasm.HeapExtern && uint64(r.Host) == want.Bits
	case text.ValRefHost:
		return !r.Null && (r.Kind == wasm.HeapAny || r.Kind == wasm.HeapExtern) && uint64(r.Host) == want.Bits
	case text.ValRefFunc:
		return !r.Null && r.Kind == wasm.HeapFunc
	case text.ValRefI31Num:
		return !r.Null && r.Kind == wasm.HeapI31 && uint32(got.Bits)&0x7FFFFFFF == uint32(want.Bits)&0x7FFFFFFF
	case text.ValRefAny:
		if r.Null {
			return false
		}
		return heapKindWithin(r.Kind, want.Type.Heap)
	}
	return false
}

// heapKindWithin reports whether a value of abstract kind k belongs to the
// abstract heap type h (struct values are eq and any, and so on).
func heapKindWithin(k, h wasm.HeapType) bool {
	if k == h {
		return true
	}
	switch h {
	case wasm.HeapEq:
		return k == wasm.HeapI31 || k == wasm.HeapStruct || k == wasm.HeapArray
	case wasm.HeapAny:
		return k == wasm.HeapI31 || k == wasm.HeapStruct || k == wasm.HeapArray || k == wasm.HeapEq
	}
	return false
}
