// Package wasi implements enough of WASI preview 1 (the host module
// wasi_snapshot_preview1) for ordinary command-line programs: arguments
// and environment (args.go), clocks, random bytes, sched_yield and
// poll_oneoff on clocks (clock.go, poll.go), standard streams and files
// (fd.go, rw.go, filestat.go, readdir.go), paths in preopened directories
// (path.go, links.go), and proc_exit, which ends the call with an
// *ExitError (ExitCode finds it).
//
// Functions take pointers into the calling instance's memory (its export
// "memory", else its first memory); a pointer or length outside it makes
// the call return ERRNO_FAULT instead of trapping. Paths are resolved
// with os.Root, so neither ".." nor a symbolic link can leave a preopened
// directory (ERRNO_NOTCAPABLE). Functions the package does not implement
// (sockets, fd_allocate, path_link, the *_set_times of descriptors, ...)
// can be stubbed with StubMissing: they return ERRNO_NOSYS.
//
// Limits: every descriptor has every right (rights are not enforced; the
// host's open mode is); poll_oneoff reports descriptors ready at once;
// a blocking read of stdin or a sleep in poll_oneoff is not an
// ExecEnv.Blocking region, so a stop-the-world waits for it when other
// wasi-threads run; the CPU-time clocks are the time since start.
package wasi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

// ModuleName is the import module name of WASI preview 1.
const ModuleName = "wasi_snapshot_preview1"

// Preopen is a host directory made visible to the program under a guest
// name (the name wasi-libc matches paths against, e.g. "." or "/data").
type Preopen struct {
	Host, Guest string
}

// Config is what the program sees of the outside world.
type Config struct {
	// Args are the program's arguments, the program name first.
	Args []string
	// Env holds "NAME=VALUE" strings.
	Env []string
	// Stdin is read by fd_read on fd 0 (nil: empty).
	Stdin io.Reader
	// Stdout and Stderr receive fd 1 and fd 2 (nil: discarded).
	Stdout, Stderr io.Writer
	// Preopens are the directories given fds 3, 4, ... in order.
	Preopens []Preopen
}

// ExitError is the error proc_exit ends the run with (inside the
// *runtime.Trap that Func.Call returns; find it with errors.As).
type ExitError struct {
	Code uint32
}

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// WASI is one program's WASI state: its arguments, environment and file
// descriptor table.
type WASI struct {
	args, env []string
	store     *runtime.Store
	mu        sync.Mutex // guards fds (wasi-threads may call in parallel)
	fds       []*fdesc   // index = fd; nil = closed
	// Instance is the host instance to register as ModuleName.
	Instance *runtime.Instance
}

// New defines the wasi_snapshot_preview1 host instance in s. It opens
// the preopened directories, failing if one cannot be opened; Close
// releases them and every file the program left open.
func New(s *runtime.Store, cfg Config) (*WASI, error) {
	w := &WASI{args: cfg.Args, env: cfg.Env, store: s, Instance: s.NewHostInstance(ModuleName)}
	for _, kv := range cfg.Env {
		if !strings.Contains(kv, "=") {
			return nil, fmt.Errorf("wasi: environment entry %q is not NAME=VALUE", kv)
		}
	}
	stdin := cfg.Stdin
	if stdin == nil {
		stdin = bytes.NewReader(nil)
	}
	stdout, stderr := cfg.Stdout, cfg.Stderr
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	w.fds = []*fdesc{{kind: kindStream, r: stdin}, {kind: kindStream, w: stdout}, {kind: kindStream, w: stderr}}
	for _, p := range cfg.Preopens {
		root, err := os.OpenRoot(p.Host)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("wasi: preopen %s: %w", p.Host, err)
		}
		w.fds = append(w.fds, &fdesc{kind: kindDir, root: root, preopen: p.Guest, isPreopen: true})
	}
	if err := w.define(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// SetArgs replaces the program's arguments (before it reads them).
func (w *WASI) SetArgs(args []string) { w.args = args }

// Close closes the preopened directories and the files still open.
func (w *WASI) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var first error
	for i, d := range w.fds {
		if d != nil {
			if err := d.close(); err != nil && first == nil {
				first = err
			}
			w.fds[i] = nil
		}
	}
	return first
}

