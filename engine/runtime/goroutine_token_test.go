package runtime

import (
	goruntime "runtime"
	"testing"
)

// TestGoroutineToken checks what stop-the-world relies on: the token is
// the same for every read on one goroutine, whatever runs in between, and
// differs between goroutines alive at the same time.
func TestGoroutineToken(t *testing.T) {
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	mine := goroutineToken()
	if mine == 0 {
		t.Fatal("token is 0, the value of no running env")
	}
	const n = 8
	tokens := make(chan uintptr, n)
	release := make(chan struct{})
	for range n {
		go func() {
			tok := goroutineToken()
			goruntime.Gosched()
			growStack(64)
			if again := goroutineToken(); again != tok {
				t.Errorf("token changed on one goroutine: %#x, then %#x", tok, again)
			}
			tokens <- tok
			<-release // stay alive until every token is read
		}()
	}
	seen := map[uintptr]bool{mine: true}
	for range n {
		tok := <-tokens
		if seen[tok] {
			t.Errorf("two live goroutines share token %#x", tok)
		}
		seen[tok] = true
	}
	close(release)
	growStack(64)
	if again := goroutineToken(); again != mine {
		t.Errorf("token changed on the test goroutine: %#x, then %#x", mine, again)
	}
}

// growStack recurses with a frame of a few hundred bytes, so the
// goroutine's stack grows (and moves) in between token reads.
func growStack(depth int) int {
	var pad [256]byte
	pad[depth%len(pad)] = byte(depth)
	if depth == 0 {
		return int(pad[0])
	}
	return growStack(depth-1) + int(pad[depth%len(pad)])
}
