;; grow.wat: a deterministic heap for the `gcscope heap` golden tests.
;; grow(n) conses n cells onto the list in $list, cell i holding an i8
;; array of 8*i bytes, and returns a $box counting them and pointing at the
;; first cell (the CLI pins it, so it is a root too).
(module $grow
  (type $bytes (array (mut i8)))
  (type $cell (struct (field $data (ref $bytes)) (field $next (ref null $cell))))
  (type $box (struct (field $count i32) (field $first (ref null $cell))))
  (global $list (mut (ref null $cell)) (ref.null $cell))
  (func (export "grow") (param $n i32) (result (ref $box))
    (local $i i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (global.set $list
          (struct.new $cell
            (array.new_default $bytes (i32.mul (local.get $i) (i32.const 8)))
            (global.get $list)))
        ;; garbage, gone by the snapshot
        (drop (array.new_default $bytes (i32.const 100)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more)))
    (struct.new $box (local.get $n) (global.get $list))))
