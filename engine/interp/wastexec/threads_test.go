package wastexec

import (
	"errors"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/engine/wast"
)

func module(t *testing.T, src string) *wasm.Module {
	t.Helper()
	m, err := text.ParseModule([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Module(m); err != nil {
		t.Fatal(err)
	}
	return m
}

const sharedMem = `(module (memory (export "shared") 1 1 shared) (func (export "f")))`

const waiter = `(module (memory (import "mem" "shared") 1 1 shared)
	(func (export "wait") (result i32)
		(memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
	(func (export "notify") (result i32)
		(memory.atomic.notify (i32.const 0) (i32.const 1))))`

// TestThreadWaitNotify: a thread blocked in memory.atomic.wait on the
// shared memory of the spawning script is woken by another thread.
func TestThreadWaitNotify(t *testing.T) {
	x := New(runtime.Config{})
	if err := x.Instantiate("$Mem", module(t, sharedMem)); err != nil {
		t.Fatal(err)
	}
	var ths [2]wast.Executor
	for i := range ths {
		th, err := x.Thread([]string{"$Mem"})
		if err != nil {
			t.Fatal(err)
		}
		defer th.(*Executor).Close()
		if err := th.Register("mem", "$Mem"); err != nil {
			t.Fatal(err)
		}
		if err := th.Instantiate("", module(t, waiter)); err != nil {
			t.Fatal(err)
		}
		ths[i] = th
	}
	woken := make(chan []wast.Value, 1)
	go func() {
		res, err := ths[0].Invoke("", "wait", nil)
		if err != nil {
			t.Error(err)
		}
		woken <- res
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := ths[1].Invoke("", "notify", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Bits == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the waiter never queued")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case res := <-woken:
		if len(res) != 1 || res[0].Bits != 0 {
			t.Fatalf("wait returned %v, want 0 (woken)", res)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the waiter was not woken")
	}
}

// TestThreadIsolation: a thread sees only the modules it shares, and may
// not call into them (their store is another thread's).
func TestThreadIsolation(t *testing.T) {
	x := New(runtime.Config{})
	if err := x.Instantiate("$Mem", module(t, sharedMem)); err != nil {
		t.Fatal(err)
	}
	if err := x.Register("mem", "$Mem"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Thread([]string{"$Nope"}); err == nil {
		t.Fatal("sharing an unknown module: no error")
	}
	th, err := x.Thread([]string{"$Mem"})
	if err != nil {
		t.Fatal(err)
	}
	defer th.(*Executor).Close()
	var ee *wast.EngineError
	if err := th.Instantiate("", module(t, waiter)); !errors.As(err, &ee) || ee.Kind != wast.ErrLink {
		t.Fatalf("import of a name registered outside the thread: %v, want unknown import", err)
	}
	if _, err := th.Invoke("$Mem", "f", nil); !errors.As(err, &ee) || ee.Kind != wast.ErrUnsupported {
		t.Fatalf("invoking a shared module: %v, want unsupported", err)
	}
	if err := th.Register("m2", "$Mem"); err != nil {
		t.Fatal(err)
	}
	imp := `(module (import "m2" "f" (func)))`
	if err := th.Instantiate("", module(t, imp)); !errors.As(err, &ee) || ee.Kind != wast.ErrUnsupported {
		t.Fatalf("importing a function of a shared module: %v, want unsupported", err)
	}
}
