package binary

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// TestDecodeErrorPlaces checks the wording and the place of errors.
func TestDecodeErrorPlaces(t *testing.T) {
	// In oneFunc's module the first opcode of the body is at offset 23:
	// header 8, type section 6, function section 4, then the code
	// section's id, size and count, the body's size and its locals count.
	const code = 23
	cases := []struct {
		name   string
		in     []byte
		msg    string
		offset int64
		fn     int64
	}{
		{"empty", nil, "unexpected end", 0, -1},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), "magic header not detected", 0, -1},
		{"bad version", []byte("\x00asm\x02\x00\x00\x00"), "unknown binary version", 4, -1},
		{"section id", module([]byte{14, 0}), "malformed section id", 8, -1},
		{"order", module(sec(3, vec()), sec(1, vec())), "unexpected content after last section", 11, -1},
		{"tag after global", module(sec(6, vec()), sec(13, vec())), "unexpected content after last section", 11, -1},
		{"size mismatch", module(sec(1, vec(), []byte{0})), "section size mismatch", 12, -1},
		{"section too long", cat(module(), []byte{1, 5, 0}), "length out of bounds", 9, -1},
		{"illegal opcode", oneFunc(nil, vec(), []byte{0x01, 0xff, 0x0b}), "illegal opcode ff", code + 1, 0},
		{"illegal prefixed", oneFunc(nil, vec(), []byte{0xfc, 0x7f, 0x0b}), "illegal opcode fc 7f", code, 0},
		{"huge sub-opcode", oneFunc(nil, vec(), []byte{0xfb, 0x80, 0x80, 0x04, 0x0b}), "illegal opcode fb 10000", code, 0},
		{"too many locals", oneFunc(nil, vec(cat(u(50001), []byte{0x7f})), []byte{0x0b}), "too many locals", code - 1, 0},
		{"locals sum", oneFunc(nil, vec(cat(u(30000), []byte{0x7f}), cat(u(30000), []byte{0x7e})), []byte{0x0b}), "too many locals", code - 1, 0},
		{"else outside if", oneFunc(nil, vec(), []byte{0x05, 0x0b}), "END opcode expected", code, 0},
		{"delegate outside try", oneFunc(nil, vec(), []byte{0x02, 0x40, 0x18, 0x00, 0x0b, 0x0b}), "END opcode expected", code + 2, 0},
		{"missing end", oneFunc(nil, vec(), []byte{0x01}), "unexpected end of section or function", code + 1, 0},
		{"fence byte", oneFunc(nil, vec(), []byte{0xfe, 0x03, 0x01, 0x0b}), "zero byte expected", code + 2, 0},
		{"memop flags", oneFunc(nil, vec(), []byte{0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1a, 0x0b}), "malformed memop flags", code + 3, 0},
		{"cast flags", oneFunc(nil, vec(), []byte{0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e, 0x0b}), "malformed cast flags", code + 2, 0},
		{"heap type", oneFunc(nil, vec(), []byte{0xd0, 0x60, 0x1a, 0x0b}), "malformed heap type", code + 1, 0},
		{"data count", oneFunc([][]byte{sec(5, vec([]byte{0, 1}))}, vec(), []byte{0xfc, 0x09, 0x00, 0x0b}),
			"data count section required", 18 + 5 + 9, -1}, // at the end of the module
		{"inconsistent", module(sec(1, vec([]byte{0x60, 0, 0})), sec(3, vec([]byte{0}))),
			"function and code section have inconsistent lengths", 18, -1},
		{"limits flags", module(sec(5, vec([]byte{0x08, 0x00}))), "malformed limits flags", 11, -1},
		{"shared table", module(sec(4, vec([]byte{0x70, 0x03, 0x00, 0x01}))), "tables cannot be shared", 12, -1},
		{"utf-8", module(sec(0, str("\xff"))), "malformed UTF-8 encoding", 10, -1},
		{"elem kind", module(sec(9, vec([]byte{0x08}))), "malformed elements segment kind", 11, -1},
		{"data kind", module(sec(11, vec([]byte{0x03}))), "malformed data segment kind", 11, -1},
		{"export kind", module(sec(7, vec(cat(str("x"), []byte{0x05, 0x00})))), "malformed export kind", 13, -1},
		{"mutability", module(sec(6, vec([]byte{0x7f, 0x02, 0x41, 0x00, 0x0b}))), "malformed mutability", 12, -1},
		{"huge count", module(sec(1, u(0xffffffff))), "unexpected end of section or function", 15, -1},
	}
	for _, c := range cases {
		_, err := Decode(c.in)
		var we *wasm.Error
		if !errors.As(err, &we) {
			t.Errorf("%s: got %v, want a *wasm.Error", c.name, err)
			continue
		}
		if we.Phase != wasm.Malformed || !strings.HasPrefix(we.Msg, c.msg) || we.Offset != c.offset || we.Func != c.fn {
			t.Errorf("%s: got %s (phase %v, offset %d, func %d); want %q at %d, func %d",
				c.name, we.Msg, we.Phase, we.Offset, we.Func, c.msg, c.offset, c.fn)
		}
	}
}

