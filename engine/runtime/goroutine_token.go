//go:build amd64 || arm64

package runtime

// goroutineToken identifies the calling goroutine: it is the address of
// the goroutine's descriptor, which the Go runtime keeps in thread-local
// storage (amd64) or a register (arm64). A running thread's goroutine is
// locked to its OS thread, so this names the thread as well as its OS
// thread id would, without the system call (gettid costs hundreds of ns,
// a large part of a short native call). The value is only compared.
func goroutineToken() uintptr
