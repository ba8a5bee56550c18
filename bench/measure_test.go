package bench

import (
	"fmt"
	goruntime "runtime"
	"syscall"
	"time"

	"github.com/gcscope/gcscope/examples"
)

// measureKernel returns the fastest CPU time per call of main for each
// of engines (in order), over ratioRounds alternating batches.
func measureKernel(file string) ([]time.Duration, error) {
	want := examples.MainResults[file]
	bin, err := exampleBinary(file)
	if err != nil {
		return nil, err
	}
	runners := make([]runner, len(engines))
	for i, e := range engines {
		if runners[i], err = e.new(bin); err != nil {
			return nil, fmt.Errorf("%s: %w", e.name, err)
		}
		defer runners[i].close()
	}
	// Warm up (lazy compilation, memory growth) and size the batches. One
	// call can read as no CPU time at all (the clock's granularity), which
	// sized a batch at 100000 calls, minutes long: double the calls until
	// they measure at least 10 ms.
	ns := make([]int, len(runners))
	for i, r := range runners {
		for n := 1; ; n *= 2 {
			d, err := timeCalls(r, n, want)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", engines[i].name, err)
			}
			if d >= 10*time.Millisecond {
				ns[i] = max(1, int(100*time.Millisecond*time.Duration(n)/d))
				break
			}
		}
	}
	best := make([]time.Duration, len(runners))
	for range ratioRounds {
		for i, r := range runners {
			d, err := timeCalls(r, ns[i], want)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", engines[i].name, err)
			}
			if per := d / time.Duration(ns[i]); best[i] == 0 || per < best[i] {
				best[i] = per
			}
		}
	}
	return best, nil
}

// timeCalls calls main n times on the current OS thread and returns the
// thread's CPU time, checking every result.
func timeCalls(r runner, n int, want int64) (time.Duration, error) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	start := threadCPU()
	for range n {
		got, err := r.callMain()
		if err != nil {
			return 0, err
		}
		if got != want {
			return 0, fmt.Errorf("main() = %d, want %d", got, want)
		}
	}
	return threadCPU() - start, nil
}

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// threadCPU returns the calling thread's CPU time (user and system).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
