package bench

import (
	"time"
)

// A batcher times n calls of one program's main on one engine, checking
// every result, and returns the CPU time they took.
type batcher interface {
	batch(n int) (time.Duration, error)
}

// inProcess times a runner on the calling thread's CPU clock.
type inProcess struct {
	r    runner
	want int64
}

func (b inProcess) batch(n int) (time.Duration, error) { return timeCalls(b.r, n, b.want) }

// inV8 times a program loaded into the V8 runner, on the node process's
// CPU clock (all its threads: V8's concurrent GC work counts).
type inV8 struct {
	p    *v8Proc
	name string
}

func (b inV8) batch(n int) (time.Duration, error) {
	cpu, _, err := b.p.run(b.name, n)
	return cpu, err
}

// Batch sizing and rounds of measureBest.
const (
	// minSizingBatch is how long a batch must take before its time sizes
	// the measured batches (one call can read as no CPU time at all).
	minSizingBatch = 10 * time.Millisecond
	// batchTarget is how long each measured batch should take.
	batchTarget = 100 * time.Millisecond
	// bestOfRounds is how many measured batches each engine runs, the
	// engines alternating; the fastest counts.
	bestOfRounds = 5
	// v8Warmup is how much CPU time V8 spends calling a program before it
	// is measured: V8 starts on its baseline compiler (Liftoff) and tiers
	// hot functions up to TurboFan, so only later batches are steady state.
	v8Warmup = time.Second
)

// measureBest returns the fastest time per call of each batcher (nil ones
// are skipped and get 0), over bestOfRounds alternating batches of about
// batchTarget each, after each has run for at least its warmup.
func measureBest(bs []batcher, warmup []time.Duration) ([]time.Duration, error) {
	ns := make([]int, len(bs))
	for i, b := range bs {
		if b == nil {
			continue
		}
		var spent time.Duration
		for n := 1; ; n *= 2 {
			d, err := b.batch(n)
			if err != nil {
				return nil, err
			}
			spent += d
			if d >= minSizingBatch && spent >= warmup[i] {
				ns[i] = max(1, int(batchTarget*time.Duration(n)/d))
				break
			}
		}
	}
	best := make([]time.Duration, len(bs))
	for range bestOfRounds {
		for i, b := range bs {
			if b == nil {
				continue
			}
			d, err := b.batch(ns[i])
			if err != nil {
				return nil, err
			}
			if per := d / time.Duration(ns[i]); best[i] == 0 || per < best[i] {
				best[i] = per
			}
		}
	}
	return best, nil
}
