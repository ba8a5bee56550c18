package wasi

import (
	"io"
	"os"

	"github.com/gcscope/gcscope/engine/runtime"
)

// fdKind says what a descriptor is.
type fdKind uint8

const (
	kindStream fdKind = iota // stdin, stdout, stderr
	kindFile                 // a regular file (an *os.File)
	kindDir                  // a directory (an *os.Root)
)

// File types (filetype).
const (
	filetypeUnknown   = 0
	filetypeCharDev   = 2
	filetypeDirectory = 3
	filetypeRegular   = 4
	filetypeSymlink   = 7
)

// fdflags and the rights this package grants (all of them).
const (
	fdflagAppend = 1
	rightsAll    = 1<<29 - 1
)

// fdesc is an open file descriptor.
type fdesc struct {
	kind fdKind
	r    io.Reader // stream input
	w    io.Writer // stream output
	file *os.File
	root *os.Root
	// preopen is the guest name of a preopened directory.
	preopen   string
	isPreopen bool
	append    bool
	// entries is a directory's listing as of fd_readdir's last call with
	// cookie 0 (guarded by WASI.mu).
	entries []dirent
}

func (d *fdesc) close() error {
	switch {
	case d.file != nil:
		return d.file.Close()
	case d.root != nil:
		return d.root.Close()
	}
	return nil
}

// get returns the open descriptor fd.
func (w *WASI) get(fd uint32) (*fdesc, Errno) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if uint64(fd) >= uint64(len(w.fds)) || w.fds[fd] == nil {
		return nil, ErrnoBadf
	}
	return w.fds[fd], ErrnoSuccess
}

// add gives d the lowest free descriptor.
func (w *WASI) add(d *fdesc) uint32 {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, x := range w.fds {
		if x == nil {
			w.fds[i] = d
			return uint32(i)
		}
	}
	w.fds = append(w.fds, d)
	return uint32(len(w.fds) - 1)
}

// fdClose is fd_close(fd).
func (w *WASI) fdClose(_ []byte, a []runtime.Value) Errno {
	fd := u32(a, 0)
	w.mu.Lock()
	if uint64(fd) >= uint64(len(w.fds)) || w.fds[fd] == nil {
		w.mu.Unlock()
		return ErrnoBadf
	}
	d := w.fds[fd]
	w.fds[fd] = nil
	w.mu.Unlock()
	return errnoOf(d.close())
}

// fdFdstatGet is fd_fdstat_get(fd, fdstat_ptr): filetype u8, flags u16
// at 2, rights_base u64 at 8, rights_inheriting u64 at 16.
func (w *WASI) fdFdstatGet(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	b, ok := span(mem, u32(a, 1), 24)
	if !ok {
		return ErrnoFault
	}
	clear(b)
	switch d.kind {
	case kindStream:
		b[0] = filetypeCharDev
	case kindFile:
		b[0] = filetypeRegular
	case kindDir:
		b[0] = filetypeDirectory
	}
	if d.append {
		b[2] = fdflagAppend
	}
	p := u32(a, 1)
	store64(mem, p+8, rightsAll)
	store64(mem, p+16, rightsAll)
	return ErrnoSuccess
}

// fdFdstatSetFlags is fd_fdstat_set_flags(fd, flags): only keeping the
// flags as they are succeeds.
func (w *WASI) fdFdstatSetFlags(_ []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	want := u32(a, 1)&fdflagAppend != 0
	if u32(a, 1)&^fdflagAppend != 0 || want != d.append {
		return ErrnoNotsup
	}
	return ErrnoSuccess
}

// fdPrestatGet is fd_prestat_get(fd, prestat_ptr): tag 0 (a directory)
// and the length of its guest name at 4; EBADF past the preopens.
func (w *WASI) fdPrestatGet(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if !d.isPreopen {
		return ErrnoBadf
	}
	b, ok := span(mem, u32(a, 1), 8)
	if !ok {
		return ErrnoFault
	}
	clear(b)
	store32(mem, u32(a, 1)+4, uint32(len(d.preopen)))
	return ErrnoSuccess
}

// fdPrestatDirName is fd_prestat_dir_name(fd, path, path_len).
func (w *WASI) fdPrestatDirName(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if !d.isPreopen {
		return ErrnoBadf
	}
	b, ok := span(mem, u32(a, 1), u32(a, 2))
	if !ok {
		return ErrnoFault
	}
	if len(b) < len(d.preopen) {
		return ErrnoNametoolong
	}
	copy(b, d.preopen)
	return ErrnoSuccess
}

// fdSync is fd_sync(fd) and fd_datasync(fd).
func (w *WASI) fdSync(_ []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if d.kind == kindFile {
		return errnoOf(d.file.Sync())
	}
	return ErrnoSuccess
}

// fdRenumber is fd_renumber(fd, to): fd moves to number to, closing
// what was there.
func (w *WASI) fdRenumber(_ []byte, a []runtime.Value) Errno {
	from, to := u32(a, 0), u32(a, 1)
	w.mu.Lock()
	n := uint64(len(w.fds))
	if uint64(from) >= n || uint64(to) >= n || w.fds[from] == nil || w.fds[to] == nil {
		w.mu.Unlock()
		return ErrnoBadf
	}
	if from == to {
		w.mu.Unlock()
		return ErrnoSuccess
	}
	old := w.fds[to]
	w.fds[to], w.fds[from] = w.fds[from], nil
	w.mu.Unlock()
	old.close()
	return ErrnoSuccess
}

// fdAdvise is fd_advise(fd, offset, len, advice): advice is ignored.
func (w *WASI) fdAdvise(_ []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if d.kind != kindFile {
		return ErrnoBadf
	}
	if u32(a, 3) > 5 {
		return ErrnoInval
	}
	return ErrnoSuccess
}
