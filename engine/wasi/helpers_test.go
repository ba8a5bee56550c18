package wasi_test

import (
	"bytes"
	"encoding/binary"

	"testing"

	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasi"
)

// prelude declares the WASI imports the test programs use, a memory and
// $check, which ends the program with proc_exit(100+errno) on an error.
const prelude = `
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
`

// defs follows the imports in every test program.
const defs = `
  (memory (export "memory") 1)
  (func $check (param i32)
    (if (local.get 0) (then (call $proc_exit (i32.add (i32.const 100) (local.get 0))))))
  ;; $print writes len bytes at ptr to fd 1, using the iovec at 0xF000.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0xF000) (local.get $ptr))
    (i32.store (i32.const 0xF004) (local.get $len))
    (call $check (call $fd_write (i32.const 1) (i32.const 0xF000) (i32.const 1) (i32.const 0xF008))))
`

// program is an instantiated test program and what it wrote.
type program struct {
	inst           *runtime.Instance
	w              *wasi.WASI
	stdout, stderr *bytes.Buffer
}

// load parses (module prelude imports defs body), validates and
// instantiates it with the WASI module configured by cfg (its streams
// replaced by buffers).
func load(t *testing.T, imports, body string, cfg wasi.Config) *program {
	t.Helper()
	m, err := text.ParseModule([]byte("(module " + prelude + imports + defs + body + ")"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	s, err := runtime.NewStore(runtime.Config{Engine: interp.New()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p := &program{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	cfg.Stdout, cfg.Stderr = p.stdout, p.stderr
	if p.w, err = wasi.New(s, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.w.Close() })
	if err := p.w.StubMissing(m); err != nil {
		t.Fatal(err)
	}
	s.Register(wasi.ModuleName, p.w.Instance)
	if p.inst, err = s.Instantiate(m, s); err != nil {
		t.Fatal(err)
	}
	return p
}

// call calls export name and returns its i32 result (if any), failing
// the test on a trap or proc_exit.
func (p *program) call(t *testing.T, name string, args ...runtime.Value) int32 {
	t.Helper()
	f := p.inst.ExportedFunc(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	res, err := f.Call(args)
	if err != nil {
		t.Fatalf("%s: %v (stdout %q, stderr %q)", name, err, p.stdout, p.stderr)
	}
	if len(res) == 0 {
		return 0
	}
	return int32(res[0].Bits)
}

// mem returns the program's memory.
func (p *program) mem() []byte { return p.inst.Export("memory").(*runtime.Memory).Data }

// u32 reads the program's memory at addr.
func (p *program) u32(addr int) uint32 { return binary.LittleEndian.Uint32(p.mem()[addr:]) }

// cstring reads a NUL-terminated string at addr.
func (p *program) cstring(addr int) string {
	b := p.mem()[addr:]
	return string(b[:bytes.IndexByte(b, 0)])
}

// wantErrno checks an errno result.
func wantErrno(t *testing.T, what string, got int32, want wasi.Errno) {
	t.Helper()
	if got != int32(want) {
		t.Errorf("%s: errno %d, want %d", what, got, want)
	}
}
