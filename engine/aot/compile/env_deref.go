package compile

import "github.com/llir/llvm/ir"

// envRecordBytes is the exec env record's size (execenv.h GCS_ENV_SIZE,
// runtime.EnvWords words).
const envRecordBytes = 184

// envParam is a defined function's env parameter, declared
// dereferenceable for the whole record and 8-aligned. Loads of record
// words marked invariant (heap_base, globals: invariant.go) may then be
// hoisted out of loops even from blocks a loop does not always run: in
// linked_list's reverse and weighted the heap base was reloaded at every
// step of the walk, because the field access sits behind the loop's null
// test (6% of linked_list's main). LLVM only hoists a load it may
// execute unconditionally, which needs the pointer known to be valid.
func envParam() *ir.Param {
	p := ir.NewParam("env", envPtr)
	p.Attrs = append(p.Attrs, ir.Dereferenceable{N: envRecordBytes}, ir.Align(8))
	return p
}
