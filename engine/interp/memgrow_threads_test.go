package interp

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// growRaceWat: main(growers, accessors) spawns threads that grow one
// shared memory by a page at a time (50 grows each), and threads that
// meanwhile read memory.size and access the last words of the memory it
// says (plain and atomic loads, plain stores to their own word of page
// 0) until every grower is done. Each grow's old size goes to a slot
// (1024 + 4*i, i from an atomic counter at 16) and is written to the
// last word of the page it added, then read back; any access out of
// bounds traps. Address 4 counts finished threads, 8 finished growers.
const growRaceWat = `(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory (export "memory") 1 201 shared)
  (func $grower (local $k i32) (local $old i32) (local $a i32)
    (loop $l
      (local.set $old (memory.grow (i32.const 1)))
      (if (i32.lt_s (local.get $old) (i32.const 0)) (then unreachable))
      (i32.store (i32.add (i32.const 1024)
          (i32.shl (i32.atomic.rmw.add (i32.const 16) (i32.const 1)) (i32.const 2)))
        (local.get $old))
      (local.set $a (i32.add (i32.shl (local.get $old) (i32.const 16)) (i32.const 65532)))
      (i32.atomic.store (local.get $a) (local.get $old))
      (if (i32.ne (i32.atomic.load (local.get $a)) (local.get $old)) (then unreachable))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 50))))
    (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1))))
  (func $accessor (param $tid i32) (param $growers i32) (local $end i32) (local $own i32)
    (local.set $own (i32.add (i32.const 64) (i32.shl (i32.and (local.get $tid) (i32.const 63)) (i32.const 2))))
    (loop $l
      (local.set $end (i32.shl (memory.size) (i32.const 16)))
      (drop (i32.load (i32.sub (local.get $end) (i32.const 8))))
      (drop (i32.atomic.load (i32.sub (local.get $end) (i32.const 4))))
      (drop (i64.load8_u (i32.sub (local.get $end) (i32.const 1))))
      (i32.store (local.get $own) (local.get $end))
      (if (i32.ne (i32.load (local.get $own)) (local.get $end)) (then unreachable))
      (br_if $l (i32.lt_u (i32.atomic.load (i32.const 8)) (local.get $growers)))))
  (global $growers (mut i32) (i32.const 0))
  (func (export "wasi_thread_start") (param $tid i32) (param $role i32)
    (if (i32.eqz (local.get $role))
      (then (call $grower))
      (else (call $accessor (local.get $tid) (global.get $growers))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const -1))))
  (func (export "main") (param $g i32) (param $a i32) (result i32) (local $i i32) (local $d i32)
    (global.set $growers (local.get $g))
    (loop $sp
      (if (i32.lt_u (local.get $i) (local.get $g))
        (then (drop (call $spawn (i32.const 0)))))
      (if (i32.lt_u (local.get $i) (local.get $a))
        (then (drop (call $spawn (i32.const 1)))))
      (br_if $sp (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
        (select (local.get $g) (local.get $a) (i32.gt_u (local.get $g) (local.get $a))))))
    (block $b (loop $j
      (local.set $d (i32.atomic.load (i32.const 4)))
      (br_if $b (i32.ge_u (local.get $d) (i32.add (local.get $g) (local.get $a))))
      (drop (memory.atomic.wait32 (i32.const 4) (local.get $d) (i64.const -1)))
      (br $j)))
    (memory.size)))`

// TestSharedMemoryGrowRace: four threads grow one shared memory while
// four others access its end: every grow returns a distinct old size
// (1..200, the pages add up), no access traps (none sees a stale or torn
// size), and go test -race sees no unsynchronized access to the memory's
// bounds.
func TestSharedMemoryGrowRace(t *testing.T) {
	const growers, accessors, grows = 4, 4, 50
	for round := range 3 {
		s := newStore(t, runtime.Config{})
		inst, res, err := runWasiMain(t, s, growRaceWat, growers, accessors)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if got := int32(res[0].Bits); got != 1+growers*grows {
			t.Fatalf("round %d: memory.size = %d, want %d", round, got, 1+growers*grows)
		}
		m := inst.Export("memory").(*runtime.Memory)
		b := m.Bytes()
		if uint64(len(b)) != (1+growers*grows)*runtime.PageSize || m.Size() != 1+growers*grows {
			t.Fatalf("round %d: %d bytes, Size %d", round, len(b), m.Size())
		}
		olds := make([]uint32, growers*grows)
		for i := range olds {
			olds[i] = binary.LittleEndian.Uint32(b[1024+4*i:])
		}
		slices.Sort(olds)
		for i, o := range olds {
			if o != uint32(i+1) {
				t.Fatalf("round %d: grows returned old sizes %v, want 1..%d once each", round, olds, growers*grows)
			}
		}
	}
}
