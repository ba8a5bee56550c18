package compile

import (
	"fmt"
	"strings"
	"testing"

	w "github.com/gcscope/gcscope/engine/wasm"
)

// loopPlans parses a function (param $j i32) (param $n i32) (param $s
// i32) (local $c i32) whose body is body, in memory 1, and returns the
// guarded accesses and the chunk plan of its first loop.
func loopPlans(t *testing.T, body string) (map[int]loopGuard, *loopChunk) {
	t.Helper()
	src := fmt.Sprintf(`(module (memory 1)
		(func (param $j i32) (param $n i32) (param $s i32) (local $c i32) %s))`, body)
	m := parse(t, []byte(src))
	g := &modGen{m: m}
	g.collectMemories()
	code := m.Funcs[0].Body
	f := &funcGen{g: g, bp: g.planBounds(code)}
	pc := -1
	for i, in := range code {
		if in.Op == w.OpLoop {
			pc = i
			break
		}
	}
	if pc < 0 {
		t.Fatal("no loop")
	}
	depth, end := 0, -1
	for i := pc + 1; i < len(code) && end < 0; i++ {
		switch code[i].Op {
		case w.OpBlock, w.OpLoop, w.OpIf:
			depth++
		case w.OpEnd:
			if depth == 0 {
				end = i + 1
			}
			depth--
		}
	}
	guards, _ := f.planLoopGuards(code, pc, end)
	return guards, planLoopChunk(code, pc, end)
}

