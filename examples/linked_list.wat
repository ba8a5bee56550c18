;; linked_list.wat: cons cells on the GC heap, built, reversed in place and
;; summed.
;;
;; What it shows: a struct type that refers to itself, a mutable field
;; updated with struct.set, loops that walk a list with br_on_null, and a
;; non-nullable reference returned from a function. In the debugger, stop in
;; $reverse and `print $prev` / `print $rest` to watch the two halves.
;;
;; build(n) conses 1, 2, ..., n onto an empty list, so the list reads
;; n, n-1, ..., 1; reverse turns it into 1, 2, ..., n. The checksum weights
;; each value by its position (first = 1), so it also proves the order:
;; for the list 1..n it is 1*1 + 2*2 + ... + n*n = n(n+1)(2n+1)/6.
;;
;; Exports:
;;   main() -> i32       run(100) = 338350
;;   run(n i32) -> i32   the checksum of reverse(build(n)); run(3) = 14,
;;                       run(1000) = 333833500
;;   sum(n i32) -> i32   the plain sum of build(n): n(n+1)/2, sum(100) = 5050
(module
  (type $cell (struct
    (field $head i32)
    (field $tail (mut (ref null $cell)))))

  (func $cons (param $head i32) (param $tail (ref null $cell)) (result (ref $cell))
    (struct.new $cell (local.get $head) (local.get $tail)))

  ;; build(n): n, n-1, ..., 1 (null when n <= 0).
  (func $build (param $n i32) (result (ref null $cell))
    (local $list (ref null $cell))
    (local $i i32)
    (local.set $i (i32.const 1))
    (block $done
      (loop $more
        (br_if $done (i32.gt_s (local.get $i) (local.get $n)))
        (local.set $list (call $cons (local.get $i) (local.get $list)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (local.get $list))

  ;; reverse(list): reverses in place by turning every tail pointer around,
  ;; and returns the new first cell.
  (func $reverse (param $rest (ref null $cell)) (result (ref null $cell))
    (local $prev (ref null $cell))
    (local $cell (ref $cell))
    (block $done
      (loop $walk
        ;; Stop at the end of the list; otherwise take the next cell.
        (local.set $cell (br_on_null $done (local.get $rest)))
        (local.set $rest (struct.get $cell $tail (local.get $cell)))
        (struct.set $cell $tail (local.get $cell) (local.get $prev))
        (local.set $prev (local.get $cell))
        (br $walk)))
    (local.get $prev))

  ;; weighted(list): sum of position * value, positions counted from 1.
  (func $weighted (param $rest (ref null $cell)) (result i32)
    (local $cell (ref $cell))
    (local $pos i32)
    (local $total i32)
    (block $done
      (loop $walk
        (local.set $cell (br_on_null $done (local.get $rest)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $total
          (i32.add (local.get $total)
            (i32.mul (local.get $pos) (struct.get $cell $head (local.get $cell)))))
        (local.set $rest (struct.get $cell $tail (local.get $cell)))
        (br $walk)))
    (local.get $total))

  (func $sum (export "sum") (param $n i32) (result i32)
    (local $rest (ref null $cell))
    (local $total i32)
    (local.set $rest (call $build (local.get $n)))
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $rest)))
        (local.set $total
          (i32.add (local.get $total) (struct.get $cell $head (local.get $rest))))
        (local.set $rest (struct.get $cell $tail (local.get $rest)))
        (br $walk)))
    (local.get $total))

  (func $run (export "run") (param $n i32) (result i32)
    (call $weighted (call $reverse (call $build (local.get $n)))))

  (func (export "main") (result i32)
    (call $run (i32.const 100))))
