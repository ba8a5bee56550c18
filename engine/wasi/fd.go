package wasi

import (
	"errors"
	"io"
	"io/fs"
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

// fdWrite is fd_write(fd, iovs, iovs_len, nwritten_ptr).
func (w *WASI) fdWrite(mem []byte, a []runtime.Value) Errno {
	return w.transfer(mem, a, -1, true)
}

// fdPwrite is fd_pwrite(fd, iovs, iovs_len, offset, nwritten_ptr).
func (w *WASI) fdPwrite(mem []byte, a []runtime.Value) Errno {
	return w.transfer(mem, a, int64(a[3].Bits), true)
}

// fdRead is fd_read(fd, iovs, iovs_len, nread_ptr).
func (w *WASI) fdRead(mem []byte, a []runtime.Value) Errno {
	return w.transfer(mem, a, -1, false)
}

// fdPread is fd_pread(fd, iovs, iovs_len, offset, nread_ptr).
func (w *WASI) fdPread(mem []byte, a []runtime.Value) Errno {
	return w.transfer(mem, a, int64(a[3].Bits), false)
}

// transfer reads or writes the iovecs of a (fd, iovs, iovs_len, ...,
// count_ptr) call, at the current position (at < 0) or at offset at,
// and stores the byte count at the last argument.
func (w *WASI) transfer(mem []byte, a []runtime.Value, at int64, write bool) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	bufs, ok := iovecs(mem, u32(a, 1), u32(a, 2))
	countPtr := u32(a, len(a)-1)
	if _, ok2 := span(mem, countPtr, 4); !ok || !ok2 {
		return ErrnoFault
	}
	if len(a) == 5 && at < 0 {
		return ErrnoInval // a negative pread/pwrite offset
	}
	var n int
	var err error
	switch {
	case d.kind == kindDir:
		return ErrnoIsdir
	case d.kind == kindStream && at >= 0:
		return ErrnoSpipe
	case write && d.kind == kindStream:
		if d.w == nil {
			return ErrnoBadf
		}
		n, err = writeAll(d.w, bufs)
	case write && at >= 0:
		n, err = writeAllAt(d.file, bufs, at)
	case write:
		n, err = writeAll(d.file, bufs)
	case d.kind == kindStream:
		if d.r == nil {
			return ErrnoBadf
		}
		n, err = readSome(d.r, bufs)
	case at >= 0:
		n, err = readSomeAt(d.file, bufs, at)
	default:
		n, err = readSome(d.file, bufs)
	}
	if err != nil && n == 0 {
		return errnoOf(err)
	}
	store32(mem, countPtr, uint32(n))
	return ErrnoSuccess
}

func writeAll(w io.Writer, bufs [][]byte) (int, error) {
	total := 0
	for _, b := range bufs {
		n, err := w.Write(b)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func writeAllAt(f *os.File, bufs [][]byte, at int64) (int, error) {
	total := 0
	for _, b := range bufs {
		n, err := f.WriteAt(b, at+int64(total))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// readSome fills the buffers in order and stops at the first short read,
// so a read never blocks once it has data; end of file reads 0 bytes.
func readSome(r io.Reader, bufs [][]byte) (int, error) {
	total := 0
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		n, err := r.Read(b)
		total += n
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil || n < len(b) {
			return total, err
		}
	}
	return total, nil
}

func readSomeAt(f *os.File, bufs [][]byte, at int64) (int, error) {
	total := 0
	for _, b := range bufs {
		n, err := f.ReadAt(b, at+int64(total))
		total += n
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil || n < len(b) {
			return total, err
		}
	}
	return total, nil
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

// fdSeek is fd_seek(fd, offset, whence, newoffset_ptr); whence 0 set,
// 1 current, 2 end (io.Seek* have the same values).
func (w *WASI) fdSeek(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	whence := u32(a, 2)
	if _, ok := span(mem, u32(a, 3), 8); !ok {
		return ErrnoFault
	}
	switch {
	case d.kind == kindStream:
		return ErrnoSpipe
	case d.kind == kindDir:
		return ErrnoIsdir
	case whence > io.SeekEnd:
		return ErrnoInval
	}
	pos, err := d.file.Seek(int64(a[1].Bits), int(whence))
	if err != nil {
		return errnoOf(err)
	}
	store64(mem, u32(a, 3), uint64(pos))
	return ErrnoSuccess
}

// fdTell is fd_tell(fd, offset_ptr).
func (w *WASI) fdTell(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if _, ok := span(mem, u32(a, 1), 8); !ok {
		return ErrnoFault
	}
	switch d.kind {
	case kindStream:
		return ErrnoSpipe
	case kindDir:
		return ErrnoIsdir
	}
	pos, err := d.file.Seek(0, io.SeekCurrent)
	if err != nil {
		return errnoOf(err)
	}
	store64(mem, u32(a, 1), uint64(pos))
	return ErrnoSuccess
}

// fdFilestatGet is fd_filestat_get(fd, filestat_ptr).
func (w *WASI) fdFilestatGet(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	p := u32(a, 1)
	if _, ok := span(mem, p, 64); !ok {
		return ErrnoFault
	}
	var info fs.FileInfo
	var err error
	switch d.kind {
	case kindStream:
		putFilestat(mem, p, nil, filetypeCharDev)
		return ErrnoSuccess
	case kindFile:
		info, err = d.file.Stat()
	case kindDir:
		info, err = d.root.Stat(".")
	}
	if err != nil {
		return errnoOf(err)
	}
	putFilestat(mem, p, info, filetypeOf(info.Mode()))
	return ErrnoSuccess
}

// putFilestat writes a filestat (64 bytes, checked by the caller): dev,
// ino, filetype at 16, nlink at 24, size at 32, atim, mtim, ctim (all
// three the modification time).
func putFilestat(mem []byte, p uint32, info fs.FileInfo, ft byte) {
	b, _ := span(mem, p, 64)
	clear(b)
	b[16] = ft
	store64(mem, p+24, 1)
	if info == nil {
		return
	}
	dev, ino := devIno(info)
	store64(mem, p, dev)
	store64(mem, p+8, ino)
	store64(mem, p+32, uint64(info.Size()))
	t := uint64(info.ModTime().UnixNano())
	store64(mem, p+40, t)
	store64(mem, p+48, t)
	store64(mem, p+56, t)
}

// filetypeOf maps a file mode to a WASI filetype.
func filetypeOf(m fs.FileMode) byte {
	switch {
	case m.IsDir():
		return filetypeDirectory
	case m.IsRegular():
		return filetypeRegular
	case m&fs.ModeSymlink != 0:
		return filetypeSymlink
	case m&fs.ModeCharDevice != 0:
		return filetypeCharDev
	}
	return filetypeUnknown
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

// fdFilestatSetSize is fd_filestat_set_size(fd, size).
func (w *WASI) fdFilestatSetSize(_ []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	if d.kind != kindFile {
		return ErrnoBadf
	}
	if int64(a[1].Bits) < 0 {
		return ErrnoInval
	}
	return errnoOf(d.file.Truncate(int64(a[1].Bits)))
}
