;; wasi-threads with GC objects: main(n, rounds) spawns n workers; each
;; builds and sums `rounds` linked lists of 100 GC structs, counting
;; finished lists in a shared counter with atomics (address 0) and wrong
;; sums at address 8. Workers signal completion at address 4 with
;; memory.atomic.notify; main waits there with memory.atomic.wait32, then
;; returns the counter: n * rounds when no update was lost.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (type $node (struct (field $v i32) (field $next (ref null $node))))

  ;; sum of a fresh list 0..n-1: n*(n-1)/2 while the collector runs.
  (func $list-sum (param $n i32) (result i32)
    (local $l (ref null $node)) (local $i i32) (local $s i32)
    (loop $build
      (local.set $l (struct.new $node (local.get $i) (local.get $l)))
      (br_if $build (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
        (local.set $l (struct.get $node $next (local.get $l)))
        (br $walk)))
    (local.get $s))

  (func (export "wasi_thread_start") (param $tid i32) (param $rounds i32)
    (local $k i32)
    (loop $round
      (if (i32.ne (call $list-sum (i32.const 100)) (i32.const 4950))
        (then (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1)))))
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $round (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $rounds))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const -1))))

  ;; main(n, rounds): spawn n workers, wait for them, return the counter
  ;; (or -1 if a spawn failed, -2 if a sum was wrong).
  (func (export "main") (param $n i32) (param $rounds i32) (result i32)
    (local $i i32) (local $d i32)
    (block $spawned
      (loop $spawn-loop
        (br_if $spawned (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.lt_s (call $spawn (local.get $rounds)) (i32.const 0))
          (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $spawn-loop)))
    (block $joined
      (loop $join
        (local.set $d (i32.atomic.load (i32.const 4)))
        (br_if $joined (i32.ge_u (local.get $d) (local.get $n)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $d) (i64.const -1)))
        (br $join)))
    (if (i32.ne (i32.atomic.load (i32.const 8)) (i32.const 0))
      (then (return (i32.const -2))))
    (i32.atomic.load (i32.const 0)))
)
