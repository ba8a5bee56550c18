package printer

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// brokenModule breaks every rule the printer could trip over: indices past
// every index space, a missing Ext, an unknown opcode, unbalanced blocks,
// else and catch outside their blocks, and rec groups that do not fit.
func brokenModule() *wasm.Module {
	bad := uint32(1 << 30)
	return &wasm.Module{
		Types: []wasm.SubType{
			{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc}},
			{Comp: wasm.CompositeType{Kind: wasm.CompArray}}, // no element
			{Comp: wasm.CompositeType{Kind: 9}},
		},
		RecGroups: []wasm.RecGroup{{First: 1, Count: 5}, {First: 0, Count: 1}},
		Imports:   []wasm.Import{{Module: "\xff\x00", Name: "", Kind: 7}, {Kind: wasm.ExternFunc, TypeIndex: bad}},
		Tables:    []wasm.Table{{Type: wasm.TableType{Elem: wasm.ValType{Kind: 42}}, Init: wasm.Expr{}}},
		Globals:   []wasm.Global{{Type: wasm.GlobalType{Val: wasm.RefType(false, wasm.HeapType(-99))}}},
		Exports:   []wasm.Export{{Name: "x", Kind: 9, Index: bad}},
		Start:     &bad,
		Elems:     []wasm.ElemSegment{{Mode: wasm.SegmentActive, Table: bad, Init: []wasm.Expr{{}, {ins(wasm.OpNop), ins(wasm.OpNop)}}}},
		Datas:     []wasm.DataSegment{{Mode: wasm.SegmentActive, Memory: bad, Offset: wasm.Expr{ins(wasm.OpEnd), ins(wasm.OpEnd)}}},
		Funcs: []wasm.Func{
			{TypeIndex: bad, Locals: []wasm.ValType{wasm.I32}, Body: []wasm.Instr{
				ins(wasm.OpElse), ins(wasm.OpCatch), ins(wasm.OpEnd), ins(wasm.OpDelegate),
				{Op: wasm.OpBrTable}, {Op: wasm.OpV128Const}, {Op: wasm.OpSelectT}, {Op: wasm.OpTryTable},
				{Op: wasm.OpI8x16Shuffle}, {Op: 0xFB00FF}, {Op: 0x27}, {Op: 0xFF0001},
				{Op: wasm.OpI32Load, Align: 200, Index: bad}, {Op: wasm.OpBr, Index: bad},
				{Op: wasm.OpCall, Index: bad}, {Op: wasm.OpStructGet, Index: bad, Index2: bad},
				{Op: wasm.OpStructNew, Index: bad}, {Op: wasm.OpArrayNewFixed, Index: bad, Index2: bad},
				{Op: wasm.OpRefNull, Ref: wasm.ValType{Heap: wasm.HeapType(math.MaxInt64)}},
				{Op: wasm.OpThrow, Index: bad}, {Op: wasm.OpCallIndirect, Index: bad, Index2: bad},
				{Op: wasm.OpLocalGet, Index: bad},
				blk(wasm.OpBlock, wasm.BlockType{Kind: wasm.BlockFunc, Index: bad}),
				blk(wasm.OpIf, wasm.BlockType{Kind: 7}),
				blk(wasm.OpTry, noBlock), // never closed
			}},
			{TypeIndex: 0}, // no body at all
			{TypeIndex: 0, Body: []wasm.Instr{blk(wasm.OpLoop, noBlock), ins(wasm.OpElse), end, end, end, end}},
		},
		Names: &wasm.Names{Funcs: wasm.NameMap{0: "", 1: "a\xffb", 2: "dup", 3: "dup", 99: "ghost"},
			Labels: wasm.IndirectNameMap{4: {0: "l", 5: "x"}}, Fields: wasm.IndirectNameMap{bad: {bad: "f"}}},
	}
}

