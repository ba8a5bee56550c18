package validate

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Small builders for hand-made modules.

func ins(op wasm.Opcode) wasm.Instr { return wasm.Instr{Op: op} }

func idx(op wasm.Opcode, i uint32) wasm.Instr { return wasm.Instr{Op: op, Index: i} }

func idx2(op wasm.Opcode, i, j uint32) wasm.Instr { return wasm.Instr{Op: op, Index: i, Index2: j} }

func i32c(v int32) wasm.Instr { return wasm.Instr{Op: wasm.OpI32Const, Value: uint64(uint32(v))} }

func i64c(v int64) wasm.Instr { return wasm.Instr{Op: wasm.OpI64Const, Value: uint64(v)} }

func block(op wasm.Opcode, results ...wasm.ValType) wasm.Instr {
	switch len(results) {
	case 0:
		return wasm.Instr{Op: op}
	case 1:
		return wasm.Instr{Op: op, Block: wasm.BlockType{Kind: wasm.BlockValue, Value: results[0]}}
	}
	panic("use blockFn")
}

func blockFn(op wasm.Opcode, ti uint32) wasm.Instr {
	return wasm.Instr{Op: op, Block: wasm.BlockType{Kind: wasm.BlockFunc, Index: ti}}
}

func refNull(h wasm.HeapType) wasm.Instr {
	return wasm.Instr{Op: wasm.OpRefNull, Ref: wasm.RefType(true, h)}
}

func memarg(op wasm.Opcode, align uint32, offset uint64) wasm.Instr {
	return wasm.Instr{Op: op, Align: align, Value: offset}
}

func end() wasm.Instr { return wasm.Instr{Op: wasm.OpEnd} }

func fnType(params, results []wasm.ValType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompFunc, Params: params, Results: results}}
}

func vt(ts ...wasm.ValType) []wasm.ValType { return ts }

func field(t wasm.ValType, mutable bool) wasm.FieldType {
	return wasm.FieldType{Storage: wasm.StorageType{Val: t}, Mutable: mutable}
}

func packed(p wasm.Packed, mutable bool) wasm.FieldType {
	return wasm.FieldType{Storage: wasm.StorageType{Packed: p, Val: wasm.I32}, Mutable: mutable}
}

func structType(fields ...wasm.FieldType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompStruct, Fields: fields}}
}

func arrayType(f wasm.FieldType) wasm.SubType {
	return wasm.SubType{Final: true, Comp: wasm.CompositeType{Kind: wasm.CompArray, Fields: []wasm.FieldType{f}}}
}

// withTypes returns a module whose types are each in a group of their own.
func withTypes(ts ...wasm.SubType) *wasm.Module {
	m := &wasm.Module{}
	for i, t := range ts {
		m.Types = append(m.Types, t)
		m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: uint32(i), Count: 1})
	}
	return m
}

// addFunc appends a type [params]->[results] and a function of that type
// with the body (an End is appended), returning the module.
func addFunc(m *wasm.Module, params, results []wasm.ValType, locals []wasm.ValType, body ...wasm.Instr) *wasm.Module {
	ti := uint32(len(m.Types))
	m.Types = append(m.Types, fnType(params, results))
	m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: ti, Count: 1})
	body = append(body, end())
	m.Funcs = append(m.Funcs, wasm.Func{TypeIndex: ti, Locals: locals, Body: body})
	return m
}

// fn is a module with one function.
func fn(params, results []wasm.ValType, body ...wasm.Instr) *wasm.Module {
	return addFunc(&wasm.Module{}, params, results, nil, body...)
}

// expect checks that m validates (want == "") or fails with a message
// starting with want.
func expect(t *testing.T, m *wasm.Module, want string) {
	t.Helper()
	err := Module(m)
	if want == "" {
		if err != nil {
			t.Fatalf("want valid, got %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want %q, module validated", want)
	}
	e, ok := err.(*wasm.Error)
	if !ok {
		t.Fatalf("error %T is not a *wasm.Error: %v", err, err)
	}
	if e.Phase != wasm.Invalid {
		t.Errorf("phase %v", e.Phase)
	}
	if !strings.HasPrefix(e.Msg, want) {
		t.Fatalf("want %q, got %q", want, e.Msg)
	}
}

type vcase struct {
	name string
	m    *wasm.Module
	want string
}

func runCases(t *testing.T, cases []vcase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { expect(t, c.m, c.want) })
	}
}
