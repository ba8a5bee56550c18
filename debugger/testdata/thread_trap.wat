;; thread_trap.wat: a wasi-threads program whose worker traps, for the
;; debugger's tests. main spawns a sleeper (arg 0), which waits forever
;; at address 8, and a worker (arg 1), which waits until main and the
;; sleeper are about to block (flags at 12 and 16), then divides by zero
;; three calls deep. The trap ends the program (wasi-threads).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1 shared)
  (func $div (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $average (param $sum i32) (param $n i32) (result i32)
    (call $div (local.get $sum) (local.get $n)))
  (func $work (param $n i32) (result i32)
    (local $sum i32)
    (local.set $sum (i32.mul (local.get $n) (i32.const 7)))
    (call $average (local.get $sum) (i32.sub (local.get $n) (local.get $n))))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (if (i32.eqz (local.get $arg))
      (then
        (i32.atomic.store (i32.const 12) (i32.const 1))
        (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1)))
        (return)))
    (loop $ready
      (br_if $ready (i32.eqz (i32.and (i32.atomic.load (i32.const 12)) (i32.atomic.load (i32.const 16))))))
    (drop (call $work (i32.const 6))))
  (func (export "main") (result i32)
    (drop (call $spawn (i32.const 0)))
    (drop (call $spawn (i32.const 1)))
    (i32.atomic.store (i32.const 16) (i32.const 1))
    (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1))))
