package compile

import (
	"regexp"
	"testing"
)

// TestTailSelfCall: level 0 keeps its last self-call site a call to
// itself only when nothing but ends or a return follows it (LLVM's tail
// recursion elimination makes that a loop); a site whose result is still
// used (an add, a struct.new) calls level 1 like the other sites, so
// level 0 is not a chain of real calls down the last site's spine.
func TestTailSelfCall(t *testing.T) {
	for _, c := range []struct {
		name, body string
		tail       bool
	}{
		{"ends", `(if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
		   (else (drop (call $f (i32.const 0))) (call $f (i32.sub (local.get 0) (i32.const 1)))))`, true},
		{"return", `(if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
		   (drop (call $f (i32.const 0)))
		   (return (call $f (i32.sub (local.get 0) (i32.const 1))))`, true},
		{"add", `(if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
		   (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (call $f (i32.sub (local.get 0) (i32.const 2))))))`, false},
		{"else", `(if (result i32) (local.get 0) (then (call $f (i32.const 0))) (else (call $f (i32.const 1))))`, true},
		{"drop", `(if (local.get 0) (then (drop (call $f (i32.const 0))) (drop (call $f (i32.const 1))))) (i32.const 0)`, false},
	} {
		m := parse(t, []byte(`(module (func $f (param i32) (result i32) `+c.body+`))`))
		body := m.Funcs[0].Body
		pc := tailSelfCall(body, 0)
		if got := pc >= 0; got != c.tail {
			t.Errorf("%s: tailSelfCall = %d, want a tail call: %v", c.name, pc, c.tail)
			continue
		}
		levels := recLevels(m, Options{OptLevel: 2}, nil)[0]
		if levels < 2 {
			t.Errorf("%s: %d levels", c.name, levels)
			continue
		}
		per := 2
		if c.tail {
			per = 1
		}
		if got, want := recCopiesOf(levels, 2, c.tail), 1+per*(1<<(levels-1)-1); got != want {
			t.Errorf("%s: %d copies for %d levels, want %d", c.name, got, levels, want)
		}
		mod, _, err := generate(m, Options{OptLevel: 2})
		if err != nil {
			t.Fatal(err)
		}
		var level0 string
		for _, fn := range mod.Funcs {
			if fn.Name() == funcSymbol(0) {
				level0 = fn.LLString()
			}
		}
		// Any calling convention (ghccc, tailcc or none) between call
		// and the return type.
		selfCall := regexp.MustCompile(`call (\w+ )?i32 @` + regexp.QuoteMeta(funcSymbol(0)) + `\(`)
		self := len(selfCall.FindAllString(level0, -1))
		if c.tail && self != 1 || !c.tail && self != 0 {
			t.Errorf("%s: level 0 calls itself at %d sites:\n%s", c.name, self, level0)
		}
	}
}
