package wasi

import (
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// pathReadlink is path_readlink(dirfd, path, path_len, buf, buf_len,
// bufused_ptr): the link's target, cut off at buf_len (no NUL).
func (w *WASI) pathReadlink(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 1), u32(a, 2))
	if e != ErrnoSuccess {
		return e
	}
	buf, ok := span(mem, u32(a, 3), u32(a, 4))
	if _, ok2 := span(mem, u32(a, 5), 4); !ok || !ok2 {
		return ErrnoFault
	}
	target, err := root.Readlink(p)
	if err != nil {
		return errnoOf(err)
	}
	store32(mem, u32(a, 5), uint32(copy(buf, target)))
	return ErrnoSuccess
}

// pathSymlink is path_symlink(old_path, old_path_len, dirfd, new_path,
// new_path_len): a link at new_path whose target is old_path, taken as
// text (following it cannot leave the directory either).
func (w *WASI) pathSymlink(mem []byte, a []runtime.Value) Errno {
	target, ok := guestString(mem, u32(a, 0), u32(a, 1))
	if !ok {
		return ErrnoFault
	}
	root, p, e := w.resolve(mem, u32(a, 2), u32(a, 3), u32(a, 4))
	if e != ErrnoSuccess {
		return e
	}
	return errnoOf(root.Symlink(target, p))
}

// fstflags of path_filestat_set_times.
const (
	fstAtim    = 1
	fstAtimNow = 2
	fstMtim    = 4
	fstMtimNow = 8
)

// pathFilestatSetTimes is path_filestat_set_times(dirfd, lookupflags,
// path, path_len, atim, mtim, fst_flags); times not named by fst_flags
// are left alone.
func (w *WASI) pathFilestatSetTimes(mem []byte, a []runtime.Value) Errno {
	root, p, e := w.resolve(mem, u32(a, 0), u32(a, 2), u32(a, 3))
	if e != ErrnoSuccess {
		return e
	}
	flags := u32(a, 6)
	if flags&(fstAtim|fstAtimNow) == fstAtim|fstAtimNow || flags&(fstMtim|fstMtimNow) == fstMtim|fstMtimNow {
		return ErrnoInval
	}
	pick := func(v uint64, set, now uint32) time.Time {
		switch {
		case flags&now != 0:
			return time.Now()
		case flags&set != 0:
			return time.Unix(0, int64(v))
		}
		return time.Time{} // unchanged
	}
	atime, mtime := pick(a[4].Bits, fstAtim, fstAtimNow), pick(a[5].Bits, fstMtim, fstMtimNow)
	return errnoOf(root.Chtimes(p, atime, mtime))
}
