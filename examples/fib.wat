;; fib.wat: recursive Fibonacci, the classic call-heavy benchmark.
;;
;; What it shows: a recursive function, an if/else that yields a value, and
;; i32 arithmetic. Nothing is allocated, so it measures call overhead only;
;; try `step` and `backtrace` in the debugger to watch the recursion.
;;
;; Exports:
;;   main() -> i32     fib(25) = 75025
;;   fib(n i32) -> i32 the n-th Fibonacci number (fib(0) = 0, fib(1) = 1);
;;                     fib(20) = 6765, fib(30) = 832040 (a benchmark size)
(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then
        (local.get $n))
      (else
        (i32.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "main") (result i32)
    (call $fib (i32.const 25))))
