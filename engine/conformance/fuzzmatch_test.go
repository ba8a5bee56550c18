package conformance

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// TestLinesMatch pins down how loosely our fuzz output may differ from
// binaryen's: only in a trap's wording where the spec's message covers
// several of binaryen's, and where binaryen printed its canonical NaN for
// an arithmetic result, and in a defined tag's name when the binary
// cannot tell which of two the fuzzer gave it.
func TestLinesMatch(t *testing.T) {
	cases := []struct {
		got, want string
		match     bool
	}{
		{"[fuzz-exec] export func", "[fuzz-exec] export func", true},
		{"[fuzz-exec] export func", "[fuzz-exec] export func_1", false},
		{trapLine(binaryenTraps(wasm.OpMemoryInit, "out of bounds memory access")), "[trap out of bounds segment access in memory.init]", true},
		{trapLine(binaryenTraps(wasm.OpMemoryInit, "out of bounds memory access")), "[trap out of bounds memory access in memory.init]", true},
		{trapLine(binaryenTraps(wasm.OpMemoryInit, "out of bounds memory access")), "[trap out of bounds memory access in memory.fill]", false},
		{trapLine(binaryenTraps(wasm.OpI32Load, "out of bounds memory access")), "[trap final > memory: 4294967295 > 65536]", true},
		{trapLine(binaryenTraps(wasm.OpI32Load, "out of bounds memory access")), "[trap null ref]", false},
		{trapLine(binaryenTraps(wasm.OpStructGet, "null structure reference")), "[trap null ref]", true},
		{trapLine(binaryenTraps(wasm.OpCallRef, "null function reference")), "[trap null target in call_ref]", true},
		{trapLine(binaryenTraps(wasm.OpRefCast, "cast failure")), "[trap cast error]", true},
		{trapLine(binaryenTraps(wasm.OpI32DivS, "integer divide by zero")), "[trap i32.div_s by 0]", true},
		{trapLine(binaryenTraps(wasm.OpI64TruncF32U, "integer overflow")), "[trap i64.truncUFloat overflow]", true},
		{trapLine(binaryenTraps(wasm.OpI32TruncF64S, "invalid conversion to integer")), "[trap truncSFloat of nan]", true},
		{trapLine(binaryenTraps(wasm.OpUnreachable, "unreachable")), "[trap null ref]", false},
		{trapLine(binaryenTraps(wasm.OpNop, "some new trap")), "[trap some new trap]", false},
		{"[fuzz-exec] note result: f => -nan:0x400000", "[fuzz-exec] note result: f => nan:0x400000", true},
		{"[fuzz-exec] note result: f => -nan:0x7fc06b", "[fuzz-exec] note result: f => nan:0x400000", true},
		{"[LoggingExternalInterface logging -nan:0xfffffffffffd5]", "[LoggingExternalInterface logging nan:0x8000000000000]", true},
		{"[LoggingExternalInterface logging -nan:0x7fd431]", "[LoggingExternalInterface logging nan:0x7fd431]", false},
		{"[LoggingExternalInterface logging nan:0x200000]", "[LoggingExternalInterface logging nan:0x400000]", false},
		{"[LoggingExternalInterface logging nan:0x8000000000000]", "[LoggingExternalInterface logging nan:0x400000]", false},
		{"[fuzz-exec] note result: f => -nan:0x400000", "[fuzz-exec] note result: f => nan:0x400001", false},
		// Binaryen's canonical NaN made negative by neg or copysign
		// (slice6054: copysign of an f32.max of a non-canonical NaN).
		{"[fuzz-exec] note result: f => -nan:0x7fad59", "[fuzz-exec] note result: f => -nan:0x400000", true},
		{"[LoggingExternalInterface logging -nan:0xfffffffffffd5]", "[LoggingExternalInterface logging -nan:0x8000000000000]", true},
		{"[fuzz-exec] note result: f => nan:0x7fad59", "[fuzz-exec] note result: f => -nan:0x400000", false},
		{"[fuzz-exec] note result: f => -nan:0x3fad59", "[fuzz-exec] note result: f => -nan:0x400000", false},
		{"[fuzz-exec] note result: f => -nan:0xfffffffffffd5", "[fuzz-exec] note result: f => -nan:0x400000", false},
		{"[fuzz-exec] note result: f => -0", "[fuzz-exec] note result: f => -nan:0x400000", false},
		{"[fuzz-exec] note result: f => -1", "[fuzz-exec] note result: f => 1", false},
		{"[exception thrown: tag$_1|tag$_3]", "[exception thrown: tag$_3]", true},
		{"[exception thrown: tag$_1|tag$_3 -nan:0x400000]", "[exception thrown: tag$_1 nan:0x400000]", true},
		{"[exception thrown: tag$_1|tag$_3 5]", "[exception thrown: tag$_1 6]", false},
		{"[exception thrown: tag$_1|tag$_3]", "[exception thrown: tag$_2]", false},
		{"[exception thrown: tag$_1]", "[exception thrown: tag$_3]", false},
		// The name binaryen's reader gives the second defined tag.
		{"[exception thrown: tag$_2|tag$2 7]", "[exception thrown: tag$2 7]", true},
		{"[exception thrown: tag$_2|tag$2 7]", "[exception thrown: tag$_2 7]", true},
		{"[exception thrown: tag$_2|tag$2]", "[exception thrown: tag$1]", false},
		{"[fuzz-exec] note result: f => -inf", "[fuzz-exec] note result: f => inf", false},
		// v128 lanes (simd6249: f32x4.splat of f32.sqrt(-6548938), the
		// canonical NaN, negative on x86; simd6261: another arithmetic NaN).
		{"[LoggingExternalInterface logging i32x4 0xffc00000 0xffc00000 0xffc00000 0xffc00000]", "[LoggingExternalInterface logging i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000]", true},
		{"[LoggingExternalInterface logging i32x4 0xffffa04f 0x00000000 0x80000000 0x00ffffff]", "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000000 0x80000000 0x00ffffff]", true},
		{"[LoggingExternalInterface logging i32x4 0xffffa04f 0x00000000 0x80000000 0x00fffffe]", "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000000 0x80000000 0x00ffffff]", false},
		{"[LoggingExternalInterface logging i32x4 0xffa0a04f 0x00000000 0x80000000 0x00ffffff]", "[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000000 0x80000000 0x00ffffff]", false},
		{"[LoggingExternalInterface logging i32x4 0x7fc00000 0x00000000 0x80000000 0x00ffffff]", "[LoggingExternalInterface logging i32x4 0xffc00000 0x00000000 0x80000000 0x00ffffff]", false},
		{"[LoggingExternalInterface logging i32x4 0x7fc00001 0x00000000 0x80000000 0x00ffffff]", "[LoggingExternalInterface logging i32x4 0x7fc00002 0x00000000 0x80000000 0x00ffffff]", false},
		{"[fuzz-exec] note result: f => i32x4 0x00000001 0xfffc0000 0x00000000 0x7ff80000", "[fuzz-exec] note result: f => i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000", true},
		{"[fuzz-exec] note result: f => i32x4 0x00000001 0xfff40000 0x00000000 0x7ff80000", "[fuzz-exec] note result: f => i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000", false},
		{"[fuzz-exec] note result: f => i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000", "[fuzz-exec] note result: f => i32x4 0x00000000 0x7ff80000 0x00000001 0x7ff80000", false},
		{"[exception thrown: tag$ 5 i32x4 0xffc00000 0x00000000 0x00000000 0x00000000]", "[exception thrown: tag$ 5 i32x4 0x7fc00000 0x00000000 0x00000000 0x00000000]", true},
		{"[exception thrown: tag$ 6 i32x4 0xffc00000 0x00000000 0x00000000 0x00000000]", "[exception thrown: tag$ 5 i32x4 0x7fc00000 0x00000000 0x00000000 0x00000000]", false},
	}
	for _, c := range cases {
		if got := linesMatch(c.got, c.want); got != c.match {
			t.Errorf("linesMatch(%q, %q) = %v, want %v", c.got, c.want, got, c.match)
		}
	}
}

