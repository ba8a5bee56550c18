package compile

import "github.com/gcscope/gcscope/engine/wasm"

type wasmModule = wasm.Module
