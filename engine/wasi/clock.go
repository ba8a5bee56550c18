package wasi

import (
	"crypto/rand"
	goruntime "runtime"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Clock ids. The CPU-time clocks are approximated by the time since the
// process started (the monotonic clock).
const (
	clockRealtime       = 0
	clockMonotonic      = 1
	clockProcessCputime = 2
	clockThreadCputime  = 3
)

// monoStart is the origin of the monotonic clock.
var monoStart = time.Now()

// clockResGet is clock_res_get(id, res_ptr): a nanosecond.
func clockResGet(mem []byte, a []runtime.Value) Errno {
	switch u32(a, 0) {
	case clockRealtime, clockMonotonic, clockProcessCputime, clockThreadCputime:
	default:
		return ErrnoInval
	}
	if !store64(mem, u32(a, 1), 1) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

// clockTimeGet is clock_time_get(id, precision, time_ptr) in nanoseconds:
// since the Unix epoch (realtime) or since the process started (the
// others).
func clockTimeGet(mem []byte, a []runtime.Value) Errno {
	var t uint64
	switch u32(a, 0) {
	case clockRealtime:
		t = uint64(time.Now().UnixNano())
	case clockMonotonic, clockProcessCputime, clockThreadCputime:
		t = uint64(time.Since(monoStart).Nanoseconds())
	default:
		return ErrnoInval
	}
	if !store64(mem, u32(a, 2), t) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

// randomGet is random_get(buf, len): cryptographically random bytes.
func randomGet(mem []byte, a []runtime.Value) Errno {
	b, ok := span(mem, u32(a, 0), u32(a, 1))
	if !ok {
		return ErrnoFault
	}
	if _, err := rand.Read(b); err != nil {
		return ErrnoIO
	}
	return ErrnoSuccess
}

// schedYield is sched_yield().
func schedYield([]byte, []runtime.Value) Errno {
	goruntime.Gosched()
	return ErrnoSuccess
}
