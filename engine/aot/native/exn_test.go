package native

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
)

func TestPendingExceptionAgrees(t *testing.T) {
	if pendingException != compile.PendingException {
		t.Errorf("trampoline.h's pending exception code %#x, the compiler's %#x", pendingException, compile.PendingException)
	}
	if _, ok := compile.TrapMessages[pendingException]; ok {
		t.Error("the pending exception code is also a trap code")
	}
}
