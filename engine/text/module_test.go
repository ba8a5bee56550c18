package text

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func mustParse(t *testing.T, src string) *wasm.Module {
	t.Helper()
	m, err := ParseModule([]byte(src))
	if err != nil {
		t.Fatalf("ParseModule: %v\n%s", err, src)
	}
	return m
}

// opNames lists a body's mnemonics, so tests read like the text format.
func opNames(body []wasm.Instr) string {
	var parts []string
	for _, in := range body {
		parts = append(parts, in.Op.String())
	}
	return strings.Join(parts, " ")
}

func TestFoldedUnfolds(t *testing.T) {
	m := mustParse(t, `(module
  (func $f (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1))))`)
	body := m.Funcs[0].Body
	if got, want := opNames(body), "local.get i32.const i32.add end"; got != want {
		t.Fatalf("body = %s, want %s", got, want)
	}
	if body[1].I32() != 1 {
		t.Errorf("i32.const value %d", body[1].I32())
	}
	wantPos := []wasm.Pos{{Line: 3, Col: 15}, {Line: 3, Col: 30}, {Line: 3, Col: 6}, {Line: 3, Col: 43}}
	for i, p := range wantPos {
		if body[i].Pos != p {
			t.Errorf("instr %d (%s) at %v, want %v", i, body[i].Op, body[i].Pos, p)
		}
	}
	if m.Funcs[0].Pos != (wasm.Pos{Line: 2, Col: 3}) {
		t.Errorf("func at %v", m.Funcs[0].Pos)
	}
}

func TestStructuredInstructions(t *testing.T) {
	m := mustParse(t, `(module
  (tag $e (param i32))
  (func (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.const 1))
      (else (i32.const 2))))
  (func
    block $a
      loop $b
        br $a
        br $b
        br 2
      end $b
    end)
  (func (result i32)
    (block $out (result i32)
      (try_table (result i32) (catch $e $out) (catch_all_ref 1)
        (i32.const 7))))
  (func
    (if $x (block $c (result i32) (i32.const 1)) (then))
    (try $t (do (nop)) (catch $e (drop)) (catch_all (nop)))
    (block $l (try (do (nop)) (delegate $l)))
    try $u nop delegate 0))`)
	tests := []struct {
		fn   int
		want string
	}{
		{0, "local.get if i32.const else i32.const end end"},
		{1, "block loop br br br end end end"},
		{2, "block try_table i32.const end end end"},
		{3, "block i32.const end if end try nop catch drop catch_all nop end block try nop delegate end try nop delegate end"},
	}
	for _, tc := range tests {
		if got := opNames(m.Funcs[tc.fn].Body); got != tc.want {
			t.Errorf("func %d = %s, want %s", tc.fn, got, tc.want)
		}
	}
	if l := m.Names.Labels[1]; l[0] != "a" || l[1] != "b" || len(l) != 2 {
		t.Errorf("labels of func 1: %v", l)
	}
	if l := m.Names.Labels[3]; l[0] != "c" || l[1] != "x" || l[2] != "t" || l[3] != "l" || l[5] != "u" || len(l) != 5 {
		t.Errorf("labels of func 3: %v", l)
	}
	br := m.Funcs[1].Body
	if br[2].Index != 1 || br[3].Index != 0 || br[4].Index != 2 {
		t.Errorf("br depths %d %d %d, want 1 0 2", br[2].Index, br[3].Index, br[4].Index)
	}
	if bt := m.Funcs[0].Body[1].Block; bt.Kind != wasm.BlockValue || bt.Value != wasm.I32 {
		t.Errorf("if block type %+v", bt)
	}
	tt := m.Funcs[2].Body[1]
	want := []wasm.Catch{{Kind: wasm.CatchTag, Tag: 0, Label: 0}, {Kind: wasm.CatchAllRef, Label: 1}}
	if tt.Ext == nil || len(tt.Ext.Catches) != 2 || tt.Ext.Catches[0] != want[0] || tt.Ext.Catches[1] != want[1] {
		t.Errorf("try_table catches %+v, want %+v", tt.Ext, want)
	}
	// delegate $l names the block around the try: depth 0 from outside it.
	if d := m.Funcs[3].Body[15]; d.Op != wasm.OpDelegate || d.Index != 0 {
		t.Errorf("delegate = %s %d", d.Op, d.Index)
	}
}

