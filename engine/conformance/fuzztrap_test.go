package conformance

import (
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// binaryenTraps translates the spec's trap message, raised by instruction
// op, into the messages binaryen 132's interpreter may trap with there
// (src/wasm-interpreter.h, src/ir/runtime-table.cpp). Binaryen words
// traps per instruction ("i32.div_s by 0"), and some per failed bound
// ("out of bounds segment access in memory.init" or "out of bounds
// memory access in memory.init"), which the spec's one message for the
// family cannot tell apart; so this returns every candidate. A candidate
// ending in "*" stands for any text there (binaryen prints addresses in
// memory traps). A message with no known translation comes back as
// "spec: " and the message, so that it shows as a mismatch.
func binaryenTraps(op wasm.Opcode, msg string) []string {
	name := op.String()
	one := func(s string) []string { return []string{s} }
	switch {
	case msg == "unreachable":
		return one("unreachable")
	case msg == "cast failure":
		return one("cast error")
	case msg == "null function reference" && (op == wasm.OpCallRef || op == wasm.OpReturnCallRef):
		return one("null target in call_ref")
	case strings.HasPrefix(msg, "null ") && strings.HasSuffix(msg, " reference"):
		return one("null ref")
	case op == wasm.OpReturnCallIndirect && (strings.HasPrefix(msg, "uninitialized element") || msg == "indirect call type mismatch"):
		return one("cast failure in call_indirect")
	case strings.HasPrefix(msg, "uninitialized element"):
		return one("null target in call_indirect")
	case strings.HasPrefix(msg, "undefined element"):
		return one("out of bounds table access")
	case msg == "indirect call type mismatch":
		return one("callIndirect: non-subtype")
	case msg == "integer divide by zero":
		return one(name + " by 0")
	case msg == "integer overflow" && strings.Contains(name, "trunc"):
		return one(name[:3] + ".trunc" + truncSign(name) + "Float overflow")
	case msg == "integer overflow":
		return one(name + " overflow")
	case msg == "invalid conversion to integer":
		return one("trunc" + truncSign(name) + "Float of nan")
	case msg == "out of bounds memory access":
		return memoryTraps(op)
	case msg == "out of bounds table access":
		return tableTraps(op)
	case msg == "out of bounds array access":
		return arrayTraps(op)
	}
	return one("spec: " + msg)
}

// memoryTraps are binaryen's messages for an out-of-bounds access to
// memory or to a data segment.
func memoryTraps(op wasm.Opcode) []string {
	switch op {
	case wasm.OpMemoryFill:
		return []string{"out of bounds memory access in memory.fill"}
	case wasm.OpMemoryCopy:
		return []string{"out of bounds segment access in memory.copy"}
	case wasm.OpMemoryInit:
		return []string{"out of bounds segment access in memory.init", "out of bounds memory access in memory.init"}
	case wasm.OpArrayNewData:
		return []string{"out of bounds segment access in array.new_data", "dropped segment access in array.new_data"}
	case wasm.OpArrayInitData:
		return []string{"out of bounds segment access in array.init_data"}
	}
	// Loads, stores and atomics check their address in steps.
	return []string{"offset > memory: *", "final > memory: *", "bytes > memory: *", "highest > memory: *"}
}

// tableTraps are binaryen's messages for an out-of-bounds access to a
// table or an element segment.
func tableTraps(op wasm.Opcode) []string {
	switch op {
	case wasm.OpTableSet:
		return []string{"RuntimeTable::set out of bounds"}
	case wasm.OpTableCopy:
		return []string{"out of bounds segment access in table.copy"}
	case wasm.OpTableInit:
		return []string{"out of bounds segment access in table.init", "out of bounds table access in table.init"}
	case wasm.OpArrayNewElem:
		return []string{"out of bounds segment access in array.new_elem"}
	case wasm.OpArrayInitElem:
		return []string{"out of bounds segment access in array.init_elem"}
	}
	return []string{"out of bounds table access"}
}

// arrayTraps are binaryen's messages for an out-of-bounds array access.
func arrayTraps(op wasm.Opcode) []string {
	switch op {
	case wasm.OpArrayCopy:
		return []string{"oob"}
	case wasm.OpArrayFill:
		return []string{"out of bounds array access in array.fill"}
	case wasm.OpArrayInitData, wasm.OpArrayInitElem:
		return []string{"out of bounds array access in array.init"}
	}
	return []string{"array oob"}
}

// pickTagName returns our exception line with its tag name alternatives
// (see fuzzHost.tagName) replaced by binaryen's name when that is one of
// them; other lines come back unchanged.
func pickTagName(got, want string) string {
	const prefix = "[exception thrown: "
	g, ok1 := strings.CutPrefix(got, prefix)
	w, ok2 := strings.CutPrefix(want, prefix)
	if !ok1 || !ok2 {
		return got
	}
	name := func(s string) string {
		if i := strings.IndexAny(s, " ]"); i >= 0 {
			return s[:i]
		}
		return s
	}
	gn, wn := name(g), name(w)
	if !strings.Contains(gn, tagAlternatives) {
		return got
	}
	for _, alt := range strings.Split(gn, tagAlternatives) {
		if alt == wn {
			return prefix + wn + g[len(gn):]
		}
	}
	return got
}

// arithmeticNaNsDiffer reports whether two lines differ only where binaryen
// printed its canonical NaN and we printed another arithmetic NaN (quiet
// bit set, any payload). Binaryen's interpreter replaces every NaN that
// arithmetic produces by the positive canonical NaN
// (Literal::standardizeNaN), while the spec lets arithmetic return any
// arithmetic NaN when an operand is not canonical, and either sign in
// any case (the sets nans_N of the numerics chapter): x86, like our
// engine, propagates the first NaN operand and gives sqrt(-1) the
// negative default NaN. So binaryen's positive canonical NaN covers
// either sign. Its negative canonical NaN was made negative after the
// arithmetic, by neg or copysign (which keep the payload and set the
// sign, in any engine), so it covers only negative NaNs: that keeps a
// copysign that lost its sign failing, at the price of flagging
// neg(sqrt(-1)), whose sign the spec leaves open. A signalling NaN, a
// NaN of the other width or any other number still differs. The lanes of
// a v128 are compared the same way (laneNaNsDiffer).
func arithmeticNaNsDiffer(got, want string) bool {
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) || len(g) == 0 {
		return false
	}
	differ := false
	for i := 0; i < len(g); i++ {
		if g[i] == "i32x4" && w[i] == "i32x4" && i+4 < len(g) {
			d, ok := laneNaNsDiffer(g[i+1:i+5], w[i+1:i+5])
			if !ok {
				return false
			}
			differ = differ || d
			i += 4
			continue
		}
		if g[i] == w[i] {
			continue
		}
		if !canonicalCovers(g[i], w[i]) {
			return false
		}
		differ = true
	}
	return differ
}

