package wasi

import (
	"encoding/binary"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// Subscription and event types of poll_oneoff.
const (
	eventClock   = 0
	eventFdRead  = 1
	eventFdWrite = 2
)

// pollOneoff is poll_oneoff(in, out, nsubscriptions, nevents_ptr).
// Subscriptions are 48 bytes (userdata, tag at 8, then a clock: id at
// 16, timeout at 24, flags at 40; or an fd at 16), events 32 bytes
// (userdata, error u16 at 8, type u8 at 10). Descriptors are always
// ready (their events come at once, with nbytes 0); with none, the call
// sleeps until the earliest clock's deadline, or until the program ends.
func (w *WASI) pollOneoff(mem []byte, a []runtime.Value) Errno {
	in, out, n, neventsPtr := u32(a, 0), u32(a, 1), u32(a, 2), u32(a, 3)
	if n == 0 {
		return ErrnoInval
	}
	if uint64(n)*48 > uint64(len(mem)) {
		return ErrnoFault // also keeps 48*n below from wrapping
	}
	subs, ok1 := span(mem, in, 48*n)
	events, ok2 := span(mem, out, 32*n)
	_, ok3 := span(mem, neventsPtr, 4)
	if !ok1 || !ok2 || !ok3 {
		return ErrnoFault
	}
	now := time.Now()
	type clockSub struct {
		userdata uint64
		deadline time.Time
	}
	var clocks []clockSub
	count := uint32(0)
	event := func(userdata uint64, errno Errno, typ byte) {
		e := events[32*count : 32*count+32]
		clear(e)
		binary.LittleEndian.PutUint64(e, userdata)
		binary.LittleEndian.PutUint16(e[8:], uint16(errno))
		e[10] = typ
		count++
	}
	for i := range n {
		s := subs[48*i : 48*i+48]
		userdata, tag := binary.LittleEndian.Uint64(s), s[8]
		switch tag {
		case eventClock:
			id, timeout := binary.LittleEndian.Uint32(s[16:]), binary.LittleEndian.Uint64(s[24:])
			abs := binary.LittleEndian.Uint16(s[40:])&1 != 0
			var deadline time.Time
			switch {
			case !abs && (id == clockRealtime || id == clockMonotonic):
				deadline = now.Add(time.Duration(min(timeout, 1<<63-1)))
			case id == clockRealtime:
				deadline = time.Unix(0, int64(min(timeout, 1<<63-1)))
			case id == clockMonotonic:
				deadline = monoStart.Add(time.Duration(min(timeout, 1<<63-1)))
			default:
				event(userdata, ErrnoInval, eventClock)
				continue
			}
			clocks = append(clocks, clockSub{userdata, deadline})
		case eventFdRead, eventFdWrite:
			_, e := w.get(binary.LittleEndian.Uint32(s[16:]))
			event(userdata, e, tag)
		default:
			event(userdata, ErrnoInval, tag)
		}
	}
	if count == 0 && len(clocks) > 0 {
		first := clocks[0].deadline
		for _, c := range clocks[1:] {
			if c.deadline.Before(first) {
				first = c.deadline
			}
		}
		if d := time.Until(first); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-w.store.Exiting():
				t.Stop()
			}
		}
		now = time.Now()
		for _, c := range clocks {
			if !c.deadline.After(now) {
				event(c.userdata, ErrnoSuccess, eventClock)
			}
		}
	}
	store32(mem, neventsPtr, count)
	return ErrnoSuccess
}
