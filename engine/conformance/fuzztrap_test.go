package conformance

import (
	"strings"

	"github.com/gcscope/gcscope/engine/wasm"
)

// binaryenTrap translates the spec's trap message, raised by instruction
// op, into the message binaryen 132's interpreter traps with
// (src/wasm-interpreter.h). Binaryen words some traps per instruction
// ("i32.div_s by 0"); the spec has one message for the family. A message
// with no known translation comes back as "spec: " and the message, so
// that it shows up as a mismatch rather than passing by accident.
func binaryenTrap(op wasm.Opcode, msg string) string {
	name := op.String()
	switch msg {
	case "unreachable":
		return "unreachable"
	case "cast failure":
		return "cast error"
	case "null function reference":
		if op == wasm.OpCallRef || op == wasm.OpReturnCallRef {
			return "null target in call_ref"
		}
		return "null ref"
	case "null reference", "null structure reference", "null array reference",
		"null i31 reference", "null exception reference":
		return "null ref"
	case "uninitialized element":
		return "null target in call_indirect"
	case "indirect call type mismatch":
		return "callIndirect: non-subtype"
	case "out of bounds array access":
		switch op {
		case wasm.OpArrayFill:
			return "out of bounds array access in array.fill"
		case wasm.OpArrayInitData, wasm.OpArrayInitElem:
			return "out of bounds array access in array.init"
		}
		return "array oob"
	case "integer divide by zero":
		return name + " by 0"
	case "integer overflow":
		if strings.Contains(name, "trunc") {
			return name[:3] + ".trunc" + truncSign(name) + "Float overflow"
		}
		return name + " overflow"
	case "invalid conversion to integer":
		return "trunc" + truncSign(name) + "Float of nan"
	}
	return "spec: " + msg
}

// truncSign is "S" or "U" for a signed or unsigned truncation.
func truncSign(name string) string {
	if strings.HasSuffix(name, "_u") {
		return "U"
	}
	return "S"
}
