package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
)

var wasmMagic = []byte{0x00, 'a', 's', 'm'}

// readModule reads a .wasm or .wat file, telling them apart by content (the
// binary magic), not by the file name.
func readModule(path string) (*wasm.Module, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m *wasm.Module
	if bytes.HasPrefix(src, wasmMagic) {
		m, err = binary.Decode(src)
	} else if m, err = text.ParseModule(src); err == nil {
		// A text module gets the offsets its binary encoding has, as the
		// debugger gives it: backtraces, the AOT offset map and the
		// compiled-file cache's key (the module hash) go by them, so
		// X.wat and the X.wasm convert writes read the same everywhere.
		_, err = binary.Encode(m)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// loadModule reads and validates a module.
func loadModule(path string) (*wasm.Module, error) {
	m, err := readModule(path)
	if err != nil {
		return nil, err
	}
	if err := validate.Module(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
