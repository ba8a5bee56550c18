package wast

import (
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/wasm"
)

// Executor is what the runner needs from an execution engine (the
// interpreter, or AOT code). Modules are named by their script $names; ""
// means the most recently instantiated one.
type Executor interface {
	// Reset starts a fresh store for a new script.
	Reset() error
	// Instantiate links and instantiates a validated module. Link failures
	// and traps during instantiation come back as *EngineError.
	Instantiate(name string, m *wasm.Module) error
	// Define keeps a (module definition ...) for later instances.
	Define(name string, m *wasm.Module) error
	// InstantiateDefinition instantiates a kept definition as a new instance.
	InstantiateDefinition(instance, definition string) error
	// Register makes a module's exports importable under a name.
	Register(as, module string) error
	// Invoke calls an exported function.
	Invoke(module, export string, args []text.Value) ([]Value, error)
	// Get reads an exported global.
	Get(module, export string) (Value, error)
}

// ErrorKind classifies the errors an Executor reports.
type ErrorKind uint8

// Executor error kinds.
const (
	ErrTrap        ErrorKind = iota + 1 // a trap, with the spec's message
	ErrExhaustion                       // call stack exhausted
	ErrException                        // an uncaught Wasm exception
	ErrLink                             // unknown import, incompatible import type
	ErrUnsupported                      // the engine does not support something the module uses
)

// EngineError is an execution failure the assertions can classify.
type EngineError struct {
	Kind ErrorKind
	Msg  string
}

func (e *EngineError) Error() string { return e.Msg }

// Value is a result an Executor returns: its type and its bits, or for a
// reference what it points to.
type Value struct {
	Type wasm.ValType
	Bits uint64   // numbers: the bits (f32 in the low 32)
	V128 [16]byte // v128
	Ref  RefValue // references
}

// RefValue describes a reference result.
type RefValue struct {
	Null bool
	// Kind is the abstract heap type of what it points to: HeapI31,
	// HeapStruct, HeapArray, HeapFunc, HeapExtern (a host reference seen as
	// extern), HeapAny (a host reference converted into any), HeapExn.
	Kind wasm.HeapType
	// Host is the host reference number for (ref.extern n) and (ref.host n).
	Host uint32
}
