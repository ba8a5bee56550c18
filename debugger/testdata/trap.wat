;; trap.wat: a program that traps, for the debugger's tests: main divides
;; by zero in $div (after one good call), nullbox reads a field of null.
(module
  (memory 1)
  (data (i32.const 16) "gcscope\00\01\02\03\04\ff\fe")
  (type $box (struct (field $v (mut i32))))
  (global $calls (mut i32) (i32.const 0))
  (func $div (param $a i32) (param $b i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.div_s (local.get $a) (local.get $b)))
  (func $get (param $b (ref null $box)) (result i32)
    (struct.get $box $v (local.get $b)))
  (func (export "main") (result i32)
    (i32.add
      (call $div (i32.const 10) (i32.const 2))
      (call $div (i32.const 1) (i32.const 0))))
  (func (export "nullbox") (result i32)
    (call $get (ref.null $box))))
