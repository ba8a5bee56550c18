package wasi

import (
	"encoding/binary"
	"io/fs"
	"slices"
	"strings"

	"github.com/gcscope/gcscope/engine/runtime"
)

// fdReaddir is fd_readdir(fd, buf, buf_len, cookie, bufused_ptr): the
// entries from the cookie-th on (".", "..", then the names in order),
// each a 24-byte dirent (d_next, d_ino, d_namlen u32, d_type u8) and its
// name, cut off at buf_len; bufused < buf_len means the end was reached.
func (w *WASI) fdReaddir(mem []byte, a []runtime.Value) Errno {
	d, e := w.get(u32(a, 0))
	if e != ErrnoSuccess {
		return e
	}
	buf, ok := span(mem, u32(a, 1), u32(a, 2))
	usedPtr := u32(a, 4)
	if _, ok2 := span(mem, usedPtr, 4); !ok || !ok2 {
		return ErrnoFault
	}
	if d.kind != kindDir {
		return ErrnoNotdir
	}
	cookie := a[3].Bits
	w.mu.Lock()
	all := d.entries
	w.mu.Unlock()
	if cookie == 0 || all == nil {
		// Listed again from the start, kept for the calls that go on.
		if all, e = listDir(d); e != ErrnoSuccess {
			return e
		}
		w.mu.Lock()
		d.entries = all
		w.mu.Unlock()
	}
	var out []byte
	for i := cookie; i < uint64(len(all)) && len(out) < len(buf); i++ {
		var h [24]byte
		binary.LittleEndian.PutUint64(h[0:], i+1)
		binary.LittleEndian.PutUint64(h[8:], all[i].ino)
		binary.LittleEndian.PutUint32(h[16:], uint32(len(all[i].name)))
		h[20] = all[i].typ
		out = append(append(out, h[:]...), all[i].name...)
	}
	n := copy(buf, out)
	store32(mem, usedPtr, uint32(n))
	return ErrnoSuccess
}

// dirent is a directory entry as fd_readdir reports it.
type dirent struct {
	name string
	ino  uint64
	typ  byte
}

// listDir lists d: ".", "..", then its entries by name.
func listDir(d *fdesc) ([]dirent, Errno) {
	f, err := d.root.Open(".")
	if err != nil {
		return nil, errnoOf(err)
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, errnoOf(err)
	}
	slices.SortFunc(entries, func(x, y fs.DirEntry) int { return strings.Compare(x.Name(), y.Name()) })
	all := []dirent{{".", 0, filetypeDirectory}, {"..", 0, filetypeDirectory}}
	if info, err := d.root.Stat("."); err == nil {
		_, all[0].ino = devIno(info)
	}
	for _, ent := range entries {
		de := dirent{name: ent.Name(), typ: filetypeOf(ent.Type())}
		if info, err := ent.Info(); err == nil {
			_, de.ino = devIno(info)
		}
		all = append(all, de)
	}
	return all, ErrnoSuccess
}
