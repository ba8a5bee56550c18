package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// parseValue reads a command-line argument as a value of type t.
func parseValue(s string, t wasm.ValType) (runtime.Value, error) {
	switch t.Kind {
	case wasm.KindI32:
		n, err := parseInt(s, 32)
		return runtime.I32(int32(n)), err
	case wasm.KindI64:
		n, err := parseInt(s, 64)
		return runtime.I64(n), err
	case wasm.KindF32:
		f, err := strconv.ParseFloat(s, 32)
		return runtime.F32(math.Float32bits(float32(f))), err
	case wasm.KindF64:
		f, err := strconv.ParseFloat(s, 64)
		return runtime.F64(math.Float64bits(f)), err
	case wasm.KindRef:
		if s == "null" && t.Nullable {
			return runtime.Value{Type: t}, nil
		}
		return runtime.Value{}, fmt.Errorf("a %s argument can only be null on the command line", t)
	}
	return runtime.Value{}, fmt.Errorf("cannot pass a %s on the command line", t)
}

// parseInt accepts signed decimal and 0x hex, and unsigned values up to
// the width's maximum (so 0xffffffff is a valid i32).
func parseInt(s string, bits int) (int64, error) {
	if n, err := strconv.ParseInt(s, 0, bits); err == nil {
		return n, nil
	}
	u, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, bits)
	if err != nil {
		return 0, fmt.Errorf("%q is not an i%d", s, bits)
	}
	return int64(u), nil
}

// formatValue prints a result as wasmtime does: numbers plainly, floats
// with their shortest exact decimal, references by what they point at.
func formatValue(store *runtime.Store, v runtime.Value) string {
	if s, ok := runtime.FormatNumber(v); ok {
		return s
	}
	if v.IsNull() {
		return "null"
	}
	return fmt.Sprintf("%s %s", v.Type, describeRef(store.Describe(v)))
}

func describeRef(info runtime.RefInfo) string {
	switch info.Kind {
	case runtime.RefI31:
		return fmt.Sprintf("i31 %d", info.I31)
	case runtime.RefStruct:
		return "struct"
	case runtime.RefArray:
		return "array"
	case runtime.RefFunc:
		return "func"
	case runtime.RefHost:
		return "host"
	case runtime.RefExn:
		return "exception"
	}
	return "dangling"
}
