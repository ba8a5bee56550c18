;; handshake.wat: main calls $handshake, which asks a worker thread for an
;; answer (flag at 4) and spins until it comes (at 8): stepping over or
;; finishing $handshake ends only if the worker runs meanwhile
;; (scheduler-locking off). Address 0: the worker started; 12: its spins.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory 1 1 shared)
  (func $handshake (result i32)
    (i32.atomic.store (i32.const 4) (i32.const 1))
    (loop $wait
      (br_if $wait (i32.eqz (i32.atomic.load (i32.const 8)))))
    (i32.atomic.load (i32.const 8)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (loop $spin
      (drop (i32.atomic.rmw.add (i32.const 12) (i32.const 1)))
      (br_if $spin (i32.eqz (i32.atomic.load (i32.const 4)))))
    (i32.atomic.store (i32.const 8) (i32.const 7))
    (drop (memory.atomic.wait32 (i32.const 16) (i32.const 0) (i64.const -1))))
  (func (export "main") (result i32)
    (local $r i32)
    (drop (call $spawn (i32.const 0)))
    (loop $started
      (br_if $started (i32.eqz (i32.atomic.load (i32.const 0)))))
    (local.set $r (call $handshake))
    (i32.add (local.get $r) (i32.const 1))))
