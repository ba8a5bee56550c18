;; nbody.wat: the n-body simulation of the Computer Language Benchmarks Game.
;;
;; What it shows: f64 arithmetic (sqrt, mul, div), f64 loads and stores with
;; static offsets, globals, and nested loops. The Sun and the four gas giants
;; live in linear memory, 7 f64 fields per body (56 bytes):
;;   offset 0 x, 8 y, 16 z, 24 vx, 32 vy, 40 vz, 48 mass
;; with positions in AU, velocities in AU per year and masses in solar masses
;; times 4*pi^2 (so that G = 1).
;;
;; Exports:
;;   main() -> i64          run(1000)  = -169087605
;;   run(steps i32) -> i64  resets the system, advances it by steps steps of
;;                          0.01 years and returns trunc(energy * 1e9);
;;                          run(0) = -169075163 (energy -0.1690751638...,
;;                          which the benchmark prints as -0.169075164),
;;                          run(1000) = -169087605 (-0.169087605...);
;;                          5000000 is the benchmark size
;;   energy() -> f64        the system's current total energy
;;   memory                 the bodies
(module
  (memory (export "memory") 1)

  (global $pi f64 (f64.const 3.141592653589793))
  (global $days_per_year f64 (f64.const 365.24))
  ;; 4 * pi * pi, computed by $init (global initialisers cannot multiply
  ;; floats).
  (global $solar_mass (mut f64) (f64.const 0))

  ;; $body stores one body; velocities are given per day and masses in solar
  ;; masses, as the benchmark lists them.
  (func $body (param $i i32) (param $x f64) (param $y f64) (param $z f64)
      (param $vx f64) (param $vy f64) (param $vz f64) (param $mass f64)
    (local $a i32)
    (local.set $a (i32.mul (local.get $i) (i32.const 56)))
    (f64.store offset=0 (local.get $a) (local.get $x))
    (f64.store offset=8 (local.get $a) (local.get $y))
    (f64.store offset=16 (local.get $a) (local.get $z))
    (f64.store offset=24 (local.get $a) (f64.mul (local.get $vx) (global.get $days_per_year)))
    (f64.store offset=32 (local.get $a) (f64.mul (local.get $vy) (global.get $days_per_year)))
    (f64.store offset=40 (local.get $a) (f64.mul (local.get $vz) (global.get $days_per_year)))
    (f64.store offset=48 (local.get $a) (f64.mul (local.get $mass) (global.get $solar_mass))))

  (func $init
    (global.set $solar_mass
      (f64.mul (f64.mul (f64.const 4) (global.get $pi)) (global.get $pi)))
    ;; Sun
    (call $body (i32.const 0)
      (f64.const 0) (f64.const 0) (f64.const 0)
      (f64.const 0) (f64.const 0) (f64.const 0)
      (f64.const 1))
    ;; Jupiter
    (call $body (i32.const 1)
      (f64.const 4.84143144246472090e+00)
      (f64.const -1.16032004402742839e+00)
      (f64.const -1.03622044471123109e-01)
      (f64.const 1.66007664274403694e-03)
      (f64.const 7.69901118419740425e-03)
      (f64.const -6.90460016972063023e-05)
      (f64.const 9.54791938424326609e-04))
    ;; Saturn
    (call $body (i32.const 2)
      (f64.const 8.34336671824457987e+00)
      (f64.const 4.12479856412430479e+00)
      (f64.const -4.03523417114321381e-01)
      (f64.const -2.76742510726862411e-03)
      (f64.const 4.99852801234917238e-03)
      (f64.const 2.30417297573763929e-05)
      (f64.const 2.85885980666130812e-04))
    ;; Uranus
    (call $body (i32.const 3)
      (f64.const 1.28943695621391310e+01)
      (f64.const -1.51111514016986312e+01)
      (f64.const -2.23307578892655734e-01)
      (f64.const 2.96460137564761618e-03)
      (f64.const 2.37847173959480950e-03)
      (f64.const -2.96589568540237556e-05)
      (f64.const 4.36624404335156298e-05))
    ;; Neptune
    (call $body (i32.const 4)
      (f64.const 1.53796971148509165e+01)
      (f64.const -2.59193146099879641e+01)
      (f64.const 1.79258772950371181e-01)
      (f64.const 2.68067772490389322e-03)
      (f64.const 1.62824170038242295e-03)
      (f64.const -9.51592254519715870e-05)
      (f64.const 5.15138902046611451e-05)))

  ;; Give the Sun the momentum that makes the system's total zero.
  (func $offset_momentum
    (local $i i32) (local $a i32) (local $m f64)
    (local $px f64) (local $py f64) (local $pz f64)
    (loop $each
      (local.set $a (i32.mul (local.get $i) (i32.const 56)))
      (local.set $m (f64.load offset=48 (local.get $a)))
      (local.set $px (f64.add (local.get $px) (f64.mul (f64.load offset=24 (local.get $a)) (local.get $m))))
      (local.set $py (f64.add (local.get $py) (f64.mul (f64.load offset=32 (local.get $a)) (local.get $m))))
      (local.set $pz (f64.add (local.get $pz) (f64.mul (f64.load offset=40 (local.get $a)) (local.get $m))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 5))))
    (f64.store offset=24 (i32.const 0) (f64.div (f64.neg (local.get $px)) (global.get $solar_mass)))
    (f64.store offset=32 (i32.const 0) (f64.div (f64.neg (local.get $py)) (global.get $solar_mass)))
    (f64.store offset=40 (i32.const 0) (f64.div (f64.neg (local.get $pz)) (global.get $solar_mass))))

  ;; One time step: every pair pulls on each other, then everyone moves.
  (func $advance (param $dt f64)
    (local $i i32) (local $j i32) (local $a i32) (local $b i32)
    (local $dx f64) (local $dy f64) (local $dz f64)
    (local $d2 f64) (local $mag f64) (local $mi f64) (local $mj f64)
    (loop $outer
      (local.set $a (i32.mul (local.get $i) (i32.const 56)))
      (local.set $mi (f64.load offset=48 (local.get $a)))
      (local.set $j (i32.add (local.get $i) (i32.const 1)))
      (block $pairs_done
        (loop $inner
          (br_if $pairs_done (i32.ge_u (local.get $j) (i32.const 5)))
          (local.set $b (i32.mul (local.get $j) (i32.const 56)))
          (local.set $dx (f64.sub (f64.load offset=0 (local.get $a)) (f64.load offset=0 (local.get $b))))
          (local.set $dy (f64.sub (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b))))
          (local.set $dz (f64.sub (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b))))
          (local.set $d2
            (f64.add
              (f64.add (f64.mul (local.get $dx) (local.get $dx)) (f64.mul (local.get $dy) (local.get $dy)))
              (f64.mul (local.get $dz) (local.get $dz))))
          (local.set $mag
            (f64.div (local.get $dt) (f64.mul (local.get $d2) (f64.sqrt (local.get $d2)))))
          (local.set $mj (f64.load offset=48 (local.get $b)))
          ;; body i: v -= d * mj * mag
          (f64.store offset=24 (local.get $a)
            (f64.sub (f64.load offset=24 (local.get $a))
              (f64.mul (f64.mul (local.get $dx) (local.get $mj)) (local.get $mag))))
          (f64.store offset=32 (local.get $a)
            (f64.sub (f64.load offset=32 (local.get $a))
              (f64.mul (f64.mul (local.get $dy) (local.get $mj)) (local.get $mag))))
          (f64.store offset=40 (local.get $a)
            (f64.sub (f64.load offset=40 (local.get $a))
              (f64.mul (f64.mul (local.get $dz) (local.get $mj)) (local.get $mag))))
          ;; body j: v += d * mi * mag
          (f64.store offset=24 (local.get $b)
            (f64.add (f64.load offset=24 (local.get $b))
              (f64.mul (f64.mul (local.get $dx) (local.get $mi)) (local.get $mag))))
          (f64.store offset=32 (local.get $b)
            (f64.add (f64.load offset=32 (local.get $b))
              (f64.mul (f64.mul (local.get $dy) (local.get $mi)) (local.get $mag))))
          (f64.store offset=40 (local.get $b)
            (f64.add (f64.load offset=40 (local.get $b))
              (f64.mul (f64.mul (local.get $dz) (local.get $mi)) (local.get $mag))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $inner)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 5))))
    (local.set $i (i32.const 0))
    (loop $move
      (local.set $a (i32.mul (local.get $i) (i32.const 56)))
      (f64.store offset=0 (local.get $a)
        (f64.add (f64.load offset=0 (local.get $a)) (f64.mul (local.get $dt) (f64.load offset=24 (local.get $a)))))
      (f64.store offset=8 (local.get $a)
        (f64.add (f64.load offset=8 (local.get $a)) (f64.mul (local.get $dt) (f64.load offset=32 (local.get $a)))))
      (f64.store offset=16 (local.get $a)
        (f64.add (f64.load offset=16 (local.get $a)) (f64.mul (local.get $dt) (f64.load offset=40 (local.get $a)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $move (i32.lt_u (local.get $i) (i32.const 5)))))

  ;; Kinetic energy of every body minus the potential energy of every pair.
  (func $energy (export "energy") (result f64)
    (local $e f64) (local $i i32) (local $j i32) (local $a i32) (local $b i32)
    (local $m f64) (local $dx f64) (local $dy f64) (local $dz f64)
    (loop $outer
      (local.set $a (i32.mul (local.get $i) (i32.const 56)))
      (local.set $m (f64.load offset=48 (local.get $a)))
      (local.set $e
        (f64.add (local.get $e)
          (f64.mul (f64.mul (f64.const 0.5) (local.get $m))
            (f64.add
              (f64.add
                (f64.mul (f64.load offset=24 (local.get $a)) (f64.load offset=24 (local.get $a)))
                (f64.mul (f64.load offset=32 (local.get $a)) (f64.load offset=32 (local.get $a))))
              (f64.mul (f64.load offset=40 (local.get $a)) (f64.load offset=40 (local.get $a)))))))
      (local.set $j (i32.add (local.get $i) (i32.const 1)))
      (block $pairs_done
        (loop $inner
          (br_if $pairs_done (i32.ge_u (local.get $j) (i32.const 5)))
          (local.set $b (i32.mul (local.get $j) (i32.const 56)))
          (local.set $dx (f64.sub (f64.load offset=0 (local.get $a)) (f64.load offset=0 (local.get $b))))
          (local.set $dy (f64.sub (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b))))
          (local.set $dz (f64.sub (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b))))
          (local.set $e
            (f64.sub (local.get $e)
              (f64.div
                (f64.mul (local.get $m) (f64.load offset=48 (local.get $b)))
                (f64.sqrt
                  (f64.add
                    (f64.add (f64.mul (local.get $dx) (local.get $dx)) (f64.mul (local.get $dy) (local.get $dy)))
                    (f64.mul (local.get $dz) (local.get $dz)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $inner)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 5))))
    (local.get $e))

  (func $run (export "run") (param $steps i32) (result i64)
    (call $init)
    (call $offset_momentum)
    (block $done
      (loop $step
        (br_if $done (i32.le_s (local.get $steps) (i32.const 0)))
        (call $advance (f64.const 0.01))
        (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
        (br $step)))
    (i64.trunc_f64_s (f64.mul (call $energy) (f64.const 1e9))))

  (func (export "main") (result i64)
    (call $run (i32.const 1000))))
