package debugger

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// parseArg reads a command-line argument of the entry as a value of type
// t: integers in decimal or 0x hex, floats, or null for references.
func parseArg(s string, t wasm.ValType) (runtime.Value, error) {
	switch t.Kind {
	case wasm.KindI32, wasm.KindI64:
		bits := 32
		if t.Kind == wasm.KindI64 {
			bits = 64
		}
		n, err := strconv.ParseInt(s, 0, bits)
		if err != nil {
			u, uerr := strconv.ParseUint(strings.TrimPrefix(s, "+"), 0, bits)
			if uerr != nil {
				return runtime.Value{}, fmt.Errorf("%q is not an i%d", s, bits)
			}
			n = int64(u)
		}
		if bits == 32 {
			return runtime.I32(int32(n)), nil
		}
		return runtime.I64(n), nil
	case wasm.KindF32:
		f, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return runtime.Value{}, fmt.Errorf("%q is not an f32", s)
		}
		return runtime.F32(math.Float32bits(float32(f))), nil
	case wasm.KindF64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return runtime.Value{}, fmt.Errorf("%q is not an f64", s)
		}
		return runtime.F64(math.Float64bits(f)), nil
	case wasm.KindRef:
		if s == "null" && t.Nullable {
			return runtime.Value{Type: t}, nil
		}
		return runtime.Value{}, fmt.Errorf("a %s argument can only be null on the command line", t)
	}
	return runtime.Value{}, fmt.Errorf("cannot pass a %s on the command line", t)
}
