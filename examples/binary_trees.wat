;; binary_trees.wat: the binary-trees benchmark of the Computer Language
;; Benchmarks Game, on Wasm GC structs.
;;
;; What it shows: a recursive struct type with nullable references, struct.new
;; and struct.get, br_on_null, and lots of short-lived garbage for the
;; collector: every tree is built, walked once and dropped. Try `heap` and
;; `gc` in the debugger while it runs, and `print $t.left.right` on a node.
;;
;; The benchmark with maximum depth N (at least 6):
;;   - a "stretch" tree of depth N+1 is built and checked,
;;   - a long-lived tree of depth N is built and kept to the end,
;;   - for d = 4, 6, ..., N: 2^(N-d+4) trees of depth d are built and checked,
;;   - the long-lived tree is checked.
;; check(t) counts t's nodes: 2^(depth+1) - 1 for a tree of the given depth.
;;
;; Exports:
;;   main() -> i32        run(10) = 135854
;;                        (4095 + 1024*31 + 256*127 + 64*511 + 16*2047 + 2047)
;;   run(n i32) -> i32    the sum of every check() result for maximum depth n;
;;                        run(6) = 4398 (255 + 64*31 + 16*127 + 127), and 21 is the benchmark's size
(module
  (type $node (struct
    (field $left (ref null $node))
    (field $right (ref null $node))))

  ;; make(depth): a perfect tree; a leaf has two null children.
  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then
        (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (struct.new $node
          (call $make (local.get $depth))
          (call $make (local.get $depth))))))

  ;; check(t): the number of nodes in t. Nodes have both children or none,
  ;; so a null left child means a leaf.
  (func $check (param $t (ref $node)) (result i32)
    (block $leaf
      (br_on_null $leaf (struct.get $node $left (local.get $t)))
      (call $check)
      (call $check (ref.as_non_null (struct.get $node $right (local.get $t))))
      (i32.add)
      (return (i32.add (i32.const 1))))
    (i32.const 1))

  (func $run (export "run") (param $n i32) (result i32)
    (local $max i32)
    (local $depth i32)
    (local $iterations i32)
    (local $i i32)
    (local $total i32)
    (local $long_lived (ref null $node))
    (local.set $max
      (select (local.get $n) (i32.const 6) (i32.gt_s (local.get $n) (i32.const 6))))
    ;; The stretch tree, dropped at once.
    (local.set $total
      (call $check (call $make (i32.add (local.get $max) (i32.const 1)))))
    (local.set $long_lived (call $make (local.get $max)))
    (local.set $depth (i32.const 4))
    (block $done
      (loop $each_depth
        (br_if $done (i32.gt_s (local.get $depth) (local.get $max)))
        (local.set $iterations
          (i32.shl (i32.const 1)
            (i32.add (i32.sub (local.get $max) (local.get $depth)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (loop $each_tree
          (local.set $total
            (i32.add (local.get $total)
              (call $check (call $make (local.get $depth)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $each_tree (i32.lt_s (local.get $i) (local.get $iterations))))
        (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
        (br $each_depth)))
    (i32.add (local.get $total)
      (call $check (ref.as_non_null (local.get $long_lived)))))

  (func (export "main") (result i32)
    (call $run (i32.const 10))))