// TestLoopGuardsAndChunks: which accesses a loop's first test guards
// (loopguard.go) and which loops run in chunks (loopchunk.go).
func TestLoopGuardsAndChunks(t *testing.T) {
	const store = `(i32.store8 offset=2 (local.get $j) (i32.const 1))`
	const next = `(local.set $j (i32.add (local.get $j) (local.get $s)))`
	loop := func(test, mid, step, tail string) string {
		return `(block $out (loop $l ` + test + mid + step + tail + ` (br $l)))`
	}
	const exit = `(br_if $out (i32.ge_u (local.get $j) (local.get $n)))`
	for _, c := range []struct {
		name   string
		body   string
		guards int
		end    uint64 // of the guarded access, when one
		chunk  bool
	}{
		{"sieve's loop", loop(exit, store, next, ""), 1, 3, true},
		{"a constant bound, the step first", loop(`(br_if $out (i32.ge_u (local.get $j) (i32.const 100)))`, store,
			`(local.set $j (i32.add (i32.const 4) (local.get $j)))`, ""), 1, 3, true},
		{"the bound swapped", loop(`(br_if $out (i32.le_u (local.get $n) (local.get $j)))`, store, next, ""), 1, 3, true},
		{"if-guarded", loop(`(br_if $out (i32.eqz (local.get $n)))`,
			`(if (i32.lt_u (local.get $j) (i32.const 64)) (then `+store+`))`,
			`(local.set $n (i32.sub (local.get $n) (i32.const 1)))`, ""), 1, 3, false},
		{"the else branch is not guarded", loop(`(br_if $out (i32.eqz (local.get $n)))`,
			`(if (i32.lt_u (local.get $j) (i32.const 64)) (then) (else `+store+`))`,
			`(local.set $n (i32.sub (local.get $n) (i32.const 1)))`, ""), 0, 0, false},
		{"the address assigned after the test", loop(exit, `(local.set $j (i32.add (local.get $j) (i32.const 1)))`+store, "", ""), 0, 0, true},
		{"the bound assigned in the loop", loop(exit, store, next, `(local.set $n (i32.const 5))`), 0, 0, false},
		{"a signed test", loop(`(br_if $out (i32.ge_s (local.get $j) (local.get $n)))`, store, next, ""), 0, 0, false},
		{"a test inside a block that ended", loop(`(block $b (br_if $b (i32.ge_u (local.get $j) (local.get $n))))`, store, next, ""), 0, 0, false},
		{"a scaled address", loop(exit, `(local.set $c (i32.mul (local.get $j) (i32.const 56)))
			(drop (f64.load offset=40 (local.get $c)))`, next, ""), 1, 48, true},
		{"a group led by a scaled address", loop(exit, `(local.set $c (i32.mul (i32.const 56) (local.get $j)))
			(drop (f64.add (f64.load (local.get $c)) (f64.load offset=48 (local.get $c))))`, next, ""), 1, 56, true},
		{"a scaled address set before the test", loop(`(local.set $c (i32.mul (local.get $j) (i32.const 56)))`+exit,
			`(drop (f64.load offset=40 (local.get $c)))`, next, ""), 0, 0, false},
		{"bottom-tested (nbody's move)", `(loop $l
			(local.set $c (i32.mul (local.get $j) (i32.const 56)))
			(f64.store offset=8 (local.get $c) (f64.load (local.get $c)))
			(local.set $j (i32.add (local.get $j) (i32.const 1)))
			(br_if $l (i32.lt_u (local.get $j) (i32.const 5))))`, 1, 16, true},
		{"bottom-tested, the bound swapped", `(loop $l ` + store + next + `
			(br_if $l (i32.gt_u (local.get $n) (local.get $j))))`, 1, 3, true},
		{"bottom-tested, another way round", `(loop $l ` + store + `(br_if $l (local.get $c))` + next + `
			(br_if $l (i32.lt_u (local.get $j) (local.get $n))))`, 0, 0, false},
		{"bottom-tested, signed", `(loop $l ` + store + next + `
			(br_if $l (i32.lt_s (local.get $j) (local.get $n))))`, 0, 0, false},
		{"another way round", loop(exit, store+`(br_if $l (local.get $c))`, next, ""), 1, 3, false},
		{"the step in a branch", loop(exit, store, `(if (local.get $c) (then `+next+`))`, ""), 1, 3, false},
		{"two steps", loop(exit, store, next+next, ""), 1, 3, false},
		{"a zero step", loop(exit, store, `(local.set $j (i32.add (local.get $j) (i32.const 0)))`, ""), 1, 3, false},
		{"a varying step", loop(exit, store, `(local.set $j (i32.add (local.get $j) (local.get $c)))`,
			`(local.set $c (i32.add (local.get $c) (i32.const 1)))`), 1, 3, false},
	} {
		guards, chunk := loopPlans(t, c.body)
		if len(guards) != c.guards {
			t.Errorf("%s: %d guarded accesses, want %d", c.name, len(guards), c.guards)
		}
		for _, g := range guards {
			if g.end != c.end {
				t.Errorf("%s: guarded access ends at %d, want %d", c.name, g.end, c.end)
			}
		}
		if (chunk != nil) != c.chunk {
			t.Errorf("%s: chunked %v, want %v", c.name, chunk != nil, c.chunk)
		}
	}
}

// TestChunkedLoopIR: sieve's loop shape is versioned even though its
// address changes in every iteration, and its fast copy tests the
// interrupt word on the chunk exit only: one volatile load per copy
// besides the function entry's; at -O0 nothing is versioned.
func TestChunkedLoopIR(t *testing.T) {
	const src = `(module (memory 1)
		(func (param $j i32) (param $n i32) (param $s i32)
			(block $out (loop $l
				(br_if $out (i32.ge_u (local.get $j) (local.get $n)))
				(i32.store8 (local.get $j) (i32.const 1))
				(local.set $j (i32.add (local.get $j) (local.get $s)))
				(br $l)))))`
	for _, c := range []struct {
		level, volatiles int
	}{{2, 3}, {0, 2}} {
		mod, _, err := generate(parse(t, []byte(src)), Options{OptLevel: c.level})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(mod.String(), "load volatile"); got != c.volatiles {
			t.Errorf("-O%d: %d interrupt tests, want %d", c.level, got, c.volatiles)
		}
	}
}