func TestTypeUses(t *testing.T) {
	m := mustParse(t, `(module
  (func $a (param i32))
  (type $t (func (param i32)))
  (func $b (result f64) (f64.const 0))
  (func $c (type $t) (param $p i32) (local.get $p) (drop))
  (func $d (result f64) (f64.const 1))
  (func (block (param i32) (result i32 i32) (unreachable)) (unreachable)))`)
	// One explicit type, then in text order: [] -> [f64] for $b, [] -> []
	// for the last function, and its block's [i32] -> [i32 i32].
	if len(m.Types) != 4 {
		t.Fatalf("%d types, want 4", len(m.Types))
	}
	want := []uint32{0, 1, 0, 1, 0}
	for i, f := range m.Funcs {
		if i < len(want)-1 && f.TypeIndex != want[i] {
			t.Errorf("func %d type %d, want %d", i, f.TypeIndex, want[i])
		}
	}
	if bt := m.Funcs[4].Body[0].Block; bt.Kind != wasm.BlockFunc || bt.Index != 3 {
		t.Errorf("block type %+v, want type 3", bt)
	}
	if len(m.RecGroups) != 4 || m.RecGroups[3] != (wasm.RecGroup{First: 3, Count: 1}) {
		t.Errorf("rec groups %+v", m.RecGroups)
	}
	_, err := ParseModule([]byte(`(type $t (func (param i32))) (func (type $t) (param i64))`))
	if err == nil || !strings.Contains(err.Error(), "inline function type") {
		t.Errorf("mismatch: %v", err)
	}
}

func TestGCTypesAndNames(t *testing.T) {
	m := mustParse(t, `(module $mod
  (rec
    (type $node (sub (struct (field $val i32) (field $next (mut (ref null $node))))))
    (type $leaf (sub final $node (struct (field $val i32) (field $next (mut (ref null $node))) (field i8 i16)))))
  (type $arr (array (mut i8)))
  (global $g (mut i32) (i32.const 0))
  (table $tab 1 funcref)
  (memory $mem 1)
  (tag $tag)
  (elem $seg func)
  (data $d "x")
  (func $get (param $n (ref $node)) (result i32) (local $tmp i32)
    (struct.get $leaf $next (ref.cast (ref $leaf) (local.get $n)))
    (drop)
    (ref.test (ref null $node) (local.get $n))
    (drop)
    (struct.get $node $val (local.get $n))))`)
	// Three explicit types, then implicit ones for $get and the tag.
	if len(m.Types) != 5 || len(m.RecGroups) != 4 || m.RecGroups[0] != (wasm.RecGroup{First: 0, Count: 2}) {
		t.Fatalf("types %d, groups %+v", len(m.Types), m.RecGroups)
	}
	leaf := m.Types[1]
	if !leaf.Final || len(leaf.Supers) != 1 || leaf.Supers[0] != 0 || len(leaf.Comp.Fields) != 4 {
		t.Errorf("leaf = %+v", leaf)
	}
	if f := leaf.Comp.Fields[1]; !f.Mutable || f.Storage.Val != wasm.RefType(true, 0) {
		t.Errorf("leaf.next = %+v", f)
	}
	if f := leaf.Comp.Fields[3]; f.Storage.Packed != wasm.PackedI16 {
		t.Errorf("leaf field 3 = %+v", f)
	}
	if m.Types[0].Final {
		t.Error("(sub ...) without final must not be final")
	}
	if a := m.Types[2].Comp; a.Kind != wasm.CompArray || !a.Elem().Mutable || a.Elem().Storage.Packed != wasm.PackedI8 {
		t.Errorf("array = %+v", a)
	}
	body := m.Funcs[0].Body
	if got, want := opNames(body), "local.get ref.cast struct.get drop local.get ref.test drop local.get struct.get end"; got != want {
		t.Fatalf("body = %s", got)
	}
	if body[1].Op != wasm.OpRefCast || body[5].Op != wasm.OpRefTestNull {
		t.Errorf("cast/test opcodes %s %s: nullability picks the opcode", body[1].Op, body[5].Op)
	}
	if body[2].Index != 1 || body[2].Index2 != 1 || body[8].Index != 0 || body[8].Index2 != 0 {
		t.Errorf("struct.get immediates %d.%d and %d.%d", body[2].Index, body[2].Index2, body[8].Index, body[8].Index2)
	}
	n := m.Names
	checks := []struct {
		got, want string
	}{
		{n.Module, "mod"}, {n.Types[0], "node"}, {n.Types[2], "arr"}, {n.Funcs[0], "get"},
		{n.Locals[0][0], "n"}, {n.Locals[0][1], "tmp"}, {n.Fields[1][1], "next"}, {n.Fields[0][0], "val"},
		{n.Globals[0], "g"}, {n.Tables[0], "tab"}, {n.Memories[0], "mem"}, {n.Tags[0], "tag"},
		{n.Elems[0], "seg"}, {n.Datas[0], "d"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("name %d = %q, want %q", i, c.got, c.want)
		}
	}
}

