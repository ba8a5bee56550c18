package debugger

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

const threadsWat = "../examples/threads/threads.wat"

// 1000 breakpoint stops across 8 threads, each resumed with continue:
// no deadlock, every stop is an all-stop (every thread's frames readable,
// none running), no update lost (main returns workers x rounds), and a
// collection now and then from the debugger while the world is stopped.
// It logs the all-stop latency (reporter starting the stop → every other
// thread parked).
func TestThreadsStress(t *testing.T) {
	s := open(t, threadsWat, "main", "8", "125")
	stressStops(t, s, 8, 125)
}

// The same with a collection at every allocation (--gc-stress): each of
// the workers' allocations stops the world too, between and during the
// debugger's all-stops.
func TestThreadsStressGC(t *testing.T) {
	s, err := New(Options{Path: threadsWat, Invoke: "main", Args: []string{"8", "125"}, GCStress: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if ev, ok := next(t, s).(*Stopped); !ok || ev.Reason != ReasonEntry {
		t.Fatalf("first event %#v, want a stop at the entry", ev)
	}
	stressStops(t, s, 8, 125)
	n := s.store.Heap.GC.Stats().Collections
	if n < 8*125*100 {
		t.Errorf("%d collections, want one per allocation (at least %d)", n, 8*125*100)
	}
	t.Logf("%d collections", n)
}

// stressStops runs threads.wat (started with workers and rounds) to its
// end through workers x rounds stops at the breakpoint on the shared
// counter's increment.
func stressStops(t *testing.T, s *Session, workers, rounds int) {
	t.Helper()
	if _, err := s.SetBreakpoint("threads.wat:31", false, ""); err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	stops := 0
	for {
		if err := s.Continue(); err != nil {
			t.Fatal(err)
		}
		ev := next(t, s)
		if ex, ok := ev.(*Exited); ok {
			if ex.Err != nil || len(ex.Results) != 1 || int(int32(ex.Results[0].Bits)) != workers*rounds {
				t.Fatalf("exit %+v, want %d", ex, workers*rounds)
			}
			break
		}
		st := ev.(*Stopped)
		if st.Reason != ReasonBreakpoint || st.Breakpoint != 1 {
			t.Fatalf("stop %d: %+v", stops, st)
		}
		stops++
		seen[st.Thread]++
		ts := s.Threads()
		for _, th := range ts {
			if th.State != StateStopped {
				t.Fatalf("stop %d: thread %d is %s", stops, th.ID, th.State)
			}
		}
		if stops%50 == 0 {
			// Nobody runs: the shared counter stays still.
			a, err := s.ReadMemory(0, 0, 4)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(2 * time.Millisecond)
			if b, _ := s.ReadMemory(0, 0, 4); string(a) != string(b) {
				t.Fatalf("stop %d: the counter moved from %v to %v while stopped", stops, a, b)
			}
			if _, err := s.AllBacktraces(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Collect(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if stops != workers*rounds {
		t.Errorf("%d stops, want %d", stops, workers*rounds)
	}
	if len(seen) < 2 {
		t.Errorf("stops came from threads %v: want several", seen)
	}
	lat := s.StopLatencies()
	if len(lat) < stops {
		t.Fatalf("%d latencies for %d stops", len(lat), stops)
	}
	slices.Sort(lat)
	t.Logf("%d all-stops from %d threads: latency median %v, p99 %v, max %v", len(lat), len(seen),
		lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
}

// A pause stops every thread; the frames of each can be read; kill then
// ends them all, and restart runs the program again.
func TestThreadsPauseKill(t *testing.T) {
	s := open(t, threadsWat, "main", "4", "1000000")
	// Pause until every worker is seen in Wasm (starting locked threads
	// can take a while on 2 busy cores).
	var all []ThreadFrames
	for try := 0; ; try++ {
		if err := s.Continue(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		if err := s.Pause(); err != nil {
			t.Fatal(err)
		}
		ev, ok := next(t, s).(*Stopped)
		if !ok || ev.Reason != ReasonPause {
			t.Fatalf("after Pause: %#v", ev)
		}
		var err error
		if all, err = s.AllBacktraces(); err != nil {
			t.Fatal(err)
		}
		inWasm := 0
		for _, th := range all {
			if len(th.Frames) > 0 {
				inWasm++
			}
		}
		if len(all) == 5 && inWasm >= 4 && len(all[2].Frames) > 0 {
			break
		}
		if try == 50 {
			t.Fatalf("after 50 pauses, threads %+v", all)
		}
	}
	if err := s.SelectThread(3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SelectFrame(len(all[2].Frames) - 1); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Eval("$tid", 0); err != nil || v.Text != "2" {
		t.Errorf("thread 3's $tid: %+v %v", v, err)
	}
	// Continue, then kill while every thread runs.
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.Kill(); err != nil {
		t.Fatal(err)
	}
	if ex, ok := next(t, s).(*Exited); !ok || !ex.Killed {
		t.Fatalf("after Kill: %#v", ex)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if st, ok := next(t, s).(*Stopped); !ok || st.Reason != ReasonEntry {
		t.Fatalf("after Restart: %#v", st)
	}
}

// With scheduler-locking on, continue runs the selected thread only: a
// worker runs to its end while main stays where it stopped.
func TestThreadsLockingOn(t *testing.T) {
	s := open(t, threadsWat, "main", "2", "3")
	for _, spec := range []string{"threads.wat:49", "threads.wat:34"} {
		if _, err := s.SetBreakpoint(spec, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetLocking(LockOn); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if st, ok := next(t, s).(*Stopped); !ok || st.Thread != 1 || st.Breakpoint != 1 {
		t.Fatalf("first stop %#v, want main at breakpoint 1", st)
	}
	if err := s.SelectThread(2); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	st, ok := next(t, s).(*Stopped)
	if !ok || st.Thread != 2 || st.Breakpoint != 2 {
		t.Fatalf("second stop %#v, want thread 2 at breakpoint 2", st)
	}
	for _, th := range s.Threads() {
		if th.ID == 1 && (!th.HasPlace || th.Place.Pos.Line != 49) {
			t.Errorf("main moved: %+v", th)
		}
	}
	if v, err := s.Eval("$k", 0); err != nil || v.Text != "3" {
		t.Errorf("thread 2 ran %+v %v rounds, want 3", v, err)
	}
}

// The all-stop latency when the other threads are busy: only thread 2
// stops (a condition on the worker's tid), the 7 others run their loops
// and must stand still while it is stopped.
func TestThreadsStopLatency(t *testing.T) {
	s := open(t, threadsWat, "main", "8", "1000")
	// Every 5th round of thread 2: the others run between stops.
	if _, err := s.SetBreakpoint("threads.wat:31", false, "$tid == 1 && $k % 5 == 0"); err != nil {
		t.Fatal(err)
	}
	var lat []time.Duration
	stops := 0
	for {
		if err := s.Continue(); err != nil {
			t.Fatal(err)
		}
		ev := next(t, s)
		if ex, ok := ev.(*Exited); ok {
			if ex.Err != nil || int32(ex.Results[0].Bits) != 8000 {
				t.Fatalf("exit %+v, want 8000", ex)
			}
			break
		}
		if st := ev.(*Stopped); st.Thread != 2 {
			t.Fatalf("stop in thread %d, want 2", st.Thread)
		}
		l := s.StopLatencies()
		stops++
		others := 0
		for _, th := range s.Threads() {
			if th.ID > 2 && th.HasPlace {
				others++
			}
		}
		if others == 0 {
			continue // the other workers have finished
		}
		lat = append(lat, l[len(l)-1])
		if len(lat)%10 == 0 {
			// The 7 others were busy: all-stop stopped them.
			a, _ := s.ReadMemory(0, 0, 4)
			time.Sleep(2 * time.Millisecond)
			if b, _ := s.ReadMemory(0, 0, 4); string(a) != string(b) {
				t.Fatalf("stop %d: the counter moved from %v to %v while stopped", len(lat), a, b)
			}
		}
	}
	if stops != 200 || len(lat) < 10 {
		t.Fatalf("%d stops, %d with other workers in Wasm: want 200, 10 or more", stops, len(lat))
	}
	slices.Sort(lat)
	t.Logf("%d all-stops with other workers in Wasm: latency median %v, p99 %v, max %v", len(lat),
		lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
}

// A tbreak in the workers stops once (the other threads reaching it
// before the all-stop unpatches it do not stop); a breakpoint deleted
// while other threads wait at it drops their pending stops.
func TestThreadsTbreakAndPending(t *testing.T) {
	s := open(t, threadsWat, "main", "4", "50")
	if _, err := s.SetBreakpoint("threads.wat:31", true, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if st, ok := next(t, s).(*Stopped); !ok || !st.Temporary {
		t.Fatalf("first stop %#v, want the tbreak", st)
	}
	if _, err := s.SetBreakpoint("threads.wat:31", false, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if st, ok := next(t, s).(*Stopped); !ok || st.Breakpoint != 2 {
		t.Fatalf("second stop %#v, want breakpoint 2", st)
	}
	if err := s.DeleteAllBreakpoints(); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	ex, ok := next(t, s).(*Exited)
	if !ok || ex.Err != nil || int32(ex.Results[0].Bits) != 200 {
		t.Fatalf("%#v, want an exit returning 80", ex)
	}
}

// Kill right after continue, while threads race to report a breakpoint:
// every run ends killed, none hangs.
func TestThreadsKillRace(t *testing.T) {
	for i := 0; i < 20; i++ {
		s := open(t, threadsWat, "main", "4", "50")
		if _, err := s.SetBreakpoint("threads.wat:31", false, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Continue(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i*50) * time.Microsecond)
		done := make(chan error)
		go func() { done <- s.Kill() }()
		for ended := false; !ended; {
			switch ev := next(t, s).(type) {
			case *Exited:
				if !ev.Killed {
					t.Fatalf("run %d: %+v, want killed", i, ev)
				}
				ended = true
			}
		}
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d: Kill hangs", i)
		}
		s.Close()
	}
}

// Scheduler-locking decides who runs while the selected thread steps:
// finishing $handshake (handshake.wat) needs the worker's answer, so it
// ends with locking off (the default: every thread runs) and never with
// step or on (the worker stays parked), where only a pause stops it.
func TestThreadsSchedulerLocking(t *testing.T) {
	for _, mode := range []Locking{LockOff, LockStep, LockOn} {
		t.Run(string(mode), func(t *testing.T) {
			s := open(t, "testdata/handshake.wat", "main")
			if got := s.GetLocking(); got != LockOff {
				t.Fatalf("default scheduler-locking %q, want off", got)
			}
			if err := s.SetLocking(mode); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SetBreakpoint("$handshake", false, ""); err != nil {
				t.Fatal(err)
			}
			if err := s.Continue(); err != nil {
				t.Fatal(err)
			}
			if st, ok := next(t, s).(*Stopped); !ok || st.Thread != 1 || st.Breakpoint != 1 {
				t.Fatalf("stop %#v, want main at $handshake", st)
			}
			if err := s.Finish(); err != nil {
				t.Fatal(err)
			}
			if mode == LockOff {
				st, ok := next(t, s).(*Stopped)
				if !ok || st.Reason != ReasonStep || len(st.Returned) != 1 || st.Returned[0].Bits != 7 {
					t.Fatalf("finish: %#v, want a step stop returning 7", st)
				}
			} else {
				select {
				case ev := <-s.Events():
					t.Fatalf("finish ended (%#v) with the worker parked", ev)
				case <-time.After(300 * time.Millisecond):
				}
				if err := s.Pause(); err != nil {
					t.Fatal(err)
				}
				if st, ok := next(t, s).(*Stopped); !ok || st.Reason != ReasonPause || st.Thread != 1 {
					t.Fatalf("pause: %#v, want main paused in its spin", st)
				}
			}
			if err := s.SetLocking(LockOff); err != nil {
				t.Fatal(err)
			}
			if err := s.SelectThread(1); err != nil {
				t.Fatal(err)
			}
			if err := s.Continue(); err != nil {
				t.Fatal(err)
			}
			if ex, ok := next(t, s).(*Exited); !ok || ex.Err != nil || int32(ex.Results[0].Bits) != 8 {
				t.Fatalf("end: %#v, want main returning 8", ex)
			}
		})
	}
}

// With scheduler-locking off, steps run while the other workers run the
// same code, which stepping patches (with the world stopped): under
// -race, 150 steps, nexts and finishes of whichever thread stopped, then
// the program still counts every round and sums every list right. With
// GC stress every allocation collects, so workers often park inside
// struct.new while the stepper patches the code they run.
func TestThreadsSteppingOff(t *testing.T) {
	for _, stress := range []bool{false, true} {
		t.Run(fmt.Sprintf("gcstress=%v", stress), func(t *testing.T) {
			steppingOff(t, stress)
		})
	}
}

func steppingOff(t *testing.T, stress bool) {
	s, err := New(Options{Path: threadsWat, Invoke: "main", Args: []string{"4", "50"}, GCStress: stress})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if ev, ok := next(t, s).(*Stopped); !ok || ev.Reason != ReasonEntry {
		t.Fatalf("first event %#v, want a stop at the entry", ev)
	}
	if _, err := s.SetBreakpoint("$list-sum", false, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if _, ok := next(t, s).(*Stopped); !ok {
		t.Fatal("no stop at $list-sum")
	}
	if err := s.EnableBreakpoint(1, false); err != nil {
		t.Fatal(err)
	}
	for i := range 150 {
		var err error
		switch i % 3 {
		case 0:
			err = s.Step()
		case 1:
			err = s.Next()
		default:
			if err = s.Finish(); err != nil {
				err = s.Step() // the outermost frame: nothing to finish
			}
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		switch ev := next(t, s).(type) {
		case *Exited:
			t.Fatalf("step %d: the program ended: %#v", i, ev)
		case *Stopped:
			if ev.Reason != ReasonStep {
				t.Fatalf("step %d: %#v", i, ev)
			}
		}
	}
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if ex, ok := next(t, s).(*Exited); !ok || ex.Err != nil || int32(ex.Results[0].Bits) != 200 {
		t.Fatalf("end: %#v, want 200", ex)
	}
}
