package wasi_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasi"
)

// fsImports and fsBody export one function per file call; a path is
// written by the test at 0x1000, file data at 0x2000, reads land at
// 0x3000, directory entries at 0x4000. Results: the new fd at 0x20, the
// byte count at 0x38, the offset at 0x40, readdir's bufused at 0x48, a
// prestat at 0x50, the dir name at 0x60, a filestat at 0x100, an fdstat
// at 0x180.
const fsImports = `
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $unlink (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink" (func $readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_set_times" (func $set_times (param i32 i32 i32 i32 i64 i64 i32) (result i32)))`

const fsBody = `
  (func (export "open") (param $dir i32) (param $len i32) (param $oflags i32) (param $rights i64) (param $fdflags i32) (result i32)
    (call $path_open (local.get $dir) (i32.const 1) (i32.const 0x1000) (local.get $len) (local.get $oflags)
      (local.get $rights) (i64.const 0) (local.get $fdflags) (i32.const 0x20)))
  (func (export "write") (param $fd i32) (param $len i32) (result i32)
    (i32.store (i32.const 0x30) (i32.const 0x2000))
    (i32.store (i32.const 0x34) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0x30) (i32.const 1) (i32.const 0x38)))
  (func (export "read") (param $fd i32) (result i32)
    (i32.store (i32.const 0x30) (i32.const 0x3000))
    (i32.store (i32.const 0x34) (i32.const 0x100))
    (call $fd_read (local.get $fd) (i32.const 0x30) (i32.const 1) (i32.const 0x38)))
  (func (export "seek") (param $fd i32) (param $off i64) (param $whence i32) (result i32)
    (call $fd_seek (local.get $fd) (local.get $off) (local.get $whence) (i32.const 0x40)))
  (func (export "tell") (param $fd i32) (result i32) (call $fd_tell (local.get $fd) (i32.const 0x40)))
  (func (export "close") (param $fd i32) (result i32) (call $fd_close (local.get $fd)))
  (func (export "prestat") (param $fd i32) (result i32) (call $fd_prestat_get (local.get $fd) (i32.const 0x50)))
  (func (export "prestat_name") (param $fd i32) (param $len i32) (result i32)
    (call $fd_prestat_dir_name (local.get $fd) (i32.const 0x60) (local.get $len)))
  (func (export "filestat") (param $fd i32) (result i32) (call $fd_filestat_get (local.get $fd) (i32.const 0x100)))
  (func (export "fdstat") (param $fd i32) (result i32) (call $fd_fdstat_get (local.get $fd) (i32.const 0x180)))
  (func (export "readdir") (param $fd i32) (param $len i32) (param $cookie i64) (result i32)
    (call $fd_readdir (local.get $fd) (i32.const 0x4000) (local.get $len) (local.get $cookie) (i32.const 0x48)))
  (func (export "mkdir") (param $len i32) (result i32) (call $mkdir (i32.const 3) (i32.const 0x1000) (local.get $len)))
  (func (export "unlink") (param $len i32) (result i32) (call $unlink (i32.const 3) (i32.const 0x1000) (local.get $len)))
  ;; rename: the old path at 0x1000, the new one at 0x1800.
  (func (export "rename") (param $old i32) (param $new i32) (result i32)
    (call $rename (i32.const 3) (i32.const 0x1000) (local.get $old) (i32.const 3) (i32.const 0x1800) (local.get $new)))
  (func (export "set_size") (param $fd i32) (param $size i64) (result i32) (call $set_size (local.get $fd) (local.get $size)))
  (func (export "renumber") (param $from i32) (param $to i32) (result i32) (call $renumber (local.get $from) (local.get $to)))
  ;; symlink: the target at 0x1800, the link's path at 0x1000;
  ;; readlink: into 0x3000, bufused at 0x38.
  (func (export "symlink") (param $target i32) (param $len i32) (result i32)
    (call $symlink (i32.const 0x1800) (local.get $target) (i32.const 3) (i32.const 0x1000) (local.get $len)))
  (func (export "readlink") (param $len i32) (param $buf i32) (result i32)
    (call $readlink (i32.const 3) (i32.const 0x1000) (local.get $len) (i32.const 0x3000) (local.get $buf) (i32.const 0x38)))
  (func (export "set_times") (param $len i32) (param $atim i64) (param $mtim i64) (param $flags i32) (result i32)
    (call $set_times (i32.const 3) (i32.const 0) (i32.const 0x1000) (local.get $len) (local.get $atim) (local.get $mtim) (local.get $flags)))
  (func (export "path_filestat") (param $len i32) (result i32)
    (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 0x1000) (local.get $len) (i32.const 0x100)))`

