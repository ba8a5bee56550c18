package loader

import (
	"errors"
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestMemory64BoundsCannotWrap: address + offset + size is checked in 64
// bits with overflow, for offsets up to 2^64-1 and addresses near 2^64;
// accesses that end exactly at the memory's end still work.
func TestMemory64BoundsCannotWrap(t *testing.T) {
	s := nativeStore(t)
	inst, err := s.Instantiate(parse(t, `(module
		(memory i64 1 1 shared)
		(func (export "at") (param i64) (result i32) (i32.load (local.get 0)))
		(func (export "maxoff") (param i64) (result i32) (i32.load offset=18446744073709551615 (local.get 0)))
		(func (export "maxoff4") (param i64) (result i32) (i32.load8_u offset=18446744073709551612 (local.get 0)))
		(func (export "off16") (param i64) (result i32) (i32.load offset=16 (local.get 0)))
		(func (export "atomic") (param i64) (result i64) (i64.atomic.rmw.add offset=8 (local.get 0) (i64.const 1)))
		(func (export "put") (param i64 i32) (i32.store (local.get 0) (local.get 1))))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	const page = 65536
	if _, err := call(t, inst, "put", runtime.I64(page-4), runtime.I32(7)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		fn   string
		addr uint64
		want string // trap message, or "" for success
	}{
		{"at", page - 4, ""},
		{"at", page - 3, "out of bounds memory access"},
		{"at", 1<<64 - 1, "out of bounds memory access"},
		{"at", 1<<64 - 4, "out of bounds memory access"},
		{"maxoff", 0, "out of bounds memory access"},
		{"maxoff", 5, "out of bounds memory access"},
		{"maxoff4", 4, "out of bounds memory access"}, // wraps to 0 without the check
		{"maxoff4", 0, "out of bounds memory access"},
		{"off16", 1<<64 - 16, "out of bounds memory access"}, // wraps to 0 without the check
		{"off16", page - 20, ""},
		{"atomic", page - 16, ""},
		{"atomic", page - 20, "unaligned atomic"},
		{"atomic", page - 12, "out of bounds memory access"}, // bounds are checked before alignment
		{"atomic", page - 8, "out of bounds memory access"},
		{"atomic", 1<<64 - 8, "out of bounds memory access"},
	}
	for _, c := range cases {
		_, err := call(t, inst, c.fn, runtime.I64(int64(c.addr)))
		var tr *runtime.Trap
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s(%#x): %v", c.fn, c.addr, err)
		case c.want != "" && (!errors.As(err, &tr) || tr.Msg != c.want):
			t.Errorf("%s(%#x): %v, want trap %q", c.fn, c.addr, err, c.want)
		}
	}
	if got := callI32(t, inst, "off16", runtime.I64(page-20)); got != 7 {
		t.Errorf("off16(page-20) = %d, want 7", got)
	}
}
