package runtime

import (
	"fmt"
	"math"

	"github.com/gcscope/gcscope/engine/wasm"
)

// NewSpectest builds the "spectest" host module the spec scripts import:
// the print functions (writing to Config.Stdout), global_i32/i64 = 666,
// global_f32/f64 = 666.6, a funcref table of 10..20 (and table64, its
// 64-bit twin), and a memory of 1..2 pages. Register it as "spectest".
func (s *Store) NewSpectest() (*Instance, error) {
	inst := s.NewHostInstance("spectest")
	i32, i64, f32, f64 := wasm.I32, wasm.I64, wasm.F32, wasm.F64
	prints := []struct {
		name   string
		params []wasm.ValType
	}{
		{"print", nil},
		{"print_i32", []wasm.ValType{i32}},
		{"print_i64", []wasm.ValType{i64}},
		{"print_f32", []wasm.ValType{f32}},
		{"print_f64", []wasm.ValType{f64}},
		{"print_i32_f32", []wasm.ValType{i32, f32}},
		{"print_f64_f64", []wasm.ValType{f64, f64}},
	}
	for _, p := range prints {
		ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: p.params}
		if _, err := inst.DefineFunc(p.name, ft, s.printHost); err != nil {
			return nil, err
		}
	}
	inst.DefineGlobal("global_i32", wasm.GlobalType{Val: i32}, I32(666))
	inst.DefineGlobal("global_i64", wasm.GlobalType{Val: i64}, I64(666))
	inst.DefineGlobal("global_f32", wasm.GlobalType{Val: f32}, F32(math.Float32bits(666.6)))
	inst.DefineGlobal("global_f64", wasm.GlobalType{Val: f64}, F64(math.Float64bits(666.6)))
	lim := wasm.Limits{Min: 10, Max: 20, HasMax: true}
	inst.DefineTable("table", wasm.TableType{Elem: wasm.FuncRef, Limits: lim})
	inst.DefineTable("table64", wasm.TableType{Elem: wasm.FuncRef, Limits: lim, Addr64: true})
	if _, err := inst.DefineMemory("memory", wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}}); err != nil {
		return nil, err
	}
	return inst, nil
}

func (s *Store) printHost(_ *Instance, args []Value) ([]Value, error) {
	for _, a := range args {
		fmt.Fprintln(s.cfg.Stdout, a.String())
	}
	if len(args) == 0 {
		fmt.Fprintln(s.cfg.Stdout)
	}
	return nil, nil
}
