//go:build !unix

package wasi

import "io/fs"

// devIno returns a file's device and inode numbers (0 when unknown).
func devIno(fs.FileInfo) (dev, ino uint64) { return 0, 0 }