func TestImmediates(t *testing.T) {
	m := mustParse(t, `(module
  (type $ft (func (param i32) (result i32)))
  (table $t0 1 funcref) (table $t1 1 funcref)
  (memory $m0 1) (memory $m1 1)
  (elem $e func) (data $d "")
  (func (param i32) (result i32)
    (call_indirect $t1 (type $ft) (local.get 0) (i32.const 0))
    (table.init $t1 $e (i32.const 0) (i32.const 0) (i32.const 0))
    (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.init $m1 $d (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.copy $m0 $m1 (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (i64.load $m1 offset=0x10 align=4 (i32.const 0)))
    (drop (i32.load8_u (i32.const 0)))
    (select (result i32) (i32.const 1) (i32.const 2) (i32.const 3))
    (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (v128.const i32x4 1 2 3 -1) (v128.const f32x4 1 nan -inf 0x1p1)))
    (drop (v128.load8_lane $m1 1 (i32.const 0) (v128.const i64x2 0 0)))
    (drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
  ))`)
	b := m.Funcs[0].Body
	find := func(op wasm.Opcode, nth int) wasm.Instr {
		for _, in := range b {
			if in.Op == op {
				if nth == 0 {
					return in
				}
				nth--
			}
		}
		t.Fatalf("no %s #%d in %s", op, nth, opNames(b))
		return wasm.Instr{}
	}
	if ci := find(wasm.OpCallIndirect, 0); ci.Index != 0 || ci.Index2 != 1 {
		t.Errorf("call_indirect type %d table %d", ci.Index, ci.Index2)
	}
	if ti := find(wasm.OpTableInit, 0); ti.Index != 0 || ti.Index2 != 1 {
		t.Errorf("table.init elem %d table %d", ti.Index, ti.Index2)
	}
	if ti := find(wasm.OpTableInit, 1); ti.Index != 0 || ti.Index2 != 0 {
		t.Errorf("table.init default table: elem %d table %d", ti.Index, ti.Index2)
	}
	if mi := find(wasm.OpMemoryInit, 0); mi.Index != 0 || mi.Index2 != 1 {
		t.Errorf("memory.init data %d mem %d", mi.Index, mi.Index2)
	}
	if mc := find(wasm.OpMemoryCopy, 0); mc.Index != 0 || mc.Index2 != 1 {
		t.Errorf("memory.copy %d %d", mc.Index, mc.Index2)
	}
	if ld := find(wasm.OpI64Load, 0); ld.Index != 1 || ld.Value != 16 || ld.Align != 2 {
		t.Errorf("i64.load mem %d offset %d align %d", ld.Index, ld.Value, ld.Align)
	}
	if ld := find(wasm.OpI32Load8U, 0); ld.Align != 0 || ld.Value != 0 {
		t.Errorf("i32.load8_u natural alignment %d", ld.Align)
	}
	if s := find(wasm.OpSelectT, 0); len(s.Ext.Types) != 1 || s.Ext.Types[0] != wasm.I32 {
		t.Errorf("select types %+v", s.Ext)
	}
	sh := find(wasm.OpI8x16Shuffle, 0)
	if sh.Ext.Bytes[15] != 31 || sh.Ext.Bytes[1] != 1 {
		t.Errorf("shuffle lanes %v", sh.Ext.Bytes)
	}
	v := find(wasm.OpV128Const, 0).Ext.Bytes
	if v[0] != 1 || v[4] != 2 || v[12] != 0xff || v[15] != 0xff {
		t.Errorf("v128.const i32x4 bytes %v", v)
	}
	f := find(wasm.OpV128Const, 1).Ext.Bytes
	if f[3] != 0x3f || f[7] != 0x7f || f[6] != 0xc0 || f[11] != 0xff || f[15] != 0x40 {
		t.Errorf("v128.const f32x4 bytes %v", f)
	}
	if l := find(wasm.OpV128Load8Lane, 0); l.Index != 1 || l.Lane != 1 {
		t.Errorf("load8_lane with memory: mem %d lane %d", l.Index, l.Lane)
	}
	if l := find(wasm.OpV128Load8Lane, 1); l.Index != 0 || l.Lane != 1 {
		t.Errorf("load8_lane without memory: mem %d lane %d", l.Index, l.Lane)
	}
}

