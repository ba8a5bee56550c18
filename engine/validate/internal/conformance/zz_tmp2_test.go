package conformance

import (
	"testing"

	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
)

func TestTmpPos(t *testing.T) {
	for _, src := range []string{
		"(module\n  (func $f (result i32)\n    (i64.const 1)))",
		"(module (type $s (struct (field i32)))\n (func (param (ref null $s))\n  (struct.set $s 0 (local.get 0) (i32.const 1))))",
		"(module (global $g i32 (i32.const 0))\n (func (global.set $g (i32.const 1))))",
		"(module (type $t (sub final (struct)))\n (type (sub $t (struct))))",
		"(module (export \"a\" (func 0)) (export \"a\" (func 0)) (func))",
	} {
		m, err := text.ParseModule([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		t.Log(validate.Module(m))
	}
}