// TestDecodeImmediates checks where each kind of immediate lands in Instr.
func TestDecodeImmediates(t *testing.T) {
	v128 := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	code := cat(
		[]byte{0x41, 0x7f},                   // i32.const -1
		[]byte{0x42, 0x80, 0x7f},             // i64.const -128
		[]byte{0x43, 0x00, 0x00, 0xc0, 0x7f}, // f32.const nan
		[]byte{0x28, 0x42, 0x01, 0x10},       // i32.load align=2 memory 1 offset 16
		[]byte{0xfd, 0x0c}, v128,             // v128.const
		[]byte{0xfd, 0x0d}, v128, // i8x16.shuffle
		[]byte{0xfd, 0x55, 0x01, 0x00, 0x07},                   // v128.load16_lane align 1 offset 0 lane 7
		[]byte{0x1c, 0x01, 0x7e},                               // select (result i64)
		[]byte{0x11, 0x02, 0x03},                               // call_indirect type 2 table 3
		[]byte{0xfc, 0x0c, 0x04, 0x05},                         // table.init elem 4 table 5
		[]byte{0xfc, 0x08, 0x06, 0x07},                         // memory.init data 6 memory 7
		[]byte{0xfb, 0x15, 0x6c},                               // ref.test (ref null i31)
		[]byte{0xfb, 0x16, 0x03},                               // ref.cast (ref 3)
		[]byte{0xfb, 0x18, 0x01, 0x00, 0x6e, 0x6d},             // br_on_cast 0 (ref null any) (ref eq)
		[]byte{0xfb, 0x19, 0x02, 0x00, 0x6e, 0x6d},             // br_on_cast_fail 0 (ref any) (ref null eq)
		[]byte{0xd0, 0x70},                                     // ref.null func
		[]byte{0x0e, 0x02, 0x00, 0x01, 0x02},                   // br_table 0 1 2
		[]byte{0x1f, 0x40, 0x02, 0x00, 0x03, 0x00, 0x02, 0x00}, // try_table (catch 3 0) (catch_all 0)
		[]byte{0x0b},
		[]byte{0x06, 0x7f, 0x07, 0x00, 0x19, 0x0b}, // try (result i32) catch 0 catch_all end
		[]byte{0x06, 0x40, 0x18, 0x00},             // try delegate 0
		[]byte{0x02, 0x05},                         // block (type 5)
		[]byte{0x0b},
		[]byte{0xfe, 0x03, 0x00}, // atomic.fence
		[]byte{0x0b},
	)
	m, err := Decode(oneFunc([][]byte{sec(12, u(0))}, vec(), code))
	if err != nil {
		t.Fatal(err)
	}
	body := m.Funcs[0].Body
	want := []wasm.Instr{
		{Op: wasm.OpI32Const, Value: 0xffffffff},
		{Op: wasm.OpI64Const, Value: 0xffffffffffffff80},
		{Op: wasm.OpF32Const, Value: 0x7fc00000},
		{Op: wasm.OpI32Load, Align: 2, Index: 1, Value: 16},
		{Op: wasm.OpV128Const, Ext: &wasm.InstrExt{Bytes: [16]byte(v128)}},
		{Op: wasm.OpI8x16Shuffle, Ext: &wasm.InstrExt{Bytes: [16]byte(v128)}},
		{Op: wasm.OpV128Load16Lane, Align: 1, Lane: 7},
		{Op: wasm.OpSelectT, Ext: &wasm.InstrExt{Types: []wasm.ValType{wasm.I64}}},
		{Op: wasm.OpCallIndirect, Index: 2, Index2: 3},
		{Op: wasm.OpTableInit, Index: 4, Index2: 5},
		{Op: wasm.OpMemoryInit, Index: 6, Index2: 7},
		{Op: wasm.OpRefTestNull, Ref: wasm.I31Ref},
		{Op: wasm.OpRefCast, Ref: wasm.RefType(false, 3)},
		{Op: wasm.OpBrOnCast, Ref2: wasm.AnyRef, Ref: wasm.RefType(false, wasm.HeapEq)},
		{Op: wasm.OpBrOnCastFail, Ref2: wasm.RefType(false, wasm.HeapAny), Ref: wasm.EqRef},
		{Op: wasm.OpRefNull, Ref: wasm.FuncRef},
		{Op: wasm.OpBrTable, Ext: &wasm.InstrExt{Labels: []uint32{0, 1, 2}}},
		{Op: wasm.OpTryTable, Ext: &wasm.InstrExt{Catches: []wasm.Catch{{Kind: wasm.CatchTag, Tag: 3}, {Kind: wasm.CatchAll}}}},
		{Op: wasm.OpEnd},
		{Op: wasm.OpTry, Block: wasm.BlockType{Kind: wasm.BlockValue, Value: wasm.I32}},
		{Op: wasm.OpCatch},
		{Op: wasm.OpCatchAll},
		{Op: wasm.OpEnd},
		{Op: wasm.OpTry},
		{Op: wasm.OpDelegate},
		{Op: wasm.OpBlock, Block: wasm.BlockType{Kind: wasm.BlockFunc, Index: 5}},
		{Op: wasm.OpEnd},
		{Op: wasm.OpAtomicFence},
		{Op: wasm.OpEnd},
	}
	if len(body) != len(want) {
		t.Fatalf("decoded %d instructions, want %d: %+v", len(body), len(want), body)
	}
	const codeStart = 23 + 3 // see TestDecodeErrorPlaces, plus the data count section
	off := uint32(codeStart)
	for i := range want {
		got := body[i]
		if i == 0 && got.Offset != off {
			t.Errorf("first instruction at offset %d, want %d", got.Offset, off)
		}
		got.Offset = 0
		if !instrEqual(got, want[i]) {
			t.Errorf("instr %d: got %+v (ext %+v), want %+v (ext %+v)", i, got, got.Ext, want[i], want[i].Ext)
		}
	}
}

