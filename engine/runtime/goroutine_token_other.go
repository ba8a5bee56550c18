//go:build !amd64 && !arm64

package runtime

import "syscall"

// goroutineToken identifies the calling thread by its OS thread id where
// no cheaper identity of the (locked) goroutine is available.
func goroutineToken() uintptr { return uintptr(syscall.Gettid()) }

// tokenNeedsLock: an OS thread id names the goroutine only while the
// goroutine stays on that thread, so enterWorld locks it there.
const tokenNeedsLock = true
