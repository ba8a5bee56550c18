;; count.wat: the TUI tests' program. It prints (the output pane), holds a
;; struct and a 40-element array (the inspector's pages), then spins for
;; a long time (pause).
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $arr (array (mut i32)))
  (type $pair (struct (field $a i32) (field $b (ref null $arr))))
  (func $main (export "main")
    (local $xs (ref null $arr))
    (local $p (ref null $pair))
    (local $i i32)
    (local.set $xs (array.new $arr (i32.const 7) (i32.const 40)))
    (local.set $p (struct.new $pair (i32.const 1) (local.get $xs)))
    (loop $l
      (call $print (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (call $spin))
  (func $spin
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i32.ne (local.get $n) (i32.const -1))))))
