package aotfile

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/gcscope/gcscope/engine/text"
)

const testWAT = `(module $m
  (rec
    (type $node (sub (struct (field $val (mut i32)) (field $next (ref null $node)))))
    (type $leaf (sub final $node (struct (field $val (mut i32)) (field $next (ref null $node)) (field f64)))))
  (type $arr (array (mut i8)))
  (type $fn (func (param i32) (result i32)))
  (import "env" "log" (func $log (type $fn)))
  (import "env" "mem" (memory 1 2))
  (table $t 4 funcref)
  (tag $exn (param i32))
  (global $g (mut i32) (i32.const 7))
  (global $r (ref null $node) (ref.null $node))
  (func $id (type $fn) (local.get 0))
  (func $run (export "run") (type $fn) (call $id (local.get 0)))
  (start $start)
  (func $start (call $log (i32.const 1)) drop)
  (elem (table $t) (i32.const 0) func $id $run)
  (data (memory 0) (i32.const 16) "hello")
)`

// TestModuleRoundTrip builds the module-level sections from a parsed module
// through binary.Encode and checks what Read decodes.
func TestModuleRoundTrip(t *testing.T) {
	m, err := text.ParseModule([]byte(testWAT))
	if err != nil {
		t.Fatal(err)
	}
	before := m.Funcs[0].Body[0].Offset
	b := NewBuilder(testHeader)
	if err := b.SetModule(m); err != nil {
		t.Fatal(err)
	}
	if m.Binary != nil || m.Funcs[0].Body[0].Offset != before {
		t.Error("SetModule modified the module")
	}
	b.SetText([]byte{})
	for i := range m.Funcs {
		b.AddFunction(Function{TypeIndex: m.Funcs[i].TypeIndex, FrameSlots: 1, Locals: 1})
	}
	data, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Module
	if len(got.Types) != len(m.Types) || !reflect.DeepEqual(got.RecGroups, m.RecGroups) {
		t.Errorf("types: %d, groups %v; want %d, %v", len(got.Types), got.RecGroups, len(m.Types), m.RecGroups)
	}
	for i := range m.Types {
		if i < len(got.Types) && (!reflect.DeepEqual(got.Types[i].Comp, m.Types[i].Comp) ||
			got.Types[i].Final != m.Types[i].Final || !reflect.DeepEqual(got.Types[i].Supers, m.Types[i].Supers)) {
			t.Errorf("type %d = %+v, want %+v", i, got.Types[i], m.Types[i])
		}
	}
	if len(got.Imports) != 2 || len(got.Funcs) != 3 || len(got.Tables) != 1 || len(got.Tags) != 1 ||
		len(got.Globals) != 2 || len(got.Exports) != 1 || got.Start == nil || *got.Start != 3 ||
		len(got.Elems) != 1 || len(got.Datas) != 1 || !bytes.Equal(got.Datas[0].Init, []byte("hello")) {
		t.Errorf("module decoded wrongly: %+v", got)
	}
	if f.FuncName(1) != "run" || got.Names == nil || got.Names.Module != "m" {
		t.Errorf("names: FuncName(1) = %q, %+v", f.FuncName(1), got.Names)
	}
	// Encoding what was decoded gives the same payloads.
	again, err := ModulePayloads(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, f.ModulePayloads) {
		t.Error("re-encoding the decoded module changed its payloads")
	}
}

// TestHandPayloadsCanonical checks the hand-made payloads the other tests
// use against the encoder: they are what binary.Encode writes.
func TestHandPayloadsCanonical(t *testing.T) {
	_, data := buildTestFile(t)
	f, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ModulePayloads(f.Module)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range testPayloads {
		if id == SectionNames {
			// Subsection order and empty subsections are the encoder's
			// choice: compare what the names say.
			a, errA := DecodeWasmSection(id, p[id], 0)
			b, errB := DecodeWasmSection(id, want, 0)
			if errA != nil || errB != nil || !reflect.DeepEqual(a.Names, b.Names) {
				t.Errorf("names: encoder writes % x, test has % x", p[id], want)
			}
			continue
		}
		if !bytes.Equal(p[id], want) {
			t.Errorf("%s: encoder writes % x, test has % x", id, p[id], want)
		}
	}
}
