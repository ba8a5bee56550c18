package interp

import (
	"math"
	"math/bits"

	"github.com/gcscope/gcscope/engine/wasm"
)

// Numeric instructions are pure functions of one or two slots. They are
// kept in tables keyed by opcode so the compiler can emit one generic
// instruction per arity (and the few that trap report the spec's message).

type (
	numFn  func(x, y uint64) uint64
	trapFn func(x, y uint64) (uint64, string)
)

const (
	msgDivZero     = "integer divide by zero"
	msgIntOverflow = "integer overflow"
	msgInvalidConv = "invalid conversion to integer"
)

func f32(x uint64) float32  { return math.Float32frombits(uint32(x)) }
func f64(x uint64) float64  { return math.Float64frombits(x) }
func uf32(x float32) uint64 { return uint64(math.Float32bits(x)) }
func uf64(x float64) uint64 { return math.Float64bits(x) }
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// i32 keeps 32-bit results zero-extended in their slot.
func u32(x uint32) uint64 { return uint64(x) }

var numOps = map[wasm.Opcode]numFn{
	wasm.OpI32Eqz: func(x, _ uint64) uint64 { return b2u(uint32(x) == 0) },
	wasm.OpI32Eq:  func(x, y uint64) uint64 { return b2u(uint32(x) == uint32(y)) },
	wasm.OpI32Ne:  func(x, y uint64) uint64 { return b2u(uint32(x) != uint32(y)) },
	wasm.OpI32LtS: func(x, y uint64) uint64 { return b2u(int32(x) < int32(y)) },
	wasm.OpI32LtU: func(x, y uint64) uint64 { return b2u(uint32(x) < uint32(y)) },
	wasm.OpI32GtS: func(x, y uint64) uint64 { return b2u(int32(x) > int32(y)) },
	wasm.OpI32GtU: func(x, y uint64) uint64 { return b2u(uint32(x) > uint32(y)) },
	wasm.OpI32LeS: func(x, y uint64) uint64 { return b2u(int32(x) <= int32(y)) },
	wasm.OpI32LeU: func(x, y uint64) uint64 { return b2u(uint32(x) <= uint32(y)) },
	wasm.OpI32GeS: func(x, y uint64) uint64 { return b2u(int32(x) >= int32(y)) },
	wasm.OpI32GeU: func(x, y uint64) uint64 { return b2u(uint32(x) >= uint32(y)) },
	wasm.OpI64Eqz: func(x, _ uint64) uint64 { return b2u(x == 0) },
	wasm.OpI64Eq:  func(x, y uint64) uint64 { return b2u(x == y) },
	wasm.OpI64Ne:  func(x, y uint64) uint64 { return b2u(x != y) },
	wasm.OpI64LtS: func(x, y uint64) uint64 { return b2u(int64(x) < int64(y)) },
	wasm.OpI64LtU: func(x, y uint64) uint64 { return b2u(x < y) },
	wasm.OpI64GtS: func(x, y uint64) uint64 { return b2u(int64(x) > int64(y)) },
	wasm.OpI64GtU: func(x, y uint64) uint64 { return b2u(x > y) },
	wasm.OpI64LeS: func(x, y uint64) uint64 { return b2u(int64(x) <= int64(y)) },
	wasm.OpI64LeU: func(x, y uint64) uint64 { return b2u(x <= y) },
	wasm.OpI64GeS: func(x, y uint64) uint64 { return b2u(int64(x) >= int64(y)) },
	wasm.OpI64GeU: func(x, y uint64) uint64 { return b2u(x >= y) },
	wasm.OpF32Eq:  func(x, y uint64) uint64 { return b2u(f32(x) == f32(y)) },
	wasm.OpF32Ne:  func(x, y uint64) uint64 { return b2u(f32(x) != f32(y)) },
	wasm.OpF32Lt:  func(x, y uint64) uint64 { return b2u(f32(x) < f32(y)) },
	wasm.OpF32Gt:  func(x, y uint64) uint64 { return b2u(f32(x) > f32(y)) },
	wasm.OpF32Le:  func(x, y uint64) uint64 { return b2u(f32(x) <= f32(y)) },
	wasm.OpF32Ge:  func(x, y uint64) uint64 { return b2u(f32(x) >= f32(y)) },
	wasm.OpF64Eq:  func(x, y uint64) uint64 { return b2u(f64(x) == f64(y)) },
	wasm.OpF64Ne:  func(x, y uint64) uint64 { return b2u(f64(x) != f64(y)) },
	wasm.OpF64Lt:  func(x, y uint64) uint64 { return b2u(f64(x) < f64(y)) },
	wasm.OpF64Gt:  func(x, y uint64) uint64 { return b2u(f64(x) > f64(y)) },
	wasm.OpF64Le:  func(x, y uint64) uint64 { return b2u(f64(x) <= f64(y)) },
	wasm.OpF64Ge:  func(x, y uint64) uint64 { return b2u(f64(x) >= f64(y)) },

	wasm.OpI32Clz:    func(x, _ uint64) uint64 { return uint64(bits.LeadingZeros32(uint32(x))) },
	wasm.OpI32Ctz:    func(x, _ uint64) uint64 { return uint64(bits.TrailingZeros32(uint32(x))) },
	wasm.OpI32Popcnt: func(x, _ uint64) uint64 { return uint64(bits.OnesCount32(uint32(x))) },
	wasm.OpI32Add:    func(x, y uint64) uint64 { return u32(uint32(x) + uint32(y)) },
	wasm.OpI32Sub:    func(x, y uint64) uint64 { return u32(uint32(x) - uint32(y)) },
	wasm.OpI32Mul:    func(x, y uint64) uint64 { return u32(uint32(x) * uint32(y)) },
	wasm.OpI32And:    func(x, y uint64) uint64 { return u32(uint32(x) & uint32(y)) },
	wasm.OpI32Or:     func(x, y uint64) uint64 { return u32(uint32(x) | uint32(y)) },
	wasm.OpI32Xor:    func(x, y uint64) uint64 { return u32(uint32(x) ^ uint32(y)) },
	wasm.OpI32Shl:    func(x, y uint64) uint64 { return u32(uint32(x) << (y & 31)) },
	wasm.OpI32ShrS:   func(x, y uint64) uint64 { return u32(uint32(int32(x) >> (y & 31))) },
	wasm.OpI32ShrU:   func(x, y uint64) uint64 { return u32(uint32(x) >> (y & 31)) },
	wasm.OpI32Rotl:   func(x, y uint64) uint64 { return u32(bits.RotateLeft32(uint32(x), int(y&31))) },
	wasm.OpI32Rotr:   func(x, y uint64) uint64 { return u32(bits.RotateLeft32(uint32(x), -int(y&31))) },
	wasm.OpI64Clz:    func(x, _ uint64) uint64 { return uint64(bits.LeadingZeros64(x)) },
	wasm.OpI64Ctz:    func(x, _ uint64) uint64 { return uint64(bits.TrailingZeros64(x)) },
	wasm.OpI64Popcnt: func(x, _ uint64) uint64 { return uint64(bits.OnesCount64(x)) },
	wasm.OpI64Add:    func(x, y uint64) uint64 { return x + y },
	wasm.OpI64Sub:    func(x, y uint64) uint64 { return x - y },
	wasm.OpI64Mul:    func(x, y uint64) uint64 { return x * y },
	wasm.OpI64And:    func(x, y uint64) uint64 { return x & y },
	wasm.OpI64Or:     func(x, y uint64) uint64 { return x | y },
	wasm.OpI64Xor:    func(x, y uint64) uint64 { return x ^ y },
	wasm.OpI64Shl:    func(x, y uint64) uint64 { return x << (y & 63) },
	wasm.OpI64ShrS:   func(x, y uint64) uint64 { return uint64(int64(x) >> (y & 63)) },
	wasm.OpI64ShrU:   func(x, y uint64) uint64 { return x >> (y & 63) },
	wasm.OpI64Rotl:   func(x, y uint64) uint64 { return bits.RotateLeft64(x, int(y&63)) },
	wasm.OpI64Rotr:   func(x, y uint64) uint64 { return bits.RotateLeft64(x, -int(y&63)) },

	// Sign and magnitude operations work on bits, so NaN payloads pass
	// through untouched, as the spec requires.
	wasm.OpF32Abs:      func(x, _ uint64) uint64 { return x & 0x7FFFFFFF },
	wasm.OpF32Neg:      func(x, _ uint64) uint64 { return (x ^ 0x80000000) & 0xFFFFFFFF },
	wasm.OpF32Copysign: func(x, y uint64) uint64 { return x&0x7FFFFFFF | y&0x80000000 },
	wasm.OpF64Abs:      func(x, _ uint64) uint64 { return x &^ (1 << 63) },
	wasm.OpF64Neg:      func(x, _ uint64) uint64 { return x ^ (1 << 63) },
	wasm.OpF64Copysign: func(x, y uint64) uint64 { return x&^(1<<63) | y&(1<<63) },
	wasm.OpF32Ceil:     func(x, _ uint64) uint64 { return f32Round(x, math.Ceil) },
	wasm.OpF32Floor:    func(x, _ uint64) uint64 { return f32Round(x, math.Floor) },
	wasm.OpF32Trunc:    func(x, _ uint64) uint64 { return f32Round(x, math.Trunc) },
	wasm.OpF32Nearest:  func(x, _ uint64) uint64 { return f32Round(x, math.RoundToEven) },
	wasm.OpF32Sqrt:     func(x, _ uint64) uint64 { return f32Round(x, math.Sqrt) },
	wasm.OpF32Add:      func(x, y uint64) uint64 { return uf32(f32(x) + f32(y)) },
	wasm.OpF32Sub:      func(x, y uint64) uint64 { return uf32(f32(x) - f32(y)) },
	wasm.OpF32Mul:      func(x, y uint64) uint64 { return uf32(f32(x) * f32(y)) },
	wasm.OpF32Div:      func(x, y uint64) uint64 { return uf32(f32(x) / f32(y)) },
	wasm.OpF32Min:      func(x, y uint64) uint64 { return uf32(float32(fmin(float64(f32(x)), float64(f32(y))))) },
	wasm.OpF32Max:      func(x, y uint64) uint64 { return uf32(float32(fmax(float64(f32(x)), float64(f32(y))))) },
	wasm.OpF64Ceil:     func(x, _ uint64) uint64 { return f64Round(x, math.Ceil) },
	wasm.OpF64Floor:    func(x, _ uint64) uint64 { return f64Round(x, math.Floor) },
	wasm.OpF64Trunc:    func(x, _ uint64) uint64 { return f64Round(x, math.Trunc) },
	wasm.OpF64Nearest:  func(x, _ uint64) uint64 { return f64Round(x, math.RoundToEven) },
	wasm.OpF64Sqrt:     func(x, _ uint64) uint64 { return f64Round(x, math.Sqrt) },
	wasm.OpF64Add:      func(x, y uint64) uint64 { return uf64(f64(x) + f64(y)) },
	wasm.OpF64Sub:      func(x, y uint64) uint64 { return uf64(f64(x) - f64(y)) },
	wasm.OpF64Mul:      func(x, y uint64) uint64 { return uf64(f64(x) * f64(y)) },
	wasm.OpF64Div:      func(x, y uint64) uint64 { return uf64(f64(x) / f64(y)) },
	wasm.OpF64Min:      func(x, y uint64) uint64 { return uf64(fmin(f64(x), f64(y))) },
	wasm.OpF64Max:      func(x, y uint64) uint64 { return uf64(fmax(f64(x), f64(y))) },

	wasm.OpI32WrapI64:        func(x, _ uint64) uint64 { return x & 0xFFFFFFFF },
	wasm.OpI64ExtendI32S:     func(x, _ uint64) uint64 { return uint64(int64(int32(x))) },
	wasm.OpI64ExtendI32U:     func(x, _ uint64) uint64 { return x & 0xFFFFFFFF },
	wasm.OpF32ConvertI32S:    func(x, _ uint64) uint64 { return uf32(float32(int32(x))) },
	wasm.OpF32ConvertI32U:    func(x, _ uint64) uint64 { return uf32(float32(uint32(x))) },
	wasm.OpF32ConvertI64S:    func(x, _ uint64) uint64 { return uf32(float32(int64(x))) },
	wasm.OpF32ConvertI64U:    func(x, _ uint64) uint64 { return uf32(u64ToF32(x)) },
	wasm.OpF32DemoteF64:      func(x, _ uint64) uint64 { return uf32(float32(f64(x))) },
	wasm.OpF64ConvertI32S:    func(x, _ uint64) uint64 { return uf64(float64(int32(x))) },
	wasm.OpF64ConvertI32U:    func(x, _ uint64) uint64 { return uf64(float64(uint32(x))) },
	wasm.OpF64ConvertI64S:    func(x, _ uint64) uint64 { return uf64(float64(int64(x))) },
	wasm.OpF64ConvertI64U:    func(x, _ uint64) uint64 { return uf64(float64(x)) },
	wasm.OpF64PromoteF32:     func(x, _ uint64) uint64 { return uf64(float64(f32(x))) },
	wasm.OpI32ReinterpretF32: func(x, _ uint64) uint64 { return x & 0xFFFFFFFF },
	wasm.OpI64ReinterpretF64: func(x, _ uint64) uint64 { return x },
	wasm.OpF32ReinterpretI32: func(x, _ uint64) uint64 { return x & 0xFFFFFFFF },
	wasm.OpF64ReinterpretI64: func(x, _ uint64) uint64 { return x },
	wasm.OpI32Extend8S:       func(x, _ uint64) uint64 { return u32(uint32(int32(int8(x)))) },
	wasm.OpI32Extend16S:      func(x, _ uint64) uint64 { return u32(uint32(int32(int16(x)))) },
	wasm.OpI64Extend8S:       func(x, _ uint64) uint64 { return uint64(int64(int8(x))) },
	wasm.OpI64Extend16S:      func(x, _ uint64) uint64 { return uint64(int64(int16(x))) },
	wasm.OpI64Extend32S:      func(x, _ uint64) uint64 { return uint64(int64(int32(x))) },

	wasm.OpI32TruncSatF32S: func(x, _ uint64) uint64 { return u32(uint32(satS(float64(f32(x)), 32))) },
	wasm.OpI32TruncSatF32U: func(x, _ uint64) uint64 { return u32(uint32(satU(float64(f32(x)), 32))) },
	wasm.OpI32TruncSatF64S: func(x, _ uint64) uint64 { return u32(uint32(satS(f64(x), 32))) },
	wasm.OpI32TruncSatF64U: func(x, _ uint64) uint64 { return u32(uint32(satU(f64(x), 32))) },
	wasm.OpI64TruncSatF32S: func(x, _ uint64) uint64 { return uint64(satS(float64(f32(x)), 64)) },
	wasm.OpI64TruncSatF32U: func(x, _ uint64) uint64 { return satU(float64(f32(x)), 64) },
	wasm.OpI64TruncSatF64S: func(x, _ uint64) uint64 { return uint64(satS(f64(x), 64)) },
	wasm.OpI64TruncSatF64U: func(x, _ uint64) uint64 { return satU(f64(x), 64) },
}

