;; i31_mix.wat: a heterogeneous array of anyref values, as dynamic languages
;; (Scheme, OCaml, Haskell) compile to Wasm GC.
;;
;; What it shows: small integers as unboxed i31 references (ref.i31,
;; i31.get_s), big ones boxed in structs, pairs and byte arrays, all stored
;; as anyref in one array, and a type dispatch with a chain of br_on_cast
;; that ends in a block for each case. In the debugger, `print $vals[3]`
;; shows a pair; i31 values print as numbers.
;;
;; The values and what $value makes of each:
;;   0  i31 42                       42
;;   1  i31 -7                       -7 (i31.get_s sign-extends 31 bits)
;;   2  boxed 5000000000             5000000000 (too big for i31)
;;   3  pair (i31 100, boxed 23)     123 (pairs add their halves)
;;   4  bytes [1, 2, 250]            253 (bytes add up, read unsigned)
;;   5  null                         0
;;   6  pair (pair (i31 1, i31 2), null)  3
;;
;; Exports:
;;   main() -> i64          the sum of every value = 5000000414
;;   count_i31() -> i32     top-level elements that are i31 (ref.test): 2
;;   value_at(i i32) -> i64 the value of element i (traps when i > 6)
(module
  (type $boxed (struct (field $v i64)))
  (type $pair (struct (field $a anyref) (field $b anyref)))
  (type $bytes (array i8))
  (type $vals (array (mut anyref)))

  (func $values (result (ref $vals))
    (local $vals (ref $vals))
    (local.set $vals (array.new $vals (ref.null none) (i32.const 7)))
    (array.set $vals (local.get $vals) (i32.const 0) (ref.i31 (i32.const 42)))
    (array.set $vals (local.get $vals) (i32.const 1) (ref.i31 (i32.const -7)))
    (array.set $vals (local.get $vals) (i32.const 2)
      (struct.new $boxed (i64.const 5000000000)))
    (array.set $vals (local.get $vals) (i32.const 3)
      (struct.new $pair (ref.i31 (i32.const 100)) (struct.new $boxed (i64.const 23))))
    (array.set $vals (local.get $vals) (i32.const 4)
      (array.new_fixed $bytes 3 (i32.const 1) (i32.const 2) (i32.const 250)))
    ;; Element 5 stays null.
    (array.set $vals (local.get $vals) (i32.const 6)
      (struct.new $pair
        (struct.new $pair (ref.i31 (i32.const 1)) (ref.i31 (i32.const 2)))
        (ref.null none)))
    (local.get $vals))

  ;; value(x): dispatch on x's run-time type. Each br_on_cast jumps out of
  ;; the block whose result is its target type, with x cast to it; what
  ;; falls through every cast is null (or a type this program never makes).
  (func $value (param $x anyref) (result i64)
    (local $p (ref $pair))
    (local $b (ref $bytes))
    (local $i i32)
    (local $sum i64)
    (block $is_bytes (result (ref $bytes))
      (block $is_pair (result (ref $pair))
        (block $is_boxed (result (ref $boxed))
          (block $is_i31 (result (ref i31))
            local.get $x
            br_on_cast $is_i31 anyref (ref i31)
            br_on_cast $is_boxed anyref (ref $boxed)
            br_on_cast $is_pair anyref (ref $pair)
            br_on_cast $is_bytes anyref (ref $bytes)
            drop
            (return (i64.const 0)))
          ;; (ref i31) on the stack
          i31.get_s
          i64.extend_i32_s
          return)
        ;; (ref $boxed) on the stack
        struct.get $boxed $v
        return)
      ;; (ref $pair) on the stack
      local.set $p
      (return
        (i64.add
          (call $value (struct.get $pair $a (local.get $p)))
          (call $value (struct.get $pair $b (local.get $p))))))
    ;; (ref $bytes) on the stack
    local.set $b
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $b))))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.extend_i32_u (array.get_u $bytes (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $sum))

  (func (export "value_at") (param $i i32) (result i64)
    (call $value (array.get $vals (call $values) (local.get $i))))

  (func (export "count_i31") (result i32)
    (local $vals (ref $vals))
    (local $i i32)
    (local $n i32)
    (local.set $vals (call $values))
    (loop $each
      (local.set $n
        (i32.add (local.get $n)
          (ref.test (ref i31) (array.get $vals (local.get $vals) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $vals)))))
    (local.get $n))

  (func (export "main") (result i64)
    (local $vals (ref $vals))
    (local $i i32)
    (local $sum i64)
    (local.set $vals (call $values))
    (loop $each
      (local.set $sum
        (i64.add (local.get $sum)
          (call $value (array.get $vals (local.get $vals) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $vals)))))
    (local.get $sum)))
