package conformance

import (
	"testing"

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
	}
	for _, c := range cases {
		if got := linesMatch(c.got, c.want); got != c.match {
			t.Errorf("linesMatch(%q, %q) = %v, want %v", c.got, c.want, got, c.match)
		}
	}
}