var trapOps = map[wasm.Opcode]trapFn{
	wasm.OpI32DivS: func(x, y uint64) (uint64, string) {
		a, b := int32(x), int32(y)
		if b == 0 {
			return 0, msgDivZero
		}
		if a == math.MinInt32 && b == -1 {
			return 0, msgIntOverflow
		}
		return u32(uint32(a / b)), ""
	},
	wasm.OpI32DivU: func(x, y uint64) (uint64, string) {
		if uint32(y) == 0 {
			return 0, msgDivZero
		}
		return u32(uint32(x) / uint32(y)), ""
	},
	wasm.OpI32RemS: func(x, y uint64) (uint64, string) {
		a, b := int32(x), int32(y)
		if b == 0 {
			return 0, msgDivZero
		}
		if b == -1 {
			return 0, ""
		}
		return u32(uint32(a % b)), ""
	},
	wasm.OpI32RemU: func(x, y uint64) (uint64, string) {
		if uint32(y) == 0 {
			return 0, msgDivZero
		}
		return u32(uint32(x) % uint32(y)), ""
	},
	wasm.OpI64DivS: func(x, y uint64) (uint64, string) {
		a, b := int64(x), int64(y)
		if b == 0 {
			return 0, msgDivZero
		}
		if a == math.MinInt64 && b == -1 {
			return 0, msgIntOverflow
		}
		return uint64(a / b), ""
	},
	wasm.OpI64DivU: func(x, y uint64) (uint64, string) {
		if y == 0 {
			return 0, msgDivZero
		}
		return x / y, ""
	},
	wasm.OpI64RemS: func(x, y uint64) (uint64, string) {
		a, b := int64(x), int64(y)
		if b == 0 {
			return 0, msgDivZero
		}
		if b == -1 {
			return 0, ""
		}
		return uint64(a % b), ""
	},
	wasm.OpI64RemU: func(x, y uint64) (uint64, string) {
		if y == 0 {
			return 0, msgDivZero
		}
		return x % y, ""
	},
	wasm.OpI32TruncF32S: func(x, _ uint64) (uint64, string) { return truncS(float64(f32(x)), 32) },
	wasm.OpI32TruncF32U: func(x, _ uint64) (uint64, string) { return truncU(float64(f32(x)), 32) },
	wasm.OpI32TruncF64S: func(x, _ uint64) (uint64, string) { return truncS(f64(x), 32) },
	wasm.OpI32TruncF64U: func(x, _ uint64) (uint64, string) { return truncU(f64(x), 32) },
	wasm.OpI64TruncF32S: func(x, _ uint64) (uint64, string) { return truncS(float64(f32(x)), 64) },
	wasm.OpI64TruncF32U: func(x, _ uint64) (uint64, string) { return truncU(float64(f32(x)), 64) },
	wasm.OpI64TruncF64S: func(x, _ uint64) (uint64, string) { return truncS(f64(x), 64) },
	wasm.OpI64TruncF64U: func(x, _ uint64) (uint64, string) { return truncU(f64(x), 64) },
}

