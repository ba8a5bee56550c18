package loader

import (
	goruntime "runtime"
	"sync"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/runtime"
)

// TestWorldStopDuringFirstCalls: several threads make the first native
// call of a fresh instance (which builds its native state and registers
// its heap types, taking the heap's lock) while the test's goroutine
// stops and restarts the world over and over. Building that state used
// to hold the engine's lock while waiting for the heap's: a stopper
// holding the heap's lock then waited for a running thread blocked on
// the engine's lock, and nothing moved again. The rounds must finish.
func TestWorldStopDuringFirstCalls(t *testing.T) {
	const rounds, threads = 40, 4
	s := nativeStore(t)
	mod := parse(t, churnWat)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for r := 0; r < rounds; r++ {
			inst, err := s.Instantiate(mod, nil)
			if err != nil {
				t.Error(err)
				return
			}
			f := inst.ExportedFunc("churn")
			var wg sync.WaitGroup
			var stop sync.WaitGroup
			stop.Add(1)
			quit := make(chan struct{})
			go func() { // the stopper
				defer stop.Done()
				for {
					select {
					case <-quit:
						return
					default:
					}
					s.StopTheWorld()
					s.StartTheWorld()
				}
			}()
			for range threads {
				env, err := s.NewThread()
				if err != nil {
					t.Error(err)
					close(quit)
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer env.Exit()
					res, err := env.Call(f, []runtime.Value{runtime.I32(10)})
					if err != nil || len(res) != 1 || res[0].Bits != 45 {
						t.Errorf("churn(10) = %v, %v; want 45", res, err)
					}
				}()
			}
			wg.Wait()
			close(quit)
			stop.Wait()
		}
	}()
	select {
	case <-finished:
	case <-time.After(2 * time.Minute):
		// Not t.Fatal: the store's cleanup would wait on the same locks.
		buf := make([]byte, 1<<20)
		n := goruntime.Stack(buf, true)
		panic("threads making their first native calls and a stop-the-world deadlocked:\n" + string(buf[:n]))
	}
}
