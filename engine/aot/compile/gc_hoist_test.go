package compile

import (
	"strings"
	"testing"
)

// TestHeaderWordAtEntry: allocations on different paths of one function
// share one load of their type's header word, made in the entry block
// (gc_hoist.go), and branch to their slow paths with cold weights.
func TestHeaderWordAtEntry(t *testing.T) {
	m := parse(t, []byte(`(module
  (type $p (struct (field i32) (field i32)))
  (type $q (struct (field i64)))
  (func (param i32) (result anyref)
    (if (result anyref) (local.get 0)
      (then (struct.new $p (i32.const 1) (i32.const 2)))
      (else (drop (struct.new $q (i64.const 3))) (struct.new $p (i32.const 4) (i32.const 5))))))`))
	mod, err := GenerateIR(m)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, fn := range mod.Funcs {
		if fn.Name() == funcSymbol(0) {
			body = fn.LLString()
		}
	}
	if body == "" {
		t.Fatal("function 0 not found")
	}
	entry, _, _ := strings.Cut(body, "\n\n")
	// The header table starts after the two u32 canonical ids.
	at := HeaderTableOffset(len(m.Types))
	for typ, off := range map[string]int{"$p": at, "$q": at + 8} {
		gep := "i8* %" // the entry's table base, then the entry's offset
		n := 0
		for _, line := range strings.Split(body, "\n") {
			if strings.Contains(line, "getelementptr i8, "+gep) && strings.HasSuffix(strings.TrimSpace(line), ", i64 "+itoa(off)) {
				n++
				if !strings.Contains(entry, line) {
					t.Errorf("%s's header word is addressed outside the entry block: %s", typ, line)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s's header word is addressed %d times, want once:\n%s", typ, n, body)
		}
	}
	if got := strings.Count(body, "!prof"); got < 3 {
		t.Errorf("%d branches with weights, want one per allocation (3):\n%s", got, body)
	}
}
