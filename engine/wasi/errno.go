package wasi

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
)

// Errno is a WASI error number (the result of most functions).
type Errno uint16

// The errno values this package returns (WASI preview 1 numbering).
const (
	ErrnoSuccess     Errno = 0
	ErrnoAcces       Errno = 2
	ErrnoAgain       Errno = 6
	ErrnoBadf        Errno = 8
	ErrnoBusy        Errno = 10
	ErrnoExist       Errno = 20
	ErrnoFault       Errno = 21
	ErrnoFbig        Errno = 22
	ErrnoIlseq       Errno = 25
	ErrnoInval       Errno = 28
	ErrnoIO          Errno = 29
	ErrnoIsdir       Errno = 31
	ErrnoLoop        Errno = 32
	ErrnoMfile       Errno = 33
	ErrnoNametoolong Errno = 37
	ErrnoNoent       Errno = 44
	ErrnoNospc       Errno = 51
	ErrnoNosys       Errno = 52
	ErrnoNotdir      Errno = 54
	ErrnoNotempty    Errno = 55
	ErrnoNotsup      Errno = 58
	ErrnoOverflow    Errno = 61
	ErrnoPerm        Errno = 63
	ErrnoPipe        Errno = 64
	ErrnoRofs        Errno = 69
	ErrnoSpipe       Errno = 70
	ErrnoXdev        Errno = 75
	ErrnoNotcapable  Errno = 76
)

// errnoOf maps a Go file-system error to an errno.
func errnoOf(err error) Errno {
	if err == nil {
		return ErrnoSuccess
	}
	// os.Root's refusal of a path leaving it has no exported value.
	if strings.Contains(err.Error(), "path escapes from parent") {
		return ErrnoNotcapable
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		switch en {
		case syscall.EBADF:
			return ErrnoBadf
		case syscall.EACCES:
			return ErrnoAcces
		case syscall.EPERM:
			return ErrnoPerm
		case syscall.EEXIST:
			return ErrnoExist
		case syscall.ENOENT:
			return ErrnoNoent
		case syscall.ENOTDIR:
			return ErrnoNotdir
		case syscall.EISDIR:
			return ErrnoIsdir
		case syscall.ENOTEMPTY:
			return ErrnoNotempty
		case syscall.ELOOP:
			return ErrnoLoop
		case syscall.ENAMETOOLONG:
			return ErrnoNametoolong
		case syscall.ENOSPC:
			return ErrnoNospc
		case syscall.EFBIG:
			return ErrnoFbig
		case syscall.EROFS:
			return ErrnoRofs
		case syscall.EXDEV:
			return ErrnoXdev
		case syscall.EBUSY:
			return ErrnoBusy
		case syscall.EINVAL:
			return ErrnoInval
		case syscall.ESPIPE:
			return ErrnoSpipe
		case syscall.EPIPE:
			return ErrnoPipe
		case syscall.EMFILE:
			return ErrnoMfile
		case syscall.EAGAIN:
			return ErrnoAgain
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrnoNoent
	case errors.Is(err, fs.ErrExist):
		return ErrnoExist
	case errors.Is(err, fs.ErrPermission):
		return ErrnoAcces
	case errors.Is(err, fs.ErrInvalid):
		return ErrnoInval
	}
	return ErrnoIO
}
