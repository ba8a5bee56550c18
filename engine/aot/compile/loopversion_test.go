package compile

import (
	"fmt"
	"strings"
	"testing"
)

// TestVersionedLoops: an innermost call-free loop that reads memory at a
// local it does not assign gets a second copy (loopversion.go), seen as
// a second volatile interrupt-word load for the loop; one whose address
// changes in every iteration, a loop that calls, and -O0 builds do not.
func TestVersionedLoops(t *testing.T) {
	const tmpl = `(module (memory 1) (func $f)
		(func (param $p i32) (param $n i32) (result i32) (local $s i32)
			(loop $l
				%s
				(local.set $s (i32.add (local.get $s) (i32.load (local.get %s))))
				(local.set $n (i32.sub (local.get $n) (i32.const 1)))
				(br_if $l (local.get $n)))
			(local.get $s)))`
	volatiles := func(body, addr string, level int) int {
		m := parse(t, []byte(fmt.Sprintf(tmpl, body, addr)))
		mod, _, err := generate(m, Options{OptLevel: level})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(mod.String(), "load volatile")
	}
	base := volatiles("", "$n", 2) // the address changes: one copy
	for _, c := range []struct {
		name, body, addr string
		level, extra     int
	}{
		{"invariant address", "", "$p", 2, 1},
		{"invariant address, -O0", "", "$p", 0, 0},
		{"invariant address, a call", "(call $f)", "$p", 2, 0},
	} {
		if got := volatiles(c.body, c.addr, c.level) - base; got != c.extra {
			t.Errorf("%s: %d more interrupt tests than a plain loop, want %d", c.name, got, c.extra)
		}
	}
}