// f32Round applies an exact float64 operation to an f32: rounding
// functions and sqrt give the correctly rounded f32 result this way.
func f32Round(x uint64, f func(float64) float64) uint64 {
	v := f32(x)
	if v != v {
		return uf32(v + v) // quiet the NaN, keep its payload
	}
	return uf32(float32(f(float64(v))))
}

func f64Round(x uint64, f func(float64) float64) uint64 {
	v := f64(x)
	if v != v {
		return uf64(v + v)
	}
	return uf64(f(v))
}

// fmin and fmax follow the spec: NaN in, NaN out; -0 < +0. A NaN result
// is the first NaN operand, quieted (nanOperand), as the AOT tier
// computes it, so that both tiers give the same bits.
func fmin(a, b float64) float64 {
	switch {
	case a != a || b != b:
		return nanOperand(a, b)
	case a == 0 && b == 0:
		if math.Signbit(a) {
			return a
		}
		return b
	case a < b:
		return a
	}
	return b
}

func fmax(a, b float64) float64 {
	switch {
	case a != a || b != b:
		return nanOperand(a, b)
	case a == 0 && b == 0:
		if math.Signbit(a) {
			return b
		}
		return a
	case a > b:
		return a
	}
	return b
}

// nanOperand is min/max's result when a or b is a NaN: a if it is one,
// else b, with the quiet bit set. The spec allows any arithmetic NaN when
// an operand is not canonical (and either sign of the canonical NaN
// otherwise); picking by position rather than by a + b, whose operands
// Go and LLVM may each commute, keeps the interpreter and the native
// code in step. An f32 operand was widened to float64 already, which
// kept its payload in the top fraction bits, and the quiet bit set here
// becomes f32's quiet bit when narrowed back.
func nanOperand(a, b float64) float64 {
	n := b
	if a != a {
		n = a
	}
	return math.Float64frombits(math.Float64bits(n) | 1<<51)
}

