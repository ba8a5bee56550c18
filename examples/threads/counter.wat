;; wasi-threads with numbers only (no GC types), so every function runs as
;; native code with `gcscope run --aot`: main(n, rounds) spawns n workers;
;; each adds 1 to a shared counter at address 0 `rounds` times with
;; i32.atomic.rmw.add, and as often adds 1 to a plain counter at address 16
;; with ordinary loads and stores under a spin lock taken with
;; i32.atomic.rmw.cmpxchg (address 12). Workers signal completion at
;; address 4 with memory.atomic.notify; main waits there with
;; memory.atomic.wait32, then returns the atomic counter (n * rounds when
;; no update was lost), -1 if a spawn failed, or -2 if the lock-protected
;; counter differs from it.
;;
;;   gcscope run --aot --invoke main examples/threads/counter.wat 4 100000
;;
;; prints 400000.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)

  (func $lock
    (loop $spin
      (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 12) (i32.const 0) (i32.const 1)))))

  (func $unlock
    (i32.atomic.store (i32.const 12) (i32.const 0)))

  (func (export "wasi_thread_start") (param $tid i32) (param $rounds i32)
    (local $k i32)
    (loop $round
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (call $lock)
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
      (call $unlock)
      (br_if $round (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $rounds))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const -1))))

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
    (if (i32.ne (i32.atomic.load (i32.const 16)) (i32.atomic.load (i32.const 0)))
      (then (return (i32.const -2))))
    (i32.atomic.load (i32.const 0)))
)
