package debugger

import (
	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/wasm"
)

// refTypeOf is a reference type under which an object of kind k can be
// shown (the value's own type decides how it prints).
func refTypeOf(k gc.Kind) wasm.ValType {
	switch k {
	case gc.KindFunc:
		return wasm.FuncRef
	case gc.KindExtern:
		return wasm.ExternRef
	case gc.KindExn:
		return wasm.ExnRef
	}
	return wasm.AnyRef
}