func TestInlineAbbreviations(t *testing.T) {
	m := mustParse(t, `(module
  (import "env" "f" (func $imp (param i32)))
  (func $g (import "env" "g") (result i32))
  (global $gi (import "env" "gi") (mut i64))
  (func $h (export "h") (export "h2") (param i32))
  (table $t (export "t") funcref (elem $h $g))
  (table $t64 i64 10 20 (ref null func) (ref.null func))
  (memory $m (data "hello" "\00\01"))
  (memory $m64 i64 (data "x"))
  (memory $sh 1 2 shared)
  (elem (i32.const 0) $h)
  (elem (table $t) (offset (i32.const 1)) funcref (ref.func $h) (item (ref.null func)))
  (elem declare func $h)
  (data (memory $m64) (i64.const 8) "ab")
  (start $h2)
  (func $h2))`)
	if len(m.Imports) != 3 || m.Imports[1].Name != "g" || m.Imports[2].Kind != wasm.ExternGlobal || !m.Imports[2].Global.Mutable {
		t.Fatalf("imports %+v", m.Imports)
	}
	if len(m.Exports) != 3 || m.Exports[1].Name != "h2" || m.Exports[1].Index != 2 || m.Exports[2].Kind != wasm.ExternTable {
		t.Errorf("exports %+v", m.Exports)
	}
	if tt := m.Tables[0].Type; tt.Limits != (wasm.Limits{Min: 2, Max: 2, HasMax: true}) {
		t.Errorf("inline elem table limits %+v", tt.Limits)
	}
	if tt := m.Tables[1]; !tt.Type.Addr64 || tt.Type.Limits.Max != 20 || len(tt.Init) != 2 {
		t.Errorf("table64 %+v", tt)
	}
	if len(m.Elems) != 4 {
		t.Fatalf("%d elems", len(m.Elems))
	}
	if e := m.Elems[0]; e.Mode != wasm.SegmentActive || len(e.Init) != 2 || e.Init[1][0].Index != 1 {
		t.Errorf("inline elem %+v", e)
	}
	if e := m.Elems[2]; e.Table != 0 || e.Offset[0].I32() != 1 || e.Init[1][0].Op != wasm.OpRefNull {
		t.Errorf("explicit elem %+v", e)
	}
	if m.Elems[3].Mode != wasm.SegmentDeclarative {
		t.Errorf("declare elem mode %d", m.Elems[3].Mode)
	}
	if mem := m.Memories[0].Type; mem.Limits.Min != 1 || mem.Limits.Max != 1 || string(m.Datas[0].Init) != "hello\x00\x01" {
		t.Errorf("inline data memory %+v %q", mem, m.Datas[0].Init)
	}
	if mem := m.Memories[1].Type; !mem.Addr64 || m.Datas[1].Offset[0].Op != wasm.OpI64Const {
		t.Errorf("memory64 inline data %+v", mem)
	}
	if !m.Memories[2].Type.Shared {
		t.Error("shared memory")
	}
	if d := m.Datas[2]; d.Memory != 1 || d.Offset[0].I64() != 8 {
		t.Errorf("data %+v", d)
	}
	if m.Start == nil || *m.Start != 3 {
		t.Errorf("start %v", m.Start)
	}
}

