package text

import (
	"math"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

const sampleScript = `(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(register "m" $M)
(module binary "\00asm" "\01\00\00\00")
(module quote "(func" " (nop))")
(module definition $D (memory 1))
(module instance $I $D)
(invoke $M "f" (i32.const -1))
(get "g")
(assert_return (invoke "f" (i32.const 7)) (i32.const 7))
(assert_return (invoke "g" (f32.const nan:0x200000) (f64.const -inf))
  (f32.const nan:canonical) (f64.const nan:arithmetic) (either (i32.const 1) (i32.const 2)))
(assert_return (invoke "v") (v128.const f32x4 nan:canonical 1 -0 inf) (v128.const i8x16 -1 0 1 2 3 4 5 6 7 8 9 10 11 12 13 255))
(assert_return (invoke "r") (ref.null func) (ref.null) (ref.extern 3) (ref.extern) (ref.struct) (ref.i31) (ref.func) (ref.host 9))
(assert_return (invoke "a" (ref.i31 5) (ref.null extern) (ref.host 1)))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "e") "call stack exhausted")
(assert_exception (invoke "x"))
(assert_malformed (module quote "(func") "unexpected end")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module binary "") "x")
(assert_malformed (module (func $f) (func $f)) "duplicate func")
(thread $T (shared (module $M)) (register "mem" $M) (invoke "f" (i32.const 1)))
(wait $T)
`

func TestParseScriptCommands(t *testing.T) {
	s, err := ParseScript([]byte(sampleScript), "sample.wast")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []CommandKind{CmdModule, CmdRegister, CmdModule, CmdModule, CmdModule, CmdModule, CmdAction, CmdAction,
		CmdAssertReturn, CmdAssertReturn, CmdAssertReturn, CmdAssertReturn, CmdAssertReturn, CmdAssertTrap, CmdAssertTrap,
		CmdAssertExhaustion, CmdAssertException, CmdAssertMalformed, CmdAssertInvalid, CmdAssertUnlinkable,
		CmdAssertUninstantiable, CmdAssertMalformed, CmdThread, CmdWait}
	if len(s.Commands) != len(kinds) {
		t.Fatalf("%d commands, want %d", len(s.Commands), len(kinds))
	}
	for i, k := range kinds {
		if s.Commands[i].Kind != k {
			t.Errorf("command %d kind %d, want %d", i, s.Commands[i].Kind, k)
		}
	}
	c := s.Commands
	if m := c[0].Module; m.Name != "M" || m.Form != ModuleText || m.Err != nil || len(m.Module.Funcs) != 1 {
		t.Errorf("module 0 = %+v", m)
	}
	if c[1].Name != "m" || c[1].ModuleName != "M" {
		t.Errorf("register %+v", c[1])
	}
	if m := c[2].Module; m.Form != ModuleBinary || string(m.Bytes) != "\x00asm\x01\x00\x00\x00" {
		t.Errorf("binary module %+v", m)
	}
	if m := c[3].Module; m.Form != ModuleQuote || string(m.Bytes) != "(func (nop))" {
		t.Errorf("quote module %q", m.Bytes)
	}
	if m := c[4].Module; !m.Definition || m.Name != "D" || m.Module == nil {
		t.Errorf("definition %+v", m)
	}
	if m := c[5].Module; m.Form != ModuleInstance || m.Name != "I" || m.Instance != "D" {
		t.Errorf("instance %+v", m)
	}
	if a := c[6].Action; a.Kind != ActInvoke || a.Module != "M" || a.Name != "f" || a.Args[0].Bits != 0xFFFFFFFF {
		t.Errorf("invoke %+v", a)
	}
	if a := c[7].Action; a.Kind != ActGet || a.Name != "g" {
		t.Errorf("get %+v", a)
	}
	g := c[9]
	if a := g.Action.Args; a[0].Bits != 0x7fa00000 || a[1].Bits != math.Float64bits(math.Inf(-1)) {
		t.Errorf("float args %+v", a)
	}
	if r := g.Results; len(r) != 3 || r[0][0].Kind != ValNanCanonical || r[0][0].Type != wasm.F32 ||
		r[1][0].Kind != ValNanArithmetic || r[1][0].Type != wasm.F64 || len(r[2]) != 2 || r[2][1].Bits != 2 {
		t.Errorf("results %+v", r)
	}
	v := c[10].Results
	if l := v[0][0].Lanes; v[0][0].Shape != "f32x4" || len(l) != 4 || l[0].Kind != ValNanCanonical || l[2].Bits != 0x80000000 || l[3].Bits != 0x7f800000 {
		t.Errorf("f32x4 pattern %+v", v[0][0])
	}
	if b := v[1][0].Bytes; b[0] != 0xff || b[15] != 0xff || b[2] != 1 || v[1][0].Lanes[0].Bits != 0xff {
		t.Errorf("i8x16 value %+v", v[1][0])
	}
	refs := c[11].Results
	wantKinds := []ValueKind{ValRefNull, ValRefNullAny, ValRefExtern, ValRefAny, ValRefAny, ValRefAny, ValRefFunc, ValRefHost}
	for i, k := range wantKinds {
		if refs[i][0].Kind != k {
			t.Errorf("ref result %d kind %d, want %d", i, refs[i][0].Kind, k)
		}
	}
	if refs[0][0].Type.Heap != wasm.HeapFunc || refs[2][0].Bits != 3 || refs[4][0].Type.Heap != wasm.HeapStruct || refs[7][0].Bits != 9 {
		t.Errorf("ref results %+v", refs)
	}
	if a := c[12].Action.Args; a[0].Kind != ValRefI31Num || a[0].Bits != 5 || a[1].Kind != ValRefNull || a[2].Kind != ValRefHost {
		t.Errorf("ref args %+v", a)
	}
	if c[13].Text != "unreachable" || c[14].Module == nil || c[14].Action != nil {
		t.Errorf("assert_trap forms %+v %+v", c[13], c[14])
	}
	if m := c[21].Module; m.Err == nil || !strings.Contains(m.Err.Error(), "duplicate func") {
		t.Errorf("bad text module keeps its error: %v", m.Err)
	}
	th := c[22]
	if th.Name != "T" || len(th.Shared) != 1 || th.Shared[0] != "M" || len(th.Body) != 2 || th.Body[1].Kind != CmdAction {
		t.Errorf("thread %+v", th)
	}
	if c[23].Name != "T" {
		t.Errorf("wait %+v", c[23])
	}
	if c[8].Pos != (wasm.Pos{Line: 9, Col: 1}) {
		t.Errorf("command position %v", c[8].Pos)
	}
}

func TestParseScriptErrors(t *testing.T) {
	for src, msg := range map[string]string{
		"(module":                          "unexpected end",
		"(assert_return (invoke \"f\") 1)": "unexpected token",
		"(bogus)":                          "unknown operator",
		"(assert_return (invoke \"f\") (i32.const nan:canonical))": "unknown operator",
		"(invoke \"f\" (i32.const 1 2))":                           "unexpected token",
	} {
		if _, err := ParseScript([]byte(src), "x.wast"); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: err %v, want %q", src, err, msg)
		}
	}
}

func TestBareModuleScript(t *testing.T) {
	s, err := ParseScript([]byte("(func) (memory 0) (func (export \"f\"))"), "inline.wast")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Commands) != 1 || s.Commands[0].Module.Err != nil || len(s.Commands[0].Module.Module.Funcs) != 2 {
		t.Errorf("bare module script %+v", s.Commands)
	}
}
