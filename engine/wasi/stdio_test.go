package wasi_test

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasi"
)

func TestHello(t *testing.T) {
	p := load(t, "", `
  (data (i32.const 16) "hello\n")
  (data (i32.const 32) "oops\n")
  (func (export "_start")
    (call $print (i32.const 16) (i32.const 6))
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 5))
    (call $check (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8))))`, wasi.Config{})
	p.call(t, "_start")
	if got := p.stdout.String(); got != "hello\n" {
		t.Errorf("stdout %q, want %q", got, "hello\n")
	}
	if got := p.stderr.String(); got != "oops\n" {
		t.Errorf("stderr %q", got)
	}
	if n := p.u32(8); n != 5 {
		t.Errorf("nwritten %d, want 5", n)
	}
}

// echo copies stdin to stdout through two adjacent 7-byte iovecs and
// returns the number of reads. A read stops at its first short buffer, so
// it does not wait for more input once it has some.
const echo = `
  (func (export "_start") (result i32) (local $n i32) (local $reads i32)
    (loop $more
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const 7))
      (i32.store (i32.const 8) (i32.const 71))
      (i32.store (i32.const 12) (i32.const 7))
      (call $check (call $fd_read (i32.const 0) (i32.const 0) (i32.const 2) (i32.const 24)))
      (local.set $reads (i32.add (local.get $reads) (i32.const 1)))
      (local.set $n (i32.load (i32.const 24)))
      (if (local.get $n)
        (then (call $print (i32.const 64) (local.get $n)) (br $more))))
    (local.get $reads))`

func TestEchoStdin(t *testing.T) {
	in := strings.Repeat("the quick brown fox\n", 10)
	p := load(t, "", echo, wasi.Config{Stdin: iotest.OneByteReader(strings.NewReader(in))})
	reads := p.call(t, "_start")
	if p.stdout.String() != in {
		t.Errorf("stdout %q, want %q", p.stdout, in)
	}
	if reads != int32(len(in))+1 {
		t.Errorf("%d reads, want %d (one byte each, then end of file)", reads, len(in)+1)
	}
	// Whole reads fill both buffers.
	p = load(t, "", echo, wasi.Config{Stdin: strings.NewReader(in)})
	if reads := p.call(t, "_start"); p.stdout.String() != in || reads != int32(len(in)+13)/14+1 {
		t.Errorf("stdout %q after %d reads", p.stdout, reads)
	}
	// No stdin: end of file at once.
	p = load(t, "", echo, wasi.Config{})
	if reads := p.call(t, "_start"); reads != 1 || p.stdout.Len() != 0 {
		t.Errorf("empty stdin: %d reads, stdout %q", reads, p.stdout)
	}
}

func TestArgsAndEnviron(t *testing.T) {
	p := load(t, `
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))`, `
  ;; argc at 0, argv buffer size at 4, argv at 0x100, the strings at 0x200;
  ;; environ count at 8, size at 12, environ at 0x400, strings at 0x500.
  (func (export "_start")
    (call $check (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (call $check (call $args_get (i32.const 0x100) (i32.const 0x200)))
    (call $print (i32.const 0x200) (i32.load (i32.const 4)))
    (call $check (call $environ_sizes_get (i32.const 8) (i32.const 12)))
    (call $check (call $environ_get (i32.const 0x400) (i32.const 0x500)))
    (call $print (i32.const 0x500) (i32.load (i32.const 12))))
  (func (export "bad") (result i32)
    (call $args_get (i32.const 0xFFFE) (i32.const 0x200)))`,
		wasi.Config{Args: []string{"prog.wasm", "one", "two words"}, Env: []string{"HOME=/home/x", "EMPTY="}})
	p.call(t, "_start")
	want := "prog.wasm\x00one\x00two words\x00HOME=/home/x\x00EMPTY=\x00"
	if p.stdout.String() != want {
		t.Errorf("stdout %q, want %q", p.stdout, want)
	}
	if p.u32(0) != 3 || p.u32(4) != 24 || p.u32(8) != 2 || p.u32(12) != 20 {
		t.Errorf("sizes: argc %d size %d, envc %d size %d", p.u32(0), p.u32(4), p.u32(8), p.u32(12))
	}
	for i, s := range []string{"prog.wasm", "one", "two words"} {
		if got := p.cstring(int(p.u32(0x100 + 4*i))); got != s {
			t.Errorf("argv[%d] = %q, want %q", i, got, s)
		}
	}
	if got := p.cstring(int(p.u32(0x404))); got != "EMPTY=" {
		t.Errorf("environ[1] = %q", got)
	}
	wantErrno(t, "args_get with argv past the end of memory", p.call(t, "bad"), wasi.ErrnoFault)
}

func TestProcExit(t *testing.T) {
	p := load(t, "", `
  (func (export "_start")
    (call $print (i32.const 0) (i32.const 0))
    (call $proc_exit (i32.const 3))
    unreachable)`, wasi.Config{})
	_, err := p.inst.ExportedFunc("_start").Call(nil)
	code, ok := wasi.ExitCode(err)
	if !ok || code != 3 {
		t.Fatalf("proc_exit(3): %v (code %d, %v)", err, code, ok)
	}
	var trap *runtime.Trap
	if !errors.As(err, &trap) {
		t.Errorf("proc_exit does not unwind as a trap: %T", err)
	}
	if _, ok := wasi.ExitCode(errors.New("other")); ok {
		t.Error("ExitCode accepts any error")
	}
}

func TestBadPointersAndStubs(t *testing.T) {
	p := load(t, `
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate" (func $allocate (param i32 i64 i64) (result i32)))`, `
  (func (export "accept") (result i32) (call $accept (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "allocate") (result i32) (call $allocate (i32.const 1) (i64.const 0) (i64.const 1)))
  (func (export "write") (param $iovs i32) (param $n i32) (param $out i32) (result i32)
    (call $fd_write (i32.const 1) (local.get $iovs) (local.get $n) (local.get $out)))
  (func (export "write_fd") (param $fd i32) (result i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 1))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "bad_iov") (result i32)
    (i32.store (i32.const 0) (i32.const 0xFFF0))
    (i32.store (i32.const 4) (i32.const 0x20))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))`, wasi.Config{})
	wantErrno(t, "unimplemented sock_accept", p.call(t, "accept"), wasi.ErrnoNosys)
	wantErrno(t, "unimplemented fd_allocate", p.call(t, "allocate"), wasi.ErrnoNosys)
	i32 := runtime.I32
	wantErrno(t, "iovec array out of bounds", p.call(t, "write", i32(0xFFFC), i32(1), i32(8)), wasi.ErrnoFault)
	wantErrno(t, "iovec array wrapping around", p.call(t, "write", i32(-8), i32(2), i32(8)), wasi.ErrnoFault)
	wantErrno(t, "nwritten out of bounds", p.call(t, "write", i32(0), i32(0), i32(0x10000)), wasi.ErrnoFault)
	wantErrno(t, "buffer out of bounds", p.call(t, "bad_iov"), wasi.ErrnoFault)
	wantErrno(t, "write to fd 9", p.call(t, "write_fd", i32(9)), wasi.ErrnoBadf)
	wantErrno(t, "write to stdin", p.call(t, "write_fd", i32(0)), wasi.ErrnoBadf)
	wantErrno(t, "write to a negative fd", p.call(t, "write_fd", i32(-1)), wasi.ErrnoBadf)
	if p.stdout.Len() != 0 {
		t.Errorf("failed writes wrote %q", p.stdout)
	}
}