// StubMissing defines, for every function m imports from
// wasi_snapshot_preview1 that the package does not implement, a stand-in
// of the imported type that returns ERRNO_NOSYS (zeros for other result
// shapes), so the module links and fails only if it calls one.
func (w *WASI) StubMissing(m *wasm.Module) error {
	for i := range m.Imports {
		imp := &m.Imports[i]
		if imp.Module != ModuleName || imp.Kind != wasm.ExternFunc || w.Instance.Export(imp.Name) != nil {
			continue
		}
		if int(imp.TypeIndex) >= len(m.Types) || m.Types[imp.TypeIndex].Comp.Kind != wasm.CompFunc {
			continue // the link step reports it
		}
		ft := m.Types[imp.TypeIndex].Comp
		if !numeric(ft.Params) || !numeric(ft.Results) {
			continue
		}
		results := ft.Results
		if _, err := w.Instance.DefineFunc(imp.Name, ft, func(*runtime.Instance, []runtime.Value) ([]runtime.Value, error) {
			out := make([]runtime.Value, len(results))
			for i, t := range results {
				out[i] = runtime.Value{Type: t}
			}
			if len(out) == 1 && results[0] == wasm.I32 {
				out[0] = runtime.I32(int32(ErrnoNosys))
			}
			return out, nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// numeric reports whether ts are number types only (a stub's signature
// must not name the module's own types).
func numeric(ts []wasm.ValType) bool {
	for _, t := range ts {
		if t != wasm.I32 && t != wasm.I64 && t != wasm.F32 && t != wasm.F64 {
			return false
		}
	}
	return true
}

// handler is a WASI function returning an errno; mem is the caller's
// memory (nil if it has none) and args its arguments.
type handler func(mem []byte, args []runtime.Value) Errno

var (
	i32 = wasm.I32
	i64 = wasm.I64
)

// define adds every implemented function to the host instance.
func (w *WASI) define() error {
	fns := []struct {
		name   string
		params []wasm.ValType
		fn     handler
	}{
		{"args_get", []wasm.ValType{i32, i32}, w.argsGet},
		{"args_sizes_get", []wasm.ValType{i32, i32}, w.argsSizesGet},
		{"environ_get", []wasm.ValType{i32, i32}, w.environGet},
		{"environ_sizes_get", []wasm.ValType{i32, i32}, w.environSizesGet},
		{"clock_res_get", []wasm.ValType{i32, i32}, clockResGet},
		{"clock_time_get", []wasm.ValType{i32, i64, i32}, clockTimeGet},
		{"random_get", []wasm.ValType{i32, i32}, randomGet},
		{"sched_yield", nil, schedYield},
		{"poll_oneoff", []wasm.ValType{i32, i32, i32, i32}, w.pollOneoff},
		{"fd_write", []wasm.ValType{i32, i32, i32, i32}, w.fdWrite},
		{"fd_pwrite", []wasm.ValType{i32, i32, i32, i64, i32}, w.fdPwrite},
		{"fd_read", []wasm.ValType{i32, i32, i32, i32}, w.fdRead},
		{"fd_pread", []wasm.ValType{i32, i32, i32, i64, i32}, w.fdPread},
		{"fd_close", []wasm.ValType{i32}, w.fdClose},
		{"fd_fdstat_get", []wasm.ValType{i32, i32}, w.fdFdstatGet},
		{"fd_fdstat_set_flags", []wasm.ValType{i32, i32}, w.fdFdstatSetFlags},
		{"fd_prestat_get", []wasm.ValType{i32, i32}, w.fdPrestatGet},
		{"fd_prestat_dir_name", []wasm.ValType{i32, i32, i32}, w.fdPrestatDirName},
		{"fd_seek", []wasm.ValType{i32, i64, i32, i32}, w.fdSeek},
		{"fd_tell", []wasm.ValType{i32, i32}, w.fdTell},
		{"fd_filestat_get", []wasm.ValType{i32, i32}, w.fdFilestatGet},
		{"fd_sync", []wasm.ValType{i32}, w.fdSync},
		{"fd_datasync", []wasm.ValType{i32}, w.fdSync},
		{"fd_filestat_set_size", []wasm.ValType{i32, i64}, w.fdFilestatSetSize},
		{"fd_renumber", []wasm.ValType{i32, i32}, w.fdRenumber},
		{"fd_advise", []wasm.ValType{i32, i64, i64, i32}, w.fdAdvise},
		{"fd_readdir", []wasm.ValType{i32, i32, i32, i64, i32}, w.fdReaddir},
		{"path_open", []wasm.ValType{i32, i32, i32, i32, i32, i64, i64, i32, i32}, w.pathOpen},
		{"path_filestat_get", []wasm.ValType{i32, i32, i32, i32, i32}, w.pathFilestatGet},
		{"path_create_directory", []wasm.ValType{i32, i32, i32}, w.pathCreateDirectory},
		{"path_remove_directory", []wasm.ValType{i32, i32, i32}, w.pathRemoveDirectory},
		{"path_unlink_file", []wasm.ValType{i32, i32, i32}, w.pathUnlinkFile},
		{"path_rename", []wasm.ValType{i32, i32, i32, i32, i32, i32}, w.pathRename},
		{"path_readlink", []wasm.ValType{i32, i32, i32, i32, i32, i32}, w.pathReadlink},
		{"path_symlink", []wasm.ValType{i32, i32, i32, i32, i32}, w.pathSymlink},
		{"path_filestat_set_times", []wasm.ValType{i32, i32, i32, i32, i64, i64, i32}, w.pathFilestatSetTimes},
	}
	for _, f := range fns {
		fn := f.fn
		ft := wasm.CompositeType{Kind: wasm.CompFunc, Params: f.params, Results: []wasm.ValType{i32}}
		if _, err := w.Instance.DefineFunc(f.name, ft, func(caller *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
			return []runtime.Value{runtime.I32(int32(fn(memoryOf(caller), args)))}, nil
		}); err != nil {
			return err
		}
	}
	exit := wasm.CompositeType{Kind: wasm.CompFunc, Params: []wasm.ValType{i32}}
	_, err := w.Instance.DefineFunc("proc_exit", exit, func(_ *runtime.Instance, args []runtime.Value) ([]runtime.Value, error) {
		return nil, &ExitError{Code: uint32(args[0].Bits)}
	})
	return err
}

// ExitCode returns the status of a proc_exit that ended a call (err, or
// an error it wraps, is an *ExitError).
func ExitCode(err error) (uint32, bool) {
	var e *ExitError
	if errors.As(err, &e) {
		return e.Code, true
	}
	return 0, false
}
