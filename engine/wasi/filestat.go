package wasi

import (
	"io"
	"io/fs"

	"github.com/gcscope/gcscope/engine/runtime"
)

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
	case d.kind == kindDir && whence == io.SeekStart && a[1].Bits == 0:
		store64(mem, u32(a, 3), 0) // rewinding a directory (TinyGo does)
		return ErrnoSuccess
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
