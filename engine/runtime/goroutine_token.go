//go:build amd64 || arm64

package runtime

// goroutineToken identifies the calling goroutine: it is the address of
// the goroutine's descriptor, which the Go runtime keeps in thread-local
// storage (amd64) or a register (arm64). It names the goroutine wherever
// it runs, which is what the callers ask (which thread of the store is
// calling), without a system call (gettid costs hundreds of ns, a large
// part of a short native call). The value is only compared.
func goroutineToken() uintptr

// tokenNeedsLock says whether a goroutine must stay on its OS thread for
// goroutineToken to keep naming it: not here, the descriptor's address
// names the goroutine wherever it runs (enterWorld then skips
// runtime.LockOSThread).
const tokenNeedsLock = false
