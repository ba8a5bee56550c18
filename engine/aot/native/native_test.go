package native

import (
	"testing"

	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/runtime"
)

func TestLayoutAgrees(t *testing.T) {
	if wordNativeStackLimit != runtime.EnvNativeStackLimit || wordTrapCode != runtime.EnvTrapCode ||
		wordTrapOffset != runtime.EnvTrapOffset {
		t.Errorf("trampoline.h record words %d/%d/%d disagree with the runtime's %d/%d/%d",
			wordNativeStackLimit, wordTrapCode, wordTrapOffset,
			runtime.EnvNativeStackLimit, runtime.EnvTrapCode, runtime.EnvTrapOffset)
	}
	if wordFrameTop != runtime.EnvFrameTop || wordFrameLimit != runtime.EnvFrameLimit || wordInterrupt != runtime.EnvInterrupt ||
		wordStackGuard != runtime.EnvStackGuard || wordStackGuardBase != runtime.EnvStackGuardBase {
		t.Errorf("trampoline.h frame/interrupt/guard words %d/%d/%d/%d/%d disagree with the runtime's",
			wordFrameTop, wordFrameLimit, wordInterrupt, wordStackGuard, wordStackGuardBase)
	}
	if guardRaised != runtime.GuardRaised {
		t.Errorf("trampoline.h raised guard %#x, runtime %#x", uint64(guardRaised), uint64(runtime.GuardRaised))
	}
	if numHelpers != compile.NumHelpers {
		t.Errorf("trampoline.c has %d helpers, the compiler uses %d", numHelpers, compile.NumHelpers)
	}
	if _, ok := compile.TrapMessages[trapUnknown]; ok || trapUnknown == pendingException {
		t.Errorf("trampoline.h's fallback trap code %#x is a real code", trapUnknown)
	}
	if HelperTable() == 0 {
		t.Error("no helper table")
	}
}
