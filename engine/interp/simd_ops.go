package interp

import (
	"math"
	"math/bits"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// simdCtx is what a SIMD instruction works on: operands start at slot
// in.a (a v128 takes two slots), in.b is the memory, in.c the lane, in.imm
// the memarg offset or the index of a constant in code.vecs.
type simdCtx struct {
	l    []uint64
	in   *instr
	inst *runtime.Instance
	cd   *code
}

type simdFn func(c simdCtx) string

var (
	simdFns []simdFn
	simdIdx = map[wasm.Opcode]uint32{}
)

func defSIMD(name string, f simdFn) {
	infos := wasm.LookupName(name)
	if len(infos) == 0 {
		panic("simd: unknown instruction " + name) // caught by the package's tests
	}
	simdIdx[infos[0].Op] = uint32(len(simdFns))
	simdFns = append(simdFns, f)
}

// Shape helpers: they read v128 operands from consecutive slot pairs.

func binV(size int, f func(a, b uint64) uint64) simdFn {
	return func(c simdCtx) string {
		stv(c.l, c.in.a, zipV(ldv(c.l, c.in.a), ldv(c.l, c.in.a+2), size, f))
		return ""
	}
}

func unV(size int, f func(uint64) uint64) simdFn {
	return func(c simdCtx) string {
		stv(c.l, c.in.a, mapV(ldv(c.l, c.in.a), size, f))
		return ""
	}
}

func cmpV(size int, p func(a, b uint64) bool) simdFn {
	return binV(size, func(a, b uint64) uint64 { return mask(p(a, b)) })
}

func shiftV(size int, f func(x uint64, s uint) uint64) simdFn {
	return func(c simdCtx) string {
		s := uint(c.l[c.in.a+2]) & uint(8*size-1)
		stv(c.l, c.in.a, mapV(ldv(c.l, c.in.a), size, func(x uint64) uint64 { return f(x, s) }))
		return ""
	}
}

// num adapts a scalar numeric function (numOps) to a lane function.
func num(name string) func(a, b uint64) uint64 {
	infos := wasm.LookupName(name)
	if len(infos) == 0 {
		panic("simd: unknown scalar " + name)
	}
	f := numOps[infos[0].Op]
	if f == nil {
		panic("simd: no scalar " + name)
	}
	return f
}

func num1(name string) func(uint64) uint64 {
	f := num(name)
	return func(x uint64) uint64 { return f(x, 0) }
}

// intShapes are the integer lane shapes with their lane sizes.
var intShapes = []struct {
	name string
	size int
}{{"i8x16", 1}, {"i16x8", 2}, {"i32x4", 4}, {"i64x2", 8}}

func init() {
	defSIMDInts()
	defSIMDFloats()
	defSIMDMisc()
	defSIMDMemory()
	defSIMDRelaxed()
}

func defSIMDInts() {
	for _, s := range intShapes {
		size, n := s.size, s.name
		bitsz := uint(8 * size)
		defSIMD(n+".add", binV(size, func(a, b uint64) uint64 { return a + b }))
		defSIMD(n+".sub", binV(size, func(a, b uint64) uint64 { return a - b }))
		defSIMD(n+".neg", unV(size, func(a uint64) uint64 { return -a }))
		defSIMD(n+".abs", unV(size, func(a uint64) uint64 {
			if v := sext(a, size); v < 0 {
				return uint64(-v)
			}
			return a
		}))
		defSIMD(n+".shl", shiftV(size, func(x uint64, s uint) uint64 { return x << s }))
		defSIMD(n+".shr_s", shiftV(size, func(x uint64, s uint) uint64 { return uint64(sext(x, size) >> s) }))
		defSIMD(n+".shr_u", shiftV(size, func(x uint64, s uint) uint64 { return x >> s }))
		defSIMD(n+".eq", cmpV(size, func(a, b uint64) bool { return a == b }))
		defSIMD(n+".ne", cmpV(size, func(a, b uint64) bool { return a != b }))
		defSIMD(n+".lt_s", cmpV(size, func(a, b uint64) bool { return sext(a, size) < sext(b, size) }))
		defSIMD(n+".gt_s", cmpV(size, func(a, b uint64) bool { return sext(a, size) > sext(b, size) }))
		defSIMD(n+".le_s", cmpV(size, func(a, b uint64) bool { return sext(a, size) <= sext(b, size) }))
		defSIMD(n+".ge_s", cmpV(size, func(a, b uint64) bool { return sext(a, size) >= sext(b, size) }))
		defSIMD(n+".all_true", func(c simdCtx) string {
			v := ldv(c.l, c.in.a)
			ok := true
			for i := 0; i < 16/size; i++ {
				ok = ok && v.lane(size, i) != 0
			}
			c.l[c.in.a] = b2u(ok)
			return ""
		})
		defSIMD(n+".bitmask", func(c simdCtx) string {
			v := ldv(c.l, c.in.a)
			m := uint64(0)
			for i := 0; i < 16/size; i++ {
				m |= (v.lane(size, i) >> (bitsz - 1) & 1) << i
			}
			c.l[c.in.a] = m
			return ""
		})
		defSIMD(n+".splat", func(c simdCtx) string {
			stv(c.l, c.in.a, splat(size, c.l[c.in.a]))
			return ""
		})
		defSIMD(n+".replace_lane", func(c simdCtx) string {
			v := ldv(c.l, c.in.a)
			v.setLane(size, int(c.in.c), c.l[c.in.a+2])
			stv(c.l, c.in.a, v)
			return ""
		})
		if size <= 2 {
			defSIMD(n+".extract_lane_s", func(c simdCtx) string {
				v := ldv(c.l, c.in.a)
				c.l[c.in.a] = uint64(uint32(sext(v.lane(size, int(c.in.c)), size)))
				return ""
			})
			defSIMD(n+".extract_lane_u", func(c simdCtx) string {
				v := ldv(c.l, c.in.a)
				c.l[c.in.a] = v.lane(size, int(c.in.c))
				return ""
			})
		} else {
			defSIMD(n+".extract_lane", func(c simdCtx) string {
				v := ldv(c.l, c.in.a)
				c.l[c.in.a] = v.lane(size, int(c.in.c))
				return ""
			})
		}
		if size < 8 {
			defSIMD(n+".lt_u", cmpV(size, func(a, b uint64) bool { return a < b }))
			defSIMD(n+".gt_u", cmpV(size, func(a, b uint64) bool { return a > b }))
			defSIMD(n+".le_u", cmpV(size, func(a, b uint64) bool { return a <= b }))
			defSIMD(n+".ge_u", cmpV(size, func(a, b uint64) bool { return a >= b }))
			defSIMD(n+".min_s", binV(size, func(a, b uint64) uint64 { return pick(sext(a, size) < sext(b, size), a, b) }))
			defSIMD(n+".max_s", binV(size, func(a, b uint64) uint64 { return pick(sext(a, size) > sext(b, size), a, b) }))
			defSIMD(n+".min_u", binV(size, func(a, b uint64) uint64 { return pick(a < b, a, b) }))
			defSIMD(n+".max_u", binV(size, func(a, b uint64) uint64 { return pick(a > b, a, b) }))
		}
		if size <= 2 {
			defSIMD(n+".add_sat_s", binV(size, func(a, b uint64) uint64 { return satSLane(sext(a, size)+sext(b, size), size) }))
			defSIMD(n+".sub_sat_s", binV(size, func(a, b uint64) uint64 { return satSLane(sext(a, size)-sext(b, size), size) }))
			defSIMD(n+".add_sat_u", binV(size, func(a, b uint64) uint64 { return satULane(int64(a)+int64(b), size) }))
			defSIMD(n+".sub_sat_u", binV(size, func(a, b uint64) uint64 { return satULane(int64(a)-int64(b), size) }))
			defSIMD(n+".avgr_u", binV(size, func(a, b uint64) uint64 { return (a + b + 1) / 2 }))
		}
		if size >= 2 {
			defSIMD(n+".mul", binV(size, func(a, b uint64) uint64 { return a * b }))
		}
	}
	defSIMD("i8x16.popcnt", unV(1, func(a uint64) uint64 { return uint64(bits.OnesCount8(uint8(a))) }))
	defSIMD("i16x8.q15mulr_sat_s", binV(2, func(a, b uint64) uint64 {
		return satSLane((sext(a, 2)*sext(b, 2)+0x4000)>>15, 2)
	}))
	// Narrowing, widening and pairwise operations change the lane shape.
	narrow := func(name string, from int, signed bool) {
		defSIMD(name, func(c simdCtx) string {
			x, y := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2)
			var r vec
			to, n := from/2, 16/from
			for i := 0; i < n; i++ {
				for k, src := range [2]*vec{&x, &y} {
					v := sext(src.lane(from, i), from)
					if signed {
						r.setLane(to, k*n+i, satSLane(v, to))
					} else {
						r.setLane(to, k*n+i, satULane(v, to))
					}
				}
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	narrow("i8x16.narrow_i16x8_s", 2, true)
	narrow("i8x16.narrow_i16x8_u", 2, false)
	narrow("i16x8.narrow_i32x4_s", 4, true)
	narrow("i16x8.narrow_i32x4_u", 4, false)
	widen := func(to string, from int, half int, signed bool) func(x vec) vec {
		return func(x vec) (r vec) {
			n := 8 / from
			for i := 0; i < n; i++ {
				v := x.lane(from, half*n+i)
				if signed {
					v = uint64(sext(v, from))
				}
				r.setLane(2*from, i, v)
			}
			return r
		}
	}
	for _, w := range []struct {
		to, from string
		size     int
	}{{"i16x8", "i8x16", 1}, {"i32x4", "i16x8", 2}, {"i64x2", "i32x4", 4}} {
		for half, hn := range []string{"low", "high"} {
			for _, sg := range []string{"s", "u"} {
				f := widen(w.to, w.size, half, sg == "s")
				defSIMD(w.to+".extend_"+hn+"_"+w.from+"_"+sg, func(c simdCtx) string {
					stv(c.l, c.in.a, f(ldv(c.l, c.in.a)))
					return ""
				})
				size := w.size
				defSIMD(w.to+".extmul_"+hn+"_"+w.from+"_"+sg, func(c simdCtx) string {
					x, y := f(ldv(c.l, c.in.a)), f(ldv(c.l, c.in.a+2))
					stv(c.l, c.in.a, zipV(x, y, 2*size, func(a, b uint64) uint64 { return a * b }))
					return ""
				})
			}
		}
	}
	pairwise := func(name string, from int, signed bool) {
		defSIMD(name, func(c simdCtx) string {
			x := ldv(c.l, c.in.a)
			var r vec
			for i := 0; i < 8/from; i++ {
				a, b := x.lane(from, 2*i), x.lane(from, 2*i+1)
				if signed {
					a, b = uint64(sext(a, from)), uint64(sext(b, from))
				}
				r.setLane(2*from, i, a+b)
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	pairwise("i16x8.extadd_pairwise_i8x16_s", 1, true)
	pairwise("i16x8.extadd_pairwise_i8x16_u", 1, false)
	pairwise("i32x4.extadd_pairwise_i16x8_s", 2, true)
	pairwise("i32x4.extadd_pairwise_i16x8_u", 2, false)
	defSIMD("i32x4.dot_i16x8_s", func(c simdCtx) string {
		x, y := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2)
		var r vec
		for i := 0; i < 4; i++ {
			s := sext(x.lane(2, 2*i), 2)*sext(y.lane(2, 2*i), 2) + sext(x.lane(2, 2*i+1), 2)*sext(y.lane(2, 2*i+1), 2)
			r.setLane(4, i, uint64(s))
		}
		stv(c.l, c.in.a, r)
		return ""
	})
}

func pick(c bool, a, b uint64) uint64 {
	if c {
		return a
	}
	return b
}

func defSIMDFloats() {
	for _, s := range []struct {
		n    string
		size int
		t    string
	}{{"f32x4", 4, "f32"}, {"f64x2", 8, "f64"}} {
		n, size, t := s.n, s.size, s.t
		for _, op := range []string{"add", "sub", "mul", "div", "min", "max", "copysign"} {
			if op == "copysign" {
				continue
			}
			defSIMD(n+"."+op, binV(size, num(t+"."+op)))
		}
		for _, op := range []string{"abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"} {
			defSIMD(n+"."+op, unV(size, num1(t+"."+op)))
		}
		for _, op := range []string{"eq", "ne", "lt", "gt", "le", "ge"} {
			f := num(t + "." + op)
			defSIMD(n+"."+op, cmpV(size, func(a, b uint64) bool { return f(a, b) != 0 }))
		}
		lt := num(t + ".lt")
		defSIMD(n+".pmin", binV(size, func(a, b uint64) uint64 { return pick(lt(b, a) != 0, b, a) }))
		defSIMD(n+".pmax", binV(size, func(a, b uint64) uint64 { return pick(lt(a, b) != 0, b, a) }))
		defSIMD(n+".splat", func(c simdCtx) string {
			stv(c.l, c.in.a, splat(size, c.l[c.in.a]))
			return ""
		})
		defSIMD(n+".extract_lane", func(c simdCtx) string {
			v := ldv(c.l, c.in.a)
			c.l[c.in.a] = v.lane(size, int(c.in.c))
			return ""
		})
		defSIMD(n+".replace_lane", func(c simdCtx) string {
			v := ldv(c.l, c.in.a)
			v.setLane(size, int(c.in.c), c.l[c.in.a+2])
			stv(c.l, c.in.a, v)
			return ""
		})
	}
	defSIMD("f32x4.convert_i32x4_s", unV(4, num1("f32.convert_i32_s")))
	defSIMD("f32x4.convert_i32x4_u", unV(4, num1("f32.convert_i32_u")))
	defSIMD("i32x4.trunc_sat_f32x4_s", unV(4, num1("i32.trunc_sat_f32_s")))
	defSIMD("i32x4.trunc_sat_f32x4_u", unV(4, num1("i32.trunc_sat_f32_u")))
	// f64x2 ↔ 32-bit lanes: the low two lanes, the rest zero.
	fromLow := func(name, scalar string) {
		f := num1(scalar)
		defSIMD(name, func(c simdCtx) string {
			x := ldv(c.l, c.in.a)
			var r vec
			for i := 0; i < 2; i++ {
				r.setLane(8, i, f(x.lane(4, i)))
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	fromLow("f64x2.convert_low_i32x4_s", "f64.convert_i32_s")
	fromLow("f64x2.convert_low_i32x4_u", "f64.convert_i32_u")
	fromLow("f64x2.promote_low_f32x4", "f64.promote_f32")
	toLow := func(name, scalar string) {
		f := num1(scalar)
		defSIMD(name, func(c simdCtx) string {
			x := ldv(c.l, c.in.a)
			var r vec
			for i := 0; i < 2; i++ {
				r.setLane(4, i, f(x.lane(8, i)))
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	toLow("f32x4.demote_f64x2_zero", "f32.demote_f64")
	toLow("i32x4.trunc_sat_f64x2_s_zero", "i32.trunc_sat_f64_s")
	toLow("i32x4.trunc_sat_f64x2_u_zero", "i32.trunc_sat_f64_u")
}

func defSIMDMisc() {
	defSIMD("v128.const", func(c simdCtx) string {
		stv(c.l, c.in.a, c.cd.vecs[c.in.imm])
		return ""
	})
	defSIMD("v128.not", unV(8, func(a uint64) uint64 { return ^a }))
	defSIMD("v128.and", binV(8, func(a, b uint64) uint64 { return a & b }))
	defSIMD("v128.andnot", binV(8, func(a, b uint64) uint64 { return a &^ b }))
	defSIMD("v128.or", binV(8, func(a, b uint64) uint64 { return a | b }))
	defSIMD("v128.xor", binV(8, func(a, b uint64) uint64 { return a ^ b }))
	bitselect := func(c simdCtx) string {
		l, a := c.l, c.in.a
		for k := uint32(0); k < 2; k++ {
			m := l[a+4+k]
			l[a+k] = l[a+k]&m | l[a+2+k]&^m
		}
		return ""
	}
	defSIMD("v128.bitselect", bitselect)
	defSIMD("v128.any_true", func(c simdCtx) string {
		c.l[c.in.a] = b2u(c.l[c.in.a]|c.l[c.in.a+1] != 0)
		return ""
	})
	swizzle := func(c simdCtx) string {
		x, s := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2)
		var r vec
		for i := range r {
			if s[i] < 16 {
				r[i] = x[s[i]]
			}
		}
		stv(c.l, c.in.a, r)
		return ""
	}
	defSIMD("i8x16.swizzle", swizzle)
	defSIMD("i8x16.relaxed_swizzle", swizzle)
	defSIMD("i8x16.shuffle", func(c simdCtx) string {
		x, y := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2)
		sel := c.cd.vecs[c.in.imm]
		var r vec
		for i := range r {
			if k := sel[i]; k < 16 {
				r[i] = x[k]
			} else {
				r[i] = y[k&15]
			}
		}
		stv(c.l, c.in.a, r)
		return ""
	})
}

// defSIMDMemory defines the v128 loads and stores: the address is in slot
// a, a stored or lane-loaded vector follows it.
func defSIMDMemory() {
	load := func(name string, size uint64, f func(b []byte) vec) {
		defSIMD(name, func(c simdCtx) string {
			m := c.inst.Mems[c.in.b]
			d, ea, ok := effective(m, c.l[c.in.a], c.in.imm, size)
			if !ok {
				return msgMemOOB
			}
			stv(c.l, c.in.a, f(d[ea:ea+size]))
			return ""
		})
	}
	load("v128.load", 16, func(b []byte) (v vec) { copy(v[:], b); return v })
	for _, e := range []struct {
		name   string
		from   int
		signed bool
	}{{"8x8_s", 1, true}, {"8x8_u", 1, false}, {"16x4_s", 2, true}, {"16x4_u", 2, false}, {"32x2_s", 4, true}, {"32x2_u", 4, false}} {
		from, signed := e.from, e.signed
		load("v128.load"+e.name, 8, func(b []byte) (r vec) {
			var x vec
			copy(x[:], b)
			for i := 0; i < 8/from; i++ {
				v := x.lane(from, i)
				if signed {
					v = uint64(sext(v, from))
				}
				r.setLane(2*from, i, v)
			}
			return r
		})
	}
	for _, size := range []int{1, 2, 4, 8} {
		size := size
		name := map[int]string{1: "8", 2: "16", 4: "32", 8: "64"}[size]
		load("v128.load"+name+"_splat", uint64(size), func(b []byte) vec {
			var x vec
			copy(x[:], b)
			return splat(size, x.lane(size, 0))
		})
		if size >= 4 {
			load("v128.load"+name+"_zero", uint64(size), func(b []byte) (r vec) { copy(r[:], b); return r })
		}
		defSIMD("v128.load"+name+"_lane", func(c simdCtx) string {
			m := c.inst.Mems[c.in.b]
			d, ea, ok := effective(m, c.l[c.in.a], c.in.imm, uint64(size))
			if !ok {
				return msgMemOOB
			}
			v := ldv(c.l, c.in.a+1)
			copy(v[int(c.in.c)*size:], d[ea:ea+uint64(size)])
			stv(c.l, c.in.a, v)
			return ""
		})
		defSIMD("v128.store"+name+"_lane", func(c simdCtx) string {
			m := c.inst.Mems[c.in.b]
			d, ea, ok := effective(m, c.l[c.in.a], c.in.imm, uint64(size))
			if !ok {
				return msgMemOOB
			}
			v := ldv(c.l, c.in.a+1)
			copy(d[ea:ea+uint64(size)], v[int(c.in.c)*size:])
			return ""
		})
	}
	defSIMD("v128.store", func(c simdCtx) string {
		m := c.inst.Mems[c.in.b]
		d, ea, ok := effective(m, c.l[c.in.a], c.in.imm, 16)
		if !ok {
			return msgMemOOB
		}
		v := ldv(c.l, c.in.a+1)
		copy(d[ea:ea+16], v[:])
		return ""
	})
}

// defSIMDRelaxed gives the relaxed SIMD instructions one deterministic
// behaviour each, among those the proposal allows.
func defSIMDRelaxed() {
	defSIMD("i32x4.relaxed_trunc_f32x4_s", unV(4, num1("i32.trunc_sat_f32_s")))
	defSIMD("i32x4.relaxed_trunc_f32x4_u", unV(4, num1("i32.trunc_sat_f32_u")))
	for _, s := range []struct{ n, f string }{{"s", "i32.trunc_sat_f64_s"}, {"u", "i32.trunc_sat_f64_u"}} {
		f := num1(s.f)
		defSIMD("i32x4.relaxed_trunc_f64x2_"+s.n+"_zero", func(c simdCtx) string {
			x := ldv(c.l, c.in.a)
			var r vec
			for i := 0; i < 2; i++ {
				r.setLane(4, i, f(x.lane(8, i)))
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	madd := func(name string, size int, neg bool) {
		defSIMD(name, func(c simdCtx) string {
			x, y, z := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2), ldv(c.l, c.in.a+4)
			var r vec
			for i := 0; i < 16/size; i++ {
				if size == 4 {
					a, b, d := f32(x.lane(4, i)), f32(y.lane(4, i)), f32(z.lane(4, i))
					if neg {
						a = -a
					}
					r.setLane(4, i, uf32(float32(math.FMA(float64(a), float64(b), float64(d)))))
				} else {
					a, b, d := f64(x.lane(8, i)), f64(y.lane(8, i)), f64(z.lane(8, i))
					if neg {
						a = -a
					}
					r.setLane(8, i, uf64(math.FMA(a, b, d)))
				}
			}
			stv(c.l, c.in.a, r)
			return ""
		})
	}
	madd("f32x4.relaxed_madd", 4, false)
	madd("f32x4.relaxed_nmadd", 4, true)
	madd("f64x2.relaxed_madd", 8, false)
	madd("f64x2.relaxed_nmadd", 8, true)
	for _, n := range []string{"i8x16", "i16x8", "i32x4", "i64x2"} {
		defSIMD(n+".relaxed_laneselect", simdFns[simdIdx[wasm.LookupName("v128.bitselect")[0].Op]])
	}
	defSIMD("f32x4.relaxed_min", binV(4, num("f32.min")))
	defSIMD("f32x4.relaxed_max", binV(4, num("f32.max")))
	defSIMD("f64x2.relaxed_min", binV(8, num("f64.min")))
	defSIMD("f64x2.relaxed_max", binV(8, num("f64.max")))
	defSIMD("i16x8.relaxed_q15mulr_s", simdFns[simdIdx[wasm.LookupName("i16x8.q15mulr_sat_s")[0].Op]])
	dot := func(c simdCtx) (r vec) {
		x, y := ldv(c.l, c.in.a), ldv(c.l, c.in.a+2)
		for i := 0; i < 8; i++ {
			s := sext(x.lane(1, 2*i), 1)*sext(y.lane(1, 2*i), 1) + sext(x.lane(1, 2*i+1), 1)*sext(y.lane(1, 2*i+1), 1)
			r.setLane(2, i, uint64(s))
		}
		return r
	}
	defSIMD("i16x8.relaxed_dot_i8x16_i7x16_s", func(c simdCtx) string {
		stv(c.l, c.in.a, dot(c))
		return ""
	})
	defSIMD("i32x4.relaxed_dot_i8x16_i7x16_add_s", func(c simdCtx) string {
		d, acc := dot(c), ldv(c.l, c.in.a+4)
		var r vec
		for i := 0; i < 4; i++ {
			s := sext(d.lane(2, 2*i), 2) + sext(d.lane(2, 2*i+1), 2) + sext(acc.lane(4, i), 4)
			r.setLane(4, i, uint64(s))
		}
		stv(c.l, c.in.a, r)
		return ""
	})
}
