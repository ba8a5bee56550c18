package wasm

import (
	"bytes"
	"os"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm/internal/opdef"
)

func TestGeneratedConstantsAreCurrent(t *testing.T) {
	want, err := opdef.GenerateConsts(opcodesDef)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("opcodes_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Fatal("opcodes_gen.go is stale: run go generate ./engine/wasm")
	}
}

func TestOpcodeTable(t *testing.T) {
	seen := map[Opcode]bool{}
	for _, info := range AllOps() {
		if seen[info.Op] {
			t.Errorf("opcode %#x defined twice", uint32(info.Op))
		}
		seen[info.Op] = true
		if Lookup(info.Op) != info {
			t.Errorf("Lookup(%#x) does not find %s", uint32(info.Op), info.Name)
		}
		if (info.Imm == ImmMemArg || info.Imm == ImmMemArgLane) && info.AddrParam < 0 {
			t.Errorf("%s: memory access without an address operand", info.Name)
		}
	}
	if got := len(LookupName("ref.test")); got != 2 {
		t.Errorf("ref.test has %d entries, want 2", got)
	}
	if Lookup(OpI32Add).Name != "i32.add" || Lookup(OpStructNew).Name != "struct.new" {
		t.Error("constants do not match the table")
	}
	if Lookup(0x27) != nil || Lookup(0xFB00FF) != nil || Lookup(0xFF0000) != nil {
		t.Error("Lookup accepts undefined opcodes")
	}
	if info := Lookup(OpI64AtomicRmw32CmpxchgU); info.Align != 2 || !info.Atomic || len(info.Params) != 3 {
		t.Errorf("i64.atomic.rmw32.cmpxchg_u: %+v", info)
	}
}

func TestValTypeStrings(t *testing.T) {
	for want, vt := range map[string]ValType{
		"i32": I32, "funcref": FuncRef, "nullref": NullRef, "nullfuncref": RefType(true, HeapNoFunc),
		"(ref 3)": RefType(false, 3), "(ref null 0)": RefType(true, 0), "(ref none)": RefType(false, HeapNone),
	} {
		if got := vt.String(); got != want {
			t.Errorf("%#v prints as %q, want %q", vt, got, want)
		}
	}
}
