package engine_test

import (
	"fmt"
	"log"

	"github.com/gcscope/gcscope/engine"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Compile a module, instantiate it and call an export.
func Example() {
	rt, err := engine.NewRuntime(engine.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer rt.Close()
	mod, err := engine.Compile([]byte(`(module
	  (func (export "fib") (param $n i32) (result i32)
	    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
	      (then (local.get $n))
	      (else (i32.add (call 0 (i32.sub (local.get $n) (i32.const 1)))
	                     (call 0 (i32.sub (local.get $n) (i32.const 2))))))))`))
	if err != nil {
		log.Fatal(err)
	}
	inst, err := rt.Instantiate(mod, "")
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Function("fib").Call(engine.I32(20))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(int32(res[0].Bits))
	// Output: 6765
}

// Give Wasm code a host function.
func ExampleRuntime_NewHostModule() {
	rt, _ := engine.NewRuntime(engine.Config{})
	defer rt.Close()
	_, err := rt.NewHostModule("env").
		Func("twice", []wasm.ValType{wasm.I32}, []wasm.ValType{wasm.I32}, func(args []engine.Value) ([]engine.Value, error) {
			return []engine.Value{engine.I32(2 * int32(args[0].Bits))}, nil
		}).Register()
	if err != nil {
		log.Fatal(err)
	}
	mod, _ := engine.Compile([]byte(`(module
	  (import "env" "twice" (func $twice (param i32) (result i32)))
	  (func (export "run") (result i32) (call $twice (i32.const 21))))`))
	inst, err := rt.Instantiate(mod, "")
	if err != nil {
		log.Fatal(err)
	}
	res, _ := inst.Function("run").Call()
	fmt.Println(int32(res[0].Bits))
	// Output: 42
}

// Create a GC struct from the host, hand it to Wasm, and read what Wasm
// made of it.
func ExampleInstance_NewStruct() {
	rt, _ := engine.NewRuntime(engine.Config{})
	defer rt.Close()
	mod, _ := engine.Compile([]byte(`(module
	  (type $point (struct (field $x (mut i32)) (field $y (mut i32))))
	  (func (export "swap") (param $p (ref $point)) (result (ref $point))
	    (struct.new $point (struct.get $point $y (local.get $p)) (struct.get $point $x (local.get $p)))))`))
	inst, _ := rt.Instantiate(mod, "")
	p, err := inst.NewStruct(0, engine.I32(3), engine.I32(4))
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Function("swap").Call(p)
	if err != nil {
		log.Fatal(err)
	}
	x, _ := rt.StructField(res[0], 0)
	y, _ := rt.StructField(res[0], 1)
	fmt.Println(int32(x.Bits), int32(y.Bits))
	// Output: 4 3
}
