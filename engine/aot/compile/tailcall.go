package compile

import (
	"github.com/gcscope/gcscope/engine/wasm"
)

// tailCall translates return_call, return_call_indirect, return_call_ref.
func (f *funcGen) tailCall(in *wasm.Instr) error {
	return unsupported("instruction %s", in.Op)
}
