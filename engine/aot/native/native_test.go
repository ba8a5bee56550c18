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
	if numHelpers != compile.NumHelpers {
		t.Errorf("trampoline.c has %d helpers, the compiler uses %d", numHelpers, compile.NumHelpers)
	}
	if HelperTable() == 0 {
		t.Error("no helper table")
	}
}