func TestBrokenModulesDoNotPanic(t *testing.T) {
	m := brokenModule()
	for _, folded := range []bool{false, true} {
		text, lm := printString(t, m, Options{Folded: folded})
		if !strings.HasPrefix(text, "(module") || !strings.HasSuffix(text, ")\n") {
			t.Errorf("folded=%v: output is not a module:\n%s", folded, text)
		}
		// Every instruction still gets a line, so a debugger can show it.
		for d := range m.Funcs {
			for i := range m.Funcs[d].Body {
				if _, ok := lm.InstrLine(uint32(1+d), i); !ok {
					t.Errorf("folded=%v: func %d instr %d has no line", folded, d, i)
				}
			}
		}
	}
	d := NewDisassembler(m)
	for i := range m.Funcs[0].Body {
		if d.InstrString(1, &m.Funcs[0].Body[i]) == "" {
			t.Errorf("instr %d prints as nothing", i)
		}
	}
	if d.InstrString(0, nil) != "" {
		t.Error("a nil instruction prints as something")
	}
	for _, m := range []*wasm.Module{{}, nil} {
		var buf bytes.Buffer
		if _, err := Print(&buf, m, Options{}); err != nil || buf.String() != "(module)\n" {
			t.Errorf("empty module printed as %q, %v", buf.String(), err)
		}
	}
	if s := InstrString(nil, 0, &wasm.Instr{Op: wasm.OpLocalGet, Index: 2}); s != "local.get 2" {
		t.Errorf("InstrString without a module = %q", s)
	}
}

func TestInstrString(t *testing.T) {
	m := gcModule()
	cases := []struct {
		f    uint32
		in   wasm.Instr
		want string
	}{
		{1, idx(wasm.OpLocalGet, 0), "local.get $s"},
		{0, idx(wasm.OpLocalGet, 0), "local.get $self"},
		{0, idx(wasm.OpLocalGet, 5), "local.get 5"},
		{1, wasm.Instr{Op: wasm.OpStructGet, Index: 3, Index2: 1}, "struct.get $square $side"},
		{1, wasm.Instr{Op: wasm.OpStructGet, Index: 3, Index2: 9}, "struct.get $square 9"},
		{1, wasm.Instr{Op: wasm.OpRefCastNull, Ref: ref(true, 3)}, "ref.cast (ref null $square)"},
		{1, wasm.Instr{Op: wasm.OpRefTest, Ref: wasm.RefType(false, wasm.HeapNone)}, "ref.test (ref none)"},
		{1, wasm.Instr{Op: wasm.OpRefTestNull, Ref: wasm.RefType(true, wasm.HeapNoFunc)}, "ref.test nullfuncref"},
		{1, wasm.Instr{Op: wasm.OpBrOnCastFail, Index: 2, Ref2: wasm.AnyRef, Ref: ref(false, 1)}, "br_on_cast_fail 2 anyref (ref $shape)"},
		{1, blk(wasm.OpBlock, wasm.BlockType{Kind: wasm.BlockFunc, Index: 0}), "block (type $fn)"},
		{1, wasm.Instr{Op: wasm.OpCall, Index: 2}, "call $classify"},
		{1, wasm.Instr{Op: wasm.OpI64Const, Value: math.MaxUint64}, "i64.const -1"},
		{1, wasm.Instr{Op: wasm.OpI32Const, Value: 0x80000000}, "i32.const -2147483648"},
		{1, wasm.Instr{Op: wasm.OpF32Const, Value: 0xffc00000}, "f32.const -nan"},
		{1, wasm.Instr{Op: wasm.OpF32Const, Value: 0x7f800001}, "f32.const nan:0x1"},
		{1, wasm.Instr{Op: wasm.OpF64Const, Value: 0x7ff0000000000000}, "f64.const inf"},
		{1, wasm.Instr{Op: wasm.OpF64Const, Value: 1}, "f64.const 5e-324"},
		{1, wasm.Instr{Op: wasm.OpI64Store32, Align: 1, Value: 7}, "i64.store32 offset=7 align=2"},
		{1, wasm.Instr{Op: wasm.OpV128Load8Lane, Index: 1, Lane: 15}, "v128.load8_lane 1 15"},
		{1, wasm.Instr{Op: wasm.OpMemoryGrow, Index: 0}, "memory.grow"},
		{1, wasm.Instr{Op: wasm.OpTableGet, Index: 0}, "table.get 0"},
		{1, wasm.Instr{Op: wasm.OpArrayCopy, Index: 4, Index2: 4}, "array.copy $chars $chars"},
		{1, wasm.Instr{Op: wasm.OpArrayNewFixed, Index: 4, Index2: 3}, "array.new_fixed $chars 3"},
		{1, wasm.Instr{Op: wasm.OpTableInit, Index: 2, Index2: 1}, "table.init 1 2"},
		{1, wasm.Instr{Op: wasm.OpMemoryCopy, Index: 0, Index2: 0}, "memory.copy"},
		{1, wasm.Instr{Op: wasm.OpAtomicFence}, "atomic.fence"},
		{1, wasm.Instr{Op: wasm.OpI32AtomicRmwCmpxchg, Align: 2, Value: 8}, "i32.atomic.rmw.cmpxchg offset=8"},
	}
	d := NewDisassembler(m)
	for _, c := range cases {
		if got := d.InstrString(c.f, &c.in); got != c.want {
			t.Errorf("%s in func %d: got %q, want %q", c.in.Op, c.f, got, c.want)
		}
	}
	if got := InstrString(m, 0, &wasm.Instr{Op: wasm.OpLocalTee}); got != "local.tee $self" {
		t.Errorf("InstrString = %q", got)
	}
}

