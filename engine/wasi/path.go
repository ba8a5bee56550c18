package wasi

import (
	"os"
	"path"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
)

// oflags of path_open.
const (
	oflagCreat     = 1
	oflagDirectory = 2
	oflagExcl      = 4
	oflagTrunc     = 8
)

// Rights that decide how path_open opens a file.
const (
	rightFdRead  = 1 << 1
	rightFdWrite = 1 << 6
)

// resolve reads the path argument (ptr, len) relative to directory fd
// dirfd. A path that is absolute or climbs above the directory with ".."
// is refused with ERRNO_NOTCAPABLE; os.Root refuses symbolic links that
// lead out of it the same way.
func (w *WASI) resolve(mem []byte, dirfd, ptr, n uint32) (*os.Root, string, Errno) {
	d, e := w.get(dirfd)
	if e != ErrnoSuccess {
		return nil, "", e
	}
	if d.kind != kindDir {
		return nil, "", ErrnoNotdir
	}
	p, ok := guestString(mem, ptr, n)
	switch {
	case !ok:
		return nil, "", ErrnoFault
	case strings.ContainsRune(p, 0):
		return nil, "", ErrnoInval
	case p == "":
		return nil, "", ErrnoNoent
	case strings.HasPrefix(p, "/"):
		return nil, "", ErrnoNotcapable
	}
	if c := path.Clean(p); c == ".." || strings.HasPrefix(c, "../") {
		return nil, "", ErrnoNotcapable
	}
	return d.root, p, ErrnoSuccess
}

// pathOpen is path_open(dirfd, dirflags, path, path_len, oflags,
// rights_base, rights_inheriting, fdflags, fd_ptr). Directories (asked
// for with O_DIRECTORY, or opened without write access) become directory
// descriptors; read and write access follow rights_base.
func (w *WASI) pathOpen(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 2), u32(a, 3))
	if e != ErrnoSuccess {
		return e
	}
	oflags, rights, fdflags, fdPtr := u32(a, 4), a[5].Bits, u32(a, 7), u32(a, 8)
	if _, ok := span(mem, fdPtr, 4); !ok {
		return ErrnoFault
	}
	write := rights&rightFdWrite != 0 || oflags&oflagTrunc != 0 || fdflags&fdflagAppend != 0
	read := rights&rightFdRead != 0
	isDir := oflags&oflagDirectory != 0
	if !isDir && oflags&oflagCreat == 0 {
		if info, err := root.Stat(p); err == nil && info.IsDir() {
			if write {
				return ErrnoIsdir
			}
			isDir = true
		}
	}
	if isDir {
		if oflags&(oflagCreat|oflagTrunc) != 0 {
			return ErrnoInval
		}
		// os.Root's error for a file is not a syscall.Errno.
		if info, err := root.Stat(p); err != nil {
			return errnoOf(err)
		} else if !info.IsDir() {
			return ErrnoNotdir
		}
		sub, err := root.OpenRoot(p)
		if err != nil {
			return errnoOf(err)
		}
		store32(mem, fdPtr, w.add(&fdesc{kind: kindDir, root: sub}))
		return ErrnoSuccess
	}
	flags := os.O_RDONLY
	switch {
	case read && write:
		flags = os.O_RDWR
	case write:
		flags = os.O_WRONLY
	}
	if oflags&oflagCreat != 0 {
		flags |= os.O_CREATE
	}
	if oflags&oflagExcl != 0 {
		flags |= os.O_EXCL
	}
	if oflags&oflagTrunc != 0 {
		flags |= os.O_TRUNC
	}
	if fdflags&fdflagAppend != 0 {
		flags |= os.O_APPEND
	}
	f, err := root.OpenFile(p, flags, 0o666)
	if err != nil {
		return errnoOf(err)
	}
	store32(mem, fdPtr, w.add(&fdesc{kind: kindFile, file: f, append: fdflags&fdflagAppend != 0}))
	return ErrnoSuccess
}

// pathFilestatGet is path_filestat_get(dirfd, lookupflags, path,
// path_len, filestat_ptr); symbolic links are followed only with
// lookupflags bit 0.
func (w *WASI) pathFilestatGet(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 2), u32(a, 3))
	if e != ErrnoSuccess {
		return e
	}
	out := u32(a, 4)
	if _, ok := span(mem, out, 64); !ok {
		return ErrnoFault
	}
	stat := root.Lstat
	if u32(a, 1)&1 != 0 {
		stat = root.Stat
	}
	info, err := stat(p)
	if err != nil {
		return errnoOf(err)
	}
	putFilestat(mem, out, info, filetypeOf(info.Mode()))
	return ErrnoSuccess
}

// pathCreateDirectory is path_create_directory(dirfd, path, path_len).
func (w *WASI) pathCreateDirectory(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 1), u32(a, 2))
	if e != ErrnoSuccess {
		return e
	}
	return errnoOf(root.Mkdir(p, 0o777))
}

// pathRemoveDirectory is path_remove_directory(dirfd, path, path_len).
func (w *WASI) pathRemoveDirectory(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 1), u32(a, 2))
	if e != ErrnoSuccess {
		return e
	}
	if info, err := root.Lstat(p); err != nil {
		return errnoOf(err)
	} else if !info.IsDir() {
		return ErrnoNotdir
	}
	return errnoOf(root.Remove(p))
}

// pathUnlinkFile is path_unlink_file(dirfd, path, path_len).
func (w *WASI) pathUnlinkFile(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 1), u32(a, 2))
	if e != ErrnoSuccess {
		return e
	}
	if info, err := root.Lstat(p); err != nil {
		return errnoOf(err)
	} else if info.IsDir() {
		return ErrnoIsdir
	}
	return errnoOf(root.Remove(p))
}

// pathRename is path_rename(fd, old_path, old_len, new_fd, new_path,
// new_len); both paths must be under the same directory descriptor
// (else ERRNO_XDEV).
func (w *WASI) pathRename(mem []byte, a []runtime.Value) Errno {
	root, from, e := w.resolve(mem, u32(a, 0), u32(a, 1), u32(a, 2))
	if e != ErrnoSuccess {
		return e
	}
	root2, to, e := w.resolve(mem, u32(a, 3), u32(a, 4), u32(a, 5))
	if e != ErrnoSuccess {
		return e
	}
	if root2 != root {
		return ErrnoXdev
	}
	return errnoOf(root.Rename(from, to))
}
