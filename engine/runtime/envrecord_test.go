package runtime

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// TestExecEnvHeaderAgrees parses execenv.h and checks that its offsets are
// the Go constants (times 8), so the C side and the Go side cannot drift.
func TestExecEnvHeaderAgrees(t *testing.T) {
	src, err := os.ReadFile("execenv.h")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"ABI_VERSION": EnvABIVersion, "INSTANCE": EnvInstance, "MEMORY_BASE": EnvMemoryBase,
		"MEMORY_SIZE": EnvMemorySize, "HEAP_BASE": EnvHeapBase, "ALLOC_CURSOR": EnvAllocCursor,
		"ALLOC_LIMIT": EnvAllocLimit, "FRAME_TOP": EnvFrameTop, "FRAME_LIMIT": EnvFrameLimit,
		"NATIVE_STACK_LIMIT": EnvNativeStackLimit, "INTERRUPT": EnvInterrupt, "TRAP_CODE": EnvTrapCode,
		"TRAP_OFFSET": EnvTrapOffset, "HELPERS": EnvHelpers, "FUNCS": EnvFuncs, "GLOBALS": EnvGlobals,
		"TABLES": EnvTables, "THREAD_ID": EnvThreadID, "SLOTS_BASE": EnvSlotsBase,
		"SLOTS_LIMIT": EnvSlotsLimit, "ENGINE": EnvEngine, "STACK_GUARD": EnvStackGuard,
		"STACK_GUARD_BASE": EnvStackGuardBase, "SIZE": EnvWords,
	}
	re := regexp.MustCompile(`#define GCS_ENV_(\w+)\s+(\d+)`)
	seen := 0
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		off, _ := strconv.Atoi(m[2])
		w, ok := want[m[1]]
		if !ok {
			t.Errorf("execenv.h defines GCS_ENV_%s, unknown to envrecord.go", m[1])
			continue
		}
		if off != w*8 {
			t.Errorf("GCS_ENV_%s = %d in execenv.h, %d in Go", m[1], off, w*8)
		}
		seen++
	}
	if seen != len(want) {
		t.Errorf("execenv.h defines %d offsets, Go %d", seen, len(want))
	}
	if !regexp.MustCompile(`#define GCS_ABI_VERSION ` + strconv.Itoa(ABIVersion) + `\b`).Match(src) {
		t.Error("ABI versions differ")
	}
	// The struct must list one uint64_t per word.
	if n := len(regexp.MustCompile(`\tuint64_t \w+;`).FindAll(src, -1)); n != EnvWords {
		t.Errorf("struct gcs_exec_env has %d fields, want %d", n, EnvWords)
	}
}

func TestExecEnvRecord(t *testing.T) {
	s, err := NewStore(Config{Engine: nopEngine{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env := s.Env()
	if env.Record[EnvABIVersion] != ABIVersion || env.Record[EnvHeapBase] == 0 || env.Record[EnvSlotsBase] == 0 {
		t.Errorf("record not initialized: %v", env.Record[:EnvWords])
	}
	env.Interrupt.Store(3)
	if env.Record[EnvInterrupt] != 3 || env.Interrupt.Load() != 3 {
		t.Error("interrupt word is not the record's")
	}
}

type nopEngine struct{}

func (nopEngine) Check(*Instance) error                                   { return nil }
func (nopEngine) Invoke(*ExecEnv, *Func, uint32) error                    { return nil }
func (nopEngine) AppendStackMap(dst []uint32, _ *Func, _ uint32) []uint32 { return dst }