func instrEqual(a, b wasm.Instr) bool {
	ae, be := a.Ext, b.Ext
	a.Ext, b.Ext = nil, nil
	if a != b || (ae == nil) != (be == nil) {
		return false
	}
	if ae == nil {
		return true
	}
	return ae.Bytes == be.Bytes && equalSlices(ae.Labels, be.Labels) &&
		equalSlices(ae.Types, be.Types) && equalSlices(ae.Catches, be.Catches)
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDecodeElemForms checks the types the element segment flags imply.
func TestDecodeElemForms(t *testing.T) {
	offset := []byte{0x41, 0x00, 0x0b}
	b := module(
		sec(1, vec([]byte{0x60, 0x00, 0x00})),
		sec(3, vec([]byte{0x00})),
		sec(4, vec([]byte{0x70, 0x00, 0x01})),
		sec(9, vec(
			cat([]byte{0x00}, offset, vec([]byte{0x00})),                                 // active, func indices
			cat([]byte{0x01, 0x00}, vec([]byte{0x00})),                                   // passive, func indices
			cat([]byte{0x03, 0x00}, vec([]byte{0x00})),                                   // declarative
			cat([]byte{0x04}, offset, vec([]byte{0xd2, 0x00, 0x0b})),                     // active, exprs
			cat([]byte{0x06, 0x00}, offset, []byte{0x6e}, vec([]byte{0xd0, 0x6e, 0x0b})), // active, table 0, anyref
		)),
		sec(10, vec(body(vec(), []byte{0x0b}))),
	)
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		mode wasm.SegmentMode
		typ  wasm.ValType
	}{
		{wasm.SegmentActive, wasm.RefType(false, wasm.HeapFunc)},
		{wasm.SegmentPassive, wasm.RefType(false, wasm.HeapFunc)},
		{wasm.SegmentDeclarative, wasm.RefType(false, wasm.HeapFunc)},
		{wasm.SegmentActive, wasm.FuncRef},
		{wasm.SegmentActive, wasm.AnyRef},
	}
	for i, w := range want {
		e := m.Elems[i]
		if e.Mode != w.mode || e.Type != w.typ || len(e.Init) != 1 {
			t.Errorf("elem %d: mode %d type %s items %d; want mode %d type %s", i, e.Mode, e.Type, len(e.Init), w.mode, w.typ)
		}
	}
	if in := m.Elems[0].Init[0]; in[0].Op != wasm.OpRefFunc || in[1].Op != wasm.OpEnd {
		t.Errorf("function index item not expanded to ref.func: %+v", in)
	}
}

