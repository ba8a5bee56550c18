package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/interp"
	"github.com/gcscope/gcscope/engine/runtime"
	"github.com/gcscope/gcscope/engine/wasm"
)

var aotMagic = []byte("\x00gca")

// moduleAndEngine loads what `gcscope run` was given and picks the engine:
// an .aot file runs its own code; with aot set a module is compiled (and
// cached) first, as a debug build if debug is set; otherwise it runs in
// the interpreter.
func moduleAndEngine(path string, aot, debug bool) (*wasm.Module, runtime.Engine, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if bytes.HasPrefix(data, aotMagic) {
		mod, err := loader.Load(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		e := loader.New(nil)
		e.Preload(mod.File.Module, mod)
		return mod.File.Module, e, nil
	}
	m, err := loadModule(path)
	if err != nil {
		return nil, nil, err
	}
	if !aot {
		return m, interp.New(), nil
	}
	e := loader.New(interp.New())
	e.Options.Debug = debug
	e.CacheDir = aotCacheDir()
	return m, e, nil
}

// aotCacheDir is where compiled files are kept between runs
// ($XDG_CACHE_HOME/gcscope/aot or the platform's equivalent); "" (no
// cache) when it cannot be made.
func aotCacheDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir := filepath.Join(base, "gcscope", "aot")
	if os.MkdirAll(dir, 0o755) != nil {
		return ""
	}
	return dir
}
