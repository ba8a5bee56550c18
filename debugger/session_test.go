package debugger

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
)

// next returns the next Stopped or Exited event, failing after a while.
func next(t testing.TB, s *Session) Event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev := <-s.Events():
			switch ev.(type) {
			case *Stopped, *Exited:
				return ev
			}
		case <-timeout:
			t.Fatal("no event in 20s")
		}
	}
}

func open(t testing.TB, path, invoke string, args ...string) *Session {
	t.Helper()
	s, err := New(Options{Path: path, Invoke: invoke, Args: args})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if ev, ok := next(t, s).(*Stopped); !ok || ev.Reason != ReasonEntry {
		t.Fatalf("first event %#v, want a stop at the entry", ev)
	}
	return s
}

// A long run can be paused from another goroutine, inspected, resumed,
// killed and restarted; the race detector watches the hand-offs.
func TestPauseKillRestart(t *testing.T) {
	s := open(t, "../examples/fib.wat", "fib", "40")
	if err := s.Continue(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backtrace(); err != ErrRunning {
		t.Errorf("Backtrace while running: %v, want ErrRunning", err)
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	ev, ok := next(t, s).(*Stopped)
	if !ok || ev.Reason != ReasonPause || !strings.HasPrefix(ev.Place.Name, "$fib") {
		t.Fatalf("after Pause: %#v", ev)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if bt, err := s.Backtrace(); err != nil || len(bt) == 0 {
				t.Errorf("backtrace: %v", err)
			}
			if _, err := s.Eval("$n + 1", 1); err != nil {
				t.Errorf("eval: %v", err)
			}
		}()
	}
	wg.Wait()
	s.Continue()
	time.Sleep(2 * time.Millisecond)
	if err := s.Kill(); err != nil {
		t.Fatal(err)
	}
	if ex, ok := next(t, s).(*Exited); !ok || !ex.Killed {
		t.Fatalf("after Kill: %#v", ex)
	}
	if err := s.Continue(); err != ErrExited {
		t.Errorf("Continue after exit: %v", err)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if ev, ok := next(t, s).(*Stopped); !ok || ev.Reason != ReasonEntry {
		t.Fatalf("after Restart: %#v", ev)
	}
}

// A .wasm has no text positions: places are offsets, lines are the
// disassembly's.
func TestBinaryModule(t *testing.T) {
	src := []byte(`(module (func $sq (param $x i32) (result i32) (i32.mul (local.get $x) (local.get $x)))
	  (func (export "main") (result i32) (i32.add (call $sq (i32.const 7)) (call $sq (i32.const 3)))))`)
	m, err := text.ParseModule(src)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := binary.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Path: "sq.wasm", Source: bin})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	next(t, s)
	bp, err := s.SetBreakpoint("$sq", false, "$x == 7")
	if err != nil {
		t.Fatal(err)
	}
	if bp.Place.Pos.IsValid() {
		t.Errorf("a binary module's place has a text position: %v", bp.Place)
	}
	s.Continue()
	ev, ok := next(t, s).(*Stopped)
	if !ok || ev.Breakpoint != bp.ID {
		t.Fatalf("%#v", ev)
	}
	l, err := s.List("", 1)
	// Debug code fuses nothing, so a breakpoint on the function stops at
	// its first instruction.
	if err != nil || len(l.Lines) != 3 || !l.Lines[1].Current || !strings.Contains(l.Lines[1].Text, "local.get $x") {
		t.Fatalf("listing: %v %+v", err, l)
	}
	s.DeleteBreakpoint(bp.ID)
	if _, err := s.SetBreakpoint(strconv.Itoa(l.Lines[0].Line), true, ""); err != nil {
		t.Errorf("break at a disassembly line: %v", err)
	}
	s.Continue()
	if ev, ok := next(t, s).(*Stopped); !ok || !ev.Temporary {
		t.Fatalf("%#v", ev)
	}
	if r, err := s.Eval("$x", 0); err != nil || r.Text != "3" {
		t.Errorf("$x at the second call: %v %v", r, err)
	}
	s.Continue()
	if ex, ok := next(t, s).(*Exited); !ok || ex.Err != nil || ex.Results[0].Bits != 58 {
		t.Fatalf("%#v", ex)
	}
}
