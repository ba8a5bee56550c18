;; divzero.wat: an MVP program that traps, for the debugger's tests on
;; both tiers: main divides by zero in $div (after one good call).
(module
  (global $calls (mut i32) (i32.const 0))
  (func $div (param $a i32) (param $b i32) (result i32)
    (local $q i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $q (i32.const 7))
    (i32.div_s (local.get $a) (local.get $b)))
  (func (export "main") (result i32)
    (i32.add
      (call $div (i32.const 10) (i32.const 2))
      (call $div (i32.const 1) (i32.const 0)))))
