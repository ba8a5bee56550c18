package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/aot/compile"
	"github.com/gcscope/gcscope/engine/wasm"
)

// cacheKey names a module's compiled file: the module's hash, the
// compiler version and the options that change the code (DESIGN.md
// section 5). Modules without a binary (built in memory) have no key.
func cacheKey(m *wasm.Module, opts compile.Options) (string, bool) {
	if len(m.Binary) == 0 {
		return "", false
	}
	h := aotfile.ModuleHash(m.Binary)
	key := fmt.Sprintf("%x|%s|O%d|noframes=%v|abi=%d|debug=%v", h, compile.Version, opts.OptLevel,
		opts.NoFrameHeaders, compile.ABIVersion, opts.Debug)
	if opts.DebugSlotsWork != 0 {
		key += fmt.Sprintf("|slots=%d", opts.DebugSlotsWork) // only then, as nomap
	}
	if opts.DebugOperandsWork != 0 {
		key += fmt.Sprintf("|operands=%d", opts.DebugOperandsWork) // only then, as nomap
	}
	if opts.NoOffsetMap {
		key += "|nomap" // only then: keys of files with maps stay as they were
	}
	k := sha256.Sum256([]byte(key))
	return hex.EncodeToString(k[:16]) + ".aot", true
}

// compileCached compiles m, or reads the file an earlier compilation left
// in dir. A cached file that does not load (damaged, other ABI) is
// recompiled and replaced.
func compileCached(dir string, m *wasm.Module, opts compile.Options) (*Module, error) {
	key, ok := cacheKey(m, opts)
	if dir != "" && ok {
		path := filepath.Join(dir, key)
		if data, err := os.ReadFile(path); err == nil {
			if mod, err := Load(data); err == nil && mod.File.Header.ModuleHash == aotfile.ModuleHash(m.Binary) {
				return mod, nil
			} else if err == nil {
				mod.Close()
			}
		}
	}
	data, err := compile.Compile(m, opts)
	if err != nil {
		return nil, err
	}
	mod, err := Load(data)
	if err != nil {
		return nil, err
	}
	if dir != "" && ok {
		// Best effort: write to a temporary name, then rename, so a
		// concurrent reader never sees half a file.
		if tmp, err := os.CreateTemp(dir, "tmp-*.aot"); err == nil {
			_, werr := tmp.Write(data)
			cerr := tmp.Close()
			if werr == nil && cerr == nil {
				_ = os.Rename(tmp.Name(), filepath.Join(dir, key))
			} else {
				os.Remove(tmp.Name())
			}
		}
	}
	return mod, nil
}
