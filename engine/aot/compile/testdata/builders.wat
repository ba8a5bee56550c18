;; builders.wat: one builder ($build: three constructor calls and an
;; array, called from two functions) and four functions that are not:
;; $loopy allocates in a loop, $wide is called from five places, $nested
;; calls $build (no leaf), $two allocates twice. $k is an immutable
;; global, $m a mutable one. engine/aot/compile TestBuildersInlined and
;; TestImmutableGlobalsInvariant read its IR; engine/aot/loader
;; TestBuildersRun runs it against the interpreter.
(module
  (type $pt (struct (field $x i32) (field $y i32)))
  (type $pts (array (ref $pt)))
  (global $k i32 (i32.const 7))
  (global $m (mut i32) (i32.const 5))
  (func $pt (param $x i32) (param $y i32) (result (ref $pt))
    (struct.new $pt (local.get $x) (i32.add (local.get $y) (global.get $k))))
  (func $build (param $n i32) (result (ref $pts))
    (array.new_fixed $pts 3
      (call $pt (local.get $n) (i32.const 1))
      (call $pt (i32.const 2) (global.get $m))
      (call $pt (i32.div_s (i32.const 100) (local.get $n)) (local.get $n))))
  (func $loopy (param $n i32) (result (ref $pt))
    (local $p (ref null $pt))
    (loop $l
      (local.set $p (call $pt (local.get $n) (i32.const 0)))
      (local.set $p (call $pt (local.get $n) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (struct.new $pt (i32.const 0) (i32.const 0)))
  (func $wide (result (ref $pts))
    (array.new_fixed $pts 3 (call $pt (i32.const 1) (i32.const 1)) (call $pt (i32.const 2) (i32.const 2))
      (call $pt (i32.const 3) (i32.const 3))))
  (func $nested (param $n i32) (result (ref $pts))
    (drop (call $pt (i32.const 0) (i32.const 0)))
    (drop (call $pt (i32.const 0) (i32.const 0)))
    (call $build (local.get $n)))
  (func $two (result (ref $pt))
    (drop (call $pt (i32.const 0) (i32.const 0)))
    (call $pt (i32.const 1) (i32.const 1)))
  (func $total (param $a (ref $pts)) (result i32)
    (i32.add
      (i32.add (struct.get $pt $x (array.get $pts (local.get $a) (i32.const 0)))
               (struct.get $pt $y (array.get $pts (local.get $a) (i32.const 1))))
      (i32.add (struct.get $pt $x (array.get $pts (local.get $a) (i32.const 2)))
               (struct.get $pt $y (array.get $pts (local.get $a) (i32.const 2))))))
  (func (export "sum") (param $n i32) (result i32)
    (call $total (call $build (local.get $n))))
  (func (export "sum2") (param $n i32) (result i32)
    (global.set $m (local.get $n))
    (i32.add (call $total (call $build (local.get $n))) (struct.get $pt $y (call $loopy (local.get $n)))))
  (func (export "wides") (result i32)
    (i32.add (i32.add (call $total (call $wide)) (call $total (call $wide)))
      (i32.add (i32.add (call $total (call $wide)) (call $total (call $wide))) (call $total (call $wide)))))
  (func (export "others") (param $n i32) (result i32)
    (i32.add (call $total (call $nested (local.get $n))) (struct.get $pt $y (call $two)))))
