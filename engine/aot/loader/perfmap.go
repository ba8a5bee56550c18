package loader

import (
	"fmt"
	"os"
	"sync"

	"github.com/gcscope/gcscope/engine/wasm"
)

// PerfMapEnv names the environment variable that, when set (to anything
// but ""), makes Load append the code of each loaded module to
// /tmp/perf-<pid>.map, the file `perf report` reads to name code outside
// any ELF file: the native functions then appear as gcs_func_<index> (the
// Wasm function index) instead of bare addresses.
const PerfMapEnv = "GCSCOPE_PERF_MAP"

var perfMapMu sync.Mutex

// writePerfMap appends m's functions to the perf map, if asked to; a
// failure only loses the names, so it is ignored.
func (m *Module) writePerfMap() {
	if os.Getenv(PerfMapEnv) == "" || m.text == 0 {
		return
	}
	perfMapMu.Lock()
	defer perfMapMu.Unlock()
	f, err := os.OpenFile(fmt.Sprintf("/tmp/perf-%d.map", os.Getpid()), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	imported := 0
	if m.File.Module != nil {
		imported = int(m.File.Module.NumImported(wasm.ExternFunc))
	}
	for i, fn := range m.File.Functions {
		if fn.CodeSize == 0 {
			continue
		}
		fmt.Fprintf(f, "%x %x gcs_func_%d\n", uint64(m.text)+uint64(fn.CodeOffset), fn.CodeSize, imported+i)
	}
}