// laneNaNsDiffer compares the four i32 lanes binaryen prints a v128 as
// (the last possibly followed by "]"), as arithmeticNaNsDiffer compares
// numbers: where binaryen's lanes hold its canonical f32 NaN (0x7fc00000,
// or 0xffc00000 after a neg or copysign), ours may hold another f32
// arithmetic NaN (positive canonical: either sign; negative: negative),
// and where an aligned pair of lanes holds its canonical f64 NaN (low
// 0x00000000, high 0x7ff80000 or 0xfff80000), ours may hold another f64
// arithmetic NaN likewise; all else must be equal. It reports whether
// the lanes differ and whether they match. The line does not say which
// shape the v128 had; binaryen's canonical bits in a lane are in practice
// a NaN it canonicalized, and an integer lane of exactly those bits
// could only slip through if ours came out as an arithmetic NaN too.
func laneNaNsDiffer(got, want []string) (differ, ok bool) {
	var g, w [4]uint32
	for k := range 4 {
		gv, err1 := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(got[k], "0x"), "]"), 16, 32)
		wv, err2 := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(want[k], "0x"), "]"), 16, 32)
		if err1 != nil || err2 != nil || strings.HasSuffix(got[k], "]") != strings.HasSuffix(want[k], "]") {
			return false, false
		}
		g[k], w[k] = uint32(gv), uint32(wv)
	}
	for k := 0; k < 4; k += 2 {
		if g[k] == w[k] && g[k+1] == w[k+1] {
			continue
		}
		if w[k] == 0 && w[k+1]&0x7fffffff == 0x7ff80000 {
			f64 := func(l [4]uint32) string { return binaryenF64(uint64(l[k+1])<<32 | uint64(l[k])) }
			if canonicalCovers(f64(g), f64(w)) {
				differ = true
				continue
			}
		}
		for j := k; j < k+2; j++ {
			if g[j] == w[j] {
				continue
			}
			if !canonicalCovers(binaryenF32(g[j]), binaryenF32(w[j])) {
				return false, false
			}
			differ = true
		}
	}
	return differ, true
}

// canonicalCovers reports whether want is binaryen's canonical NaN (f32
// or f64, possibly followed by "]") and got an arithmetic NaN of the same
// width, of either sign when want is positive and negative when want is
// negative.
func canonicalCovers(got, want string) bool {
	got, want = strings.TrimSuffix(got, "]"), strings.TrimSuffix(want, "]")
	wantNeg := strings.HasPrefix(want, "-")
	var quiet, limit uint64
	switch strings.TrimPrefix(want, "-") {
	case "nan:0x400000":
		quiet, limit = 1<<22, 1<<23
	case "nan:0x8000000000000":
		quiet, limit = 1<<51, 1<<52
	default:
		return false
	}
	if wantNeg && !strings.HasPrefix(got, "-") {
		return false
	}
	hex, ok := strings.CutPrefix(strings.TrimPrefix(got, "-"), "nan:0x")
	if !ok {
		return false
	}
	p, err := strconv.ParseUint(hex, 16, 64)
	return err == nil && p&quiet != 0 && p < limit
}

// truncSign is "S" or "U" for a signed or unsigned truncation.
func truncSign(name string) string {
	if strings.HasSuffix(name, "_u") {
		return "U"
	}
	return "S"
}

// trapAlternatives separates the candidates of a trap line we print.
const trapAlternatives = " | "

// trapLine prints a trap as binaryen would, listing every candidate
// message when there are several.
func trapLine(candidates []string) string {
	return "[trap " + strings.Join(candidates, trapAlternatives) + "]"
}

// linesMatch compares one line of our output with binaryen's: equal, or
// a trap line of ours one of whose candidates is binaryen's message, or
// an exception line one of whose tag names is binaryen's, or equal but
// for arithmetic NaNs.
func linesMatch(got, want string) bool {
	got = pickTagName(got, want)
	if got == want || arithmeticNaNsDiffer(got, want) {
		return true
	}
	g, ok1 := strings.CutPrefix(got, "[trap ")
	w, ok2 := strings.CutPrefix(want, "[trap ")
	if !ok1 || !ok2 || !strings.HasSuffix(g, "]") || !strings.HasSuffix(w, "]") {
		return false
	}
	w = strings.TrimSuffix(w, "]")
	for _, c := range strings.Split(strings.TrimSuffix(g, "]"), trapAlternatives) {
		if c == w || (strings.HasSuffix(c, "*") && strings.HasPrefix(w, strings.TrimSuffix(c, "*"))) {
			return true
		}
	}
	return false
}