// TestFloatsReadBack checks that every printed float parses back to the
// same bits with Go's parser, which rounds correctly as the text format
// requires.
func TestFloatsReadBack(t *testing.T) {
	f64s := []float64{0, 1, -1, 0.1, 1e300, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3, 123456789012345680, 2.5e-8}
	for _, f := range f64s {
		s := string(appendF64(nil, math.Float64bits(f)))
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(back) != math.Float64bits(f) {
			t.Errorf("f64 %v printed %q, reads back %v (%v)", f, s, back, err)
		}
	}
	for _, f := range []float32{0.1, 1.0 / 3, math.MaxFloat32, math.SmallestNonzeroFloat32, 16777217} {
		s := string(appendF32(nil, math.Float32bits(f)))
		back, err := strconv.ParseFloat(s, 32)
		if err != nil || math.Float32bits(float32(back)) != math.Float32bits(f) {
			t.Errorf("f32 %v printed %q, reads back %v (%v)", f, s, back, err)
		}
	}
	if s := string(appendF64(nil, math.Float64bits(math.Copysign(0, -1)))); s != "-0" {
		t.Errorf("-0 printed as %q", s)
	}
}

func TestNames(t *testing.T) {
	m := gcModule()
	m.Names.Funcs = wasm.NameMap{0: "dup", 1: "dup", 2: "has space"}
	m.Names.Labels = wasm.IndirectNameMap{2: {0: "outer"}}
	// Give classify an inner block with the same label name, so a branch to
	// the outer one must fall back to its depth.
	m.Funcs[2].Body = []wasm.Instr{
		blk(wasm.OpBlock, noBlock),
		blk(wasm.OpBlock, noBlock),
		idx(wasm.OpBr, 1),
		idx(wasm.OpBr, 0),
		end,
		end,
		i32c(0),
		end,
	}
	m.Names.Labels[2][1] = "outer"
	out, _ := printString(t, m, Options{})
	for _, want := range []string{
		"(func $dup (;0;)", "(func $dup#1 (;1;)", `(func $"has space" (;2;)`,
		"br 1 (;@1;)", "br $outer", "block $outer\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	back, err := text.ParseModule([]byte(out))
	if err != nil {
		t.Fatalf("does not parse: %v", err)
	}
	if back.Names == nil || back.Names.Funcs[2] != "has space" {
		t.Errorf("quoted name read back as %v", back.Names)
	}
}

// TestExamplesRoundTrip prints the example programs, which have names of
// every kind, and reads them back.
func TestExamplesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.wat")
	if len(files) == 0 {
		t.Skip("no examples")
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m, err := text.ParseModule(src)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		want := encodeComparable(t, m, m.DataCount)
		for _, folded := range []bool{false, true} {
			out, lm := printString(t, m, Options{Folded: folded})
			checkLineMap(t, m, out, lm, folded)
			back, err := text.ParseModule([]byte(out))
			if err != nil {
				t.Fatalf("%s folded=%v: %v", file, folded, err)
			}
			if !bytes.Equal(encodeComparable(t, back, m.DataCount), want) {
				t.Errorf("%s folded=%v: reads back differently%s", file, folded, firstDiff(t, m, back))
			}
		}
	}
}

// FuzzPrint feeds decodable binaries to the printer: whatever decodes must
// print without panicking, and its line map must cover every instruction.
func FuzzPrint(f *testing.F) {
	for _, name := range []string{"binaryen_fuzz/fuzz1.wasm", "hoot_shmupwars/wtf8.wasm", "wasmnizer_ts/simple_O3.wasm"} {
		if b, err := os.ReadFile(filepath.Join(programsDir, name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := binary.Decode(b)
		if err != nil {
			return
		}
		for _, folded := range []bool{false, true} {
			out, lm := printString(t, m, Options{Folded: folded})
			checkLineMap(t, m, out, lm, folded)
		}
	})
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorIsReturned(t *testing.T) {
	if _, err := Print(failingWriter{}, mvpModule(), Options{}); err == nil || err.Error() != "disk full" {
		t.Errorf("Print to a failing writer returned %v", err)
	}
}
