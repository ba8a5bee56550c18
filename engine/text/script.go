package text

import "github.com/gcscope/gcscope/engine/wasm"

// Script is a parsed .wast file: a sequence of commands.
type Script struct {
	File     string
	Commands []Command
}

// CommandKind says what a script command does.
type CommandKind uint8

// Script commands, as the spec interpreter names them.
const (
	CmdModule               CommandKind = iota + 1 // (module ...), also definition/instance forms
	CmdRegister                                    // (register "name" $m?)
	CmdAction                                      // a bare (invoke ...) or (get ...)
	CmdAssertReturn                                // (assert_return action result*)
	CmdAssertTrap                                  // (assert_trap action|module "msg")
	CmdAssertExhaustion                            // (assert_exhaustion action "msg")
	CmdAssertException                             // (assert_exception action)
	CmdAssertMalformed                             // (assert_malformed module "msg")
	CmdAssertInvalid                               // (assert_invalid module "msg")
	CmdAssertUnlinkable                            // (assert_unlinkable module "msg")
	CmdAssertUninstantiable                        // (assert_uninstantiable module "msg")
	CmdThread                                      // (thread $t (shared (module $m))* cmd*)
	CmdWait                                        // (wait $t)
	// CmdAssertMalformedCustom and CmdAssertInvalidCustom are the custom/
	// tests' assertions about annotations (@custom, @name): engines may
	// accept the module, so runners treat failure to reject as a warning.
	CmdAssertMalformedCustom // (assert_malformed_custom module "msg")
	CmdAssertInvalidCustom   // (assert_invalid_custom module "msg")
)

// Command is one script command. Which fields are set depends on Kind.
type Command struct {
	Kind CommandKind
	Pos  wasm.Pos // where the command starts
	// Module is set for CmdModule and the module assertions.
	Module *ModuleDef
	// Action is set for CmdAction and the action assertions (and for
	// CmdAssertTrap when it names an action rather than a module).
	Action *Action
	// Results are the expected results of CmdAssertReturn. Each entry is a
	// list of alternatives: one for a plain result, several for (either ...).
	Results [][]Value
	// Text is the expected message of an assertion.
	Text string
	// Name is the registered name (CmdRegister) or thread name (CmdThread,
	// CmdWait); ModuleName is the $name of the module CmdRegister refers to.
	Name       string
	ModuleName string
	// Thread commands: the modules shared into the thread and its commands.
	Shared []string
	Body   []Command
}

// ModuleForm says how a script wrote a module.
type ModuleForm uint8

// Module forms.
const (
	ModuleText     ModuleForm = iota + 1 // (module $m? field*)
	ModuleBinary                         // (module $m? binary "..."*)
	ModuleQuote                          // (module $m? quote "..."*)
	ModuleInstance                       // (module instance $i? $m?): instantiate a definition
)

// ModuleDef is a module in a script. Text modules are converted when the
// script is read; a text module that fails to convert keeps its error in
// Err, so one bad module never loses the rest of the file. Binary and quote
// modules keep their bytes or source for the runner to decode or parse,
// since failing to do so is what assert_malformed tests.
type ModuleDef struct {
	Form ModuleForm
	Name string // $name, or ""
	// Definition is set for (module definition ...): compile, don't instantiate.
	Definition bool
	Module     *wasm.Module // ModuleText, when it converted
	Err        error        // ModuleText, when it did not
	Bytes      []byte       // ModuleBinary: the concatenated strings; ModuleQuote: the source text
	// Instance names the definition to instantiate (ModuleInstance).
	Instance string
	Pos      wasm.Pos
}

// ActionKind is invoke or get.
type ActionKind uint8

// Action kinds.
const (
	ActInvoke ActionKind = iota + 1
	ActGet
)

// Action is (invoke $m? "name" arg*) or (get $m? "name").
type Action struct {
	Kind   ActionKind
	Module string // $name of the module, or "" for the latest
	Name   string
	Args   []Value
	Pos    wasm.Pos
}

// ValueKind says what a script value or result pattern is.
type ValueKind uint8

// Value kinds. The Nan kinds are result patterns only; so are the
// abstract ref kinds (ref.struct matches any struct reference, ...).
const (
	ValNum           ValueKind = iota + 1 // i32/i64/f32/f64 const with exact bits
	ValV128                               // v128.const; Lanes may hold NaN patterns
	ValNanCanonical                       // f32/f64 nan:canonical
	ValNanArithmetic                      // f32/f64 nan:arithmetic
	ValRefNull                            // (ref.null ht); Heap names the heap type
	ValRefExtern                          // (ref.extern n): host reference n
	ValRefHost                            // (ref.host n): host reference n (as an anyref)
	ValRefFunc                            // (ref.func): any function reference
	ValRefAny                             // pattern: any non-null reference of Heap (ref.struct, ref.array, ref.i31, ref.eq, ref.any, ref.func, ref.extern without index, ref.exn)
	ValRefI31Num                          // (ref.i31 n): an i31 with that value (argument or pattern)
	ValRefNullAny                         // pattern (ref.null) without a heap type: any null
)

// Value is a script argument or expected result.
type Value struct {
	Kind ValueKind
	Type wasm.ValType // the number or vector type; for refs, the heap in Type.Heap
	Bits uint64       // number bits; host reference or i31 number
	// V128 lanes: the shape ("i8x16", "f32x4", ...) and one Value per lane
	// (ValNum, or a NaN pattern for float shapes); Bytes is the whole vector.
	Shape string
	Lanes []Value
	Bytes [16]byte
}