// u64ToF32 rounds a uint64 to f32 once (converting through float64 would
// round twice).
func u64ToF32(x uint64) float32 {
	if x < 1<<63 {
		return float32(int64(x))
	}
	// Halve with the lost bit kept sticky, convert, double.
	return float32(int64(x>>1|x&1)) * 2
}

func truncS(v float64, n int) (uint64, string) {
	if v != v {
		return 0, msgInvalidConv
	}
	v = math.Trunc(v)
	if n == 32 {
		if v < -2147483648 || v > 2147483647 {
			return 0, msgIntOverflow
		}
		return u32(uint32(int32(v))), ""
	}
	if v < -9223372036854775808 || v >= 9223372036854775808 {
		return 0, msgIntOverflow
	}
	return uint64(int64(v)), ""
}

func truncU(v float64, n int) (uint64, string) {
	if v != v {
		return 0, msgInvalidConv
	}
	v = math.Trunc(v)
	if n == 32 {
		if v < 0 || v > 4294967295 {
			return 0, msgIntOverflow
		}
		return uint64(uint32(v)), ""
	}
	if v < 0 || v >= 18446744073709551616 {
		return 0, msgIntOverflow
	}
	return uint64(v), ""
}

func satS(v float64, n int) int64 {
	if v != v {
		return 0
	}
	lo, hi := float64(math.MinInt32), float64(math.MaxInt32)
	if n == 64 {
		lo, hi = math.MinInt64, math.MaxInt64
		if v >= 9223372036854775808 {
			return math.MaxInt64
		}
	}
	switch {
	case v <= lo:
		return int64(lo)
	case v >= hi:
		return int64(hi)
	}
	return int64(v)
}

func satU(v float64, n int) uint64 {
	if v != v || v <= 0 {
		return 0
	}
	if n == 32 {
		if v >= 4294967295 {
			return math.MaxUint32
		}
		return uint64(uint32(v))
	}
	if v >= 18446744073709551616 {
		return math.MaxUint64
	}
	return uint64(v)
}