// oflags and rights for "open".
const (
	creat, directory, excl, trunc = 1, 2, 4, 8
	rRead, rWrite                 = 1 << 1, 1 << 6
	fdAppend                      = 1
)

// fsProgram is a program with the file exports and a sandbox directory
// (preopened as /sandbox, fd 3) inside a temporary directory that also
// holds secret.txt.
type fsProgram struct {
	*program
	t             *testing.T
	outer, inside string
}

func loadFS(t *testing.T) *fsProgram {
	outer := t.TempDir()
	inside := filepath.Join(outer, "sandbox")
	if err := os.Mkdir(inside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outer, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := load(t, fsImports, fsBody, wasi.Config{Preopens: []wasi.Preopen{{Host: inside, Guest: "/sandbox"}}})
	return &fsProgram{program: p, t: t, outer: outer, inside: inside}
}

// path puts name at 0x1000 and returns its length as an argument.
func (p *fsProgram) path(name string) runtime.Value {
	copy(p.mem()[0x1000:], name)
	return runtime.I32(int32(len(name)))
}

// open opens name in the sandbox and returns the errno and the new fd.
func (p *fsProgram) open(name string, oflags int32, rights int64, fdflags int32) (int32, int32) {
	p.t.Helper()
	e := p.call(p.t, "open", runtime.I32(3), p.path(name), runtime.I32(oflags), runtime.I64(rights), runtime.I32(fdflags))
	return e, int32(p.u32(0x20))
}

// write writes data to fd and returns the errno.
func (p *fsProgram) write(fd int32, data string) int32 {
	p.t.Helper()
	copy(p.mem()[0x2000:], data)
	return p.call(p.t, "write", runtime.I32(fd), runtime.I32(int32(len(data))))
}

// read reads up to 256 bytes from fd.
func (p *fsProgram) read(fd int32) (int32, string) {
	p.t.Helper()
	e := p.call(p.t, "read", runtime.I32(fd))
	return e, string(p.mem()[0x3000 : 0x3000+p.u32(0x38)])
}

func (p *fsProgram) u64(addr int) uint64 { return binary.LittleEndian.Uint64(p.mem()[addr:]) }

func TestPreopens(t *testing.T) {
	p := loadFS(t)
	i32 := runtime.I32
	wantErrno(t, "prestat of fd 3", p.call(t, "prestat", i32(3)), wasi.ErrnoSuccess)
	if p.mem()[0x50] != 0 || p.u32(0x54) != uint32(len("/sandbox")) {
		t.Errorf("prestat: tag %d, name length %d", p.mem()[0x50], p.u32(0x54))
	}
	wantErrno(t, "prestat_dir_name", p.call(t, "prestat_name", i32(3), i32(8)), wasi.ErrnoSuccess)
	if got := string(p.mem()[0x60:0x68]); got != "/sandbox" {
		t.Errorf("preopen name %q", got)
	}
	wantErrno(t, "prestat_dir_name, short buffer", p.call(t, "prestat_name", i32(3), i32(3)), wasi.ErrnoNametoolong)
	wantErrno(t, "prestat of fd 4 (the end of the preopens)", p.call(t, "prestat", i32(4)), wasi.ErrnoBadf)
	wantErrno(t, "prestat of stdout", p.call(t, "prestat", i32(1)), wasi.ErrnoBadf)
	wantErrno(t, "fdstat of fd 3", p.call(t, "fdstat", i32(3)), wasi.ErrnoSuccess)
	if p.mem()[0x180] != 3 {
		t.Errorf("fd 3 filetype %d, want 3 (directory)", p.mem()[0x180])
	}
	wantErrno(t, "fdstat of stdout", p.call(t, "fdstat", i32(1)), wasi.ErrnoSuccess)
	if p.mem()[0x180] != 2 {
		t.Errorf("fd 1 filetype %d, want 2 (character device)", p.mem()[0x180])
	}
}

func TestWriteAndReadBackAFile(t *testing.T) {
	p := loadFS(t)
	i32, i64 := runtime.I32, runtime.I64
	e, fd := p.open("out.txt", creat|trunc, rRead|rWrite, 0)
	wantErrno(t, "create out.txt", e, wasi.ErrnoSuccess)
	if fd != 4 {
		t.Errorf("new fd %d, want 4", fd)
	}
	wantErrno(t, "write", p.write(fd, "hello, file"), wasi.ErrnoSuccess)
	if p.u32(0x38) != 11 {
		t.Errorf("wrote %d bytes, want 11", p.u32(0x38))
	}
	wantErrno(t, "tell", p.call(t, "tell", i32(fd)), wasi.ErrnoSuccess)
	if p.u64(0x40) != 11 {
		t.Errorf("tell %d, want 11", p.u64(0x40))
	}
	wantErrno(t, "seek to 7", p.call(t, "seek", i32(fd), i64(7), i32(0)), wasi.ErrnoSuccess)
	if e, got := p.read(fd); e != 0 || got != "file" {
		t.Errorf("read after seek to 7: errno %d, %q", e, got)
	}
	wantErrno(t, "seek -4 from the end", p.call(t, "seek", i32(fd), i64(-4), i32(2)), wasi.ErrnoSuccess)
	if p.u64(0x40) != 7 {
		t.Errorf("seek(-4, end) at %d, want 7", p.u64(0x40))
	}
	wantErrno(t, "seek before the start", p.call(t, "seek", i32(fd), i64(-1), i32(0)), wasi.ErrnoInval)
	wantErrno(t, "seek with whence 3", p.call(t, "seek", i32(fd), i64(0), i32(3)), wasi.ErrnoInval)
	wantErrno(t, "seek on stdout", p.call(t, "seek", i32(1), i64(0), i32(0)), wasi.ErrnoSpipe)
	wantErrno(t, "filestat", p.call(t, "filestat", i32(fd)), wasi.ErrnoSuccess)
	if p.mem()[0x110] != 4 || p.u64(0x120) != 11 {
		t.Errorf("filestat: type %d size %d, want 4 and 11", p.mem()[0x110], p.u64(0x120))
	}
	wantErrno(t, "close", p.call(t, "close", i32(fd)), wasi.ErrnoSuccess)
	wantErrno(t, "close again", p.call(t, "close", i32(fd)), wasi.ErrnoBadf)
	if e, _ := p.read(fd); e != int32(wasi.ErrnoBadf) {
		t.Errorf("read after close: errno %d", e)
	}
	if got, err := os.ReadFile(filepath.Join(p.inside, "out.txt")); err != nil || string(got) != "hello, file" {
		t.Errorf("host sees %q, %v", got, err)
	}

	// Read only: the whole file, then end of file; writing fails.
	e, fd = p.open("out.txt", 0, rRead, 0)
	wantErrno(t, "open for reading", e, wasi.ErrnoSuccess)
	if e, got := p.read(fd); e != 0 || got != "hello, file" {
		t.Errorf("read: errno %d, %q", e, got)
	}
	if e, got := p.read(fd); e != 0 || got != "" {
		t.Errorf("read at end of file: errno %d, %q", e, got)
	}
	wantErrno(t, "write to a read-only file", p.write(fd, "x"), wasi.ErrnoBadf)

	// Append, truncate, exclusive create, missing file.
	e, fd = p.open("out.txt", 0, rWrite, fdAppend)
	wantErrno(t, "open for appending", e, wasi.ErrnoSuccess)
	wantErrno(t, "append", p.write(fd, "!"), wasi.ErrnoSuccess)
	if got, _ := os.ReadFile(filepath.Join(p.inside, "out.txt")); string(got) != "hello, file!" {
		t.Errorf("after append: %q", got)
	}
	if e, _ := p.open("out.txt", creat|excl, rWrite, 0); e != int32(wasi.ErrnoExist) {
		t.Errorf("exclusive create of an existing file: errno %d", e)
	}
	if e, _ := p.open("missing.txt", 0, rRead, 0); e != int32(wasi.ErrnoNoent) {
		t.Errorf("open of a missing file: errno %d", e)
	}
	if e, fd = p.open("out.txt", trunc, rWrite, 0); e != 0 {
		t.Errorf("truncate: errno %d", e)
	}
	wantErrno(t, "write after truncation", p.write(fd, "new"), wasi.ErrnoSuccess)
	if got, _ := os.ReadFile(filepath.Join(p.inside, "out.txt")); string(got) != "new" {
		t.Errorf("after truncation and a write: %q", got)
	}
	wantErrno(t, "set_size 2", p.call(t, "set_size", i32(fd), i64(2)), wasi.ErrnoSuccess)
	if got, _ := os.ReadFile(filepath.Join(p.inside, "out.txt")); string(got) != "ne" {
		t.Errorf("after set_size 2: %q", got)
	}
	wantErrno(t, "set_size of stdout", p.call(t, "set_size", i32(1), i64(2)), wasi.ErrnoBadf)
	copy(p.mem()[0x1800:], "moved.txt")
	wantErrno(t, "rename", p.call(t, "rename", p.path("out.txt"), i32(9)), wasi.ErrnoSuccess)
	if got, _ := os.ReadFile(filepath.Join(p.inside, "moved.txt")); string(got) != "ne" {
		t.Errorf("after rename: %q", got)
	}
	copy(p.mem()[0x1800:], "../stolen")
	wantErrno(t, "rename out of the sandbox", p.call(t, "rename", p.path("moved.txt"), i32(9)), wasi.ErrnoNotcapable)
	wantErrno(t, "unlink", p.call(t, "unlink", p.path("moved.txt")), wasi.ErrnoSuccess)
	if _, err := os.Stat(filepath.Join(p.inside, "moved.txt")); !os.IsNotExist(err) {
		t.Errorf("moved.txt survived unlink: %v", err)
	}
}

func TestEscapesAreRefused(t *testing.T) {
	p := loadFS(t)
	if err := os.Symlink(p.outer, filepath.Join(p.inside, "link")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../secret.txt", "a/../../secret.txt", "./../secret.txt", "/etc/passwd", "link/secret.txt", ".."} {
		if e, _ := p.open(name, 0, rRead, 0); e != int32(wasi.ErrnoNotcapable) {
			t.Errorf("open %q: errno %d, want ENOTCAPABLE (76)", name, e)
		}
	}
	if e, _ := p.open("../new.txt", creat, rWrite, 0); e != int32(wasi.ErrnoNotcapable) {
		t.Errorf("create ../new.txt: errno %d", e)
	}
	if _, err := os.Stat(filepath.Join(p.outer, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("a file was created outside the sandbox: %v", err)
	}
	wantErrno(t, "mkdir ../d", p.call(t, "mkdir", p.path("../d")), wasi.ErrnoNotcapable)
	wantErrno(t, "unlink ../secret.txt", p.call(t, "unlink", p.path("../secret.txt")), wasi.ErrnoNotcapable)
	wantErrno(t, "stat link/secret.txt", p.call(t, "path_filestat", p.path("link/secret.txt")), wasi.ErrnoNotcapable)
	if _, err := os.Stat(filepath.Join(p.outer, "secret.txt")); err != nil {
		t.Errorf("secret.txt: %v", err)
	}
	// Relative to something that is not an open directory.
	i32 := runtime.I32
	if e := p.call(t, "open", i32(1), p.path("x"), i32(creat), runtime.I64(rWrite), i32(0)); e != int32(wasi.ErrnoNotdir) {
		t.Errorf("open relative to stdout: errno %d", e)
	}
	if e := p.call(t, "open", i32(42), p.path("x"), i32(creat), runtime.I64(rWrite), i32(0)); e != int32(wasi.ErrnoBadf) {
		t.Errorf("open relative to fd 42: errno %d", e)
	}
	// A path running off the end of memory.
	if e := p.call(t, "open", i32(3), i32(0x10000), i32(creat), runtime.I64(rWrite), i32(0)); e != int32(wasi.ErrnoFault) {
		t.Errorf("path past the end of memory: errno %d", e)
	}
}

func TestDirectories(t *testing.T) {
	p := loadFS(t)
	i32, i64 := runtime.I32, runtime.I64
	wantErrno(t, "mkdir sub", p.call(t, "mkdir", p.path("sub")), wasi.ErrnoSuccess)
	wantErrno(t, "mkdir sub again", p.call(t, "mkdir", p.path("sub")), wasi.ErrnoExist)
	for _, name := range []string{"b.txt", "a.txt", "sub/inner.txt"} {
		e, fd := p.open(name, creat, rWrite, 0)
		wantErrno(t, "create "+name, e, wasi.ErrnoSuccess)
		p.call(t, "close", i32(fd))
	}
	wantErrno(t, "stat sub/inner.txt", p.call(t, "path_filestat", p.path("sub/inner.txt")), wasi.ErrnoSuccess)
	if p.mem()[0x110] != 4 {
		t.Errorf("sub/inner.txt filetype %d", p.mem()[0x110])
	}
	wantErrno(t, "readdir", p.call(t, "readdir", i32(3), i32(4096), i64(0)), wasi.ErrnoSuccess)
	names, types := dirents(p.mem()[0x4000 : 0x4000+p.u32(0x48)])
	if want := []string{".", "..", "a.txt", "b.txt", "sub"}; !slices.Equal(names, want) {
		t.Errorf("readdir: %q, want %q", names, want)
	}
	if want := []byte{3, 3, 4, 4, 3}; !bytes.Equal(types, want) {
		t.Errorf("readdir types %v, want %v", types, want)
	}
	// A small buffer is filled to the brim; a cookie resumes.
	wantErrno(t, "readdir into 30 bytes", p.call(t, "readdir", i32(3), i32(30), i64(0)), wasi.ErrnoSuccess)
	if p.u32(0x48) != 30 {
		t.Errorf("bufused %d, want 30 (full: more to come)", p.u32(0x48))
	}
	wantErrno(t, "readdir from cookie 3", p.call(t, "readdir", i32(3), i32(4096), i64(3)), wasi.ErrnoSuccess)
	if names, _ := dirents(p.mem()[0x4000 : 0x4000+p.u32(0x48)]); !slices.Equal(names, []string{"b.txt", "sub"}) {
		t.Errorf("readdir from cookie 3: %q", names)
	}
	// Listing again from cookie 0 sees a new file.
	if e, fd := p.open("c.txt", creat, rWrite, 0); e == 0 {
		p.call(t, "close", i32(fd))
	}
	wantErrno(t, "readdir again", p.call(t, "readdir", i32(3), i32(4096), i64(0)), wasi.ErrnoSuccess)
	if names, _ := dirents(p.mem()[0x4000 : 0x4000+p.u32(0x48)]); !slices.Contains(names, "c.txt") {
		t.Errorf("readdir after creating c.txt: %q", names)
	}
	wantErrno(t, "rewind the directory", p.call(t, "seek", i32(3), i64(0), i32(0)), wasi.ErrnoSuccess)
	wantErrno(t, "seek in the directory", p.call(t, "seek", i32(3), i64(1), i32(0)), wasi.ErrnoIsdir)
	// A subdirectory opened as a directory fd, and paths relative to it.
	e, dfd := p.open("sub", directory, rRead, 0)
	wantErrno(t, "open sub", e, wasi.ErrnoSuccess)
	if e := p.call(t, "open", i32(dfd), p.path("inner.txt"), i32(0), i64(rRead), i32(0)); e != 0 {
		t.Errorf("open inner.txt relative to sub: errno %d", e)
	}
	if e := p.call(t, "open", i32(dfd), p.path("../a.txt"), i32(0), i64(rRead), i32(0)); e != int32(wasi.ErrnoNotcapable) {
		t.Errorf("open ../a.txt relative to sub: errno %d, want ENOTCAPABLE", e)
	}
	if e, _ := p.open("a.txt", directory, rRead, 0); e != int32(wasi.ErrnoNotdir) {
		t.Errorf("open a.txt as a directory: errno %d", e)
	}
	if e, _ := p.open("sub", 0, rWrite, 0); e != int32(wasi.ErrnoIsdir) {
		t.Errorf("open sub for writing: errno %d", e)
	}
}

// dirents decodes fd_readdir's output.
func dirents(b []byte) (names []string, types []byte) {
	for len(b) >= 24 {
		n := binary.LittleEndian.Uint32(b[16:])
		if uint32(len(b)) < 24+n {
			break
		}
		names = append(names, string(b[24:24+n]))
		types = append(types, b[20])
		b = b[24+n:]
	}
	return names, types
}

func TestLinksTimesAndRenumber(t *testing.T) {
	p := loadFS(t)
	i32, i64 := runtime.I32, runtime.I64
	if err := os.WriteFile(filepath.Join(p.inside, "f.txt"), []byte("f"), 0o644); err != nil {
		t.Fatal(err)
	}
	copy(p.mem()[0x1800:], "f.txt")
	wantErrno(t, "symlink", p.call(t, "symlink", i32(5), p.path("l")), wasi.ErrnoSuccess)
	wantErrno(t, "readlink", p.call(t, "readlink", p.path("l"), i32(64)), wasi.ErrnoSuccess)
	if got := string(p.mem()[0x3000 : 0x3000+p.u32(0x38)]); got != "f.txt" {
		t.Errorf("readlink: %q", got)
	}
	wantErrno(t, "readlink into 2 bytes", p.call(t, "readlink", p.path("l"), i32(2)), wasi.ErrnoSuccess)
	if p.u32(0x38) != 2 {
		t.Errorf("readlink into 2 bytes used %d", p.u32(0x38))
	}
	wantErrno(t, "readlink of a file", p.call(t, "readlink", p.path("f.txt"), i32(64)), wasi.ErrnoInval)
	// A link pointing out of the sandbox can be made but not followed.
	copy(p.mem()[0x1800:], "../secret.txt")
	wantErrno(t, "symlink out", p.call(t, "symlink", i32(13), p.path("out")), wasi.ErrnoSuccess)
	if e, _ := p.open("out", 0, rRead, 0); e != int32(wasi.ErrnoNotcapable) {
		t.Errorf("open through a link out of the sandbox: errno %d", e)
	}

	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	wantErrno(t, "set mtime", p.call(t, "set_times", p.path("f.txt"), i64(0), i64(when.UnixNano()), i32(4)), wasi.ErrnoSuccess)
	if info, err := os.Stat(filepath.Join(p.inside, "f.txt")); err != nil || !info.ModTime().Equal(when) {
		t.Errorf("mtime after set_times: %v, %v", info.ModTime(), err)
	}
	wantErrno(t, "set mtime and mtime now", p.call(t, "set_times", p.path("f.txt"), i64(0), i64(0), i32(12)), wasi.ErrnoInval)

	e, fd := p.open("f.txt", 0, rRead, 0)
	wantErrno(t, "open f.txt", e, wasi.ErrnoSuccess)
	e, fd2 := p.open("f.txt", 0, rRead, 0)
	wantErrno(t, "open f.txt again", e, wasi.ErrnoSuccess)
	wantErrno(t, "renumber", p.call(t, "renumber", i32(fd2), i32(fd)), wasi.ErrnoSuccess)
	if e, got := p.read(fd); e != 0 || got != "f" {
		t.Errorf("read from the renumbered fd: errno %d, %q", e, got)
	}
	wantErrno(t, "the old number is closed", p.call(t, "close", i32(fd2)), wasi.ErrnoBadf)
	wantErrno(t, "renumber to a closed fd", p.call(t, "renumber", i32(fd), i32(fd2)), wasi.ErrnoBadf)
}
