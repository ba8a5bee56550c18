package compile

import (
	"strings"
	"testing"
)

// TestSmallFunctionsHinted: functions of at most smallFuncInstrs Wasm
// instructions that call nothing get inlinehint (linked_list's cons);
// larger ones and callers do not.
func TestSmallFunctionsHinted(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $cell (struct (field i32) (field (ref null $cell))))
  (func $cons (param i32) (param (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get 0) (local.get 1)))
  (func $build (export "build") (param $n i32) (result (ref null $cell))
    (local $l (ref null $cell))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (call $cons (local.get $n) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (local.get $l))
  (func $wrap (param i32) (result (ref $cell))
    (call $cons (local.get 0) (ref.null $cell))))`))
	mod, err := GenerateIR(m)
	if err != nil {
		t.Fatal(err)
	}
	hinted := map[string]bool{}
	for _, fn := range mod.Funcs {
		head, _, _ := strings.Cut(fn.LLString(), "{")
		hinted[fn.Name()] = strings.Contains(head, "inlinehint")
	}
	if !hinted["gcs_func_0"] {
		t.Error("cons (4 instructions) is not inlinehint")
	}
	if hinted["gcs_func_1"] {
		t.Error("build (18 instructions) is inlinehint")
	}
	if hinted["gcs_func_2"] {
		t.Error("wrap (4 instructions, a call) is inlinehint")
	}
}
