package compile

import (
	"fmt"
	"strings"
	"testing"
)

// TestCallIndirectFastPaths: call_indirect resolves the element natively
// and calls the module's functions of its signature through a switch
// (few of them) or the entry table (many), keeping the helper for the
// rest; a type no defined function has goes to the helper alone.
func TestCallIndirectFastPaths(t *testing.T) {
	for _, c := range []struct {
		fillers         int
		switched, entry bool
	}{{fillers: 2, switched: true}, {fillers: maxDirectTargets + 1, entry: true}} {
		src := `(module (type $ft (func (param i32) (result i32))) (type $other (func (param f32)))
		  (table 1 funcref)
		  (func $caller (param i32) (result i32) (call_indirect (type $ft) (local.get 0) (local.get 0)))
		  (func $other (param i32) (call_indirect (type $other) (f32.const 1) (local.get 0)))`
		for i := range c.fillers {
			src += fmt.Sprintf("(func (type $ft) (local.get 0)) ;; %d\n", i)
		}
		mod, err := GenerateIR(parse(t, []byte(src+")")))
		if err != nil {
			t.Fatal(err)
		}
		text := mod.String()
		body := func(name string) string {
			i := strings.Index(text, "@"+name+"(")
			if i < 0 {
				t.Fatalf("no %s in\n%s", name, text)
			}
			j := strings.Index(text[i:], "\n}\n")
			return text[i : i+j]
		}
		caller, other := body(funcSymbol(0)), body(funcSymbol(1))
		if got := strings.Contains(caller, "switch i64"); got != c.switched {
			t.Errorf("fillers=%d: switch %v, want %v:\n%s", c.fillers, got, c.switched, caller)
		}
		if got := strings.Contains(caller, "to void (i64*, i64*)*"); got != c.entry {
			t.Errorf("fillers=%d: entry table call %v, want %v:\n%s", c.fillers, got, c.entry, caller)
		}
		if strings.Contains(other, "switch i64") || strings.Contains(other, "to void (i64*, i64*)*") {
			t.Errorf("a type no defined function has is resolved natively:\n%s", other)
		}
	}
}
