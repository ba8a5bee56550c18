package interp

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/gc"
	"github.com/gcscope/gcscope/engine/runtime"
)

const listWAT = `(module
  (type $node (struct (field $v i32) (field $next (ref null $node))))
  (type $bytes (array (mut i8)))
  ;; Builds a list of n nodes whose only roots are frame slots, allocating
  ;; garbage arrays on the way, then sums it.
  (func (export "build") (param $n i32) (result i32) (local $l (ref null $node)) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (drop (array.new $bytes (i32.const 7) (i32.const 100)))
      (local.set $l (struct.new $node (local.get $n) (local.get $l)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (block $end (loop $walk
      (br_if $end (ref.is_null (local.get $l)))
      (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
      (local.set $l (struct.get $node $next (local.get $l)))
      (br $walk)))
    (local.get $s))
  (func (export "packed") (result i32)
    (local $a (ref $bytes))
    (local.set $a (array.new $bytes (i32.const 200) (i32.const 3)))
    (array.get_s $bytes (local.get $a) (i32.const 1)))
  (func (export "oob") (result i32)
    (array.get_u $bytes (array.new_default $bytes (i32.const 2)) (i32.const 2)))
  (func (export "null") (result i32)
    (struct.get $node $v (ref.null $node)))
  (func (export "cast") (param anyref) (result i32)
    (drop (ref.cast (ref $node) (local.get 0))) (i32.const 1))
  (func (export "i31") (param i32) (result i32)
    (i31.get_s (ref.i31 (local.get 0)))))`

func TestGCUnderStress(t *testing.T) {
	for _, stress := range []bool{false, true} {
		s := newStore(t, runtime.Config{GCStress: stress, HeapMaxBytes: 8 << 20})
		inst := instantiate(t, s, listWAT)
		if got := mustCall(t, inst, "build", runtime.I32(300)); got != 300*301/2 {
			t.Errorf("stress=%v: build = %d", stress, got)
		}
		st := s.Heap.Stats()
		if stress && (st.Collections < 600 || st.FreedBytes == 0) {
			t.Errorf("stress run collected %d times, freed %d bytes", st.Collections, st.FreedBytes)
		}
		if st.BadRefs != 0 {
			t.Errorf("collector met %d bad references", st.BadRefs)
		}
	}
}

func TestGCInstructions(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, listWAT)
	if got := int32(mustCall(t, inst, "packed")); got != -56 {
		t.Errorf("packed = %d", got)
	}
	wantTrap(t, inst, "oob", "out of bounds array access")
	wantTrap(t, inst, "null", "null structure reference")
	wantTrap(t, inst, "cast", "cast failure", runtime.I31(3))
	if got := int32(mustCall(t, inst, "i31", runtime.I32(-5))); got != -5 {
		t.Errorf("i31 = %d", got)
	}
	// A long list built within one heap limit proves garbage is reclaimed.
	if got := mustCall(t, inst, "build", runtime.I32(20000)); got != 20000*20001/2 {
		t.Errorf("build = %d", got)
	}
}

func TestStackMaps(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (type $t (struct (field i32)))
	  (func (export "f") (param i32 anyref) (result i32) (local f64 (ref null $t))
	    (local.set 3 (struct.new $t (local.get 0)))
	    (local.get 1)
	    (drop)
	    (i32.const 0)))`)
	f := inst.ExportedFunc("f")
	if _, err := f.Call([]runtime.Value{runtime.I32(1), runtime.Null(-0x12)}); err != nil {
		t.Fatal(err)
	}
	cd := f.Code.(*code)
	// At struct.new: params 0 (i32), 1 (anyref), locals 2 (f64), 3 (ref);
	// the operand (i32) sits in slot 4.
	var at uint32
	for off, m := range cd.stackMaps {
		at = off
		if len(m) != 2 || m[0] != 1 || m[1] != 3 {
			t.Errorf("stack map at 0x%x = %v, want [1 3]", off, m)
		}
	}
	if len(cd.stackMaps) != 1 {
		t.Errorf("%d safepoints, want 1", len(cd.stackMaps))
	}
	// Any other offset is answered too (the debugger's question).
	eng := s.Engine()
	last := cd.offsets[len(cd.offsets)-1]
	if m := eng.AppendStackMap(nil, f, last); len(m) != 2 {
		t.Errorf("stack map at end = %v", m)
	}
	if m := eng.AppendStackMap(nil, f, at); len(m) != 2 {
		t.Errorf("cached stack map = %v", m)
	}
}

// The collector's roots come with places the runtime can name.
func TestRootPlaces(t *testing.T) {
	s := newStore(t, runtime.Config{})
	inst := instantiate(t, s, `(module
	  (type $t (struct (field i32)))
	  (global $keep (export "keep") (mut (ref null $t)) (ref.null $t))
	  (func (export "f") (param i32)
	    (global.set $keep (struct.new $t (local.get 0)))))`)
	mustCall0(t, inst, "f", runtime.I32(3))
	var names []string
	s.Heap.GC.Roots(func(r gc.Ref, at gc.RootPlace) {
		if r != 0 && r&1 == 0 && s.Heap.Kind(r) == runtime.ObjStruct {
			names = append(names, s.DescribeRoot(at))
		}
	})
	if len(names) != 1 || !strings.HasPrefix(names[0], "global 0 ($keep) of instance") {
		t.Errorf("struct roots: %q", names)
	}
}
