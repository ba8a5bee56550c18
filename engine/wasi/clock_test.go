package wasi_test

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasi"
)

const clockImports = `
  (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_res_get" (func $res (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))`

const clockBody = `
  (func (export "time") (param $id i32) (param $at i32) (result i32) (call $time (local.get $id) (i64.const 1) (local.get $at)))
  (func (export "res") (param $id i32) (result i32) (call $res (local.get $id) (i32.const 0x10)))
  (func (export "random") (param $at i32) (param $len i32) (result i32) (call $random (local.get $at) (local.get $len)))
  (func (export "yield") (result i32) (call $yield))
  ;; Subscriptions at 0x1000 (written by the test), events at 0x2000, the
  ;; event count at 0x40.
  (func (export "poll") (param $n i32) (result i32)
    (call $poll (i32.const 0x1000) (i32.const 0x2000) (local.get $n) (i32.const 0x40)))`

func TestClocksAndRandom(t *testing.T) {
	p := load(t, clockImports, clockBody, wasi.Config{})
	i32 := runtime.I32
	before := time.Now()
	wantErrno(t, "realtime", p.call(t, "time", i32(0), i32(0x20)), wasi.ErrnoSuccess)
	now := time.Unix(0, int64(p.u32(0x20))|int64(p.u32(0x24))<<32)
	if now.Before(before.Add(-time.Second)) || now.After(time.Now().Add(time.Second)) {
		t.Errorf("realtime clock says %v, now is %v", now, before)
	}
	wantErrno(t, "monotonic", p.call(t, "time", i32(1), i32(0x30)), wasi.ErrnoSuccess)
	time.Sleep(2 * time.Millisecond)
	wantErrno(t, "monotonic again", p.call(t, "time", i32(1), i32(0x38)), wasi.ErrnoSuccess)
	m1 := uint64(p.u32(0x30)) | uint64(p.u32(0x34))<<32
	m2 := uint64(p.u32(0x38)) | uint64(p.u32(0x3C))<<32
	if m2 < m1+uint64(time.Millisecond) {
		t.Errorf("monotonic clock went from %d to %d over 2ms", m1, m2)
	}
	wantErrno(t, "clock 9", p.call(t, "time", i32(9), i32(0x20)), wasi.ErrnoInval)
	wantErrno(t, "time stored out of bounds", p.call(t, "time", i32(0), i32(0xFFFC)), wasi.ErrnoFault)
	wantErrno(t, "resolution", p.call(t, "res", i32(1)), wasi.ErrnoSuccess)
	if p.u32(0x10) == 0 {
		t.Error("zero clock resolution")
	}
	wantErrno(t, "random", p.call(t, "random", i32(0x100), i32(64)), wasi.ErrnoSuccess)
	wantErrno(t, "random again", p.call(t, "random", i32(0x200), i32(64)), wasi.ErrnoSuccess)
	a, b := p.mem()[0x100:0x140], p.mem()[0x200:0x240]
	if bytes.Equal(a, b) || bytes.Equal(a, make([]byte, 64)) {
		t.Errorf("random bytes %x and %x", a, b)
	}
	wantErrno(t, "random out of bounds", p.call(t, "random", i32(0xFFF0), i32(64)), wasi.ErrnoFault)
	wantErrno(t, "sched_yield", p.call(t, "yield"), wasi.ErrnoSuccess)
}

func TestBadConfig(t *testing.T) {
	s, err := runtime.NewStore(runtime.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := wasi.New(s, wasi.Config{Env: []string{"NOEQUALS"}}); err == nil {
		t.Error("an environment entry without = accepted")
	}
	if _, err := wasi.New(s, wasi.Config{Preopens: []wasi.Preopen{{Host: "/no/such/dir", Guest: "."}}}); err == nil {
		t.Error("a missing preopened directory accepted")
	}
}

// subscription writes poll_oneoff subscription i at 0x1000.
func subscription(mem []byte, i int, userdata uint64, tag byte, idOrFd uint32, timeout uint64, flags uint16) {
	s := mem[0x1000+48*i : 0x1000+48*i+48]
	clear(s)
	binary.LittleEndian.PutUint64(s, userdata)
	s[8] = tag
	binary.LittleEndian.PutUint32(s[16:], idOrFd)
	binary.LittleEndian.PutUint64(s[24:], timeout)
	binary.LittleEndian.PutUint16(s[40:], flags)
}

// events decodes poll_oneoff's events: userdata, errno and type.
func events(p *program) [][3]uint64 {
	var out [][3]uint64
	for i := range int(p.u32(0x40)) {
		e := p.mem()[0x2000+32*i:]
		out = append(out, [3]uint64{binary.LittleEndian.Uint64(e), uint64(binary.LittleEndian.Uint16(e[8:])), uint64(e[10])})
	}
	return out
}

func TestPollOneoff(t *testing.T) {
	p := load(t, clockImports, clockBody, wasi.Config{})
	i32 := runtime.I32
	// Sleep 30ms on the monotonic clock (the 10s one does not fire).
	subscription(p.mem(), 0, 77, 0, 1, uint64(30*time.Millisecond), 0)
	subscription(p.mem(), 1, 78, 0, 0, uint64(10*time.Second), 0)
	start := time.Now()
	wantErrno(t, "poll on clocks", p.call(t, "poll", i32(2)), wasi.ErrnoSuccess)
	if d := time.Since(start); d < 30*time.Millisecond || d > 5*time.Second {
		t.Errorf("slept %v, want 30ms", d)
	}
	if ev := events(p); !slices.Equal(ev, [][3]uint64{{77, 0, 0}}) {
		t.Errorf("events %v, want [[77 0 0]]", ev)
	}
	// An absolute deadline in the past fires at once.
	subscription(p.mem(), 0, 5, 0, 0, uint64(time.Now().Add(-time.Hour).UnixNano()), 1)
	wantErrno(t, "poll on a past deadline", p.call(t, "poll", i32(1)), wasi.ErrnoSuccess)
	if ev := events(p); !slices.Equal(ev, [][3]uint64{{5, 0, 0}}) {
		t.Errorf("past deadline: events %v", ev)
	}
	// Descriptors are ready at once; a bad one reports EBADF.
	subscription(p.mem(), 0, 1, 0, 1, uint64(10*time.Second), 0)
	subscription(p.mem(), 1, 2, 2, 1, 0, 0)
	subscription(p.mem(), 2, 3, 1, 99, 0, 0)
	start = time.Now()
	wantErrno(t, "poll on fds", p.call(t, "poll", i32(3)), wasi.ErrnoSuccess)
	if time.Since(start) > 5*time.Second {
		t.Error("poll on a ready fd waited for the clock")
	}
	if ev := events(p); !slices.Equal(ev, [][3]uint64{{2, 0, 2}, {3, uint64(wasi.ErrnoBadf), 1}}) {
		t.Errorf("fd events %v", ev)
	}
	wantErrno(t, "poll on nothing", p.call(t, "poll", i32(0)), wasi.ErrnoInval)
	wantErrno(t, "poll on too many", p.call(t, "poll", i32(0x5555556)), wasi.ErrnoFault)
}
