;; shapes.wat: an object hierarchy with virtual methods, the way compilers
;; for Java, Kotlin or Dart lay out classes on Wasm GC.
;;
;; What it shows: subtyping between struct types (shape > rect > square, and
;; shape > circle), a vtable struct of typed function references stored in
;; immutable globals, virtual calls through call_ref, and the three ways to
;; downcast: ref.cast (trusting), ref.test (asking), br_on_cast (branching).
;; In the debugger, `print $s` on a shape shows its vtable and fields.
;;
;; The shapes (integer geometry, with pi taken as 3):
;;   rect 3x4     area 12, perimeter 14, kind 1
;;   square 5     area 25, perimeter 20, kind 2
;;   circle r=2   area 12, perimeter 12, kind 3
;;   square 1     area  1, perimeter  4, kind 2
;;   rect 2x7     area 14, perimeter 18, kind 1
;; Squares inherit the rectangle's area method and override the others.
;;
;; Exports:
;;   main() -> i32            10000 * total area + 100 * total perimeter
;;                            + total kind = 10000*64 + 100*68 + 9 = 646809
;;   count_squares() -> i32   shapes that are squares (ref.test): 2
;;   rect_widths() -> i32     sum of widths of rects, squares included
;;                            (br_on_cast): 3 + 5 + 1 + 2 = 11
;;   circle_radii() -> i32    sum of circle radii (ref.test + ref.cast): 2
(module
  (rec
    ;; Every method takes the receiver as a plain shape, as a virtual call
    ;; site only knows that much; the method casts it down.
    (type $method (func (param (ref $shape)) (result i32)))
    (type $vtable (struct
      (field $area (ref $method))
      (field $perimeter (ref $method))
      (field $kind (ref $method))))
    (type $shape (sub (struct
      (field $vt (ref $vtable)))))
    (type $rect (sub $shape (struct
      (field $vt (ref $vtable))
      (field $w i32)
      (field $h i32))))
    (type $square (sub final $rect (struct
      (field $vt (ref $vtable))
      (field $w i32)
      (field $h i32))))
    (type $circle (sub final $shape (struct
      (field $vt (ref $vtable))
      (field $r i32)))))

  (type $shapes (array (ref $shape)))

  ;; The vtables. ref.func in a global's initialiser also declares the
  ;; functions, which ref.func requires.
  (global $rect_vt (ref $vtable)
    (struct.new $vtable (ref.func $rect_area) (ref.func $rect_perimeter) (ref.func $rect_kind)))
  (global $square_vt (ref $vtable)
    (struct.new $vtable (ref.func $rect_area) (ref.func $square_perimeter) (ref.func $square_kind)))
  (global $circle_vt (ref $vtable)
    (struct.new $vtable (ref.func $circle_area) (ref.func $circle_perimeter) (ref.func $circle_kind)))

  (func $rect_area (type $method)
    (local $r (ref $rect))
    (local.set $r (ref.cast (ref $rect) (local.get 0)))
    (i32.mul (struct.get $rect $w (local.get $r)) (struct.get $rect $h (local.get $r))))

  (func $rect_perimeter (type $method)
    (local $r (ref $rect))
    (local.set $r (ref.cast (ref $rect) (local.get 0)))
    (i32.shl
      (i32.add (struct.get $rect $w (local.get $r)) (struct.get $rect $h (local.get $r)))
      (i32.const 1)))

  (func $rect_kind (type $method) (i32.const 1))

  (func $square_perimeter (type $method)
    (i32.mul (i32.const 4) (struct.get $square $w (ref.cast (ref $square) (local.get 0)))))

  (func $square_kind (type $method) (i32.const 2))

  (func $circle_area (type $method)
    (local $r i32)
    (local.set $r (struct.get $circle $r (ref.cast (ref $circle) (local.get 0))))
    (i32.mul (i32.const 3) (i32.mul (local.get $r) (local.get $r))))

  (func $circle_perimeter (type $method)
    (i32.mul (i32.const 6) (struct.get $circle $r (ref.cast (ref $circle) (local.get 0)))))

  (func $circle_kind (type $method) (i32.const 3))

  ;; Constructors.
  (func $new_rect (param $w i32) (param $h i32) (result (ref $shape))
    (struct.new $rect (global.get $rect_vt) (local.get $w) (local.get $h)))
  (func $new_square (param $side i32) (result (ref $shape))
    (struct.new $square (global.get $square_vt) (local.get $side) (local.get $side)))
  (func $new_circle (param $r i32) (result (ref $shape))
    (struct.new $circle (global.get $circle_vt) (local.get $r)))

  (func $all (result (ref $shapes))
    (array.new_fixed $shapes 5
      (call $new_rect (i32.const 3) (i32.const 4))
      (call $new_square (i32.const 5))
      (call $new_circle (i32.const 2))
      (call $new_square (i32.const 1))
      (call $new_rect (i32.const 2) (i32.const 7))))

  ;; Virtual calls: fetch the method from the receiver's vtable and call it.
  (func $area (param $s (ref $shape)) (result i32)
    (call_ref $method (local.get $s)
      (struct.get $vtable $area (struct.get $shape $vt (local.get $s)))))
  (func $perimeter (param $s (ref $shape)) (result i32)
    (call_ref $method (local.get $s)
      (struct.get $vtable $perimeter (struct.get $shape $vt (local.get $s)))))
  (func $kind (param $s (ref $shape)) (result i32)
    (call_ref $method (local.get $s)
      (struct.get $vtable $kind (struct.get $shape $vt (local.get $s)))))

  (func (export "main") (result i32)
    (local $shapes (ref $shapes))
    (local $s (ref $shape))
    (local $i i32)
    (local $area i32)
    (local $perimeter i32)
    (local $kind i32)
    (local.set $shapes (call $all))
    (loop $each
      (local.set $s (array.get $shapes (local.get $shapes) (local.get $i)))
      (local.set $area (i32.add (local.get $area) (call $area (local.get $s))))
      (local.set $perimeter (i32.add (local.get $perimeter) (call $perimeter (local.get $s))))
      (local.set $kind (i32.add (local.get $kind) (call $kind (local.get $s))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $shapes)))))
    (i32.add
      (i32.add
        (i32.mul (local.get $area) (i32.const 10000))
        (i32.mul (local.get $perimeter) (i32.const 100)))
      (local.get $kind)))

  (func (export "count_squares") (result i32)
    (local $shapes (ref $shapes))
    (local $i i32)
    (local $n i32)
    (local.set $shapes (call $all))
    (loop $each
      (local.set $n
        (i32.add (local.get $n)
          (ref.test (ref $square) (array.get $shapes (local.get $shapes) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $shapes)))))
    (local.get $n))

  (func (export "rect_widths") (result i32)
    (local $shapes (ref $shapes))
    (local $i i32)
    (local $sum i32)
    (local.set $shapes (call $all))
    (loop $each
      (block $not_rect
        (block $is_rect (result (ref $rect))
          (br_on_cast $is_rect (ref $shape) (ref $rect)
            (array.get $shapes (local.get $shapes) (local.get $i)))
          ;; Not a rect (nor a square): skip it.
          (drop)
          (br $not_rect))
        ;; The cast rect is on the stack: read its width first.
        (local.set $sum (i32.add (struct.get $rect $w) (local.get $sum))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $shapes)))))
    (local.get $sum))

  (func (export "circle_radii") (result i32)
    (local $shapes (ref $shapes))
    (local $s (ref $shape))
    (local $i i32)
    (local $sum i32)
    (local.set $shapes (call $all))
    (loop $each
      (local.set $s (array.get $shapes (local.get $shapes) (local.get $i)))
      (if (ref.test (ref $circle) (local.get $s))
        (then
          (local.set $sum
            (i32.add (local.get $sum)
              (struct.get $circle $r (ref.cast (ref $circle) (local.get $s)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (array.len (local.get $shapes)))))
    (local.get $sum)))
