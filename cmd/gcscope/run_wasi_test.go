package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wasiProgram prints its arguments, the variable GREETING and the
// contents of /data/in.txt (NUL-separated), then exits with the number of
// arguments, or traps when given exactly two.
const wasiProgram = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x800) "in.txt")
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $args_get (i32.const 0x100) (i32.const 0x200)))
    (call $print (i32.const 0x200) (i32.load (i32.const 20)))
    (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_get (i32.const 0x400) (i32.const 0x500)))
    (call $print (i32.const 0x500) (i32.load (i32.const 20)))
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 0x800) (i32.const 6) (i32.const 0)
          (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 24)))
      (then
        (i32.store (i32.const 0) (i32.const 0x1000))
        (i32.store (i32.const 4) (i32.const 0x100))
        (drop (call $fd_read (i32.load (i32.const 24)) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $print (i32.const 0x1000) (i32.load (i32.const 8)))))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (if (i32.eq (i32.load (i32.const 16)) (i32.const 2)) (then unreachable))
    (call $proc_exit (i32.load (i32.const 16)))))`

func TestRunWasiProgram(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "prog.wat")
	data := filepath.Join(dir, "data")
	if err := os.WriteFile(prog, []byte(wasiProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "in.txt"), []byte("file text"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("run", "--dir", data+"::/data", "--env", "GREETING=hi", prog, "a", "b c")
	if want := prog + "\x00a\x00b c\x00GREETING=hi\x00file text"; code != 3 || out != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 3 (proc_exit(argc)), stdout %q", code, out, errOut, want)
	}
	// No preopen: no file text; proc_exit(1).
	if code, out, errOut := runCLI("run", prog); code != 1 || out != prog+"\x00" || errOut != "" {
		t.Errorf("no args: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A trap: exit 1 with a message.
	if code, _, errOut := runCLI("run", prog, "x"); code != 1 || !strings.Contains(errOut, "trap in _start: unreachable") {
		t.Errorf("trap: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI("run", "--dir", filepath.Join(dir, "missing"), prog); code != 1 || !strings.Contains(errOut, "missing") {
		t.Errorf("missing --dir: exit %d, stderr %q", code, errOut)
	}
}

func TestRunProcExitZeroAndInStart(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "exit.wat")
	src := `(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (func $s (call $exit (i32.const 7))) (start $s))`
	if err := os.WriteFile(prog, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI("run", prog); code != 7 || out != "" || errOut != "" {
		t.Errorf("proc_exit(7) in the start function: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
