package compile

import (
	"testing"

	"github.com/gcscope/gcscope/engine/runtime"
)

// The compiler repeats the exec env record's word indices; they must be
// the runtime's (which its own test checks against execenv.h).
func TestEnvWords(t *testing.T) {
	pairs := []struct {
		name      string
		ours, rts int
	}{
		{"instance", envInstance, runtime.EnvInstance},
		{"memory base", envMemoryBase, runtime.EnvMemoryBase},
		{"memory size", envMemorySize, runtime.EnvMemorySize},
		{"frame top", envFrameTop, runtime.EnvFrameTop},
		{"frame limit", envFrameLimit, runtime.EnvFrameLimit},
		{"native stack limit", envNativeStackLimit, runtime.EnvNativeStackLimit},
		{"interrupt", envInterrupt, runtime.EnvInterrupt},
		{"trap code", envTrapCode, runtime.EnvTrapCode},
		{"trap offset", envTrapOffset, runtime.EnvTrapOffset},
		{"helpers", envHelpers, runtime.EnvHelpers},
		{"globals", envGlobals, runtime.EnvGlobals},
		{"stack guard", envStackGuard, runtime.EnvStackGuard},
		{"stack guard base", envStackGuardBase, runtime.EnvStackGuardBase},
	}
	for _, p := range pairs {
		if p.ours != p.rts {
			t.Errorf("%s: compiler uses word %d, runtime %d", p.name, p.ours, p.rts)
		}
	}
	if ABIVersion != runtime.ABIVersion {
		t.Errorf("ABI %d, runtime %d", ABIVersion, runtime.ABIVersion)
	}
}