// TestCompareTiers: the tiers may differ only in NaNs binaryen shows to
// be arithmetic results.
func TestCompareTiers(t *testing.T) {
	const (
		log = "[LoggingExternalInterface logging "
		res = "[fuzz-exec] note result: f => "
	)
	cases := []struct {
		aot, interp, binaryen string
		ok                    bool
	}{
		{log + "-nan:0x7ff260]", log + "-nan:0x7ff260]", log + "nan:0x400000]", true},
		{log + "-nan:0x78075f]", log + "-nan:0x7ff260]", log + "nan:0x400000]", true},
		{log + "nan:0x400000]", log + "-nan:0x7ff260]", log + "nan:0x400000]", true},
		{res + "nan:0xc000000000002", res + "-nan:0x8000000000001", res + "nan:0x8000000000000", true},
		// binaryen kept the bits: no arithmetic made this NaN.
		{log + "-nan:0x78075f]", log + "-nan:0x7ff260]", log + "-nan:0x7ff260]", false},
		// a signalling NaN is no arithmetic result.
		{log + "-nan:0x38075f]", log + "-nan:0x7ff260]", log + "nan:0x400000]", false},
		{log + "-0]", log + "0]", log + "0]", false},
		{log + "1]", log + "2]", log + "nan:0x400000]", false},
		{res + "nan:0x400001", res + "nan:0x400002", res + "nan:0x8000000000000", false},
	}
	for _, c := range cases {
		var r report
		compareTiers(&r, "x\n"+c.aot+"\n", "x\n"+c.interp+"\n", "x\n"+c.binaryen+"\n")
		if r.failed() == c.ok {
			t.Errorf("compareTiers(%q, %q, binaryen %q): mismatches %v, want ok=%v", c.aot, c.interp, c.binaryen, r.errs, c.ok)
		}
	}
}

// TestFailureLines: an allocation the heap cannot hold prints binaryen's
// host-limit line; other traps print as traps.
func TestFailureLines(t *testing.T) {
	h := &fuzzHost{m: &wasm.Module{}}
	if got := h.failure(&runtime.Trap{Msg: "out of memory"}); got != "[host limit allocation failure]" {
		t.Errorf("out of memory: %q", got)
	}
	if got := h.failure(&runtime.Trap{Msg: "unreachable"}); got != "[trap unreachable]" {
		t.Errorf("unreachable: %q", got)
	}
}
