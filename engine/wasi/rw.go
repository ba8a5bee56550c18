package wasi

import (
	"errors"
	"io"
	"os"

	"github.com/gcscope/gcscope/engine/runtime"
)

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