// TestDecodeMalformedNamesKept checks that a damaged name section leaves the
// module valid and is kept as bytes.
func TestDecodeMalformedNamesKept(t *testing.T) {
	bad := cat(str("name"), []byte{0x01, 0x05, 0x01, 0x00}) // function names, truncated
	m, err := Decode(module(sec(0, bad)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Names != nil || len(m.Customs) != 1 || m.Customs[0].Name != "name" {
		t.Fatalf("names %+v customs %+v", m.Names, m.Customs)
	}
	if err := checkRoundTrip(m); err != nil {
		t.Fatal(err)
	}
}

// TestHostileInputsStaySmall checks that tiny inputs announcing huge
// contents fail without allocating much.
func TestHostileInputsStaySmall(t *testing.T) {
	manyLocals := make([][]byte, 100)
	types := make([]byte, 100)
	for i := range manyLocals {
		manyLocals[i] = body(vec(cat(u(maxLocals), []byte{0x7f})), []byte{0x0b})
	}
	cases := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"type count", module(sec(1, u(0xffffffff))), "unexpected end"},
		{"import count", module(sec(2, u(0xffffffff))), "unexpected end"},
		{"br_table count", oneFunc(nil, vec(), []byte{0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f}), "unexpected end"},
		{"local runs", oneFunc(nil, u(0xffffffff)), "unexpected end"},
		{"name map", module(sec(0, str("name"), []byte{0x01, 0x05}, u(0xffffffff))), ""},
		{"locals in many functions", module(
			sec(1, vec([]byte{0x60, 0x00, 0x00})),
			sec(3, cat(u(100), types)),
			sec(10, vec(manyLocals...)),
		), "too many locals: over"},
	}
	for _, c := range cases {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Decode(c.in)
		runtime.ReadMemStats(&after)
		if c.msg != "" && (err == nil || !strings.Contains(err.Error(), c.msg)) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.msg)
		}
		if c.msg == "" && err != nil {
			t.Errorf("%s: a damaged name section must not fail the module: %v", c.name, err)
		}
		const limit = 32 << 20
		if n := after.TotalAlloc - before.TotalAlloc; n > limit {
			t.Errorf("%s: %d bytes allocated for a %d-byte input", c.name, n, len(c.in))
		}
	}
}
