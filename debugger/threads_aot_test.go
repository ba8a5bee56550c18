package debugger

import (
	"os/exec"
	"testing"
)

// TestThreadsAOT runs the threads stress on native code: an --aot
// session compiles threads.wat as a debug build, whose workers run as
// native threads. Every breakpoint stop must still be an all-stop (no
// thread running, the shared counter still, every thread's frames
// readable, a collection possible) and no update may be lost.
func TestThreadsAOT(t *testing.T) {
	if _, err := exec.LookPath("llc-14"); err != nil {
		if _, err := exec.LookPath("llc"); err != nil {
			t.Skip("llc is not on PATH")
		}
	}
	for _, stress := range []bool{false, true} {
		name := "plain"
		if stress {
			name = "gc-stress"
		}
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Path: threadsWat, Invoke: "main", Args: []string{"4", "50"}, AOT: true,
				AOTCacheDir: t.TempDir(), GCStress: stress})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if ev, ok := next(t, s).(*Stopped); !ok || ev.Reason != ReasonEntry {
				t.Fatalf("first event %#v, want a stop at the entry", ev)
			}
			if _, err := s.AOTFile(); err != nil {
				t.Fatalf("not an AOT session: %v", err)
			}
			stressStops(t, s, 4, 50)
		})
	}
}