func TestModuleErrors(t *testing.T) {
	tests := []struct{ src, msg, pos string }{
		{"(func br $x)", "unknown label $x", "1:10"},
		{"(func (block $a) br $a)", "unknown label $a", "1:21"},
		{"(func call $nope)", "unknown function $nope", "1:12"},
		{"(func $f) (func $f)", "duplicate function $f", "1:17"},
		{"(func (param $x i32) (local $x i32))", "duplicate local $x", ""},
		{"(func block $a end $b)", "mismatching label", "1:20"},
		{"(func block end $b)", "mismatching label", ""},
		{"(func) (start 0) (start 0)", "multiple start sections", "1:18"},
		{"(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment", ""},
		{"(func) (import \"\" \"\" (func))", "import after function", "1:8"},
		{"(func (i32.const 4294967296) drop)", "constant out of range", "1:18"},
		{"(func (i32.const 0x) drop)", "unknown operator", ""},
		{"(func (i32.bogus))", "unknown operator", "1:8"},
		{"(func (export \"\\ff\"))", "malformed UTF-8 encoding", ""},
		{"(func (local.get $y))", "unknown local $y", ""},
		{"(type (func)) (type (func)) (func (type 5) (param i32))", "unknown type", ""},
		{"(func (struct.get 0 $f))", "unknown field $f", ""},
		{"(func (result i32) (param i32))", "unexpected token", ""},
		{"(func (v128.const i32x4 1 2 3) drop)", "wrong number of lane literals", ""},
		{"(func (f32.const nan:canonical) drop)", "unexpected token", ""},
		{"(module (func) (func", "unexpected end", ""},
	}
	for _, tc := range tests {
		_, err := ParseModule([]byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error, want %q", tc.src, tc.msg)
			continue
		}
		var we *wasm.Error
		if !asError(err, &we) || we.Phase != wasm.Malformed {
			t.Errorf("%s: %v is not a malformed wasm.Error", tc.src, err)
			continue
		}
		if !strings.HasPrefix(we.Msg, tc.msg) {
			t.Errorf("%s: message %q, want prefix %q", tc.src, we.Msg, tc.msg)
		}
		if tc.pos != "" && we.Pos.String() != tc.pos {
			t.Errorf("%s: at %v, want %s", tc.src, we.Pos, tc.pos)
		}
	}
}

func asError(err error, target **wasm.Error) bool {
	e, ok := err.(*wasm.Error)
	*target = e
	return ok
}

func TestBareFieldsAndAnnotations(t *testing.T) {
	m := mustParse(t, `(@custom "c1" (after func) "ab" "c") (func $f (@name "φ")) (@custom "c2" "x")`)
	if len(m.Customs) != 2 || m.Customs[0].Name != "c1" || string(m.Customs[0].Data) != "abc" ||
		m.Customs[0].After != wasm.SectionFunction || m.Customs[1].After != wasm.SectionData {
		t.Errorf("customs %+v", m.Customs)
	}
	if m.Names.Funcs[0] != "φ" {
		t.Errorf("@name gave %q", m.Names.Funcs[0])
	}
	if _, err := ParseModule([]byte(`(func (nop (@custom "x")))`)); err == nil || !strings.Contains(err.Error(), "misplaced @custom") {
		t.Errorf("nested @custom: %v", err)
	}
	if _, err := ParseModule([]byte(`(func (@unknown stuff (x y) "s") nop)`)); err != nil {
		t.Errorf("unknown annotations must be ignored: %v", err)
	}
}
