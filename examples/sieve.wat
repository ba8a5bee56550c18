;; sieve.wat: the sieve of Eratosthenes in linear memory.
;;
;; What it shows: byte loads and stores, memory.fill, growing memory on
;; demand, and nested loops with br_if. One byte per number: 0 means "still
;; a prime candidate", 1 means "crossed out". Use the debugger's `x` command
;; on memory to watch numbers being crossed out.
;;
;; Exports:
;;   main() -> i32               primes below 100000 = 9592
;;   count_primes(n i32) -> i32  the number of primes below n, for n >= 0;
;;                               n = 100 gives 25, n = 1000000 gives 78498
;;                               (a benchmark size)
;;   memory                      the sieve itself, after the last call
(module
  (memory (export "memory") 1)

  (func $count_primes (export "count_primes") (param $n i32) (result i32)
    (local $pages i32)
    (local $i i32)
    (local $j i32)
    (local $count i32)
    ;; Make sure n bytes fit: pages = ceil(n / 65536).
    (local.set $pages
      (i32.shr_u (i32.add (local.get $n) (i32.const 65535)) (i32.const 16)))
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then
        (if (i32.eq
              (memory.grow (i32.sub (local.get $pages) (memory.size)))
              (i32.const -1))
          (then (unreachable)))))
    ;; Every number starts as a candidate.
    (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
    ;; Cross out the multiples of each prime i, starting at i*i.
    (local.set $i (i32.const 2))
    (block $sieved
      (loop $next_i
        (br_if $sieved
          (i32.ge_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $crossed
              (loop $next_j
                (br_if $crossed (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $next_j)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next_i)))
    ;; Count what is left, from 2 up.
    (local.set $i (i32.const 2))
    (block $counted
      (loop $count_i
        (br_if $counted (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count_i)))
    (local.get $count))

  (func (export "main") (result i32)
    (call $count_primes (i32.const 100000))))
