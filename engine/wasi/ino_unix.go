//go:build unix

package wasi

import (
	"io/fs"
	"syscall"
)

// devIno returns a file's device and inode numbers (0 when unknown).
func devIno(info fs.FileInfo) (dev, ino uint64) {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino)
	}
	return 0, 0
}
